"""Creating contacts and recording meetings: the one place that decides "same person again"."""

import hashlib
from datetime import datetime

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..badges import CardData
from ..database import holds_write_lock
from ..extensions import db
from ..followups.service import plan_for_new_contact
from ..models import Contact, Event, Meeting, User


def get_own(model, object_id: int):
    """The object when the current user owns it; 404 otherwise, so ids reveal nothing."""
    found = db.session.get(model, object_id)
    if found is None or found.owner_id != current_user.id:
        abort(404)
    return found


def empty_collections() -> dict:
    """A new contact's tags, answers and meetings, set so that reading them costs no query."""
    return {"tags": [], "answers": [], "meetings": []}


def cards_to_check(owner: User) -> list[Contact]:
    """The owner's paper cards whose fields were read but not confirmed yet, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Contact)
            .where(Contact.owner_id == owner.id, Contact.source == "card_to_check")
            .order_by(Contact.created_at, Contact.id)
        )
    )


def dedupe_key(card: CardData | None, raw: str) -> str:
    """Same email means same person; otherwise the same payload does."""
    if card and card.emails:
        return f"email:{card.emails[0].casefold()}"[:300]
    return "raw:" + hashlib.sha256(raw.encode()).hexdigest()


def _find_or_add(criteria, build) -> tuple[Contact, bool]:
    """Find a contact, else insert one; a concurrent insert of the same one is found instead.

    Under SQLite's write lock no other connection can insert meanwhile, so the savepoint
    (and the flush it costs) is needed on PostgreSQL only.
    """
    existing = db.session.scalar(sa.select(Contact).where(*criteria))
    if existing is not None:
        return existing, False
    contact = build()
    if holds_write_lock():
        db.session.add(contact)
        return contact, True
    try:
        with db.session.begin_nested():
            db.session.add(contact)
    except IntegrityError:
        return db.session.scalars(sa.select(Contact).where(*criteria)).one(), False
    return contact, True


def card_contact(
    owner: User, card: CardData | None, *, raw: str, source: str, key: str | None = None
):
    """The owner's contact for a badge, a shared-back card, an unidentified payload or a card
    an introducer passed on; `key` replaces the usual dedupe key (see `dedupe_key`)."""
    key = key or dedupe_key(card, raw)
    card = card or CardData()

    def build() -> Contact:
        return Contact(
            owner_id=owner.id,
            source=source,
            dedupe_key=key,
            full_name=card.full_name[:120],
            title=card.title[:120],
            company=card.company[:120],
            emails=card.emails[:10],
            phones=card.phones[:10],
            urls=card.urls[:10],
            raw_payload=raw,
            notes=card.note[:2000],
            **empty_collections(),
        )

    return _find_or_add((Contact.owner_id == owner.id, Contact.dedupe_key == key), build)


def linked_contact(owner: User, other: User) -> tuple[Contact, bool]:
    """The owner's contact for another EventMate user, filled from what their card shows."""

    def build() -> Contact:
        public = other.public_fields()
        return Contact(
            owner_id=owner.id,
            linked_user_id=other.id,
            source="exchange",
            full_name=other.display_name,
            title=public.get("headline", "")[:120],
            emails=[public["email"]] if "email" in public else [],
            phones=[public["phone"]] if "phone" in public else [],
            urls=[public["website"]] if "website" in public else [],
            **empty_collections(),
        )

    return _find_or_add((Contact.owner_id == owner.id, Contact.linked_user_id == other.id), build)


def _met_before(contact: Contact) -> bool:
    """Whether the contact has a meeting already, without loading every one of them."""
    if "meetings" in sa.inspect(contact).dict:  # loaded, e.g. a new contact's empty list
        return bool(contact.meetings)
    return db.session.scalar(sa.select(sa.exists().where(Meeting.contact_id == contact.id)))


def record_meeting(
    contact: Contact, *, kind: str, met_at: datetime, event: Event | None, event_id: int | None
) -> Meeting:
    """Another time we met. `event_id` is None when the owner is not in the event.

    A contact's first meeting is the one that made them a contact: it plans their follow-up.
    """
    is_new = not _met_before(contact)
    meeting = Meeting(
        contact=contact,
        kind=kind,
        met_at=met_at,
        event_id=event_id,
        event_name=event.name if event else "",
        face_to_face=kind != "shared_back",
    )
    db.session.add(meeting)
    if kind != "shared_back":
        contact.met_face_to_face = True
    contact.archived_at = None  # met again: back in the user's lists
    if contact.event_id is None and event_id is not None:
        contact.event_id = event_id
    if is_new:
        plan_for_new_contact(contact, met_at=met_at, event=event)
    return meeting
