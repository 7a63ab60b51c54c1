"""The owner's review of shared details, as a small state machine of plain functions.

    pending ──accept──→ accepted   (a new contact)
    pending ──merge───→ merged     (into one of the owner's contacts, field by field)
    pending ──dismiss─→ dismissed  (nothing added; the visitor's details are wiped)

Only at acceptance or merge does anything reach the owner's contacts: the contact, its
"shared their details" meeting at the time they shared (noted at the event running then),
and the follow-up a new contact gets. Until then they count as no evidence of knowing anyone.

Repeating the step that closed it (a double tap, a replayed form) changes nothing and returns
what the first one did; any other step on a closed review raises ReviewError. Callers lock
first (each step does), so two taps at the same moment cannot both act.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..badges import CardData
from ..contacts.service import dedupe_key, empty_collections, record_meeting
from ..extensions import db
from ..models import Contact, ReviewState, SharedDetails
from .service import add_note, take_theirs


class ReviewError(ValueError):
    """The review is closed: it was already accepted, merged or dismissed."""


def lock(shared: SharedDetails) -> SharedDetails:
    """Re-read the row under a row lock (SQLite: the request's write transaction)."""
    db.session.execute(
        sa.select(SharedDetails)
        .where(SharedDetails.id == shared.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    return shared


def _open(shared: SharedDetails, replaying: ReviewState) -> bool:
    """True when the review is open; False when this step already closed it."""
    lock(shared)
    if shared.state == ReviewState.PENDING:
        return True
    if shared.state == replaying:
        return False
    raise ReviewError(f"These details were already {shared.state}.")


def _close(shared: SharedDetails, state: ReviewState, contact: Contact | None, now) -> None:
    shared.state, shared.reviewed_at, shared.contact = state, now, contact
    if contact is not None:
        record_meeting(
            contact,
            kind="shared_back",
            met_at=shared.shared_at,
            event=shared.event,
            event_id=shared.event_id,
        )
    db.session.flush()


def _new_contact(shared: SharedDetails, *, keep_note: bool) -> Contact:
    """Their details as a new contact, made when they shared them. Keyed by email so a later
    scan of their badge finds it, unless another contact holds that key already."""

    def build(key: str) -> Contact:
        return Contact(
            owner_id=shared.owner_id,
            source="shared_back",
            dedupe_key=key,
            full_name=shared.full_name,
            emails=[shared.email] if shared.email else [],
            phones=[shared.phone] if shared.phone else [],
            company=shared.company,
            urls=[shared.url] if shared.url else [],
            notes=shared.note if keep_note else "",
            created_at=shared.shared_at,
            **empty_collections(),
        )

    try:
        with db.session.begin_nested():
            contact = build(dedupe_key(CardData(emails=[shared.email]), ""))
            db.session.add(contact)
    except IntegrityError:
        contact = build(f"shared:{shared.id}")
        db.session.add(contact)
    return contact


def accept(shared: SharedDetails, *, keep_note: bool, now: datetime) -> Contact | None:
    """A new contact from their details. Returns it (on a replay: the one made the first
    time, or None when the owner has deleted it since)."""
    if not _open(shared, ReviewState.ACCEPTED):
        return shared.contact
    contact = _new_contact(shared, keep_note=keep_note)
    _close(shared, ReviewState.ACCEPTED, contact, now)
    return contact


def merge(
    shared: SharedDetails, contact: Contact, *, take: set[str], keep_note: bool, now: datetime
) -> Contact | None:
    """Fold their details into the owner's contact: theirs for each field in `take`, mine for
    the rest; their note only when `keep_note`."""
    if contact.owner_id != shared.owner_id:
        raise PermissionError("only into one of the owner's own contacts")
    if not _open(shared, ReviewState.MERGED):
        return shared.contact
    take_theirs(contact, shared, take)
    if keep_note:
        add_note(contact, shared.note)
    _close(shared, ReviewState.MERGED, contact, now)
    return contact


def dismiss(shared: SharedDetails, *, now: datetime) -> None:
    """Leave them out: nothing is added, and what the visitor sent is not kept."""
    if not _open(shared, ReviewState.DISMISSED):
        return
    shared.full_name = shared.email = shared.phone = shared.company = shared.url = ""
    shared.note = ""
    _close(shared, ReviewState.DISMISSED, None, now)
