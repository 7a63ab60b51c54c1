"""How long "who do I know at Globex?" and the People search by email domain take for one
user's address book, on a fresh SQLite database.

    python bench/warm_paths.py                   # 600 contacts
    python bench/warm_paths.py --contacts 2000

Every 20th contact works at Globex, every 30th has an @globex.example address, every 40th is a
former colleague and every 50th has a note naming Globex; each has one meeting. Best of 5 runs
of `who_i_know_at` and `search_contacts(q="globex")`, in milliseconds of wall time, with the
session emptied before each (as in a request).
"""

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventmate import create_app
from eventmate.contacts.search import search_contacts
from eventmate.extensions import db
from eventmate.models import Contact, ContactTie, Meeting, Tie, User
from eventmate.warm_paths.service import who_i_know_at

RUNS = 5


def fill(owner: User, count: int, now: datetime) -> None:
    for n in range(count):
        contact = Contact(
            owner_id=owner.id,
            source="manual",
            full_name=f"Person {n}",
            company="Globex" if n % 20 == 0 else f"Company {n % 37}",
            emails=[f"p{n}@globex.example" if n % 30 == 0 else f"p{n}@gmail.com"],
            notes="Knows people at Globex." if n % 50 == 0 else "Met at lunch.",
        )
        db.session.add(contact)
        db.session.flush()
        db.session.add(Meeting(contact_id=contact.id, kind="meeting", met_at=now - timedelta(n)))
        if n % 40 == 0:
            contact.ties = [ContactTie(kind=Tie.FORMER_COLLEAGUE)]
    db.session.commit()


def best_ms(run) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(RUNS):
        db.session.expunge_all()
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "SERVER_NAME": "bench.test",
            }
        )
        with app.app_context():
            db.create_all()
            hashed = "not-a-hash"  # nobody logs in here
            owner = User(email="bench@example.org", password_hash=hashed, display_name="Bench")
            db.session.add(owner)
            db.session.commit()
            now = datetime.now(UTC)
            fill(owner, args.contacts, now)
            owner_id = owner.id
            ms, paths = best_ms(
                lambda: who_i_know_at(db.session.get(User, owner_id), "Globex", now=now)
            )
            print(
                f"who_i_know_at, {args.contacts} contacts: {ms:.0f} ms "
                f"({len(paths.people)} there or came from there, "
                f"{len(paths.connectors)} might know)"
            )
            ms, found = best_ms(lambda: search_contacts(db.session.get(User, owner_id), "globex"))
            print(f"search q=globex, {args.contacts} contacts: {ms:.0f} ms ({len(found)} found)")
            db.engine.dispose()


if __name__ == "__main__":
    main()
