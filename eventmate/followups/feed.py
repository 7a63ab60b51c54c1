"""The iCalendar feed of a user's open follow-ups, for people who'd rather get reminders from
their calendar than by push. Reached through a secret URL, without logging in; it names the
people to follow up with and where we met, never notes or contact details."""

import hmac
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Contact, FollowUp, User
from .digest import where_we_met
from .planning import next_active_day

DURATION = timedelta(minutes=15)
PAST_SHOWN = timedelta(days=30)
MAX_EVENTS = 500


def user_for_token(token: str) -> User | None:
    """The feed's owner; None for a token that was never issued or has been revoked."""
    if not token:
        return None
    user = db.session.scalar(sa.select(User).where(User.ics_token == token))
    if user is None or not hmac.compare_digest(user.ics_token or "", token):
        return None
    return user


def reminder_time(due_at: datetime, user: User) -> datetime:
    """The due time, moved past the user's quiet days to the same local time."""
    zone = ZoneInfo(user.timezone)
    local = due_at.astimezone(zone)
    day = next_active_day(local.date(), user.quiet_days)
    if day == local.date():
        return due_at
    moved = datetime.combine(day, local.time().replace(tzinfo=None), zone).replace(fold=0)
    return moved.astimezone(due_at.tzinfo)


def _description(contact: Contact, inbox_url: str) -> str:
    where = where_we_met(contact).event_name
    about = [contact.title, contact.company]
    lines = [" · ".join(filter(None, about))] if any(about) else []
    lines.append(f"You met at {where}." if where else "Someone you met recently.")
    lines.append(f"Your drafted message is waiting in EventMate: {inbox_url}")
    return "\n".join(lines)


def follow_ups_calendar(user: User, *, now: datetime, inbox_url: str, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//EventMate//Follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "EventMate follow-ups")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    follow_ups = db.session.scalars(
        sa.select(FollowUp)
        .where(
            FollowUp.owner_id == user.id,
            FollowUp.state == "open",
            FollowUp.due_at >= now - PAST_SHOWN,
        )
        .options(
            selectinload(FollowUp.contact).options(
                selectinload(Contact.meetings), selectinload(Contact.event)
            )
        )
        .order_by(FollowUp.due_at, FollowUp.id)
        .limit(MAX_EVENTS)
    )
    for follow_up in follow_ups:
        contact = follow_up.contact
        start = reminder_time(follow_up.due_at, user)
        entry = CalendarEvent()
        entry.add("uid", f"follow-up-{follow_up.id}@{host}")
        entry.add("dtstamp", now)
        entry.add("dtstart", start)
        entry.add("duration", DURATION)
        entry.add("summary", f"Follow up with {contact.display_name}")
        entry.add("description", _description(contact, inbox_url))
        entry.add("url", inbox_url)
        entry.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(0))
        alarm.add("description", f"Follow up with {contact.display_name}")
        entry.add_component(alarm)
        calendar.add_component(entry)
    return calendar.to_ical()
