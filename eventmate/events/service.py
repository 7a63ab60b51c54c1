"""Events: creating, joining, choosing the current one, and progress towards the goal."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..extensions import db
from ..models import Contact, Event, EventMembership, User
from ..models.base import utcnow


def membership(user: User, event_id: int) -> EventMembership | None:
    return db.session.get(EventMembership, (event_id, user.id))


def event_for_member(user: User, event_id: int) -> Event | None:
    """The event when the user is a member of it; None hides others' events (404)."""
    found = membership(user, event_id)
    return found.event if found else None


def running_event(user: User, moment: datetime) -> Event | None:
    """The user's current event unless it was over by `moment`: the people met after a
    conference belong to no event rather than to last week's (the choice itself is kept, so
    home can show how that event went)."""
    event = user.current_event
    return None if event is None or event.is_over(moment) else event


def my_events(
    user: User, *, limit: int | None = None, offset: int = 0
) -> list[tuple[Event, EventMembership]]:
    """The user's events, latest first; `limit` and `offset`: a page of them."""
    rows = db.session.execute(
        sa.select(Event, EventMembership)
        .join(EventMembership)
        .where(EventMembership.user_id == user.id)
        .order_by(Event.starts_on.desc().nulls_last(), Event.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(event, member) for event, member in rows]


def event_names(user: User) -> list[tuple[int, str]]:
    """(id, name) of the user's events, latest first, as a filter lists them: plain rows, since
    a long-time user has hundreds."""
    return [
        (event_id, name)
        for event_id, name in db.session.execute(
            sa.select(Event.id, Event.name)
            .join(EventMembership)
            .where(EventMembership.user_id == user.id)
            .order_by(Event.starts_on.desc().nulls_last(), Event.id.desc())
        )
    ]


def event_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(EventMembership.user_id == user.id))


def create_event(user: User, **fields) -> Event:
    """Create an event, join it and make it the current one (the caller commits)."""
    event = Event(created_by_id=user.id, **fields)
    db.session.add(event)
    db.session.flush()
    db.session.add(EventMembership(event_id=event.id, user_id=user.id))
    user.current_event_id = event.id
    return event


def join_by_code(user: User, code: str) -> Event | None:
    """Join the event with this code and make it current; None when no event has it."""
    normalised = code.strip().upper().replace(" ", "").replace("-", "")
    event = db.session.scalar(sa.select(Event).where(Event.join_code == normalised))
    if event is None:
        return None
    if membership(user, event.id) is None:
        db.session.add(EventMembership(event_id=event.id, user_id=user.id))
    user.current_event_id = event.id
    return event


@dataclass(frozen=True)
class Progress:
    event: Event
    goal: int
    new_people: int
    new_today: int
    face_to_face: int

    @property
    def reached(self) -> bool:
        return self.new_people >= self.goal


def _local_day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(), zone)
    return start, datetime.combine(day + timedelta(days=1), time(), zone)


def progress(user: User, event: Event, member: EventMembership, *, now=None) -> Progress:
    """New people met at the event (contacts first met there), in total and today."""
    return progress_of_events(user, [(event, member)], now=now)[0]


def progress_of_events(
    user: User, events: list[tuple[Event, EventMembership]], *, now=None
) -> list[Progress]:
    """`progress` of each of these events, counted in one query."""
    now = now or utcnow()
    start, end = _local_day_bounds(now.astimezone(ZoneInfo(user.timezone)).date(), user.timezone)
    ids = [event.id for event, _ in events]
    counts = (
        {
            event_id: (total, today, in_person)
            for event_id, total, today, in_person in db.session.execute(
                sa.select(
                    Contact.event_id,
                    sa.func.count(),
                    sa.func.count().filter(Contact.created_at >= start, Contact.created_at < end),
                    sa.func.count().filter(Contact.met_face_to_face.is_(True)),
                )
                .where(Contact.owner_id == user.id, Contact.event_id.in_(ids))
                .group_by(Contact.event_id)
            )
        }
        if ids
        else {}
    )
    return [
        Progress(event, member.goal, *counts.get(event.id, (0, 0, 0))) for event, member in events
    ]
