"""Follow-up operations the views, the contact service and the CLI call; the caller commits."""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Contact, Event, FollowUp, Meeting, User
from ..pagination import keyset_page
from . import planning
from .planning import Choice, Venue

SNOOZE_DAYS = (1, 3, 7)
DONE_SHOWN = 20


def _owner(contact: Contact) -> User:
    return db.session.get(User, contact.owner_id)


def _first_meeting(contact: Contact) -> Meeting | None:
    return min(contact.meetings, key=lambda meeting: meeting.met_at, default=None)


def _meeting_place(contact: Contact) -> tuple[datetime, Venue | None]:
    """When and at which event the user first met the contact (the contact's own row else)."""
    meeting = _first_meeting(contact)
    event = None
    if meeting is not None and meeting.event_id is not None:
        event = db.session.get(Event, meeting.event_id)
    event = event or contact.event
    met_at = meeting.met_at if meeting is not None else contact.created_at
    return met_at, Venue.of(event)


def plan_for_new_contact(
    contact: Contact, *, met_at: datetime, event: Event | None, reason: str = "new_contact"
) -> FollowUp:
    """The open follow-up every new contact gets: the morning after the day we met.

    One open follow-up per contact: someone who has one already (introduced yesterday and
    scanned today, or scanned last week and introduced today) keeps it, as it is. A contact
    not yet written (no id) has none: no query, and no early flush on the scan path."""
    current = open_follow_up(contact) if contact.id is not None else None
    if current is not None:
        return current
    owner = _owner(contact)
    due = planning.plan_due(
        met_at, home_zone=owner.timezone, hour=owner.reminder_hour, venue=Venue.of(event)
    )
    follow_up = FollowUp(owner_id=owner.id, contact=contact, due_at=due, reason=reason)
    db.session.add(follow_up)
    return follow_up


def open_follow_up(contact: Contact) -> FollowUp | None:
    return db.session.scalar(
        sa.select(FollowUp)
        .where(FollowUp.contact_id == contact.id, FollowUp.state == "open")
        .order_by(FollowUp.due_at, FollowUp.id)
        .limit(1)
    )


def latest_follow_up(contact: Contact) -> FollowUp | None:
    return db.session.scalar(
        sa.select(FollowUp)
        .where(FollowUp.contact_id == contact.id)
        .order_by(FollowUp.created_at.desc(), FollowUp.id.desc())
        .limit(1)
    )


def user_today(user: User, now: datetime) -> date:
    return planning.local_day(now, user.timezone)


@dataclass(frozen=True)
class ChoiceView:
    """The capture screen's follow-up choice: what is selected, and what each option means."""

    selected: Choice
    options: dict[str, datetime]  # tomorrow/3days/week → due time
    due_at: datetime | None
    today: date
    done_at: datetime | None = None


def _choice_view(user: User, met_at, venue, due, now: datetime, done_at=None) -> ChoiceView:
    common = {"met_at": met_at, "home_zone": user.timezone, "hour": user.reminder_hour}
    options = {
        name: planning.plan_due(**common, venue=venue, days=days, now=now)
        for name, days in planning.CHOICE_DAYS.items()
    }
    selected = planning.choice_for(due, **common, venue=venue, now=now)
    return ChoiceView(selected, options, due, user_today(user, now), done_at)


def choice_view(user: User, contact: Contact, now: datetime) -> ChoiceView:
    met_at, venue = _meeting_place(contact)
    current = open_follow_up(contact)
    latest = latest_follow_up(contact)
    done_at = latest.done_at if latest is not None and latest.state == "done" else None
    return _choice_view(user, met_at, venue, current.due_at if current else None, now, done_at)


def new_contact_choice_view(user: User, event: Event | None, now: datetime) -> ChoiceView:
    """The choice for someone scanned now at `event`, before the scan reaches the server: the
    follow-up every new contact gets (`plan_for_new_contact`) is selected."""
    venue = Venue.of(event)
    due = planning.plan_due(now, home_zone=user.timezone, hour=user.reminder_hour, venue=venue)
    return _choice_view(user, now, venue, due, now)


def apply_choice(user: User, contact: Contact, choice: Choice | None, now: datetime) -> None:
    """Re-plan the contact's follow-up as chosen on the capture screen (None: leave it)."""
    if choice is None:
        return
    current = open_follow_up(contact)
    met_at, venue = _meeting_place(contact)
    common = {"met_at": met_at, "home_zone": user.timezone, "hour": user.reminder_hour}
    if (
        current is not None
        and planning.choice_for(current.due_at, **common, venue=venue, now=now) == choice
    ):
        return  # unchanged: saving the form again must not move it
    due = planning.due_for_choice(choice, **common, venue=venue, now=now)
    if due is None:
        if current is not None:
            current.state = "dismissed"
        return
    if current is None:
        current = FollowUp(owner_id=user.id, contact_id=contact.id, reason="planned")
        db.session.add(current)
    current.due_at = due


