"""The phone's offline copy of the user's contacts: every contact as data, then only what
changed since the last copy, with the ids that still exist so the phone drops deleted ones."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Contact, User
from ..templating import localdate
from .search import is_archived, search_contacts
from .serialize import contact_json
from .wording import about, cue, headline, meeting_sentence

# A write that committed just after the copy was read may carry an `updated_at` a little
# before the copy's time: ask again for that much, which at worst re-sends a few contacts.
OVERLAP = timedelta(minutes=1)


def offline_contact_json(contact: Contact) -> dict:
    """`contact_json` with what the page shows already worded, in the user's time zone."""
    return contact_json(contact) | {
        "headline": headline(contact),
        "about": about(contact),
        "cue": cue(contact),
        "meetings": [
            {
                "text": meeting_sentence(contact, meeting),
                "met_at": meeting.met_at.isoformat(),
                "when": localdate(meeting.met_at),
            }
            for meeting in contact.meetings
        ],
        "updated_at": contact.updated_at.isoformat(),
    }


def people_snapshot(owner: User, *, since: datetime | None, now: datetime) -> dict:
    """Contacts changed since `since` (all of them without it), newest first, and every id."""
    contacts = search_contacts(owner, changed_since=since - OVERLAP if since else None)
    ids = db.session.scalars(
        sa.select(Contact.id)
        .where(Contact.owner_id == owner.id, ~is_archived())  # the phone drops archived ones
        .order_by(Contact.id)
    )
    return {
        "contacts": [offline_contact_json(contact) for contact in contacts],
        "ids": list(ids),
        "user": owner.id,
        "complete": since is None,
        "synced_at": now.isoformat(),
    }
