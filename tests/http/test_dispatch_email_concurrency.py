"""Digest emails from dispatchers side by side and from one killed mid-batch (PostgreSQL):
each due user gets one email — the one retry after a crash between handing it to the SMTP
server and recording it is the same message (same Message-ID), never a second digest."""

import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta

import pytest

from eventmate.extensions import db
from eventmate.models.base import utcnow
from eventmate.reminders.dispatch import Dispatcher, Settings

from .test_dispatch import MORNING, deliveries, dispatch
from .test_dispatch_concurrency import POSTGRES_ONLY, ROOT, STALL, dispatcher_environment
from .test_dispatch_email import reader, with_device


def copies_by_user(mailbox, addresses) -> dict[str, Counter]:
    """Message-IDs each address received, with how many times each came."""
    found: dict[str, Counter] = defaultdict(Counter)
    for address in addresses:
        for message in mailbox.to(address):
            found[address][message["Message-ID"]] += 1
    return found


def states(app, channel="email") -> Counter:
    return Counter(d.state for d in deliveries(app) if d.channel == channel)


@pytest.mark.parametrize("app", POSTGRES_ONLY, indirect=True)
def test_several_dispatchers_send_each_user_one_email_and_one_push_per_device(
    push_app, push_service, mailbox
):
    users = 60
    addresses = [f"user{n}@example.org" for n in range(users)]
    phones = [
        with_device(push_app, push_service, reader(push_app, address, channel="both"))
        for address in addresses
    ]
    mailbox.delay = push_service.delay = 0.005  # a little network time: dispatchers overlap
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
    assert sum(tally.sent for tally in tallies) == 2 * users
    assert sum(1 for tally in tallies if tally.sent) > 1  # the work was shared
    received = copies_by_user(mailbox, addresses)
    assert [sum(copies.values()) for copies in received.values()] == [1] * users
    assert len(received) == users
    pushes = Counter(push.token for push in push_service.received)
    assert set(pushes) == {phone["endpoint"].rsplit("/", 1)[1] for phone in phones}
    assert set(pushes.values()) == {1}
    assert states(push_app) == states(push_app, "push") == {"sent": users}


@pytest.mark.parametrize("app", POSTGRES_ONLY, indirect=True)
def test_a_dispatcher_killed_mid_batch_leaves_no_email_unsent_and_none_doubled(
    push_app, mailbox, smtp_url
):
    users = 24
    addresses = [f"user{n}@example.org" for n in range(users)]
    for address in addresses:
        reader(push_app, address, channel="email")
    mailbox.delay = 0.3  # a slow SMTP server: the kill lands mid-batch
    environment = dispatcher_environment(push_app) | {
        "SMTP_URL": smtp_url,
        "MAIL_FROM": push_app.config["MAIL_FROM"],
        "PUBLIC_BASE_URL": "https://eventmate.test",
    }
    command = [
        sys.executable, "-m", "flask", "--app", "app", "reminders", "send",
        "--now", MORNING.isoformat(), "--threads", "2", "--batch-size", "4",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 90
        while mailbox.count < 5 and process.poll() is None:
            assert time.monotonic() < deadline, "the dispatcher never started sending"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, stderr.decode()[-2000:]
    at_kill = states(push_app)
    assert at_kill["sending"] > 0, at_kill  # claimed, unfinished
    assert at_kill["sent"] + at_kill["sending"] < users

    mailbox.delay = 0
    tally = dispatch(push_app, MORNING, clock=utcnow() + STALL + timedelta(seconds=1))
    assert tally.dropped == 0 and tally.retried == 0
    assert states(push_app) == {"sent": users}
    received = copies_by_user(mailbox, addresses)
    assert len(received) == users  # nothing lost
    assert all(len(copies) == 1 for copies in received.values())  # one digest each
    assert max(max(copies.values()) for copies in received.values()) <= 2  # the one retry
    [link] = {m["List-Unsubscribe"].split("/unsubscribe/")[0] for m in mailbox.to(addresses[0])}
    assert link == "<https://eventmate.test"  # the subprocess wrote links to PUBLIC_BASE_URL
