"""Where a scan's time goes: SQL statements and in-process CPU per request, by kind of scan.

    python bench/scan_queries.py [--requests 300]

Runs the app in this process (no HTTP server, no load generator) on a temporary SQLite
database with the bench's users, and sends `POST /api/scans` straight to the WSGI app as a
logged-in user. For each kind of payload it prints the SQL statements one request runs (also
`BEGIN`; the number is exact and repeatable) and the CPU time per request against the
`POST /bench/noop` endpoint (what any logged-in JSON write pays first), and for a resend of
a scan already recorded (the outbox's retry). Complements
`scans.py`, whose throughput figures move with the machine's load; this one does not need an
idle machine to compare two versions of the code. "locked" is the CPU time spent holding
SQLite's write lock (from `BEGIN IMMEDIATE` to the commit): only one request at a time can,
so it caps new scans per second whatever the number of workers.
"""

import argparse
import os
import re
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from payloads import mecard, person, profile_url, vcard
from scans import CSRF_META, PASSWORD, prepare_database
from servers import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

BASE_URL = "http://127.0.0.1:5000"
STATEMENT = re.compile(r"(SELECT) .*? FROM (\w+)|(INSERT) INTO (\w+)|(UPDATE|DELETE FROM) (\w+)")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="per kind (default 300)")
    return parser.parse_args(argv)


class Phone:
    """A logged-in user sending JSON to the app's WSGI callable, as the outbox does."""

    def __init__(self, app, email: str):
        client = app.test_client()
        token = CSRF_META.search(client.get("/login", base_url=BASE_URL).text).group(1)
        form = {"email": email, "password": PASSWORD, "csrf_token": token}
        if client.post("/login", data=form, base_url=BASE_URL).status_code != 302:
            raise SystemExit(f"could not log in as {email}")
        self.csrf = CSRF_META.search(client.get("/scan", base_url=BASE_URL).text).group(1)
        self.client = client

    def post(self, path: str, payload: str | None) -> int:
        """A new scan of `payload`; None: the last one again, as the outbox resends it."""
        if payload is not None:
            self.body = {"id": str(uuid.uuid4()), "payload": payload, "scanned_at": now_iso()}
        headers = {"X-CSRFToken": self.csrf}
        return self.client.post(
            path, json=self.body, headers=headers, base_url=BASE_URL
        ).status_code


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def describe(statement: str) -> str:
    """`SELECT users`, `INSERT meetings`, `BEGIN IMMEDIATE`: the verb and the main table."""
    text = " ".join(statement.split())
    match = STATEMENT.match(text)
    if match:
        verb, table = [group for group in match.groups() if group]
        return f"{verb.split()[0]} {table}"
    return " ".join(text.split()[:2])


def statements_of(engine, send) -> list[str]:
    import sqlalchemy as sa

    seen: list[str] = []

    def record(_conn, _cursor, statement, *_):
        seen.append(describe(statement))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        send()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return seen


class WriteLockClock:
    """CPU time spent holding SQLite's write lock: from `BEGIN IMMEDIATE` to the end of that
    transaction (commit, rollback, or the session closing at the end of the request)."""

    def __init__(self, engine):
        import sqlalchemy as sa
        from sqlalchemy.orm import Session

        from eventmate.database import IMMEDIATE

        self.total = 0.0
        self._since: float | None = None

        def began(connection):
            if connection.get_execution_options().get(IMMEDIATE):
                self._since = time.process_time()

        def ended(_session, transaction):
            if self._since is not None and transaction.parent is None:  # not a flush or savepoint
                self.total += time.process_time() - self._since
                self._since = None

        sa.event.listen(engine, "begin", began)
        sa.event.listen(Session, "after_transaction_end", ended)


def card_owners(count: int):
    """Card tokens of `count` new EventMate users (no password: they never log in)."""
    from eventmate.extensions import db
    from eventmate.models import User

    users = [
        User(email=f"owner{n}@example.org", password_hash="-", display_name=f"Owner {n}")  # noqa: S106
        for n in range(count)
    ]
    db.session.add_all(users)
    db.session.commit()
    return iter([user.card_token for user in users])


def cpu_ms(send, count: int, lock: WriteLockClock) -> tuple[float, float]:
    """CPU milliseconds per call, in all and under the write lock: the best of three runs."""
    best = (float("inf"), 0.0)
    for _ in range(3):
        lock.total, started = 0.0, time.process_time()
        for _ in range(count):
            send()
        elapsed = time.process_time() - started
        best = min(best, (elapsed * 1000 / count, lock.total * 1000 / count))
    return best


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["EVENTMATE_ENV"] = "development"  # cookies over http, as scans.py serves it
    from eventmate_app import create_bench_app

    from eventmate.extensions import db

    with tempfile.TemporaryDirectory(prefix="eventmate-queries-") as tmp:
        uri = f"sqlite:///{Path(tmp) / 'eventmate.sqlite3'}"
        accounts = prepare_database(uri, users=4)
        app = create_bench_app(uri)
        phone = Phone(app, accounts[0][0])
        with app.app_context():
            engine = db.engine
            owners = card_owners(4 * args.requests)  # a new person at every exchange
        lock = WriteLockClock(engine)
        numbers = iter(range(10**9))
        kinds = {
            "no-op (framework only)": ("/bench/noop", lambda: "-"),
            "new vCard badge": ("/api/scans", lambda: vcard(person(next(numbers)))),
            "new MECARD": ("/api/scans", lambda: mecard(person(next(numbers)))),
            "new profile URL": ("/api/scans", lambda: profile_url(person(next(numbers)))),
            "card exchange": ("/api/scans", lambda: f"{BASE_URL}/c/{next(owners)}"),
            "resent scan (replay)": ("/api/scans", lambda: None),
        }
        print(f"{'request':<24} {'SQL':>4}  {'CPU ms':>6}  {'locked':>6}  statements")
        for label, (path, payload) in kinds.items():

            def send(path=path, payload=payload, label=label):
                status = phone.post(path, payload())
                if status not in (200, 201):
                    raise SystemExit(f"{label}: HTTP {status}")

            send()  # warm up: first-use imports, compiled statement caches
            statements = statements_of(engine, send)
            cost, locked = cpu_ms(send, args.requests, lock)
            names = ", ".join(statements)
            print(f"{label:<24} {len(statements):>4}  {cost:6.2f}  {locked:6.2f}  {names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
