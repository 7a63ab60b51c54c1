"""The reminder dispatcher against the local fake push service: what a digest says, when it
comes (time zones, daylight saving, quiet days, travel), once per local day, the exact request,
and what each answer of the push service leads to."""

import json
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.followups.digest import due_by_user, due_count
from eventmate.models import Event, PushDelivery, PushMessage, PushSubscription, User
from eventmate.push.vapid import vapid_keys
from eventmate.reminders.claims import MAX_ATTEMPTS
from eventmate.reminders.dispatch import Dispatcher, Settings

from ..push_service import SUBJECT, add_device, add_follow_up, make_user, unb64url

# Tuesday 24 November 2026; Lisbon is on UTC in winter.
MORNING = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIVE = ("Ana Ribeiro", "Ben Okafor", "Chloé Martin", "Dev Patel", "Eve Adams")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def dispatch(app, now: datetime, *, clock: datetime | None = None, **settings):
    """One pass at `now`; `clock` is the real time the dispatcher believes in (default now)."""
    moment = clock or now
    with app.app_context():
        dispatcher = Dispatcher(
            settings=Settings(**({"threads": 4, "batch_size": 50} | settings)),
            clock=lambda: moment,
        )
        return dispatcher.run_once(now)


def user_with_due(app, service, email="ana@example.org", *, names=FIVE[:1], due=MORNING, **user):
    """A user with a device and follow-ups due at `due`; returns the device's subscription."""
    with app.app_context():
        owner = make_user(email, **user)
        for name in names:
            add_follow_up(owner, name, due_at=due)
        subscription = service.subscribe()
        add_device(owner, subscription)
        db.session.commit()
    return subscription


def pushed(service, subscription) -> list[dict]:
    return [push.message for push in service.to(subscription["endpoint"])]


def deliveries(app) -> list[PushDelivery]:
    with app.app_context():
        return list(db.session.scalars(sa.select(PushDelivery).order_by(PushDelivery.id)))


# --- what it says ------------------------------------------------------------------------------


def test_one_notification_per_user_names_two_people_and_the_event_and_opens_the_inbox(
    push_app, push_service
):
    phone = user_with_due(push_app, push_service, names=FIVE)
    with push_app.app_context():  # a second device of Ana's gets the same digest
        laptop = push_service.subscribe()
        add_device(db.session.scalar(sa.select(User)), laptop, label="Firefox on Linux")
        db.session.commit()
    tally = dispatch(push_app, MORNING + timedelta(minutes=1))
    assert (tally.planned, tally.sent, tally.retried, tally.dropped) == (1, 2, 0, 0)
    [message] = pushed(push_service, phone)
    assert message["body"] == "Follow up with Ana, Ben and 3 others from DevConf"
    assert message["title"] == "5 people to follow up with today"
    assert message["url"] == "/inbox"
    assert message["tag"] == "eventmate-digest"
    assert message["count"] == 5
    assert pushed(push_service, laptop) == [message]
    assert push_service.problems == []


def test_the_exact_request_a_push_service_receives(push_app, push_service):
    phone = user_with_due(push_app, push_service, names=FIVE[:2])
    before = int(time.time())
    dispatch(push_app, MORNING)
    [push] = push_service.to(phone["endpoint"])
    headers = push.headers
    assert int(headers["ttl"]) >= 24 * 3600
    assert headers["urgency"] == "normal"
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,32}", headers["topic"])
    assert headers["content-encoding"] == "aes128gcm"
    match = re.fullmatch(r"vapid t=([\w-]+\.[\w-]+\.[\w-]+),k=([\w-]+)", headers["authorization"])
    assert match, headers["authorization"]
    token, key = match.groups()
    assert key == vapid_keys(push_app).public_key  # the key the page subscribed with
    header = json.loads(unb64url(token.split(".")[0]))
    assert header == {"typ": "JWT", "alg": "ES256"}
    assert push.claims["aud"] == push_service.origin
    assert before < push.claims["exp"] <= time.time() + 24 * 3600
    assert push.claims["sub"] == SUBJECT
    assert push.problem is None  # signature verified, body decrypted with the browser's key
    assert len(push.plaintext) < 3 * 1024
    assert push.message["body"] == "Follow up with Ana and Ben from DevConf"


def test_claims_are_fresh_for_each_push_service(push_app):
    """Two push services in one pass: each JWT's aud is its own origin (pywebpush would keep
    the first one's if the claims dict were shared)."""
    from ..push_service import PushService

    key = vapid_keys(push_app).public_key
    with PushService(key) as first, PushService(key) as second:
        a = user_with_due(push_app, first, "ana@example.org")
        b = user_with_due(push_app, second, "ben@example.org")
        dispatch(push_app, MORNING)
        assert first.to(a["endpoint"])[0].claims["aud"] == first.origin
        assert second.to(b["endpoint"])[0].claims["aud"] == second.origin
        assert first.problems == second.problems == []


