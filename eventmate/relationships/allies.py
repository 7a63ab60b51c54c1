"""Trusted allies: a small circle (at most twelve) the user keeps in touch with on purpose.

The limit holds under concurrent requests: every change to a user's circle first locks that
user's row (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the request's `BEGIN IMMEDIATE`
already serialises writers), then counts.

Keep-in-touch: an ally not contacted for their period (default 60 days) gets one open
follow-up with reason "keep_in_touch", due on the morning the period ends, created by
`plan_keep_in_touch` (the inbox and the reminder dispatcher call it). Getting in touch (a
meeting, call, message, or marking a follow-up done) starts the period again and dismisses a
reminder that is no longer needed.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..database import begin_write
from ..extensions import db
from ..followups.planning import local_day, local_morning, next_active_day
from ..models import Contact, FollowUp, User
from ..models.contact import KEEP_IN_TOUCH_DAYS, MAX_ALLIES
from .evidence import last_touch, last_touches

KEEP_IN_TOUCH_CHOICES = (14, 30, 60, 90, 180, 365)
KEEP_IN_TOUCH_REASON = "keep_in_touch"


class AllyLimitReached(Exception):
    """The circle is full; `allies` are the current ones, to offer a swap."""

    def __init__(self, allies: list[Contact]):
        super().__init__(f"You already have {MAX_ALLIES} trusted allies.")
        self.allies = allies


class AllyError(ValueError):
    """A sentence for the user."""


def lock_circle(owner: User) -> None:
    """Serialise changes to this user's allies (a row lock; SQLite's write lock does it)."""
    db.session.execute(sa.select(User.id).where(User.id == owner.id).with_for_update())


def allies_of(owner: User) -> list[Contact]:
    return list(
        db.session.scalars(
            sa.select(Contact)
            .where(Contact.owner_id == owner.id, Contact.is_ally.is_(True))
            .order_by(Contact.ally_since, Contact.id)
            .execution_options(populate_existing=True)
        )
    )


def ally_count(owner: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(Contact.owner_id == owner.id, Contact.is_ally.is_(True))
    )


def _open_reminders(contact: Contact) -> list[FollowUp]:
    return _open_reminders_of([contact]).get(contact.id, [])


def _open_reminders_of(contacts: list[Contact]) -> dict[int, list[FollowUp]]:
    """The open keep-in-touch reminders of these contacts, by contact id, in one query."""
    found: dict[int, list[FollowUp]] = {}
    for reminder in db.session.scalars(
        sa.select(FollowUp).where(
            FollowUp.contact_id.in_([contact.id for contact in contacts]),
            FollowUp.reason == KEEP_IN_TOUCH_REASON,
            FollowUp.state == "open",
        )
    ):
        found.setdefault(reminder.contact_id, []).append(reminder)
    return found


def _add(owner: User, contact: Contact, *, now: datetime, days: int | None) -> None:
    contact.is_ally = True
    contact.ally_since = now
    contact.keep_in_touch_days = days or contact.keep_in_touch_days or KEEP_IN_TOUCH_DAYS


def _remove(contact: Contact) -> None:
    contact.is_ally = False
    contact.ally_since = None
    for reminder in _open_reminders(contact):
        reminder.state = "dismissed"


def mark_ally(owner: User, contact: Contact, *, now: datetime, days: int | None = None) -> None:
    """Make the contact a trusted ally, or raise AllyLimitReached (the caller commits)."""
    lock_circle(owner)
    db.session.refresh(contact)
    if contact.is_ally:
        return
    allies = allies_of(owner)
    if len(allies) >= MAX_ALLIES:
        raise AllyLimitReached(allies)
    _add(owner, contact, now=now, days=days)


def unmark_ally(owner: User, contact: Contact) -> None:
    lock_circle(owner)
    _remove(contact)


def swap_ally(owner: User, *, add: Contact, remove: Contact, now: datetime) -> None:
    """Take `remove` out of the circle and put `add` in, in one step."""
    lock_circle(owner)
    db.session.refresh(add)
    db.session.refresh(remove)
    if not remove.is_ally:
        raise AllyError(f"{remove.display_name} is no longer one of your allies; choose again.")
    if add.is_ally:
        raise AllyError(f"{add.display_name} is already one of your allies.")
    _remove(remove)
    db.session.flush()
    if ally_count(owner) >= MAX_ALLIES:
        raise AllyLimitReached(allies_of(owner))
    _add(owner, add, now=now, days=None)


def parse_keep_in_touch(value) -> int | None:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return None
    return days if days in KEEP_IN_TOUCH_CHOICES else None


def set_keep_in_touch(owner: User, contact: Contact, days: int, *, now: datetime) -> None:
    """A new period for an ally; an open reminder the new period makes early goes away."""
    lock_circle(owner)
    contact.keep_in_touch_days = days
    due = next_reminder(owner, contact)
    if due is not None and due > now:
        for reminder in _open_reminders(contact):
            reminder.state = "dismissed"


def keep_in_touch_due(
    *, last_touch: datetime, days: int, ally_since: datetime, owner: User
) -> datetime:
    """The morning the period ends, in the owner's time zone, at their reminder hour, moved
    past their quiet days. Never before the contact became an ally: someone long out of touch
    when chosen gets the reminder straight away."""
    zone = owner.timezone
    day = next_active_day(local_day(last_touch, zone) + timedelta(days=days), owner.quiet_days)
    return max(local_morning(day, owner.reminder_hour, zone), ally_since)


def next_reminder(
    owner: User, contact: Contact, *, touched: datetime | None = None
) -> datetime | None:
    """When the ally's next reminder is due; `touched`: their `last_touch`, if known."""
    if not contact.is_ally or contact.ally_since is None:
        return None
    return keep_in_touch_due(
        last_touch=touched or last_touch(contact),
        days=contact.keep_in_touch_days,
        ally_since=contact.ally_since,
        owner=owner,
    )


