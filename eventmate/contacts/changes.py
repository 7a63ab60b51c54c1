"""A contact's `updated_at` moves whenever anything the phone keeps about it changes: its own
columns (the column's `onupdate`), its tags, answers and meetings (here). The phone's offline
copy asks for the contacts changed since its last refresh (`snapshot.py`), so a tag added
without touching the contact row must still count as a change."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contact, Meeting, PromptAnswer
from ..models.base import utcnow


@sa.event.listens_for(Session, "before_flush")
def touch_changed_contacts(session: Session, _context, _instances) -> None:
    now = utcnow()
    touched: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Contact) and obj in session.dirty and session.is_modified(obj):
            obj.updated_at = now  # a tag added or removed changes no column of the row
        elif isinstance(obj, Meeting) and obj.contact is not None:
            if obj.contact not in session.deleted:
                obj.contact.updated_at = now
        elif isinstance(obj, Meeting | PromptAnswer) and obj.contact_id is not None:
            touched.add(obj.contact_id)
    for contact in session.identity_map.values():
        if isinstance(contact, Contact) and contact.id in touched:
            contact.updated_at = now
            touched.discard(contact.id)
    if touched:  # not loaded in this session: one UPDATE, run as part of this flush
        contacts = Contact.__table__
        session.connection().execute(
            sa.update(contacts).where(contacts.c.id.in_(touched)).values(updated_at=now)
        )
