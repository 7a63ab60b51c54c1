"""Recording a scan: the QR of another attendee's card or a printed badge.

Idempotent per user and client id, because the offline outbox retries: the same id with the
same content returns the contact it made; with other content it is a conflict.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..badges import PayloadError, parse_payload
from ..cards.links import token_from_url
from ..contacts.service import card_contact, record_meeting
from ..events.service import event_for_member
from ..extensions import db
from ..models import ClientRequest, Contact, Event, User
from .exchange import ExchangeError, exchange_cards


class ScanError(Exception):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ScanRequest:
    client_id: str
    payload: str
    scanned_at: datetime
    event_id: int | None = None

    def fingerprint(self) -> str:
        content = [self.payload, self.scanned_at.isoformat(), self.event_id]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()


@dataclass(frozen=True)
class ScanOutcome:
    contact: Contact
    created: bool  # False when this client id was already recorded


def _already_received(user: User, scan: ScanRequest) -> ScanOutcome | None:
    seen = db.session.get(ClientRequest, (user.id, scan.client_id))
    if seen is None:
        return None
    if seen.kind != "scan" or seen.fingerprint != scan.fingerprint():
        raise ScanError("This scan id was already used for different content.", status=409)
    return ScanOutcome(db.session.get(Contact, seen.contact_id), created=False)


def _scan_event(user: User, event_id: int | None) -> Event | None:
    if event_id is None:
        return user.current_event
    event = event_for_member(user, event_id)
    if event is None:
        raise ScanError("That event doesn't exist or you haven't joined it.", status=404)
    return event


def _contact_for_payload(
    user: User, scan: ScanRequest, event: Event | None, card_hosts: frozenset[str]
) -> Contact:
    token = token_from_url(scan.payload, card_hosts)
    if token is not None:
        owner = db.session.scalar(sa.select(User).where(User.card_token == token))
        if owner is None:
            raise ScanError(
                "This card is no longer valid. "
                "Ask them to open EventMate and show their card again.",
                status=410,
            )
        try:
            return exchange_cards(user, owner, met_at=scan.scanned_at, event=event)
        except ExchangeError as error:
            raise ScanError(str(error)) from error
    try:
        parsed = parse_payload(scan.payload)
    except PayloadError as error:
        raise ScanError(str(error)) from error
    source = "badge" if parsed.card else "to_identify"
    contact, _ = card_contact(user, parsed.card, raw=scan.payload, source=source)
    event_id = event.id if event else None
    record_meeting(contact, kind="scan", met_at=scan.scanned_at, event=event, event_id=event_id)
    return contact


def record_scan(user: User, scan: ScanRequest, *, card_hosts: frozenset[str]) -> ScanOutcome:
    """Apply a scan once and commit; raise ScanError (nothing changed) when it can't be used."""
    outcome = _already_received(user, scan)
    if outcome:
        return outcome
    try:
        event = _scan_event(user, scan.event_id)
        contact = _contact_for_payload(user, scan, event, card_hosts)
        db.session.flush()
        db.session.add(
            ClientRequest(
                user_id=user.id,
                client_id=scan.client_id,
                kind="scan",
                fingerprint=scan.fingerprint(),
                contact_id=contact.id,
            )
        )
        db.session.commit()
    except ScanError:
        db.session.rollback()
        raise
    except IntegrityError:
        # The same client id arrived twice at once; the other request recorded it.
        db.session.rollback()
        outcome = _already_received(user, scan)
        if outcome is None:
            raise
        return outcome
    return ScanOutcome(contact, created=True)
