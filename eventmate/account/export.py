"""Everything a user owns, as vCard, CSV and JSON, and deleting all of it."""

import base64
import csv
import io
import json

import sqlalchemy as sa

from ..contacts.search import search_contacts
from ..contacts.serialize import contact_json, contact_vcard, exported_notes
from ..events.service import my_events
from ..extensions import db
from ..followups.service import follow_ups_json
from ..introductions.export import introductions_json
from ..models import CustomPrompt, Event, EventMembership, User
from ..models.base import HasPhoto
from ..shared_details.service import shared_json
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


def contacts_vcf(user: User) -> str:
    """With each contact's photo: this is the export an address book reads."""
    return "".join(
        contact_vcard(contact) for contact in search_contacts(user, photos=True, archived=None)
    )


def contacts_csv(user: User) -> str:
    """Every cell quoted, and no cell a spreadsheet would run as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for contact in search_contacts(user, archived=None):
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
        writer.writerow([spreadsheet_text(value) for value in row])
    return buffer.getvalue()


def data_json(user: User) -> str:
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
        "contacts": [
            contact_json(contact) | {"photo": _photo(contact)}
            for contact in search_contacts(user, photos=True, archived=None)
        ],
        "follow_ups": follow_ups_json(user),
        "introductions": introductions_json(user),
        "shared_with_me": shared_json(user),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


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
