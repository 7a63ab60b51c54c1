"""Role models: marked with what to learn, invited to lunch by a drafted message in the inbox,
reminded once a month later if nothing happened, the lunch logged with what was learned; the
ones not met in six months on Giving back. Nobody else's ids work."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.followups.service import mark_done
from eventmate.models import Contact, FollowUp, Meeting, PromptAnswer, User
from eventmate.models.base import utcnow
from eventmate.relationships import role_models
from eventmate.reminders.dispatch import Dispatcher, Settings

from ..factories import make_contact
from .helpers import visible_text

ANA = "ana@example.org"


def owner(email=ANA) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def person(app, name="Rita Costa", *, email=ANA, met_days_ago=None) -> int:
    with app.app_context():
        contact = make_contact(
            owner(email), name, created_at=utcnow() - timedelta(days=400), emails=["rita@ex.org"]
        )
        if met_days_ago is not None:
            met_at = utcnow() - timedelta(days=met_days_ago)
            db.session.add(Meeting(contact_id=contact.id, kind="meeting", met_at=met_at))
        db.session.commit()
        return contact.id


def lunches(app, cid) -> list[FollowUp]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(FollowUp).where(FollowUp.contact_id == cid).order_by(FollowUp.id)
            )
        )


def mark(client, cid, learn="How she built her alumni network"):
    return client.post(f"/contacts/{cid}/role-model", data={"learn_from": learn})


def test_marking_a_role_model_notes_what_to_learn(app, ana):
    cid = person(app)
    assert "Make Rita a role model" in visible_text(ana.get(f"/contacts/{cid}"))
    refused = mark(ana, cid, learn="   ")
    assert refused.status_code == 302
    page = visible_text(ana.get(f"/contacts/{cid}"))
    assert "Note what you'd like to learn" in page and "Make Rita a role model" in page
    assert "Keep it under 200" in visible_text(
        ana.get(mark(ana, cid, learn="x" * 201).headers["Location"])
    )
    assert mark(ana, cid).status_code == 302
    page = visible_text(ana.get(f"/contacts/{cid}"))
    assert "What you'd like to learn from Rita: How she built her alumni network" in page
    assert "Invite Rita to lunch" in page and "Not met in person yet" in page
    assert ana.post(f"/contacts/{cid}/role-model/remove").status_code == 302
    with app.app_context():
        contact = db.session.get(Contact, cid)
        assert contact.role_model_since is None and contact.learn_from == ""


def test_the_lunch_invitation_is_drafted_in_the_inbox(app, ana):
    cid = person(app)
    mark(ana, cid)
    invited = ana.post(f"/contacts/{cid}/role-model/lunch")
    [lunch] = lunches(app, cid)
    assert lunch.reason == "role_model_lunch" and lunch.state == "open"
    assert invited.headers["Location"].endswith(f"/inbox?open={lunch.id}#follow-up-{lunch.id}")
    html = ana.get("/inbox").get_data(as_text=True)
    assert 'value="Lunch one day soon?"' in html  # the subject
    page = visible_text(ana.get("/inbox"))
    assert "A lunch to learn how she built her alumni network" in page
    assert "how you built your alumni network" in page  # about them, in the second person
    assert "around 12:30" in page  # a time proposed
    # Inviting twice keeps one open follow-up.
    ana.post(f"/contacts/{cid}/role-model/lunch")
    assert len(lunches(app, cid)) == 1


def test_inviting_someone_not_a_role_model_is_refused(app, ana):
    cid = person(app)
    response = ana.post(f"/contacts/{cid}/role-model/lunch")
    assert "Note what you'd like to learn" in visible_text(ana.get(response.headers["Location"]))
    assert lunches(app, cid) == []


def test_a_reminder_comes_once_a_month_after_an_invitation_with_no_lunch(app, ana):
    cid = person(app)
    mark(ana, cid)
    ana.post(f"/contacts/{cid}/role-model/lunch")
    sent_at = utcnow() - timedelta(days=31)
    with app.app_context():
        lunch = db.session.scalar(sa.select(FollowUp).where(FollowUp.contact_id == cid))
        assert mark_done(lunch, sent_at)
        user = owner()
        assert role_models.plan_lunch_reminders(user, now=sent_at + timedelta(days=29)) == []
        [reminder] = role_models.plan_lunch_reminders(user, now=utcnow())
        assert reminder.reason == "lunch_reminder"
        db.session.commit()
    assert 'value="Still up for lunch?"' in ana.get("/inbox").get_data(as_text=True)
    with app.app_context():
        reminder = db.session.scalar(sa.select(FollowUp).where(FollowUp.reason == "lunch_reminder"))
        reminder.state = "dismissed"
        db.session.commit()
        # One reminder per invitation, however often the planners run.
        assert role_models.plan_lunch_reminders(owner(), now=utcnow() + timedelta(days=90)) == []


def test_no_reminder_when_they_met_since_the_invitation(app, ana):
    cid = person(app)
    mark(ana, cid)
    ana.post(f"/contacts/{cid}/role-model/lunch")
    with app.app_context():
        lunch = db.session.scalar(sa.select(FollowUp).where(FollowUp.contact_id == cid))
        mark_done(lunch, utcnow() - timedelta(days=40))
        db.session.add(
            Meeting(contact_id=cid, kind="meeting", met_at=utcnow() - timedelta(days=20))
        )
        db.session.commit()
        assert role_models.plan_lunch_reminders(owner(), now=utcnow()) == []


def test_the_dispatcher_plans_lunch_reminders(app, ana):
    cid = person(app)
    mark(ana, cid)
    ana.post(f"/contacts/{cid}/role-model/lunch")
    with app.app_context():
        lunch = db.session.scalar(sa.select(FollowUp).where(FollowUp.contact_id == cid))
        mark_done(lunch, utcnow() - timedelta(days=45))
        db.session.commit()
        assert role_models.plan_all_lunch_reminders(now=utcnow()) == 1
        assert role_models.plan_all_lunch_reminders(now=utcnow()) == 0


def test_logging_the_lunch_keeps_what_was_learned_for_later_drafts(app, ana):
    cid = person(app)
    mark(ana, cid)
    ana.post(f"/contacts/{cid}/role-model/lunch")
    today = utcnow().date().isoformat()
    too_long = ana.post(
        f"/contacts/{cid}/role-model/lunch-log", data={"on": today, "learned": "x" * 301}
    )
    assert "under 300" in visible_text(ana.get(too_long.headers["Location"]))
    logged = ana.post(
        f"/contacts/{cid}/role-model/lunch-log",
        data={"on": today, "learned": "She hosts a small dinner every quarter"},
    )
    assert logged.status_code == 302
    with app.app_context():
        contact = db.session.get(Contact, cid)
        assert [m.kind for m in contact.meetings] == ["meeting"]
        assert contact.met_face_to_face
        answer = db.session.scalar(sa.select(PromptAnswer).where(PromptAnswer.contact_id == cid))
        assert answer.prompt_key == "learned"
        assert answer.answer == "She hosts a small dinner every quarter"
    assert [f.state for f in lunches(app, cid)] == ["done"]
    page = visible_text(ana.get(f"/contacts/{cid}"))
    assert "What I learned from them" in page and "Last met in person" in page
    # A later message recalls it, in the second person.
    ana.post(f"/review/{cid}/reach-out")  # a role model: the next lunch
    with app.app_context():
        contact = db.session.get(Contact, cid)
        contact.role_model_since = None
        db.session.execute(sa.delete(FollowUp).where(FollowUp.state == "open"))
        db.session.commit()
    ana.post(f"/review/{cid}/reach-out")
    page = visible_text(ana.get("/inbox"))
    assert "putting what I learned from you to work: you host a small dinner" in page


def test_giving_back_lists_role_models_not_met_in_six_months(app, ana):
    stale = person(app, "Rita Costa", met_days_ago=200)
    recent = person(app, "Marta Lopes", met_days_ago=30)
    never = person(app, "Zé Pinto")
    for cid in (stale, recent, never):
        mark(ana, cid)
    page = visible_text(ana.get("/giving-back"))
    assert "Rita Costa" in page and "Zé Pinto" in page and "Not met in person yet" in page
    assert "Marta Lopes" not in page
    assert "Last met" in page


def test_another_users_contact_answers_404(app, ana, ben):
    cid = person(app)
    mark(ana, cid)
    for path in ("", "/remove", "/lunch", "/lunch-log"):
        assert (
            ben.post(f"/contacts/{cid}/role-model{path}", data={"learn_from": "x"}).status_code
            == 404
        )
    with app.app_context():
        assert db.session.get(Contact, cid).learn_from == "How she built her alumni network"
    assert lunches(app, cid) == []


def test_an_archived_role_model_gets_no_reminder(app, ana):
    cid = person(app)
    mark(ana, cid)
    ana.post(f"/contacts/{cid}/role-model/lunch")
    with app.app_context():
        lunch = db.session.scalar(sa.select(FollowUp).where(FollowUp.contact_id == cid))
        mark_done(lunch, datetime(2020, 1, 1, tzinfo=UTC))
        db.session.commit()
    ana.get(ana.post(f"/contacts/{cid}/archive").headers["Location"])  # its flash shown
    with app.app_context():
        assert role_models.plan_lunch_reminders(owner(), now=utcnow()) == []
    assert "Rita" not in visible_text(ana.get("/giving-back"))


def test_the_dispatcher_runs_with_role_models(push_app):
    """A pass with a role model due a reminder and nothing to push plans it and sends none."""
    with push_app.app_context():
        from ..push_service import make_user

        user = make_user("lee@example.org")
        contact = make_contact(user, "Rita", role_model_since=utcnow(), learn_from="pricing")
        lunch = FollowUp(
            owner_id=user.id,
            contact_id=contact.id,
            due_at=utcnow() - timedelta(days=60),
            reason="role_model_lunch",
        )
        db.session.add(lunch)
        db.session.flush()
        mark_done(lunch, utcnow() - timedelta(days=59))
        db.session.commit()
        Dispatcher(settings=Settings(threads=1)).run_once(utcnow())
        reasons = db.session.scalars(sa.select(FollowUp.reason).order_by(FollowUp.id)).all()
        assert reasons == ["role_model_lunch", "lunch_reminder"]
