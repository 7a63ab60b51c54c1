"""The morning digest: who is due, and one short summary of them.

Used by the in-app badge and banner, and by the push dispatcher, so both say the same thing:
"Follow up with Ana, Ben and 3 others from DevConf". The summary carries first names and event
names only (no notes, emails or ids) and stays far below the 3 KB a push payload may hold.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import load_only, selectinload

from ..extensions import db
from ..models import Contact, Event, FollowUp, Meeting, User
from .planning import is_quiet, local_day

INBOX_URL = "/inbox"
NAMES_SHOWN = 2
MAX_NAMES = 20
MAX_NAME = 40
MAX_EVENT = 60


@dataclass(frozen=True)
class DigestSummary:
    title: str
    body: str
    url: str = INBOX_URL
    count: int = 0
    names: list[str] = field(default_factory=list)


def is_due(now: datetime):
    """The rule for "due", as SQL for every query that needs it: open, and its time has come."""
    return sa.and_(FollowUp.state == "open", FollowUp.due_at <= now)


def due_by_user(user_ids, now: datetime) -> dict[int, list[FollowUp]]:
    """The due follow-ups of many users in one query (the dispatcher plans in chunks), each
    user's oldest first, with what the summary reads loaded."""
    query = (
        sa.select(FollowUp)
        .where(FollowUp.owner_id.in_(user_ids), is_due(now))
        .options(
            # What the summary reads: names, the event, the meetings' events. Other columns
            # (notes, raw payloads, JSON lists) would still load on access, one row at a time.
            load_only(FollowUp.owner_id, FollowUp.contact_id, FollowUp.due_at),
            selectinload(FollowUp.contact)
            .load_only(Contact.full_name, Contact.company, Contact.event_id)
            .options(
                selectinload(Contact.event).load_only(Event.name),
                selectinload(Contact.meetings).load_only(
                    Meeting.met_at, Meeting.event_name, Meeting.kind
                ),
            ),
        )
        .order_by(FollowUp.owner_id, FollowUp.due_at, FollowUp.id)
    )
    found: dict[int, list[FollowUp]] = {}
    for follow_up in db.session.scalars(query):
        found.setdefault(follow_up.owner_id, []).append(follow_up)
    return found


def due_follow_ups(user: User, now: datetime) -> list[FollowUp]:
    """The user's open follow-ups due at `now` or earlier, oldest first."""
    return due_by_user([user.id], now).get(user.id, [])


def due_count(user: User, now: datetime) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(FollowUp.owner_id == user.id, is_due(now))
    )


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_name(contact: Contact) -> str:
    """How the digest names someone: their first name, else their company."""
    return _short(contact.full_name, contact.company)


def _short(full_name: str, company: str) -> str:
    if full_name.strip():
        return _clip(full_name.split()[0], MAX_NAME)
    if company.strip():
        return _clip(f"someone from {company}", MAX_NAME)
    return "someone you scanned"


@dataclass(frozen=True)
class WhereWeMet:
    event_name: str = ""
    met_at: datetime | None = None


def where_we_met(contact: Contact) -> WhereWeMet:
    """Where and when we met, both from one meeting: see `place_of`."""
    return place_of(contact.meetings, filed_under=contact.event.name if contact.event else "")


def place_of(meetings, *, filed_under: str) -> WhereWeMet:
    """The first meeting at an event (the event as it was named then), else the first one,
    with the event the user filed the contact under. A follow-up done is not a meeting; a
    contact never met (introduced) has no date. `meetings`: anything with `kind`, `met_at`
    and `event_name` (models or rows)."""
    meetings = sorted(
        (meeting for meeting in meetings if meeting.kind != "follow_up"),
        key=lambda meeting: meeting.met_at,
    )
    at_event = next((meeting for meeting in meetings if meeting.event_name), None)
    if at_event is not None:
        return WhereWeMet(at_event.event_name, at_event.met_at)
    return WhereWeMet(filed_under, meetings[0].met_at if meetings else None)


@dataclass(frozen=True)
class Person:
    """Someone due, as a digest names them."""

    name: str  # short_name
    event_name: str  # where_we_met


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def digest_summary(follow_ups: list[FollowUp]) -> DigestSummary:
    """The summary of these follow-ups (one line per person, however many they have)."""
    contacts = {follow_up.contact_id: follow_up.contact for follow_up in follow_ups}
    return summarize([Person(short_name(c), where_we_met(c).event_name) for c in contacts.values()])


def summarize(people: list[Person]) -> DigestSummary:
    """One line for all of them: "Follow up with Ana, Ben and 3 others from DevConf"."""
    events = list(dict.fromkeys(filter(None, (person.event_name for person in people))))
    return worded(len(people), [person.name for person in people], events)


