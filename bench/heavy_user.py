"""A heavy networker: every page's time and SQL statements with 100 and with 10,000 contacts.

    python bench/heavy_user.py                                    # SQLite, 100 and 10,000
    python bench/heavy_user.py --database postgresql://postgres@127.0.0.1:5432/postgres
    python bench/heavy_user.py --contacts 20 200 --requests 3     # the small run CI does

The account is written in SQL (SQLAlchemy Core bulk inserts), scaled from issue 13's heavy
networker (10,000 contacts, 3,000 open follow-ups, 200 events, 50,000 meetings): per contact
0.3 open follow-ups, 0.2 done ones, 5 meetings, 2 tags and an answer; one event per 50
contacts (at least 2); 12 trusted allies. Another user with a few contacts shares the
database. The app runs in this process (no HTTP server, as `scan_queries.py`), logged in as
the user, and each page is requested `--requests` times after a warm-up: median and p95
wall time, and the SQL statements one request runs (exact, from `before_cursor_execute`).

Exports are streamed, so their time grows with the data by nature (and their statements with
the batches of 200 contacts they read): for them the figures to compare are the time to the
first chunk and the peak Python memory while reading the whole response (`tracemalloc`),
next to the total time and size.

Target: each page's p95 at the largest size ≤ 1.5 × its p95 at the smallest, with no more
statements. The sizes are measured in turns, page by page (`--requests` rounds of one request
at each size), so that the machine's other work falls on every size alike.

`--database` (or `DATABASE_URL`) names a PostgreSQL server: the bench creates a database of
its own on it and drops it at the end; SQLite is a temporary file. Exit status 1 when a page
misses the target (with `--check-target`), 2 when the bench could not run.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from payloads import person
from scans import CSRF_META, PASSWORD
from servers import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

import sqlalchemy as sa

BASE_URL = "http://127.0.0.1:5000"
TARGET = 1.5
EMAIL = "heavy@example.org"
TAGS = ("ai", "fintech", "hiring", "investor", "speaker", "design", "rust", "python", "ops")
PROMPT = ("enjoy", "What do they enjoy working on?")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--contacts", type=int, nargs="+", default=[100, 10_000], help="sizes (100 10000)"
    )
    parser.add_argument("--requests", type=int, default=30, help="per page and size (30)")
    parser.add_argument(
        "--database",
        default=os.environ.get("DATABASE_URL", ""),
        help="a postgresql:// server URL (default: DATABASE_URL, else SQLite)",
    )
    parser.add_argument("--check-target", action="store_true", help="exit 1 when a page misses")
    return parser.parse_args(argv)


# --- the account, in SQL ----------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    contacts: int
    open_follow_ups: int
    events: int
    meetings: int
    contact_id: int  # a typical contact, for its page


def build_account(size: int, now: datetime) -> Account:
    """The heavy user scaled to `size` contacts, and a neighbour whose rows must never show."""
    from eventmate.auth.accounts import create_account
    from eventmate.auth.passwords import hash_password
    from eventmate.extensions import db
    from eventmate.models import (
        Contact,
        ContactTag,
        Event,
        EventMembership,
        FollowUp,
        Meeting,
        PromptAnswer,
        Tag,
    )

    password_hash = hash_password(PASSWORD)
    user = create_account(
        email=EMAIL, password_hash=password_hash, display_name="Hedy Heavy", timezone="UTC"
    )
    other = create_account(
        email="neighbour@example.org",
        password_hash=password_hash,
        display_name="Nora Neighbour",
        timezone="UTC",
    )
    insert = db.session.execute
    event_count = max(2, size // 50)
    first_day = (now - timedelta(days=3 * 365)).date()
    insert(
        sa.insert(Event),
        [
            {
                "created_by_id": user.id,
                "name": f"Conference {number}",
                "kind": "conference",
                "starts_on": first_day + timedelta(days=5 * number),
                "ends_on": first_day + timedelta(days=5 * number + 2),
                "place": "Lisbon",
                "timezone": "UTC",
                "join_code": secrets.token_hex(6).upper(),
                "created_at": now,
            }
            for number in range(event_count)
        ],
    )
    events = list(
        db.session.execute(
            sa.select(Event.id, Event.name).where(Event.created_by_id == user.id).order_by(Event.id)
        )
    )
    insert(
        sa.insert(EventMembership),
        [{"event_id": e.id, "user_id": user.id, "goal": 10, "joined_at": now} for e in events],
    )
    user.current_event_id = events[-1].id
    insert(
        sa.insert(Tag),
        [{"owner_id": user.id, "name": t, "key": t, "last_used_at": now} for t in TAGS],
    )
    tag_ids = list(db.session.scalars(sa.select(Tag.id).where(Tag.owner_id == user.id)))
    span = (now - datetime.combine(first_day, datetime.min.time(), UTC)).total_seconds()

    def contact_row(owner_id: int, number: int) -> dict:
        p = person(number)
        created = now - timedelta(seconds=span * (size - number) / size)
        return {
            "owner_id": owner_id,
            "source": "scan",
            "dedupe_key": f"email:{p['email']}",
            "full_name": f"{p['first']} {p['last']}",
            "title": p["title"],
            "company": p["company"],
            "emails": [p["email"]],
            "phones": [p["phone"]],
            "urls": [],
            "raw_payload": "",
            "notes": f"Talked about {TAGS[number % len(TAGS)]} at the coffee break.",
            "met_face_to_face": True,
            "do_not_introduce": False,
            "is_ally": owner_id == user.id and number < 12,
            "ally_since": created if number < 12 else None,
            "keep_in_touch_days": 60,
            "event_id": events[number * len(events) // size].id if owner_id == user.id else None,
            "created_at": created,
            "updated_at": created,
        }

    for start in range(0, size, 2000):
        rows = [contact_row(user.id, n) for n in range(start, min(size, start + 2000))]
        insert(sa.insert(Contact), rows)
    insert(sa.insert(Contact), [contact_row(other.id, n) for n in range(5)])
    contacts = list(
        db.session.execute(
            sa.select(Contact.id, Contact.event_id, Contact.created_at)
            .where(Contact.owner_id == user.id)
            .order_by(Contact.created_at, Contact.id)
        )
    )
    names = dict(events)
    meetings, tags, answers, follow_ups = [], [], [], []
    for number, contact in enumerate(contacts):
        for visit in range(5):
            meetings.append(
                {
                    "contact_id": contact.id,
                    "kind": "scan" if visit == 0 else "meeting",
                    "met_at": contact.created_at + timedelta(days=30 * visit),
                    "event_id": contact.event_id if visit == 0 else None,
                    "event_name": names[contact.event_id] if visit == 0 else "",
                    "face_to_face": True,
                }
            )
        tags += [
            {"contact_id": contact.id, "tag_id": tag_ids[(number + k) % len(tag_ids)]}
            for k in (0, 3)
        ]
        answers.append(
            {
                "contact_id": contact.id,
                "prompt_key": PROMPT[0],
                "question": PROMPT[1],
                "answer": "Building offline-first apps for events.",
                "updated_at": contact.created_at,
            }
        )
        if number % 10 < 5:  # 3 in 10 open (due from last month to next week), 2 in 10 done
            due = now + timedelta(days=(number % 37) - 30)
            done = number % 10 >= 3
            follow_ups.append(
                {
                    "owner_id": user.id,
                    "contact_id": contact.id,
                    "due_at": due,
                    "state": "done" if done else "open",
                    "reason": "new_contact",
                    "created_at": contact.created_at,
                    "done_at": due if done else None,
                }
            )
    for table, rows in (
        (Meeting, meetings),
        (ContactTag, tags),
        (PromptAnswer, answers),
        (FollowUp, follow_ups),
    ):
        for start in range(0, len(rows), 5000):
            insert(sa.insert(table), rows[start : start + 5000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does for a table that grew: the planner's statistics, without which
        # it guesses (and may not read People from its index).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    return Account(
        contacts=len(contacts),
        open_follow_ups=sum(row["state"] == "open" for row in follow_ups),
        events=len(events),
        meetings=len(meetings),
        contact_id=contacts[len(contacts) // 2].id,
    )


# --- measuring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    median_ms: float
    p95_ms: float
    statements: int
    items: int = 0  # list items on the page: a page with fewer rows does less work
    first_chunk_ms: float = 0.0
    peak_kb: float = 0.0
    size_kb: float = 0.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Browser:
    """The logged-in user, asking the app's WSGI callable for pages."""

    def __init__(self, app, engine):
        self.client = app.test_client()
        token = CSRF_META.search(self.client.get("/login", base_url=BASE_URL).text).group(1)
        form = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        if self.client.post("/login", data=form, base_url=BASE_URL).status_code != 302:
            raise SystemExit(f"could not log in as {EMAIL}")
        self.statements = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_):
        self.statements += 1

    def get(self, path: str) -> tuple[float, float, int]:
        """(ms to the first chunk, ms in all, bytes), reading the body as a browser would."""
        started = time.perf_counter()
        response = self.client.get(path, base_url=BASE_URL, buffered=False)
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: HTTP {response.status_code}")
        chunks = iter(response.response)
        size = len(next(chunks, b""))
        first = time.perf_counter() - started
        for chunk in chunks:
            size += len(chunk)
        response.close()
        return first * 1000, (time.perf_counter() - started) * 1000, size

    def statements_of(self, path: str) -> tuple[int, int]:
        """The statements one request runs, and the items (`<li>`, `<article>`) it shows."""
        self.get(path)  # warm-up: compiled statements, templates
        self.statements = 0
        body = self.client.get(path, base_url=BASE_URL).get_data(as_text=True)
        return self.statements, body.count("<li") + body.count("<article")

    def peak_kb(self, path: str) -> float:
        """Peak Python memory while the whole answer is read."""
        tracemalloc.start()
        self.get(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak / 1024


def pages(account: Account) -> dict[str, str]:
    return {
        "home": "/",
        "People": "/contacts/",
        "People search": "/contacts/?q=ana",
        "a contact": f"/contacts/{account.contact_id}",
        "Follow-ups": "/inbox",
        "giving back": "/giving-back",
        "allies": "/allies",
        "events": "/events/",
    }


EXPORTS = {
    "export vCard": "/account/export/contacts.vcf",
    "export CSV": "/account/export/contacts.csv",
    "export JSON": "/account/export/data.json",
}


@dataclass
class Size:
    """One account size: its app (own database) and logged-in browser."""

    contacts: int
    account: Account
    browser: Browser
    app: object
    drop: object = None


def open_size(database_uri: str, size: int, drop) -> Size:
    from eventmate_app import create_bench_app

    from eventmate.extensions import db

    app = create_bench_app(database_uri)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        account = build_account(size, datetime.now(UTC))
        built = time.perf_counter() - started
        db.session.remove()
        engine = db.engine
    print(
        f"  {account.contacts:,} contacts, {account.open_follow_ups:,} open follow-ups, "
        f"{account.events} events, {account.meetings:,} meetings: written in {built:.1f} s",
        flush=True,
    )
    return Size(size, account, Browser(app, engine), app, drop)


def measure(sizes: list[Size], requests: int) -> dict[int, dict[str, Figures]]:
    """Each page at every size in turn, round after round, so that the machine's other work
    falls on all sizes alike."""
    results: dict[int, dict[str, Figures]] = {size.contacts: {} for size in sizes}
    names = list(pages(sizes[0].account)) + list(EXPORTS)
    for name in names:
        export = name in EXPORTS
        rounds = max(3, requests // 4) if export else requests
        paths = {
            size.contacts: EXPORTS[name] if export else pages(size.account)[name] for size in sizes
        }
        counted = {s.contacts: s.browser.statements_of(paths[s.contacts]) for s in sizes}
        firsts = {size.contacts: [] for size in sizes}
        times = {size.contacts: [] for size in sizes}
        lengths = {}
        for _ in range(rounds):
            for size in sizes:
                first, total, lengths[size.contacts] = size.browser.get(paths[size.contacts])
                firsts[size.contacts].append(first)
                times[size.contacts].append(total)
        for size in sizes:
            key = size.contacts
            extra = {}
            if export:
                extra = {
                    "first_chunk_ms": statistics.median(firsts[key]),
                    "peak_kb": size.browser.peak_kb(paths[key]),
                    "size_kb": lengths[key] / 1024,
                }
            statements, items = counted[key]
            results[key][name] = Figures(
                statistics.median(times[key]), p95(times[key]), statements, items=items, **extra
            )
    return results


def report(small: int, large: int, before: dict[str, Figures], after: dict[str, Figures]) -> bool:
    """The table; whether every page met the target."""
    head = f"{small:,} contacts"
    tail = f"{large:,} contacts"
    print(f"\n{'page':<14} {head:>26} {tail:>26} {'p95 ratio':>10} {'SQL':>8} {'items':>10}")
    print(f"{'':<14} {'median / p95 ms':>26} {'median / p95 ms':>26}")
    met = True
    for name, a in before.items():
        b = after[name]
        ratio = b.p95_ms / a.p95_ms if a.p95_ms else float("inf")
        ok = ratio <= TARGET and b.statements <= a.statements
        export = name in EXPORTS
        if not export:
            met &= ok
        mark = "" if export else ("  ok" if ok else "  OVER")
        print(
            f"{name:<14} {a.median_ms:12.1f} / {a.p95_ms:8.1f} ms {b.median_ms:12.1f} / "
            f"{b.p95_ms:8.1f} ms {ratio:9.2f}x {a.statements:>3} → {b.statements:<3}"
            f" {a.items:>4} → {b.items:<4}{mark}"
        )
    print("\nExports (streamed): first chunk, peak Python memory while read, size")
    for name in EXPORTS:
        a, b = before[name], after[name]
        print(
            f"{name:<14} first chunk {a.first_chunk_ms:6.1f} → {b.first_chunk_ms:6.1f} ms   "
            f"peak {a.peak_kb:8.0f} → {b.peak_kb:8.0f} KB   size {a.size_kb:8.0f} → "
            f"{b.size_kb:8.0f} KB"
        )
    verdict = "every page within" if met else "OVER for some page"
    print(
        f"\nTarget: p95 at {large:,} ≤ {TARGET} × p95 at {small:,}, no more SQL statements: "
        f"{verdict}."
    )
    return met


def server_databases(url: str):
    """A database of its own on the PostgreSQL server `url` names, and how to drop it."""
    server = sa.make_url(url).set(drivername="postgresql+psycopg")
    name = f"eventmate_heavy_{secrets.token_hex(4)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["EVENTMATE_ENV"] = "development"  # cookies over http
    sizes = sorted(set(args.contacts))
    if len(sizes) < 2:
        print("Give two sizes or more, e.g. --contacts 100 10000", file=sys.stderr)
        return 2
    label = "PostgreSQL" if args.database.startswith("postgres") else "SQLite"
    opened: list[Size] = []
    with tempfile.TemporaryDirectory(prefix="eventmate-heavy-") as tmp:
        try:
            for size in sizes:
                drop = None
                if label == "PostgreSQL":
                    uri, drop = server_databases(args.database)
                else:
                    uri = f"sqlite:///{Path(tmp) / f'heavy-{size}.sqlite3'}"
                print(f"{label}, {size:,} contacts ({date.today()}):", flush=True)
                opened.append(open_size(uri, size, drop))
            results = measure(opened, args.requests)
        finally:
            for size in opened:
                close_size(size)
    met = report(sizes[0], sizes[-1], results[sizes[0]], results[sizes[-1]])
    return 1 if args.check_target and not met else 0


def close_size(size: Size) -> None:
    from eventmate.extensions import db

    with size.app.app_context():
        db.session.remove()
        db.engine.dispose()
    if size.drop:
        size.drop()


if __name__ == "__main__":
    sys.exit(main())
