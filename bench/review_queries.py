"""What the monthly review costs for a user with many contacts out of touch.

    PYTHONPATH=. python bench/review_queries.py [contacts]   # default 500

Builds the user in an in-memory SQLite database (each contact known for 400 days, met once
100–400 days ago) and prints how many SQL statements `monthly_review` ran and how long it took.
"""

import sys
import time
from datetime import timedelta

import sqlalchemy as sa

from eventmate import create_app
from eventmate.extensions import db
from eventmate.models import Contact, Meeting, User
from eventmate.models.base import utcnow
from eventmate.review.service import monthly_review


def main(contacts: int) -> None:
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"}
    app = create_app(config | {"RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        user = User(email="bench@example.org", password_hash="-", display_name="Bench")  # noqa: S106
        db.session.add(user)
        db.session.flush()
        now = utcnow()
        for n in range(contacts):
            contact = Contact(
                owner_id=user.id,
                source="manual",
                full_name=f"Person {n}",
                created_at=now - timedelta(days=400),
            )
            db.session.add(contact)
            db.session.flush()
            met_at = now - timedelta(days=100 + n % 300)
            db.session.add(Meeting(contact_id=contact.id, kind="meeting", met_at=met_at))
        db.session.commit()
        statements = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
        start = time.perf_counter()
        review = monthly_review(user, now=now)
        seconds = time.perf_counter() - start
        shown = sum(len(items) for _, items in review.stale)
        print(f"{contacts} contacts: {len(statements)} queries, {seconds:.2f} s, {shown} shown")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
