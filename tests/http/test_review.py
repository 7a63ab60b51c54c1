"""The monthly review: stale people grouped by how well you know them, allies due, role
models not met, introductions and missed follow-ups; reach out, archive (respected by People,
search, the offline copy, digests; kept in exports; restorable) or keep as is; the month's
summary; and its reminder, once a month however many dispatchers run."""

import json
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.followups.digest import due_people_by_user
from eventmate.models import Contact, FollowUp, Introduction, Meeting, PushMessage, ReviewKeep, User
from eventmate.models.base import utcnow
from eventmate.relationships import allies
from eventmate.reminders.dispatch import Dispatcher, Settings
from eventmate.reminders.reviews import plan_reviews
from eventmate.review.service import monthly_review

from ..databases import BACKENDS
from ..factories import make_contact
from ..push_service import add_device, make_user
from .helpers import visible_text

ANA = "ana@example.org"
POSTGRES_ONLY = [p for p in BACKENDS if getattr(p, "values", (p,))[0] == "postgresql"]
# Tuesday 1 December 2026, 09:05 in Lisbon (UTC+0): the first morning of the month.
FIRST_MORNING = datetime(2026, 12, 1, 9, 5, tzinfo=UTC)


def owner(email=ANA) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def person(app, name, *, met_days_ago=200, meetings=1, email=ANA, **fields) -> int:
    """Someone known for 400 days, met `meetings` times, the last `met_days_ago` days ago."""
    with app.app_context():
        contact = make_contact(
            owner(email), name, created_at=utcnow() - timedelta(days=400), **fields
        )
        for n in range(meetings):
            met_at = utcnow() - timedelta(days=met_days_ago + n)
            db.session.add(Meeting(contact_id=contact.id, kind="meeting", met_at=met_at))
        db.session.commit()
        return contact.id


def review_text(client) -> str:
    return visible_text(client.get("/review"))


def section(page: str, title: str, until: str | None = None) -> str:
    start = page.index(title)
    end = page.index(until, start) if until else len(page)
    return page[start:end]


def test_stale_people_are_grouped_by_how_well_you_know_them(app, ana):
    person(app, "Kim Well", meetings=4)
    person(app, "Gil Getting", meetings=1)
    person(app, "Jo Just", meetings=0)
    person(app, "Lee Lately", met_days_ago=10)
    page = review_text(ana)
    stale = section(page, "Not in touch for a long time")
    assert stale.index("Know well") < stale.index("Kim Well")
    assert stale.index("Getting to know") < stale.index("Gil Getting") < stale.index("Just met")
    assert stale.index("Just met") < stale.index("Jo Just")
    assert "Lee Lately" not in page
    assert "Reach out" in stale and "Archive" in stale and "Keep as is" in stale


def test_allies_role_models_and_missed_follow_ups_have_their_sections(app, ana):
    ally = person(app, "Ally Alves", met_days_ago=70)
    model = person(app, "Rita Costa", met_days_ago=250)
    missed = person(app, "Miss Follow", met_days_ago=30)
    with app.app_context():
        user = owner()
        allies.mark_ally(user, db.session.get(Contact, ally), now=utcnow())
        contact = db.session.get(Contact, model)
        contact.role_model_since, contact.learn_from = utcnow(), "how she prices her work"
        db.session.add(
            FollowUp(owner_id=user.id, contact_id=missed, due_at=utcnow() - timedelta(days=20))
        )
        db.session.commit()
    page = review_text(ana)
    assert "Ally Alves" in section(page, "Allies due a keep-in-touch", "Role models")
    role = section(page, "Role models not met in six months", "Follow-ups that never")
    assert "Rita Costa" in role and "To learn: how she prices her work" in role
    assert "Invite to lunch" in role
    assert "Miss Follow" in section(page, "Follow-ups that never happened")
    assert page.count("To learn: how she prices") == 1  # one section per person


def test_introductions_made_show_whether_they_connected(app, ana):
    a = person(app, "Ana Side", met_days_ago=10)
    b = person(app, "Bo Side", met_days_ago=10)
    with app.app_context():
        from eventmate.models import IntroductionSide

        intro = Introduction(
            introducer_id=owner().id,
            state="completed",
            expires_at=utcnow() + timedelta(days=10),
            created_at=utcnow() - timedelta(days=5),
        )
        db.session.add(intro)
        db.session.flush()
        for position, cid, name in (("a", a, "Ana Side"), ("b", b, "Bo Side")):
            db.session.add(
                IntroductionSide(
                    introduction_id=intro.id,
                    position=position,
                    contact_id=cid,
                    name=name,
                    why="You both map cities",
                )
            )
        db.session.commit()
        intro_id = intro.id
    page = section(review_text(ana), "Introductions you made")
    assert "Ana Side and Bo Side" in page and "Connected" in page and "how it went" in page
    assert ana.post("/review/keep", data={"item": f"introduction:{intro_id}"}).status_code == 302
    assert "Introductions you made" not in review_text(ana)