def plan_keep_in_touch(
    owner: User, *, now: datetime, horizon: timedelta = timedelta(0)
) -> list[FollowUp]:
    """Create the keep-in-touch reminders due by `now + horizon`, one open per ally; dismiss
    open ones the user made moot by getting in touch since. Returns the new ones; the caller
    commits. Safe to call often and from several processes (the owner's row is locked)."""
    lock_circle(owner)
    created = []
    allies = allies_of(owner)
    touches = last_touches(allies)
    reminders = _open_reminders_of(allies)
    for ally in allies:
        touched = touches[ally.id]
        pending = reminders.get(ally.id, [])
        for reminder in pending:
            if touched >= reminder.created_at:
                reminder.state = "dismissed"
        if any(reminder.state == "open" for reminder in pending):
            continue
        due = next_reminder(owner, ally, touched=touched)
        if due is not None and due <= now + horizon:
            reminder = FollowUp(
                owner_id=owner.id,
                contact_id=ally.id,
                due_at=due,
                reason=KEEP_IN_TOUCH_REASON,
                created_at=now,
            )
            db.session.add(reminder)
            created.append(reminder)
    db.session.flush()
    return created


def plan_per_owner(having: sa.ColumnElement[bool], plan: Callable[[User], list]) -> int:
    """For the reminder dispatcher, before it plans the morning digests: `plan(owner)` for
    every user with a contact `having` this, one short write transaction each (committed
    here), in user-id order. Returns how many reminders were created."""
    owner_ids = list(
        db.session.scalars(
            sa.select(Contact.owner_id).where(having).distinct().order_by(Contact.owner_id)
        )
    )
    db.session.commit()
    created = 0
    for owner_id in owner_ids:
        begin_write()
        owner = db.session.get(User, owner_id)
        if owner is not None:
            created += len(plan(owner))
        db.session.commit()
    return created


def plan_all_keep_in_touch(*, now: datetime, horizon: timedelta = timedelta(0)) -> int:
    """Every user's allies' keep-in-touch reminders (`plan_per_owner`)."""
    return plan_per_owner(
        Contact.is_ally.is_(True),
        lambda owner: plan_keep_in_touch(owner, now=now, horizon=horizon),
    )
