"""Trusted allies: at most twelve, even under concurrent requests; swapping one out; and the
keep-in-touch reminders, due on the right morning, in the inbox and in the morning push."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventmate.database import begin_write
from eventmate.extensions import db
from eventmate.followups.service import mark_done
from eventmate.models import Contact, FollowUp, Meeting, User
from eventmate.relationships import allies
from eventmate.relationships.touches import Touch, log_touch
from eventmate.reminders.dispatch import Dispatcher, Settings

from ..push_service import add_device, make_user
from .helpers import visible_text

ANA = "ana@example.org"
# Monday 1 March 2027, 15:00 UTC; Lisbon is UTC+0 until the end of March.
NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)


def owner(email=ANA) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def add_people(app, count, *, email=ANA, met_days_ago=None, base=NOW) -> list[int]:
    """`count` contacts of the user, optionally last met that many days before `base`."""
    with app.app_context():
        user = owner(email)
        ids = []
        for n in range(count):
            contact = Contact(
                owner_id=user.id,
                source="manual",
                full_name=f"Person {n:02d}",
                created_at=base - timedelta(days=400),
            )
            db.session.add(contact)
            db.session.flush()
            if met_days_ago is not None:
                met_at = base - timedelta(days=met_days_ago)
                db.session.add(Meeting(contact_id=contact.id, kind="meeting", met_at=met_at))
            ids.append(contact.id)
        db.session.commit()
        return ids


def accounts_id(app, email) -> int:
    with app.app_context():
        return owner(email).id


def ally_ids(app, email=ANA) -> set[int]:
    with app.app_context():
        return {contact.id for contact in allies.allies_of(owner(email))}


# Marking, the limit and the swap --------------------------------------------------------------


def test_marking_an_ally_shows_on_the_contact_and_the_allies_page(app, ana):
    [cid] = add_people(app, 1)
    response = ana.post(f"/contacts/{cid}/ally", data={"keep_in_touch_days": "30"})
    assert response.status_code == 302
    page = visible_text(ana.get(f"/contacts/{cid}"))
    assert "Trusted ally" in page and "You chose them as one of your trusted allies" in page
    assert "(1 of 12)" in page
    listing = visible_text(ana.get("/allies"))
    assert "Person 00" in listing and "1 of 12" in listing
    with app.app_context():
        contact = db.session.get(Contact, cid)
        assert contact.is_ally and contact.keep_in_touch_days == 30 and contact.ally_since
    assert ana.post(f"/contacts/{cid}/ally/remove").status_code == 302
    assert ally_ids(app) == set()


def test_the_thirteenth_is_refused_with_a_reason_and_a_swap(app, ana):
    ids = add_people(app, 13)
    for cid in ids[:12]:
        assert ana.post(f"/contacts/{cid}/ally").status_code == 302
    refused = ana.post(f"/contacts/{ids[12]}/ally")
    assert refused.status_code == 409
    text = visible_text(refused)
    assert "You already have 12 trusted allies" in text
    assert "time-tested few" in text and "choose someone to swap out" in text
    assert text.count("Person 0") + text.count("Person 1") >= 12  # the swap list
    assert ids[12] not in ally_ids(app)
    swapped = ana.post("/allies/swap", data={"add": str(ids[12]), "remove": str(ids[3])})
    assert swapped.status_code == 302
    assert ally_ids(app) == set(ids) - {ids[3]}
    # No choice, or someone no longer in the circle: asked again, nothing changes.
    assert ana.post("/allies/swap", data={"add": str(ids[3])}).status_code == 409
    stale = ana.post("/allies/swap", data={"add": str(ids[3]), "remove": str(ids[3])})
    assert stale.status_code == 409
    assert ally_ids(app) == set(ids) - {ids[3]}


def test_allies_are_private_to_their_owner(app, ana, ben):
    [mine] = add_people(app, 1)
    [bens] = add_people(app, 1, email="ben@example.org")
    assert ben.post(f"/contacts/{mine}/ally").status_code == 404
    assert ben.post(f"/contacts/{mine}/ally/remove").status_code == 404
    assert (
        ben.post(
            f"/contacts/{mine}/ally/keep-in-touch", data={"keep_in_touch_days": "30"}
        ).status_code
        == 404
    )
    assert ben.post("/allies/swap", data={"add": str(bens), "remove": str(mine)}).status_code == 404
    assert ana.post(f"/contacts/{mine}/ally", csrf=False).status_code == 400
    assert ben.post("/allies/swap", data={"add": "nope", "remove": str(bens)}).status_code == 404


def test_the_keep_in_touch_period_is_one_of_the_choices(app, ana):
    [cid] = add_people(app, 1)
    assert ana.post(f"/contacts/{cid}/ally", data={"keep_in_touch_days": "61"}).status_code == 302
    assert ally_ids(app) == set()  # refused: not a choice
    ana.post(f"/contacts/{cid}/ally")
    for bad in ("0", "-30", "abc", "100000"):
        ana.post(f"/contacts/{cid}/ally/keep-in-touch", data={"keep_in_touch_days": bad})
    ana.post(f"/contacts/{cid}/ally/keep-in-touch", data={"keep_in_touch_days": "90"})
    with app.app_context():
        assert db.session.get(Contact, cid).keep_in_touch_days == 90


def _mark_in_parallel(app, contact_ids):
    barrier = threading.Barrier(len(contact_ids))
    outcomes, errors = [], []

    def worker(cid):
        with app.app_context():
            try:
                user = owner()
                contact = db.session.get(Contact, cid)
                db.session.commit()  # end the read, as a request starts fresh
                barrier.wait(timeout=10)
                begin_write()
                allies.mark_ally(user, contact, now=NOW)
                db.session.commit()
                outcomes.append("marked")
            except allies.AllyLimitReached:
                db.session.rollback()
                outcomes.append("refused")
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(cid,)) for cid in contact_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return outcomes


def test_the_limit_holds_under_concurrent_requests(app, ana):
    ids = add_people(app, 16)
    with app.app_context():
        for cid in ids[:10]:
            allies.mark_ally(owner(), db.session.get(Contact, cid), now=NOW)
        db.session.commit()
    outcomes = _mark_in_parallel(app, ids[10:])
    assert sorted(outcomes) == ["marked"] * 2 + ["refused"] * 4
    assert len(ally_ids(app)) == 12


# Keep in touch --------------------------------------------------------------------------------


def plan(app, now, email=ANA) -> list[tuple[int, datetime]]:
    with app.app_context():
        created = allies.plan_keep_in_touch(owner(email), now=now)
        result = [(reminder.contact_id, reminder.due_at) for reminder in created]
        db.session.commit()
        return result


def open_reminders(app) -> list[FollowUp]:
    with app.app_context():
        return db.session.scalars(
            sa.select(FollowUp).where(FollowUp.reason == "keep_in_touch", FollowUp.state == "open")
        ).all()


def make_ally(app, cid, *, since, days=60):
    with app.app_context():
        allies.mark_ally(owner(), db.session.get(Contact, cid), now=since, days=days)
        db.session.commit()


def test_a_reminder_is_due_the_morning_the_period_ends(app, ana):
    [cid] = add_people(app, 1, met_days_ago=50)  # last met 10 January 2027
    make_ally(app, cid, since=NOW - timedelta(days=20))
    due = datetime(2027, 3, 11, 9, 0, tzinfo=UTC)  # 60 days later, 9:00 in Lisbon
    with app.app_context():
        assert allies.next_reminder(owner(), db.session.get(Contact, cid)) == due
    assert plan(app, NOW) == []
    assert plan(app, due - timedelta(minutes=1)) == []
    assert plan(app, due) == [(cid, due)]
    assert plan(app, due + timedelta(days=3)) == []  # one open reminder at a time
    [reminder] = open_reminders(app)
    assert reminder.due_at == due and reminder.owner_id is not None
    page = visible_text(ana.get(f"/contacts/{cid}"))
    assert "Next keep-in-touch reminder: 11 Mar 2027, 09:00" in page


def test_each_ally_has_their_own_period_and_the_users_hour(app, ana):
    monthly, quarterly = add_people(app, 2, met_days_ago=0)
    with app.app_context():
        owner().reminder_hour = 7
        db.session.commit()
    make_ally(app, monthly, since=NOW, days=30)
    make_ally(app, quarterly, since=NOW, days=90)
    assert plan(app, NOW + timedelta(days=29)) == []
    assert plan(app, NOW + timedelta(days=31)) == [
        (monthly, datetime(2027, 3, 31, 6, 0, tzinfo=UTC))  # 7:00 Lisbon summer time
    ]
    assert plan(app, NOW + timedelta(days=91)) == [
        (quarterly, datetime(2027, 5, 30, 6, 0, tzinfo=UTC))
    ]


def test_quiet_days_move_the_reminder_to_the_next_active_day(app, ana):
    [cid] = add_people(app, 1, met_days_ago=0)
    with app.app_context():
        owner().quiet_days = "67"  # 60 days after Monday 1 March is Friday 30 April
        db.session.commit()
    make_ally(app, cid, since=NOW, days=61)  # … and 61 days a Saturday: moved to Monday
    with app.app_context():
        due = allies.next_reminder(owner(), db.session.get(Contact, cid))
    assert due == datetime(2027, 5, 3, 8, 0, tzinfo=UTC)


def test_being_in_touch_starts_the_period_again(app, ana):
    [cid] = add_people(app, 1, met_days_ago=70)
    make_ally(app, cid, since=NOW - timedelta(days=5))
    [(_, due)] = plan(app, NOW)
    assert due == NOW - timedelta(days=5)  # out of touch when chosen: due at once
    # A call today: the reminder is moot and goes; the next one is 60 days on.
    with app.app_context():
        log_touch(owner(), db.session.get(Contact, cid), Touch("call", NOW.date()), now=NOW)
        db.session.commit()
    assert plan(app, NOW + timedelta(minutes=1)) == []
    assert open_reminders(app) == []
    with app.app_context():
        assert allies.next_reminder(owner(), db.session.get(Contact, cid)) == datetime(
            2027, 4, 30, 8, 0, tzinfo=UTC
        )


def test_marking_the_reminder_done_counts_as_being_in_touch(app, ana):
    [cid] = add_people(app, 1, met_days_ago=61)
    make_ally(app, cid, since=NOW - timedelta(days=30))
    assert len(plan(app, NOW)) == 1
    with app.app_context():
        reminder = db.session.scalar(sa.select(FollowUp).where(FollowUp.contact_id == cid))
        assert mark_done(reminder, NOW + timedelta(days=1))
        db.session.commit()
    assert plan(app, NOW + timedelta(days=2)) == []
    later = plan(app, NOW + timedelta(days=62))
    assert later == [(cid, datetime(2027, 5, 1, 8, 0, tzinfo=UTC))]


def test_a_former_ally_gets_no_reminder(app, ana):
    [cid] = add_people(app, 1, met_days_ago=100)
    make_ally(app, cid, since=NOW)
    plan(app, NOW)
    assert len(open_reminders(app)) == 1
    assert ana.post(f"/contacts/{cid}/ally/remove").status_code == 302
    assert open_reminders(app) == []
    assert plan(app, NOW + timedelta(days=365)) == []


def test_the_dispatcher_plans_for_everyone_with_allies(app, ana, ben):
    [mine] = add_people(app, 1, met_days_ago=80)
    [bens] = add_people(app, 1, email="ben@example.org", met_days_ago=10)
    make_ally(app, mine, since=NOW)
    with app.app_context():
        user = owner("ben@example.org")
        allies.mark_ally(user, db.session.get(Contact, bens), now=NOW)
        db.session.commit()
        assert allies.plan_all_keep_in_touch(now=NOW) == 1
        assert allies.plan_all_keep_in_touch(now=NOW) == 0
        assert allies.plan_all_keep_in_touch(now=NOW + timedelta(days=51)) == 1
    assert {reminder.owner_id for reminder in open_reminders(app)} == {
        accounts_id(app, ANA),
        accounts_id(app, "ben@example.org"),
    }


@pytest.mark.parametrize("days", [14, 30, 60, 90, 180, 365])
def test_every_offered_period_is_accepted(app, ana, days):
    [cid] = add_people(app, 1)
    assert (
        ana.post(f"/contacts/{cid}/ally", data={"keep_in_touch_days": str(days)}).status_code == 302
    )
    with app.app_context():
        assert db.session.get(Contact, cid).keep_in_touch_days == days


# In the follow-up inbox and the morning push ---------------------------------------------------


def test_an_ally_out_of_touch_appears_in_the_inbox(app, ana):
    [cid] = add_people(app, 1, met_days_ago=70, base=datetime.now(UTC))
    assert ana.post(f"/contacts/{cid}/ally").status_code == 302
    inbox = visible_text(ana.get("/inbox"))
    assert "Person 00" in inbox and "It's been a while, and you came to mind." in inbox
    [reminder] = open_reminders(app)
    assert reminder.contact_id == cid
    ana.get("/inbox")
    assert len(open_reminders(app)) == 1
    # Done in the inbox: the next one comes a period later.
    assert ana.post(f"/inbox/{reminder.id}/done").status_code == 302
    assert open_reminders(app) == []
    assert "It's been a while" not in visible_text(ana.get("/inbox"))


def test_the_morning_push_includes_allies_to_keep_in_touch_with(push_app, push_service):
    morning = datetime(2027, 3, 11, 9, 1, tzinfo=UTC)
    with push_app.app_context():
        user = make_user("ana@example.org")
        contact = Contact(
            owner_id=user.id,
            source="manual",
            full_name="Inês Carvalho",
            created_at=NOW - timedelta(days=400),
        )
        db.session.add(contact)
        db.session.flush()
        db.session.add(
            Meeting(contact_id=contact.id, kind="meeting", met_at=NOW - timedelta(days=50))
        )
        allies.mark_ally(user, contact, now=NOW)
        subscription = push_service.subscribe()
        add_device(user, subscription)
        db.session.commit()
        dispatcher = Dispatcher(settings=Settings(threads=1, batch_size=10), clock=lambda: morning)
        tally = dispatcher.run_once(morning)
    assert tally.planned == 1 and tally.sent == 1
    [push] = push_service.to(subscription["endpoint"])
    assert "Inês" in push.message["body"] or "Inês" in push.message["title"]
