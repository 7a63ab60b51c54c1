"""Everything a user owns, as vCard, CSV and JSON, and deleting all of it.

The exports are generators of text, read from the database in batches while the answer is
sent (`streaming.py`): 10,000 contacts take the memory of 200."""

import base64
import csv
import io
from collections.abc import Iterator

import sqlalchemy as sa

from ..contacts.search import each_contact
from ..contacts.serialize import contact_json, contact_vcard, exported_notes
from ..events.service import my_events
from ..extensions import db
from ..followups.service import follow_ups_json
from ..introductions.export import introductions_json
from ..models import Contact, CustomPrompt, Event, EventMembership, User
from ..models.base import HasPhoto
from ..shared_details.service import shared_json
from ..streaming import Streamed, chunked, json_document
from .spreadsheet import spreadsheet_text

CSV_COLUMNS = (
    "name",
    "title",
    "company",
    "emails",
    "phones",
    "urls",
    "event",
    "tags",
    "notes",
    "met_at",
)


def contacts_vcf(user: User) -> Iterator[str]:
    """With each contact's photo: this is the export an address book reads."""
    return chunked(
        contact_vcard(contact) for contact in each_contact(user, photos=True, related=())
    )


def contacts_csv(user: User) -> Iterator[str]:
    """Every cell quoted, and no cell a spreadsheet would run as a formula."""
    return chunked(_csv_lines(user))


def _csv_lines(user: User) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)

    def line(cells) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(CSV_COLUMNS)
    for contact in each_contact(user, related=(Contact.tags, Contact.event)):
        row = (
            contact.display_name,
            contact.title,
            contact.company,
            "; ".join(contact.emails),
            "; ".join(contact.phones),
            "; ".join(contact.urls),
            contact.event.name if contact.event else "",
            ", ".join(tag.name for tag in contact.tags),
            exported_notes(contact),
            contact.created_at.isoformat(),
        )
        yield line([spreadsheet_text(value) for value in row])


def data_json(user: User) -> Iterator[str]:
    """One JSON document (indented as `json.dumps(…, indent=2)` writes it), the contacts and
    follow-ups written as they are read. A generator: nothing is read before the answer is
    sent, in the request context `stream_with_context` keeps. Its session is a new one (the
    view's closed as the view returned), so the user is read again there."""
    user = db.session.get(User, user.id)
    profile = {
        name: getattr(user, name)
        for name in ("email", "display_name", "headline", "phone", "website", "bio", "timezone")
    } | {
        "reminder_hour": user.reminder_hour,
        "quiet_days": user.quiet_days,
        "push_enabled": user.push_enabled,
        "reminder_channel": user.reminder_channel,
        "email_confirmed": user.email_verified_at is not None,
        "calendar_feed": user.ics_token is not None,  # the secret address itself stays out
        "photo": _photo(user),
        "created_at": user.created_at.isoformat(),
    }
    events = [
        {
            "name": event.name,
            "kind": event.kind,
            "starts_on": event.starts_on.isoformat() if event.starts_on else None,
            "ends_on": event.ends_on.isoformat() if event.ends_on else None,
            "place": event.place,
            "timezone": event.timezone,
            "goal": member.goal,
        }
        for event, member in my_events(user)
    ]
    prompts = db.session.scalars(
        sa.select(CustomPrompt.question).where(CustomPrompt.owner_id == user.id)
    )
    document = {
        "profile": profile,
        "events": events,
        "my_prompts": list(prompts),
        "contacts": Streamed(
            contact_json(contact) | {"photo": _photo(contact)}
            for contact in each_contact(user, photos=True)
        ),
        "follow_ups": Streamed(follow_ups_json(user)),
        "introductions": introductions_json(user),
        "shared_with_me": shared_json(user),
    }
    yield from chunked(json_document(document))


def _photo(owner: HasPhoto) -> str | None:
    """The photo itself, as a data: URI (its URL needs a login and ends with a new photo)."""
    if not owner.photo_version:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(owner.photo).decode("ascii")


def delete_account(user: User) -> None:
    """The user and everything they own (the database cascades), with the events only they
    attend; events others attend stay for them. The caller commits."""
    others = sa.select(EventMembership.event_id).where(EventMembership.user_id != user.id)
    db.session.execute(
        sa.delete(Event).where(Event.created_by_id == user.id, Event.id.not_in(others))
    )
    db.session.delete(user)