def test_a_digest_of_many_people_stays_under_the_payload_limit(push_app, push_service):
    names = [f"{'Maximiliana' * 3} {n}" for n in range(40)]
    phone = user_with_due(push_app, push_service, names=names)
    dispatch(push_app, MORNING)
    [push] = push_service.to(phone["endpoint"])
    assert len(push.plaintext) < 3 * 1024
    assert push.message["count"] == 40


def test_due_means_open_and_its_time_has_come_for_the_planner_and_the_banner(
    push_app, push_service
):
    """One rule (`followups.digest.is_due`) and one query for the banner and the planner."""
    user_with_due(push_app, push_service, "ana@example.org", names=FIVE[:3])
    user_with_due(push_app, push_service, "ben@example.org", names=FIVE[3:], due=MORNING)
    with push_app.app_context():
        carl = make_user("carl@example.org")
        add_follow_up(carl, "Later Person", due_at=MORNING + timedelta(seconds=1))
        add_follow_up(carl, "Done Person", due_at=MORNING - timedelta(days=1), state="done")
        add_follow_up(carl, "Old Person", due_at=MORNING - timedelta(days=2))
        add_follow_up(carl, "Just Due", due_at=MORNING)
        db.session.commit()
        users = {user.email: user for user in db.session.scalars(sa.select(User))}
        batched = due_by_user([user.id for user in users.values()], MORNING)
        names = {
            email: [follow_up.contact.full_name for follow_up in batched.get(user.id, [])]
            for email, user in users.items()
        }
        assert names == {
            "ana@example.org": list(FIVE[:3]),
            "ben@example.org": list(FIVE[3:]),
            "carl@example.org": ["Old Person", "Just Due"],  # oldest first
        }
        assert due_count(users["carl@example.org"], MORNING) == 2


# --- when it comes ----------------------------------------------------------------------------


def yesterdays_digests(app, day="2026-11-23"):
    """Everyone already had a digest yesterday; their follow-ups are still open."""
    with app.app_context():
        for user in db.session.scalars(sa.select(User)):
            db.session.add(
                PushMessage(
                    user_id=user.id,
                    kind="digest",
                    dedupe_key=f"digest:{day}",
                    title="t",
                    body="b",
                    url="/inbox",
                    tag="eventmate-digest",
                )
            )
        db.session.commit()


def test_each_user_gets_it_at_their_reminder_hour_in_their_own_time_zone(push_app, push_service):
    due = at("2026-11-23T14:00:00Z")  # overdue for everyone by the 24th
    lisbon = user_with_due(push_app, push_service, "lisbon@example.org", due=due)
    tokyo = user_with_due(
        push_app, push_service, "tokyo@example.org", due=due, timezone="Asia/Tokyo"
    )
    new_york = user_with_due(
        push_app, push_service, "ny@example.org", due=due, timezone="America/New_York"
    )
    early = user_with_due(push_app, push_service, "early@example.org", due=due, reminder_hour=7)
    yesterdays_digests(push_app)
    assert dispatch(push_app, at("2026-11-23T23:59:00Z")).sent == 0  # 08:59 in Tokyo
    assert dispatch(push_app, at("2026-11-24T00:00:00Z")).sent == 1  # 09:00 in Tokyo
    assert len(pushed(push_service, tokyo)) == 1
    assert dispatch(push_app, at("2026-11-24T06:59:00Z")).sent == 0
    assert dispatch(push_app, at("2026-11-24T07:00:00Z")).sent == 1  # 07:00 in Lisbon
    assert len(pushed(push_service, early)) == 1
    assert dispatch(push_app, at("2026-11-24T09:00:00Z")).sent == 1
    assert len(pushed(push_service, lisbon)) == 1
    assert dispatch(push_app, at("2026-11-24T13:59:00Z")).sent == 0  # 08:59 in New York
    assert dispatch(push_app, at("2026-11-24T14:00:00Z")).sent == 1
    assert len(pushed(push_service, new_york)) == 1
    assert dispatch(push_app, at("2026-11-24T23:00:00Z")).sent == 0  # nobody twice


def test_a_missed_morning_is_caught_up_later_that_day(push_app, push_service):
    """The dispatcher was down at 09:00: its next pass (or `--now`) still sends today's."""
    phone = user_with_due(push_app, push_service)
    assert dispatch(push_app, MORNING + timedelta(hours=5)).sent == 1
    assert len(pushed(push_service, phone)) == 1