def follow_up_for(user: User, contact: Contact, now: datetime) -> FollowUp:
    """The contact's open follow-up, planned for tomorrow when there is none: "Follow up" on a
    contact's page always leads to a drafted message in the inbox."""
    current = open_follow_up(contact)
    if current is None:
        apply_choice(user, contact, Choice("tomorrow"), now)
        db.session.flush()
        current = open_follow_up(contact)
    return current


# --- inbox actions ----------------------------------------------------------------------------


def mark_done(follow_up: FollowUp, now: datetime) -> bool:
    """Done, recorded as an interaction with the contact. False when it was not open."""
    if follow_up.state != "open":
        return False
    follow_up.state = "done"
    follow_up.done_at = now
    db.session.add(
        Meeting(
            contact_id=follow_up.contact_id,
            kind="follow_up",
            met_at=now,
            event_id=None,
            event_name="",
            face_to_face=False,
        )
    )
    return True


def undo_done(follow_up: FollowUp) -> bool:
    """Undo "done" (the user tapped Undo, or hadn't sent it after all): open again, and the
    interaction `mark_done` recorded is forgotten. False when it was not done."""
    if follow_up.state != "done":
        return False
    db.session.execute(
        sa.delete(Meeting).where(
            Meeting.contact_id == follow_up.contact_id,
            Meeting.kind == "follow_up",
            Meeting.met_at == follow_up.done_at,
        )
    )
    follow_up.state = "open"
    follow_up.done_at = None
    return True


def snooze(follow_up: FollowUp, days: int, now: datetime) -> bool:
    if follow_up.state != "open" or days not in SNOOZE_DAYS:
        return False
    owner = db.session.get(User, follow_up.owner_id)
    follow_up.due_at = planning.snoozed_due(
        follow_up.due_at, days=days, now=now, home_zone=owner.timezone, hour=owner.reminder_hour
    )
    return True


def dismiss(follow_up: FollowUp) -> bool:
    if follow_up.state != "open":
        return False
    follow_up.state = "dismissed"
    return True


def reopen(follow_up: FollowUp, now: datetime) -> bool:
    """Undo a dismissal: open again, due now unless it was still ahead."""
    if follow_up.state != "dismissed":
        return False
    follow_up.state = "open"
    follow_up.due_at = max(follow_up.due_at, now)
    return True


def reschedule_for_settings(user: User, *, old_zone: str, old_hour: int, now: datetime) -> int:
    """After the user changed their time zone or reminder hour: planned follow-ups keep their
    day and move to the new morning (overdue ones stay as they are). Returns how many moved."""
    if old_zone == user.timezone and old_hour == user.reminder_hour:
        return 0
    planned = db.session.scalars(
        sa.select(FollowUp).where(
            FollowUp.owner_id == user.id, FollowUp.state == "open", FollowUp.due_at > now
        )
    )
    moved = 0
    for follow_up in planned:
        follow_up.due_at = planning.moved_for_settings(
            follow_up.due_at, old_zone=old_zone, new_zone=user.timezone, new_hour=user.reminder_hour
        )
        moved += 1
    return moved


# --- the inbox --------------------------------------------------------------------------------


SECTIONS = ("today", "overdue", "upcoming")  # in the order the inbox shows them
INBOX_PAGE = 20  # drafts composed per page: the work of a page stays the same


@dataclass
class Section:
    """A page of one of the inbox's sections, and how many follow-ups it holds in all."""

    key: str
    count: int = 0
    items: list[FollowUp] = field(default_factory=list)
    after: int | None = None  # the next page's cursor, None on its last page


@dataclass
class Inbox:
    sections: dict[str, Section]
    done: list[FollowUp] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (any(s.count for s in self.sections.values()) or self.done)


def _with_contact():
    return selectinload(FollowUp.contact).options(
        selectinload(Contact.tags),
        selectinload(Contact.answers),
        selectinload(Contact.meetings),
        selectinload(Contact.event),
    )


def _not_archived():
    """Archived contacts (review/archive.py) are out of the inbox, as they are of every list."""
    return FollowUp.contact_id.in_(sa.select(Contact.id).where(Contact.archived_at.is_(None)))


def _local_today(user: User, now: datetime) -> tuple[datetime, datetime]:
    zone = ZoneInfo(user.timezone)
    today = now.astimezone(zone).date()
    return datetime.combine(today, time(), zone), datetime.combine(
        today + timedelta(days=1), time(), zone
    )


def section_of(user: User, due_at: datetime, now: datetime) -> str:
    start, end = _local_today(user, now)
    return "overdue" if due_at < start else "today" if due_at < end else "upcoming"


def _section_bounds(user: User, now: datetime) -> dict[str, sa.ColumnElement[bool]]:
    """Which open follow-ups each section holds; "today" is the user's local day."""
    start, end = _local_today(user, now)
    return {
        "today": sa.and_(FollowUp.due_at >= start, FollowUp.due_at < end),
        "overdue": FollowUp.due_at < start,
        "upcoming": FollowUp.due_at >= end,
    }


