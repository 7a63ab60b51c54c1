"""The monthly review's reminder: once per user per local month, by the digest's channel.

On the user's first morning of a month (mornings.py: their reminder hour has come on a day
that is not a quiet day; a later morning of the month's first week if quiet days or a
dispatcher that was down kept it from the first), a user the
digest can reach (channels.py) who has someone worth reviewing (a contact of a month or more)
gets one message, "Your monthly review", leading to /review. Its dedupe key names the month
("review:2026-12") and is unique per user, so however many dispatchers plan at the same
moment exactly one insert lands: never more than once a month.
"""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ..database import begin_write
from ..extensions import db
from ..models import Contact, Event, PushMessage, User
from .channels import gets_a_digest, wants_push
from .messages import insert_deliveries, insert_email_deliveries, insert_messages, message_row
from .mornings import Clock, morning_of, possible_dates

REVIEW_URL = "/review"
REVIEW_TAG = "eventmate-review"  # its own tag: it neither replaces nor is replaced by a digest
KNOWN_FOR = timedelta(days=30)
FIRST_DAYS = 7  # a review comes at the start of a month, or waits for the next one
TITLE = "Your monthly review"
BODY = "A few minutes with your network: who to get back in touch with, and how the month went"
CHUNK = 200


def review_key(day: date) -> str:
    return f"review:{day:%Y-%m}"


def _due(now: datetime) -> dict[int, date]:
    """Users whose morning it is and who have someone to review: user id → local date."""
    reviewable = sa.select(Contact.owner_id).where(
        Contact.created_at <= now - KNOWN_FOR, Contact.archived_at.is_(None)
    )
    rows = db.session.execute(
        sa.select(
            User.id,
            User.timezone,
            User.reminder_hour,
            User.quiet_days,
            Event.timezone,
            Event.starts_on,
            Event.ends_on,
        )
        .outerjoin(Event, Event.id == User.current_event_id)
        .where(gets_a_digest(), User.id.in_(reviewable))
        .order_by(User.id)
    )
    due = {row[0]: morning_of(Clock(*row[1:]), now) for row in rows}
    return {user_id: day for user_id, day in due.items() if day and day.day <= FIRST_DAYS}


def _already(user_ids: list[int], now: datetime) -> set[tuple[int, str]]:
    keys = {review_key(day) for day in possible_dates(now)}
    rows = db.session.execute(
        sa.select(PushMessage.user_id, PushMessage.dedupe_key).where(
            PushMessage.user_id.in_(user_ids),
            PushMessage.kind == "review",
            PushMessage.dedupe_key.in_(keys),
        )
    )
    return {(user_id, key) for user_id, key in rows}


def plan_reviews(now: datetime, *, clock_now: datetime) -> int:
    """Write the review reminders due at `now`, a chunk of users per transaction; how many
    this call wrote (another dispatcher's are skipped by the unique key)."""
    due = _due(now)
    db.session.commit()
    written = 0
    user_ids = sorted(due)
    for start in range(0, len(user_ids), CHUNK):
        chunk = user_ids[start : start + CHUNK]
        begin_write()
        known = _already(chunk, now)
        rows = [
            message_row(
                user_id,
                kind="review",
                dedupe_key=review_key(due[user_id]),
                title=TITLE,
                body=BODY,
                url=REVIEW_URL,
                tag=REVIEW_TAG,
                created_at=clock_now,
            )
            for user_id in chunk
            if (user_id, review_key(due[user_id])) not in known
        ]
        ids = insert_messages(rows) if rows else []
        if ids:
            insert_deliveries(ids, not_before=clock_now, only_if=wants_push())
            insert_email_deliveries(ids, not_before=clock_now)
        db.session.commit()
        written += len(ids)
    return written