def test_the_morning_moves_with_daylight_saving(push_app, push_service):
    """Lisbon moves to UTC+1 on Sunday 28 March 2027: 09:00 is then 08:00 UTC."""
    phone = user_with_due(push_app, push_service, due=at("2027-03-28T20:00:00Z"))
    assert dispatch(push_app, at("2027-03-29T07:59:00Z")).sent == 0
    assert dispatch(push_app, at("2027-03-29T08:00:00Z")).sent == 1
    assert len(pushed(push_service, phone)) == 1


def test_a_reminder_hour_skipped_by_the_clocks_comes_at_the_jump(push_app, push_service):
    """New York skips 02:00–03:00 on 14 March 2027; a 2 o'clock reminder comes at 03:00."""
    phone = user_with_due(
        push_app,
        push_service,
        due=at("2027-03-14T05:00:00Z"),
        timezone="America/New_York",
        reminder_hour=2,
    )
    assert dispatch(push_app, at("2027-03-14T06:59:00Z")).sent == 0  # 01:59 EST
    assert dispatch(push_app, at("2027-03-14T07:00:00Z")).sent == 1  # 03:00 EDT
    assert len(pushed(push_service, phone)) == 1


def test_an_hour_that_happens_twice_brings_one_digest(push_app, push_service):
    """Lisbon repeats 01:00–02:00 on 25 October 2026 (01:00 WEST, then 01:00 WET)."""
    phone = user_with_due(push_app, push_service, due=at("2026-10-24T23:00:00Z"), reminder_hour=1)
    assert dispatch(push_app, at("2026-10-25T00:00:00Z")).sent == 1  # the first 01:00
    assert dispatch(push_app, at("2026-10-25T01:00:00Z")).sent == 0  # the second 01:00
    assert len(pushed(push_service, phone)) == 1


def test_quiet_days_wait_for_the_next_morning(push_app, push_service):
    saturday, monday = at("2026-11-28T10:00:00Z"), at("2026-11-30T10:00:00Z")
    phone = user_with_due(
        push_app, push_service, names=FIVE[:2], due=at("2026-11-27T09:00:00Z"), quiet_days="67"
    )
    assert dispatch(push_app, saturday).sent == 0
    assert dispatch(push_app, saturday + timedelta(days=1)).sent == 0
    assert dispatch(push_app, monday).sent == 1
    assert pushed(push_service, phone)[0]["count"] == 2


def test_no_digest_without_push_a_device_or_anything_due(push_app, push_service):
    user_with_due(push_app, push_service, "off@example.org", push_enabled=False)
    user_with_due(push_app, push_service, "later@example.org", due=MORNING + timedelta(hours=2))
    with push_app.app_context():
        no_device = make_user("nodevice@example.org")
        add_follow_up(no_device, "Ana Ribeiro", due_at=MORNING)
        done = make_user("done@example.org")
        add_follow_up(done, "Ben Okafor", due_at=MORNING, state="done")
        add_follow_up(done, "Chloé Martin", due_at=MORNING, state="dismissed")
        add_device(done, push_service.subscribe())
        db.session.commit()
    tally = dispatch(push_app, MORNING + timedelta(minutes=30))
    assert (tally.planned, tally.sent) == (0, 0)
    assert push_service.received == []


def test_one_digest_per_local_day_however_often_the_dispatcher_runs(push_app, push_service):
    phone = user_with_due(push_app, push_service)
    for minutes in (0, 1, 60, 6 * 60, 14 * 60):
        dispatch(push_app, MORNING + timedelta(minutes=minutes))
    assert len(pushed(push_service, phone)) == 1
    with push_app.app_context():  # tomorrow brings someone new, and a new digest
        add_follow_up(
            db.session.scalar(sa.select(User)), "Ben Okafor", due_at=MORNING + timedelta(days=1)
        )
        db.session.commit()
    dispatch(push_app, MORNING + timedelta(days=1))
    assert [message["count"] for message in pushed(push_service, phone)] == [1, 2]


def test_planning_in_many_chunks_interleaved_with_sending_misses_no_one(
    push_app, push_service, monkeypatch
):
    """Chunks of one user and batches of one push: the pass ends only when both are done."""
    monkeypatch.setattr("eventmate.reminders.planning.CHUNK", 1)
    phones = [
        user_with_due(push_app, push_service, f"user{number}@example.org", names=FIVE[:2])
        for number in range(5)
    ]
    tally = dispatch(push_app, MORNING, batch_size=1, threads=1)
    assert (tally.planned, tally.sent, tally.retried, tally.dropped) == (5, 5, 0, 0)
    assert [len(pushed(push_service, phone)) for phone in phones] == [1] * 5


