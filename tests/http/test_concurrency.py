"""Retries racing each other: the outbox may send the same scan twice at once, and two people
may scan each other's cards at the same moment. Each must still yield one contact."""

import threading
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from eventmate.database import begin_write
from eventmate.extensions import db
from eventmate.models import ClientRequest, Contact, User
from eventmate.scanning.service import ScanRequest, record_scan

from .helpers import card_link, count

HOSTS = frozenset({"eventmate.test"})


def _run_in_parallel(app, jobs):
    """Run each (email, ScanRequest) in its own thread and app context, released together."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def worker(email, scan):
        with app.app_context():
            try:
                user = db.session.scalar(sa.select(User).where(User.email == email))
                db.session.commit()  # end the read so each writer starts fresh, as a request does
                barrier.wait(timeout=10)
                begin_write()
                results.append(record_scan(user, scan, card_hosts=HOSTS).contact.id)
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_the_same_scan_sent_twice_at_once_is_recorded_once(app, ana, ben):
    scan = ScanRequest(
        str(uuid.uuid4()),
        "MECARD:N:Owen,Sean;EMAIL:sean@example.com;;",
        datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    )
    results = _run_in_parallel(app, [("ben@example.org", scan)] * 4)
    assert len(set(results)) == 1
    assert count(app, Contact) == 1
    assert count(app, ClientRequest) == 1


def test_two_people_scanning_each_other_at_once_get_one_contact_each(app, ana, ben):
    moment = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    jobs = [
        (
            "ben@example.org",
            ScanRequest(str(uuid.uuid4()), card_link(app, "ana@example.org"), moment),
        ),
        (
            "ana@example.org",
            ScanRequest(str(uuid.uuid4()), card_link(app, "ben@example.org"), moment),
        ),
    ]
    _run_in_parallel(app, jobs)
    assert count(app, Contact) == 2
