"""Dispatchers that crash, stall or run side by side: every digest is sent, and sent once
(at most one repeat after a crash between sending and recording)."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import PushDelivery, PushMessage, PushSubscription
from eventmate.models.base import utcnow
from eventmate.push.sender import SENT, SendResult
from eventmate.reminders.claims import claim, record
from eventmate.reminders.dispatch import Dispatcher, Settings
from eventmate.reminders.planning import plan_digests

from ..databases import BACKENDS
from ..push_service import SUBJECT
from .test_dispatch import MORNING, deliveries, dispatch, user_with_due

ROOT = Path(__file__).resolve().parents[2]
STALL = Settings().stall
POSTGRES_ONLY = [p for p in BACKENDS if getattr(p, "values", (p,))[0] == "postgresql"]


def dispatcher_environment(app) -> dict:
    """What `flask --app app reminders …` in a subprocess needs to use the test's database."""
    return os.environ | {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret-key-not-for-production",
        "VAPID_PRIVATE_KEY": app.config["VAPID_PRIVATE_KEY"],
        "VAPID_SUBJECT": SUBJECT,
        "EVENTMATE_PUSH_ALLOW_LOOPBACK": "1",
    }


def claimed_tokens(app) -> set[str]:
    """The endpoints (their last path segment) of deliveries claimed and not finished."""
    with app.app_context():
        endpoints = db.session.scalars(
            sa.select(PushSubscription.endpoint)
            .join(PushDelivery, PushDelivery.subscription_id == PushSubscription.id)
            .where(PushDelivery.state == "sending")
        )
        return {endpoint.rsplit("/", 1)[1] for endpoint in endpoints}


def states(app) -> Counter:
    return Counter(delivery.state for delivery in deliveries(app))


def test_a_stalled_claim_is_taken_over_after_the_timeout_and_only_once(push_app, push_service):
    phone = user_with_due(push_app, push_service)
    with push_app.app_context():
        plan_digests(MORNING, clock_now=MORNING)
        jobs, _ = claim("crashed-1", MORNING, limit=10, stall=STALL)  # …then it died
        assert len(jobs) == 1
    assert dispatch(push_app, MORNING, clock=MORNING + STALL - timedelta(seconds=1)).sent == 0
    taken_over = MORNING + STALL + timedelta(seconds=1)
    assert dispatch(push_app, MORNING, clock=taken_over).sent == 1
    [delivery] = deliveries(push_app)
    assert (delivery.state, delivery.recovered, delivery.attempts) == ("sent", True, 2)
    assert len(push_service.to(phone["endpoint"])) == 1


def test_a_claim_that_stalls_twice_is_dropped_not_sent_a_third_time(push_app, push_service):
    phone = user_with_due(push_app, push_service)
    with push_app.app_context():
        plan_digests(MORNING, clock_now=MORNING)
        claim("crashed-1", MORNING, limit=10, stall=STALL)
        second = MORNING + STALL + timedelta(seconds=1)
        assert len(claim("crashed-2", second, limit=10, stall=STALL)[0]) == 1
    tally = dispatch(push_app, MORNING, clock=second + STALL + timedelta(seconds=1))
    assert (tally.sent, tally.dropped) == (0, 1)
    assert states(push_app) == {"failed": 1}
    assert push_service.to(phone["endpoint"]) == []


def test_a_slow_dispatcher_cannot_overwrite_a_newer_claim(push_app, push_service):
    user_with_due(push_app, push_service)
    with push_app.app_context():
        plan_digests(MORNING, clock_now=MORNING)
        [slow_job], _ = claim("slow", MORNING, limit=10, stall=STALL)
        later = MORNING + STALL + timedelta(seconds=1)
        [new_job], _ = claim("new", later, limit=10, stall=STALL)
        record("slow", later, [(slow_job, SendResult(SENT, 201))])
        delivery = db.session.scalar(sa.select(PushDelivery))
        assert (delivery.state, delivery.claimed_by) == ("sending", "new")
        record("new", later, [(new_job, SendResult(SENT, 201))])
        db.session.refresh(delivery)
        assert delivery.state == "sent"