def test_away_at_an_event_the_digest_comes_on_the_venues_morning(push_app, push_service):
    """Ana (Lisbon) is at a conference in Tokyo: her follow-ups are planned for 09:00 Tokyo
    time, and that is when her phone rings, not at 09:00 back home."""
    due = at("2026-11-24T00:00:00Z")  # 09:00 in Tokyo
    phone = user_with_due(push_app, push_service, due=due)
    with push_app.app_context():
        event = Event(
            name="TokyoConf",
            timezone="Asia/Tokyo",
            starts_on=datetime(2026, 11, 23).date(),
            ends_on=datetime(2026, 11, 25).date(),
        )
        db.session.add(event)
        db.session.flush()
        db.session.scalar(sa.select(User)).current_event_id = event.id
        db.session.commit()
    assert dispatch(push_app, due - timedelta(minutes=1)).sent == 0
    assert dispatch(push_app, due).sent == 1
    assert dispatch(push_app, at("2026-11-24T09:00:00Z")).sent == 0  # not again at home's 9
    assert len(pushed(push_service, phone)) == 1


def test_the_command_line_dispatches_what_is_due_at_now(push_app, push_service):
    user_with_due(push_app, push_service, names=FIVE[:2])
    runner = push_app.test_cli_runner()
    early = runner.invoke(args=["reminders", "send", "--now", "2026-11-24T08:30:00+00:00"])
    assert early.exit_code == 0, early.output
    assert early.output.strip() == (
        "Digests: 0 planned. Notifications: 0 sent, 0 retried, 0 dropped."
    )
    result = runner.invoke(args=["reminders", "send", "--now", "2026-11-24T09:30:00Z"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Digests: 1 planned. Notifications: 1 sent, 0 retried, 0 dropped."
    )
    for wrong in ("tomorrow", "2026-11-24T09:30:00"):
        refused = runner.invoke(args=["reminders", "send", "--now", wrong])
        assert refused.exit_code == 2
        assert "--now" in refused.output


def test_the_command_line_reports_retries_and_removed_devices(push_app, push_service):
    gone = user_with_due(push_app, push_service, "gone@example.org")
    busy = user_with_due(push_app, push_service, "busy@example.org")
    push_service.answer(gone["endpoint"], 410)
    push_service.answer(busy["endpoint"], 503)
    runner = push_app.test_cli_runner()
    result = runner.invoke(args=["reminders", "send", "--now", "2026-11-24T09:30:00Z"])
    assert result.output.strip() == (
        "Digests: 2 planned. Notifications: 0 sent, 1 retried, 1 dropped. "
        "(1 unsubscribed device(s) removed)"
    )


# --- what each answer leads to --------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_an_unsubscribed_device_is_forgotten(push_app, push_service, status):
    phone = user_with_due(push_app, push_service)
    with push_app.app_context():
        other = push_service.subscribe()
        add_device(db.session.scalar(sa.select(User)), other)
        db.session.commit()
    push_service.answer(phone["endpoint"], status)
    tally = dispatch(push_app, MORNING)
    assert (tally.sent, tally.dropped, tally.devices_removed) == (1, 1, 1)
    with push_app.app_context():
        endpoints = db.session.scalars(sa.select(PushSubscription.endpoint)).all()
    assert endpoints == [other["endpoint"]]
    states = sorted((d.state, d.last_status) for d in deliveries(push_app))
    assert states == [("gone", status), ("sent", 201)]
    assert dispatch(push_app, MORNING, clock=MORNING + timedelta(hours=1)).sent == 0


def test_429_is_retried_no_sooner_than_retry_after(push_app, push_service):
    phone = user_with_due(push_app, push_service)
    push_service.answer(phone["endpoint"], 429, retry_after="600")
    tally = dispatch(push_app, MORNING)
    assert (tally.sent, tally.retried) == (0, 1)
    [delivery] = deliveries(push_app)
    assert delivery.state == "pending" and delivery.last_status == 429
    assert delivery.next_attempt_at == MORNING + timedelta(seconds=600)
    assert dispatch(push_app, MORNING, clock=MORNING + timedelta(seconds=599)).sent == 0
    assert dispatch(push_app, MORNING, clock=MORNING + timedelta(seconds=600)).sent == 1
    assert len(push_service.to(phone["endpoint"])) == 2
    with push_app.app_context():
        device = db.session.scalar(sa.select(PushSubscription))
        assert device.failure_count == 0 and device.last_success_at is not None


def test_retry_after_as_a_date_is_honoured(push_app, push_service):
    phone = user_with_due(push_app, push_service)
    push_service.answer(phone["endpoint"], 503, retry_after="Wed, 21 Oct 2099 07:28:00 GMT")
    dispatch(push_app, MORNING)
    [delivery] = deliveries(push_app)
    assert delivery.next_attempt_at > MORNING + timedelta(hours=23)  # capped at a day


def test_server_errors_back_off_exponentially_then_give_up(push_app, push_service):
    phone = user_with_due(push_app, push_service)
    push_service.answer_always(phone["endpoint"], 500)
    clock, waits = MORNING, []
    for _ in range(MAX_ATTEMPTS):
        tally = dispatch(push_app, MORNING, clock=clock)
        [delivery] = deliveries(push_app)
        if tally.retried:
            waits.append((delivery.next_attempt_at - clock).total_seconds())
            clock = delivery.next_attempt_at
    assert waits == [60, 120, 240, 480]
    assert (delivery.state, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert len(push_service.to(phone["endpoint"])) == MAX_ATTEMPTS
    assert dispatch(push_app, MORNING, clock=clock + timedelta(days=1)).sent == 0
    with push_app.app_context():
        assert db.session.scalar(sa.select(PushSubscription.failure_count)) == MAX_ATTEMPTS


def test_a_redirect_is_not_followed(push_app, push_service):
    phone = user_with_due(push_app, push_service)
    push_service.answer(phone["endpoint"], 301)
    tally = dispatch(push_app, MORNING)
    assert (tally.sent, tally.dropped) == (0, 1)
    assert [push.token for push in push_service.received] == [phone["endpoint"].rsplit("/", 1)[1]]
    [delivery] = deliveries(push_app)
    assert (delivery.state, delivery.last_status) == ("failed", 301)


def test_the_endpoint_is_checked_again_when_sending(push_app, push_service):
    """A device stored before the rule existed (or written straight into the database) that
    points into the private network is never contacted."""
    with push_app.app_context():
        owner = make_user("ana@example.org")
        add_follow_up(owner, "Ana Ribeiro", due_at=MORNING)
        keys = push_service.subscribe()["keys"]
        add_device(owner, {"endpoint": "https://10.0.0.7/push/x", "keys": keys})
        db.session.commit()
    tally = dispatch(push_app, MORNING)
    assert (tally.sent, tally.dropped) == (0, 1)
    [delivery] = deliveries(push_app)
    assert delivery.state == "failed"


def test_a_device_removed_after_planning_is_not_sent_to(push_app, push_service):
    phone = user_with_due(push_app, push_service)
    with push_app.app_context():
        from eventmate.reminders.planning import plan_digests

        assert plan_digests(MORNING, clock_now=MORNING) == 1
        db.session.execute(sa.delete(PushSubscription))
        db.session.commit()
    tally = dispatch(push_app, MORNING)
    assert (tally.sent, tally.dropped) == (0, 1)
    assert pushed(push_service, phone) == []
    with push_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PushMessage)) == 1


