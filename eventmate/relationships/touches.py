"""Logging a meeting, call or message with a contact, on the day it happened."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from ..contacts.capture import MAX_NOTES
from ..extensions import db
from ..models import Contact, Meeting, User

TOUCH_KINDS = {"meeting": "Met in person", "call": "Call", "message": "Message"}
EARLIEST = date(1950, 1, 1)
MAX_TOUCH_NOTE = 500


class NotesFull(ValueError):
    """The contact's notes have no room for the touch's note."""


@dataclass(frozen=True)
class Touch:
    kind: str
    on: date
    note: str = ""


def local_today(user: User, now: datetime) -> date:
    return now.astimezone(ZoneInfo(user.timezone)).date()


def parse_touch(data: dict, *, today: date) -> tuple[Touch | None, dict[str, str]]:
    """The form's kind, date and note; errors map field name to a sentence."""
    errors = {}
    kind = data.get("kind", "")
    if kind not in TOUCH_KINDS:
        errors["kind"] = "Choose a meeting, a call or a message."
    raw_day = str(data.get("on", "")).strip()
    day = today
    if raw_day:
        try:
            day = date.fromisoformat(raw_day[:10])
        except ValueError:
            errors["on"] = "Pick the day it happened."
        else:
            if day > today:
                errors["on"] = "That day hasn't happened yet; pick today or earlier."
            elif day < EARLIEST:
                errors["on"] = "Pick a day after 1950."
    note = " ".join(str(data.get("note", "")).split())
    if len(note) > MAX_TOUCH_NOTE:
        errors["note"] = f"Keep the note under {MAX_TOUCH_NOTE} characters."
    if errors:
        return None, errors
    return Touch(kind, day, note), {}


def log_touch(owner: User, contact: Contact, touch: Touch, *, now: datetime) -> Meeting:
    """Add the meeting (the caller commits). Today keeps the time; an earlier day is noted
    at noon in the owner's time zone. A note goes at the end of the contact's notes."""
    notes = contact.notes
    if touch.note:
        line = f"{touch.on.strftime('%-d %b %Y')} · {TOUCH_KINDS[touch.kind].lower()}: {touch.note}"
        notes = "\n".join(filter(None, [notes.rstrip(), line]))
        if len(notes) > MAX_NOTES:
            raise NotesFull("Your notes on them are full; shorten them before adding this one.")
    if touch.on == local_today(owner, now):
        met_at = now
    else:
        met_at = datetime.combine(touch.on, time(12), ZoneInfo(owner.timezone)).astimezone(UTC)
    in_person = touch.kind == "meeting"
    meeting = Meeting(contact=contact, kind=touch.kind, met_at=met_at, face_to_face=in_person)
    db.session.add(meeting)
    if in_person:
        contact.met_face_to_face = True
    contact.notes = notes
    return meeting