def _after_follow_up(user: User, follow_up_id: int):
    """Rows due later than this follow-up (oldest first); none when it is not the user's."""
    anchor = (
        sa.select(FollowUp.due_at)
        .where(FollowUp.id == follow_up_id, FollowUp.owner_id == user.id)
        .scalar_subquery()
    )
    return sa.or_(
        FollowUp.due_at > anchor, sa.and_(FollowUp.due_at == anchor, FollowUp.id > follow_up_id)
    )


def inbox(
    user: User,
    now: datetime,
    *,
    only: str | None = None,
    after: int | None = None,
    size: int = INBOX_PAGE,
    pinned: int | None = None,
) -> Inbox:
    """The user's open follow-ups by section with the sections' counts (one query), and the
    latest closed ones. A page holds `size` follow-ups in all: today's first, then the
    overdue, then the upcoming ones, each oldest due first; a section left out or cut short
    has a "More" link. `only` (one of SECTIONS): that
    section alone, its page after the follow-up `after`, the inbox's "More" link. `pinned`:
    an open follow-up shown first in its section even when beyond its first page ("Follow up"
    on a contact's page opens its draft)."""
    bounds = _section_bounds(user, now)
    mine = sa.and_(FollowUp.owner_id == user.id, FollowUp.state == "open", _not_archived())
    counts = db.session.execute(
        sa.select(*(sa.func.count().filter(bound) for bound in bounds.values())).where(mine)
    ).one()
    result = Inbox({key: Section(key, count) for key, count in zip(bounds, counts, strict=True)})
    left = size
    for key in SECTIONS if only is None else (only,):
        if not left:  # the page is full: the section gets a link, and no query
            continue
        statement = (
            sa.select(FollowUp)
            .where(mine, bounds[key])
            .options(_with_contact())
            .order_by(FollowUp.due_at, FollowUp.id)
        )
        if after is not None:
            statement = statement.where(_after_follow_up(user, after))
        page = keyset_page(statement, left)
        result.sections[key].items, result.sections[key].after = page.items, page.after
        left -= len(page.items)
    if pinned is not None and only is None:
        _pin(result, user, pinned, now)
    if only is None:
        result.done = list(
            db.session.scalars(
                sa.select(FollowUp)
                .where(
                    FollowUp.owner_id == user.id,
                    FollowUp.state.in_(("done", "dismissed")),
                    _not_archived(),
                )
                .options(selectinload(FollowUp.contact))
                .order_by(sa.func.coalesce(FollowUp.done_at, FollowUp.due_at).desc(), FollowUp.id)
                .limit(DONE_SHOWN)
            )
        )
    return result


def _pin(result: Inbox, user: User, follow_up_id: int, now: datetime) -> None:
    follow_up = db.session.scalar(
        sa.select(FollowUp)
        .where(FollowUp.id == follow_up_id, FollowUp.owner_id == user.id, FollowUp.state == "open")
        .options(_with_contact())
    )
    if follow_up is not None:
        section = result.sections[section_of(user, follow_up.due_at, now)]
        if follow_up not in section.items:
            section.items.insert(0, follow_up)


def own_follow_up(user: User, follow_up_id: int) -> FollowUp | None:
    """The follow-up when the user owns it; None hides others' ids (404)."""
    found = db.session.get(FollowUp, follow_up_id)
    return found if found is not None and found.owner_id == user.id else None


# --- the calendar feed's secret ----------------------------------------------------------------


def new_feed_token() -> str:
    """192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def rotate_feed(user: User) -> str:
    """Turn the feed on, or give it a new address: the old one stops working at once."""
    user.ics_token = new_feed_token()
    return user.ics_token


def revoke_feed(user: User) -> None:
    user.ics_token = None


def choice_from_form(
    form, *, today: date, late_is_today: bool = False
) -> tuple[Choice | None, str | None]:
    """The capture form's follow-up choice. A date typed in counts even when the user left the
    radio button where it was: typing a date is the clearer intent. `late_is_today`: see
    `planning.parse_choice`."""
    value = form.get("follow_up", "")
    on = form.get("follow_up_on", "").strip()
    if on and value != "date" and value == form.get("follow_up_initial", ""):
        value = "date"
    return planning.parse_choice(value, on, today=today, late_is_today=late_is_today)


def follow_ups_json(user: User, *, batch: int = 500) -> Iterator[dict]:
    """Every follow-up of the user, for the data export, read `batch` at a time."""
    rows = db.session.scalars(
        sa.select(FollowUp)
        .where(FollowUp.owner_id == user.id)
        .options(selectinload(FollowUp.contact))
        .order_by(FollowUp.due_at, FollowUp.id)
        .execution_options(yield_per=batch)
    )
    return (
        {
            "contact_id": follow_up.contact_id,
            "contact": follow_up.contact.display_name,
            "due_at": follow_up.due_at.isoformat(),
            "state": follow_up.state,
            "reason": follow_up.reason,
            "created_at": follow_up.created_at.isoformat(),
            "done_at": follow_up.done_at.isoformat() if follow_up.done_at else None,
        }
        for follow_up in rows
    )