def test_reach_out_opens_a_drafted_catching_up_message(app, ana):
    cid = person(app, "Gil Getting", emails=["gil@example.org"])
    response = ana.post(f"/review/{cid}/reach-out")
    with app.app_context():
        follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.contact_id == cid))
        assert follow_up.reason == "keep_in_touch" and follow_up.state == "open"
    assert f"open={follow_up.id}" in response.headers["Location"]
    assert "It's been a while, and you came to mind." in visible_text(ana.get("/inbox"))
    ana.post(f"/review/{cid}/reach-out")  # twice: still one
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 1
    # Once the message is sent (the follow-up done), Gil is in touch: nothing to review.
    ana.post(f"/inbox/{follow_up.id}/done")
    assert "Nothing to review" in review_text(ana)


def test_keep_as_is_hides_someone_for_ninety_days(app, ana):
    cid = person(app, "Gil Getting")
    assert ana.post("/review/keep", data={"item": f"contact:{cid}"}).status_code == 302
    assert "Gil Getting" not in review_text(ana)
    with app.app_context():
        keep = db.session.scalar(sa.select(ReviewKeep))
        assert 89 <= (keep.until - utcnow()).days <= 90
        review = monthly_review(owner(), now=utcnow() + timedelta(days=91))
        assert [item.contact.id for _, items in review.stale for item in items] == [cid]
    # Keeping again moves the date, it doesn't add a row.
    ana.post("/review/keep", data={"item": f"contact:{cid}"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewKeep)) == 1


@pytest.mark.parametrize(
    "item",
    ["", "contact:", "contact:abc", "person:1", "contact:1:2", "x" * 50, "contact:99999999999999"],
)
def test_keep_as_is_refuses_what_is_not_an_item(app, ana, item):
    assert ana.post("/review/keep", data={"item": item}).status_code == 404


def test_archive_hides_from_lists_search_offline_copy_and_digests(app, ana):
    cid = person(app, "Gil Getting", company="Globex", met_days_ago=1)
    other = person(app, "Kim Well", met_days_ago=1)
    with app.app_context():
        user = owner()
        db.session.add(FollowUp(owner_id=user.id, contact_id=cid, due_at=utcnow()))
        db.session.commit()
    archived = ana.post(f"/contacts/{cid}/archive", data={"back": "review"})
    assert archived.headers["Location"].endswith("/review")
    assert "Archived Gil Getting" in visible_text(ana.get("/review"))  # the flash, read
    assert "Gil Getting" not in visible_text(ana.get("/contacts/"))
    assert "Gil Getting" not in visible_text(ana.get("/contacts/?q=globex"))
    assert "Gil Getting" not in visible_text(ana.get("/"))
    assert "Gil Getting" not in visible_text(ana.get("/inbox"))
    snapshot = ana.get("/api/contacts").get_json()
    assert cid not in snapshot["ids"] and other in snapshot["ids"]
    assert [c["id"] for c in snapshot["contacts"]] == [other]
    with app.app_context():
        assert due_people_by_user([owner().id], utcnow() + timedelta(days=1)) == {}
    # Asked for: the archived list and its search.
    assert "Gil Getting" in visible_text(ana.get("/contacts/?archived=1"))
    assert "Gil Getting" in visible_text(ana.get("/contacts/?archived=1&q=globex"))
    assert "Archived people (1)" in visible_text(ana.get("/contacts/"))
    # Kept in exports.
    assert "Gil Getting" in ana.get("/account/export/contacts.csv").get_data(as_text=True)
    exported = json.loads(ana.get("/account/export/data.json").get_data(as_text=True))
    assert "Gil Getting" in json.dumps(exported)
    # Restorable, from the contact's page.
    page = visible_text(ana.get(f"/contacts/{cid}"))
    assert "Archived" in page and "Restore" in page
    ana.post(f"/contacts/{cid}/restore")
    assert "Gil Getting" in visible_text(ana.get("/contacts/"))
    assert cid in ana.get("/api/contacts").get_json()["ids"]


def test_archiving_an_ally_takes_them_out_of_the_circle(app, ana):
    cid = person(app, "Ally Alves", met_days_ago=100)
    with app.app_context():
        allies.mark_ally(owner(), db.session.get(Contact, cid), now=utcnow())
        db.session.commit()
    ana.post(f"/contacts/{cid}/archive")
    with app.app_context():
        assert not db.session.get(Contact, cid).is_ally
        assert allies.plan_keep_in_touch(owner(), now=utcnow()) == []


def test_meeting_an_archived_contact_again_brings_them_back(app, ana):
    from eventmate.contacts.service import record_meeting

    cid = person(app, "Gil Getting")
    ana.post(f"/contacts/{cid}/archive")
    with app.app_context():
        contact = db.session.get(Contact, cid)
        record_meeting(contact, kind="scan", met_at=utcnow(), event=None, event_id=None)
        db.session.commit()
    assert "Gil Getting" in visible_text(ana.get("/contacts/"))


