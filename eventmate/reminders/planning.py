"""Planning the morning digests: who gets one now, written once per user per local date.

A user gets a digest when, at `now`, their local clock (mornings.py) has reached their reminder
hour on a day that is not one of their quiet days, it can reach them (channels.py: push to a
device, or email to a proven address), at least one follow-up is due, and no digest exists yet
for that local date. A digest is a push message whose dedupe key names the date
("digest:2026-11-24"); the key is unique per user, which makes the last condition hold however
many dispatchers plan at once: the one whose insert lands writes the digest and its deliveries
(one per device, one by email), the others skip it.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from ..database import begin_write
from ..extensions import db
from ..followups.digest import due_people_by_user, is_due, summarize
from ..models import Event, FollowUp, PushMessage, User
from .channels import gets_a_digest, wants_push
from .messages import insert_deliveries, insert_email_deliveries, insert_messages, message_row
from .mornings import Clock, morning_of, possible_dates
from .payload import TAG

CHUNK = 200  # users per transaction


@dataclass(frozen=True)
class Morning:
    user_id: int
    local_date: date


def digest_key(day: date) -> str:
    return f"digest:{day.isoformat()}"


def _digests_on(days: set[date]):
    return sa.and_(
        PushMessage.kind == "digest", PushMessage.dedupe_key.in_([digest_key(d) for d in days])
    )


def _morning(user_id: int, dedupe_key: str) -> Morning:
    return Morning(user_id, date.fromisoformat(dedupe_key.removeprefix("digest:")))


def _due_mornings(now: datetime) -> list[Morning]:
    """Users who get a digest now if they have none yet for the date.

    SQL narrows to a way to reach them (channels.py) and an open follow-up due by `now`; the
    local clock (time zones, travel, daylight saving, quiet days) is Python's job.
    """
    # Uncorrelated IN subqueries: each is computed once (a correlated EXISTS led SQLite to scan
    # every due follow-up for every user).
    has_due = User.id.in_(sa.select(FollowUp.owner_id).where(is_due(now)))
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
        .where(gets_a_digest(), has_due)
        .order_by(User.id)
    )
    return [Morning(row[0], day) for row in rows if (day := morning_of(Clock(*row[1:]), now))]


def _existing(user_ids: list[int], days: set[date]) -> set[Morning]:
    rows = db.session.execute(
        sa.select(PushMessage.user_id, PushMessage.dedupe_key).where(
            PushMessage.user_id.in_(user_ids), _digests_on(days)
        )
    )
    return {_morning(user_id, key) for user_id, key in rows}


def _plan_chunk(mornings: list[Morning], now: datetime, clock_now: datetime) -> int:
    begin_write()
    existing = _existing([m.user_id for m in mornings], {m.local_date for m in mornings})
    wanted = {m.user_id: m.local_date for m in mornings if m not in existing}
    if not wanted:
        db.session.commit()
        return 0
    due = due_people_by_user(wanted, now)
    rows = []
    for user_id in sorted(wanted):
        if not due.get(user_id):
            continue
        summary = summarize(due[user_id])
        rows.append(
            message_row(
                user_id,
                kind="digest",
                dedupe_key=digest_key(wanted[user_id]),
                title=summary.title,
                body=summary.body,
                url=summary.url,
                tag=TAG,
                created_at=clock_now,
                follow_up_count=summary.count,
            )
        )
    digest_ids = insert_messages(rows) if rows else []
    if digest_ids:
        insert_deliveries(digest_ids, not_before=clock_now, only_if=wants_push())
        insert_email_deliveries(digest_ids, not_before=clock_now)
    db.session.commit()
    return len(digest_ids)


def planning_steps(now: datetime, *, clock_now: datetime, shuffle: bool = True) -> Iterator[int]:
    """Write the digests due at `now`, one chunk of users (one transaction) per step; each
    step yields how many digests it wrote. The dispatcher sends between steps.

    Chunks go in random order, so that dispatchers planning at the same moment mostly work on
    different users instead of waiting for each other's inserts.
    """
    due = _due_mornings(now)
    if due:
        known = _existing_recent(now)
        due = [morning for morning in due if morning not in known]
    db.session.commit()  # end the read; each chunk is its own write transaction
    chunks = [due[i : i + CHUNK] for i in range(0, len(due), CHUNK)]
    if shuffle:
        random.shuffle(chunks)
    for chunk in chunks:
        yield _plan_chunk(chunk, now, clock_now)


def plan_digests(now: datetime, *, clock_now: datetime, shuffle: bool = True) -> int:
    """Write the digests due at `now`; how many this call wrote."""
    return sum(planning_steps(now, clock_now=clock_now, shuffle=shuffle))


def _existing_recent(now: datetime) -> set[Morning]:
    """Digests already written for any local date `now` falls on."""
    rows = db.session.execute(
        sa.select(PushMessage.user_id, PushMessage.dedupe_key).where(
            _digests_on(possible_dates(now))
        )
    )
    return {_morning(user_id, key) for user_id, key in rows}