def worded(count: int, names: list[str], events: list[str]) -> DigestSummary:
    """The summary of `count` people: the first names (`MAX_NAMES` of them are enough) and
    the events they were met at, in order of first appearance (three are enough)."""
    if count == 0:
        return DigestSummary("No follow-ups today", "Nobody to follow up with today.", count=0)
    shown = names[:NAMES_SHOWN] if count > NAMES_SHOWN + 1 else names
    others = count - len(shown)
    if others:
        who = f"{', '.join(shown)} and {others} other{'s' if others > 1 else ''}"
    else:
        who = shown[0] if count == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    where = ""
    if len(events) == 1:
        where = f" from {_clip(events[0], MAX_EVENT)}"
    elif len(events) == 2:
        where = f" from {_clip(events[0], MAX_EVENT)} and {_clip(events[1], MAX_EVENT)}"
    title = f"{_people(count)} to follow up with today"
    return DigestSummary(
        title=title,
        body=f"Follow up with {who}{where}",
        url=INBOX_URL,
        count=count,
        names=names[:MAX_NAMES],
    )


def banner_summary(user: User, now: datetime) -> DigestSummary:
    """`summarize` of the user's due people, for the home banner, without loading them all:
    the count, then the due follow-ups in order (the index's) only as far as the names and
    the events need. A contact has at most two open follow-ups (its own and a keep-in-touch
    one), so `2 × MAX_NAMES` rows hold `MAX_NAMES` people; where we met (as `place_of`
    decides it) is computed in SQL, row by row, until three events are found. Only someone
    whose due people were all met at one or two events has every row read."""
    F, C = FollowUp, Contact
    due = sa.and_(F.owner_id == user.id, is_due(now))
    in_order = (F.due_at, F.id)
    count = db.session.scalar(sa.select(sa.func.count(sa.distinct(F.contact_id))).where(due))
    if not count:
        return worded(0, [], [])
    rows = db.session.execute(
        sa.select(F.contact_id, C.full_name, C.company)
        .join(C, C.id == F.contact_id)
        .where(due)
        .order_by(*in_order)
        .limit(2 * MAX_NAMES)
    )
    people = {contact_id: _short(name, company) for contact_id, name, company in rows}
    met_at_event = (
        sa.select(Meeting.event_name)
        .where(Meeting.contact_id == C.id, Meeting.kind != "follow_up", Meeting.event_name != "")
        .order_by(Meeting.met_at, Meeting.id)
        .limit(1)
        .scalar_subquery()
    )
    places = db.session.scalars(
        sa.select(sa.func.coalesce(met_at_event, Event.name))
        .select_from(F)
        .join(C, C.id == F.contact_id)
        .outerjoin(Event, Event.id == C.event_id)
        .where(due)
        .order_by(*in_order)
        .execution_options(yield_per=50)
    )
    events: list[str] = []
    for place in places:
        if place and place not in events:
            events.append(place)
            if len(events) == 3:
                break
    places.close()
    return worded(count, list(people.values())[:MAX_NAMES], events)


def due_people_by_user(user_ids, now: datetime) -> dict[int, list[Person]]:
    """What `digest_summary(due_by_user(…))` reads, from plain rows: the dispatcher plans
    thousands of digests a minute, and model objects would cost it more than sending them.
    Each user's people come in the inbox's order (oldest due first), once each."""
    F, C = FollowUp, Contact
    rows = db.session.execute(
        sa.select(F.owner_id, F.contact_id, C.full_name, C.company, Event.name)
        .join(C, C.id == F.contact_id)
        .outerjoin(Event, Event.id == C.event_id)
        .where(F.owner_id.in_(user_ids), is_due(now))
        .order_by(F.owner_id, F.due_at, F.id)
    ).all()
    meetings: dict[int, list] = {}
    contact_ids = {row.contact_id for row in rows}
    if contact_ids:
        query = sa.select(Meeting.contact_id, Meeting.kind, Meeting.met_at, Meeting.event_name)
        for meeting in db.session.execute(query.where(Meeting.contact_id.in_(contact_ids))):
            meetings.setdefault(meeting.contact_id, []).append(meeting)
    people: dict[int, dict[int, Person]] = {}
    for owner_id, contact_id, full_name, company, filed_under in rows:
        mine = people.setdefault(owner_id, {})
        if contact_id not in mine:
            place = place_of(meetings.get(contact_id, []), filed_under=filed_under or "")
            mine[contact_id] = Person(_short(full_name, company), place.event_name)
    return {owner_id: list(mine.values()) for owner_id, mine in people.items()}


def is_quiet_day(user: User, now: datetime) -> bool:
    """Whether `now` falls on one of the user's quiet days, in their time zone."""
    return is_quiet(local_day(now, user.timezone), user.quiet_days)
