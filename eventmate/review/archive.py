"""Archiving a contact: out of People, search, digests and the phone's offline copy unless the
user asks for archived people; kept in exports; restorable.

Archiving closes what would bring them back on its own: their open follow-ups are dismissed
(so no digest or inbox names them) and they leave the circle of allies (no keep-in-touch
reminders). Restoring brings the contact back, not those reminders: the user can follow up
from the contact's page.
"""

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Contact, FollowUp, User
from ..relationships.allies import unmark_ally


def archive(owner: User, contact: Contact, *, now: datetime) -> bool:
    """False when already archived; the caller commits."""
    if contact.archived_at is not None:
        return False
    contact.archived_at = now
    db.session.execute(
        sa.update(FollowUp)
        .where(FollowUp.contact_id == contact.id, FollowUp.state == "open")
        .values(state="dismissed")
    )
    if contact.is_ally:
        unmark_ally(owner, contact)
    return True


def restore(contact: Contact) -> bool:
    """False when it was not archived; the caller commits."""
    if contact.archived_at is None:
        return False
    contact.archived_at = None
    return True


def archived_count(owner: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Contact.owner_id == owner.id, Contact.archived_at.is_not(None)
        )
    )