@pytest.mark.parametrize("app", POSTGRES_ONLY, indirect=True)
def test_several_dispatchers_at_once_send_each_digest_exactly_once(push_app, push_service):
    """Four dispatchers, each with its own database connection, plan and claim the same due
    users at the same moment (PostgreSQL: `FOR UPDATE SKIP LOCKED`)."""
    users = 80
    subscriptions = [
        user_with_due(push_app, push_service, f"user{n}@example.org") for n in range(users)
    ]
    push_service.delay = 0.005  # a little network time, so the dispatchers overlap
    start = threading.Barrier(4)
    tallies, errors = [], []

    def dispatcher():
        try:
            with push_app.app_context():
                worker = Dispatcher(settings=Settings(threads=3, batch_size=5))
                start.wait(timeout=30)
                tallies.append(worker.run_once(MORNING))
                db.session.remove()
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=dispatcher) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(tally.planned for tally in tallies) == users
    assert sum(tally.sent for tally in tallies) == users
    assert sum(1 for tally in tallies if tally.sent) > 1  # the work was shared
    received = Counter(push.token for push in push_service.received)
    assert sorted(received.values()) == [1] * users
    assert set(received) == {s["endpoint"].rsplit("/", 1)[1] for s in subscriptions}
    assert push_service.problems == []
    assert states(push_app) == {"sent": users}
    with push_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PushMessage)) == users


def test_a_dispatcher_killed_mid_batch_leaves_nothing_unsent(push_app, push_service):
    """SIGKILL a `flask reminders send` while its pushes are on the wire; after the stall
    timeout the next pass sends what it had claimed. Pushes that reached the service but were
    not recorded go out once more (the one retry), never more."""
    users = 24
    subscriptions = [
        user_with_due(push_app, push_service, f"user{n}@example.org") for n in range(users)
    ]
    push_service.delay = 0.3  # slow answers: the kill lands mid-batch
    environment = dispatcher_environment(push_app)
    command = [
        sys.executable, "-m", "flask", "--app", "app", "reminders", "send",
        "--now", MORNING.isoformat(), "--threads", "2", "--batch-size", "4",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 90
        while push_service.count < 5 and process.poll() is None:
            assert time.monotonic() < deadline, "the dispatcher never started sending"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, stderr.decode()[-2000:]

    at_kill = states(push_app)
    assert at_kill["sending"] > 0, at_kill  # claimed, unfinished
    assert at_kill["sent"] + at_kill["sending"] < users
    claimed = claimed_tokens(push_app)  # these may have reached the service already

    push_service.delay = 0
    tally = dispatch(push_app, MORNING, clock=utcnow() + STALL + timedelta(seconds=1))
    assert tally.dropped == 0 and tally.retried == 0
    assert states(push_app) == {"sent": users}
    received = Counter(push.token for push in push_service.received)
    tokens = {s["endpoint"].rsplit("/", 1)[1] for s in subscriptions}
    assert set(received) == tokens  # nothing lost
    assert max(received.values()) <= 2  # at most the one retry
    twice = {token for token, times in received.items() if times == 2}
    assert twice <= claimed  # repeats only for what the killed dispatcher had claimed
    assert push_service.problems == []


def test_the_dispatcher_loop_sends_and_stops_gracefully_on_sigterm(push_app, push_service):
    phone = user_with_due(push_app, push_service, due=utcnow() - timedelta(minutes=1))
    with push_app.app_context():  # due now wherever the test runs
        from eventmate.models import User

        db.session.execute(sa.update(User).values(reminder_hour=0, timezone="UTC"))
        db.session.commit()
    command = [sys.executable, "-m", "flask", "--app", "app", "reminders", "run", "--interval", "1"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=dispatcher_environment(push_app),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not push_service.to(phone["endpoint"]):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the loop sent nothing"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr[-2000:]
    assert "sending every 1 s, planning every 1 s" in stdout
    assert "Notifications: 1 sent, 0 retried, 0 dropped." in stdout
    assert stdout.rstrip().endswith("Reminder dispatcher stopped.")
    assert len(push_service.to(phone["endpoint"])) == 1