def test_the_month_is_compared_with_the_one_before(app, ana):
    now = utcnow()
    first = now.date().replace(day=1)
    last_month = datetime.combine(first - timedelta(days=3), datetime.min.time(), UTC)
    month_before = last_month - timedelta(days=31)
    with app.app_context():
        user = owner()
        for n in range(3):
            make_contact(user, f"New {n}", created_at=last_month + timedelta(hours=n + 12))
        make_contact(user, "Older", created_at=month_before + timedelta(hours=12))
        db.session.commit()
        review = monthly_review(user, now=now)
        assert (review.month.new_people, review.before.new_people) == (3, 1)
        assert review.month.follow_ups_sent == review.before.follow_ups_sent == 0
    page = visible_text(ana.get("/review"))
    assert "3 new people up from 1" in page
    assert "0 follow-ups sent same as before" in page


def test_another_users_ids_answer_404(app, ana, ben):
    cid = person(app, "Gil Getting")
    for path in (
        f"/review/{cid}/reach-out",
        f"/contacts/{cid}/archive",
        f"/contacts/{cid}/restore",
    ):
        assert ben.post(path).status_code == 404
    assert ben.post("/review/keep", data={"item": f"contact:{cid}"}).status_code == 404
    assert "Gil Getting" not in review_text(ben)
    with app.app_context():
        assert db.session.get(Contact, cid).archived_at is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewKeep)) == 0


def test_an_empty_review_says_so(app, ana):
    assert "Nothing to review" in review_text(ana)


# --- the monthly reminder ---------------------------------------------------------------------


def reviewer(push_service, email="lee@example.org"):
    user = make_user(email)
    make_contact(user, "Gil", created_at=FIRST_MORNING - timedelta(days=100))
    subscription = push_service.subscribe()
    add_device(user, subscription)
    db.session.commit()
    return subscription


def test_the_review_reminder_comes_once_a_month(push_app, push_service):
    with push_app.app_context():
        subscription = reviewer(push_service)
        early = Dispatcher(settings=Settings(threads=1), clock=lambda: FIRST_MORNING)
        assert early.run_once(FIRST_MORNING - timedelta(hours=1)).sent == 0  # 08:05: not yet
        dispatcher = Dispatcher(settings=Settings(threads=1), clock=lambda: FIRST_MORNING)
        assert dispatcher.run_once(FIRST_MORNING).sent == 1
        for later in (timedelta(hours=1), timedelta(days=1), timedelta(days=5)):
            assert dispatcher.run_once(FIRST_MORNING + later).sent == 0
        next_month = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)  # the 1st–3rd missed: still sent
        assert dispatcher.run_once(next_month).sent == 1
        mid_month = datetime(2027, 2, 10, 9, 30, tzinfo=UTC)  # a month missed: it waits
        assert dispatcher.run_once(mid_month).sent == 0
        keys = db.session.scalars(sa.select(PushMessage.dedupe_key).order_by(PushMessage.id))
        assert list(keys) == ["review:2026-12", "review:2027-01"]
    [first, _second] = push_service.to(subscription["endpoint"])
    assert first.message["title"] == "Your monthly review"
    assert first.message["url"] == "/review"


def test_no_review_reminder_without_anyone_to_review_or_a_channel(push_app, push_service):
    with push_app.app_context():
        new = make_user("new@example.org")
        make_contact(new, "Met yesterday", created_at=FIRST_MORNING - timedelta(days=1))
        add_device(new, push_service.subscribe())
        quiet = make_user("quiet@example.org", reminder_channel="none")
        make_contact(quiet, "Gil", created_at=FIRST_MORNING - timedelta(days=100))
        db.session.commit()
        assert plan_reviews(FIRST_MORNING, clock_now=FIRST_MORNING) == 0


@pytest.mark.parametrize("app", POSTGRES_ONLY, indirect=True)
def test_several_dispatchers_send_each_review_exactly_once(push_app, push_service):
    users = 30
    with push_app.app_context():
        subscriptions = [reviewer(push_service, f"user{n}@example.org") for n in range(users)]
    start = threading.Barrier(3)
    errors = []

    def dispatcher():
        try:
            with push_app.app_context():
                worker = Dispatcher(settings=Settings(threads=2, batch_size=5))
                start.wait(timeout=30)
                worker.run_once(FIRST_MORNING)
                db.session.remove()
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=dispatcher) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    received = Counter(push.token for push in push_service.received)
    assert sorted(received.values()) == [1] * users
    assert set(received) == {s["endpoint"].rsplit("/", 1)[1] for s in subscriptions}


def test_the_review_email_leads_to_the_review(app, mailbox):
    from eventmate.reminders.email import digest_email

    with app.test_request_context():
        message = digest_email(
            delivery_id=1, user_id=1, to="lee@example.org", title="Your monthly review",
            body="A few minutes with your network", url="/review",
        )  # fmt: skip
    text = message.get_body(("plain",)).get_content()
    assert "Open your monthly review:" in text and text.rstrip().count("/review") >= 1