def test_a_push_service_that_does_not_answer_is_retried_after_the_timeout(
    push_app, push_service, monkeypatch
):
    from eventmate.push import sender

    assert sum(sender.TIMEOUT) <= 10  # what real sends wait at most
    monkeypatch.setattr(sender, "TIMEOUT", (0.5, 0.5))
    phone = user_with_due(push_app, push_service)
    push_service.delay = 2
    started = time.monotonic()
    tally = dispatch(push_app, MORNING)
    assert time.monotonic() - started < 10
    assert (tally.sent, tally.retried) == (0, 1)
    [delivery] = deliveries(push_app)
    assert (delivery.state, delivery.last_status) == ("pending", 0)
    assert len(push_service.to(phone["endpoint"])) == 1


def test_turning_push_off_stops_a_digest_already_planned(push_app, push_service):
    phone = user_with_due(push_app, push_service)
    with push_app.app_context():
        from eventmate.reminders.planning import plan_digests

        assert plan_digests(MORNING, clock_now=MORNING) == 1
        db.session.execute(sa.update(User).values(push_enabled=False))
        db.session.commit()
    tally = dispatch(push_app, MORNING)
    assert (tally.sent, tally.dropped, tally.devices_removed) == (0, 1, 0)
    assert pushed(push_service, phone) == []
    [delivery] = deliveries(push_app)
    assert delivery.state == "failed"
    with push_app.app_context():  # the device stays, for when push is turned on again
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PushSubscription)) == 1
