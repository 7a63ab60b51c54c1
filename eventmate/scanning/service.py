"""Recording a scan: the QR of another attendee's card or a printed badge.

Idempotent per user and client id, because the offline outbox retries: the same id with the
same content returns the contact it made; with other content it is a conflict.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..badges import ParsedPayload, PayloadError, parse_payload
from ..cards.links import token_from_url
from ..contacts.service import card_contact, record_meeting
from ..events.service import event_for_member, running_event
from ..extensions import db
from ..idempotency import Answer, Applied, ClientWrite, ReusedClientId, apply_once
from ..models import Contact, Event, User
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


def scan_event(user: User, scan: ScanRequest) -> Event | None:
    """The event the phone named, else the current one if it was still running then."""
    if scan.event_id is None:
        return running_event(user, scan.scanned_at)
    event = event_for_member(user, scan.event_id)
    if event is None:
        raise ScanError("That event doesn't exist or you haven't joined it.", status=404)
    return event


def _exchange(user: User, token: str, scan: ScanRequest, event: Event | None) -> Contact:
    owner = db.session.scalar(sa.select(User).where(User.card_token == token))
    if owner is None:
        raise ScanError(
            "This card is no longer valid. Ask them to open EventMate and show their card again.",
            status=410,
        )
    try:
        return exchange_cards(user, owner, met_at=scan.scanned_at, event=event)
    except ExchangeError as error:
        raise ScanError(str(error)) from error


def _parse(payload: str) -> ParsedPayload:
    try:
        return parse_payload(payload)
    except PayloadError as error:
        raise ScanError(str(error)) from error


def _badge_contact(
    user: User, parsed: ParsedPayload, scan: ScanRequest, event: Event | None
) -> Contact:
    source = "badge" if parsed.card else "to_identify"
    contact, _ = card_contact(user, parsed.details(), raw=scan.payload, source=source)
    event_id = event.id if event else None
    record_meeting(contact, kind="scan", met_at=scan.scanned_at, event=event, event_id=event_id)
    return contact


def record_scan(
    user: User, scan: ScanRequest, *, card_hosts: frozenset[str], answer: Answer = None
) -> Applied:
    """Apply a scan once and commit; raise ScanError (nothing changed) when it can't be used.

    The payload is parsed before anything is locked, and not at all for a resend;
    `answer`: see `apply_once`.
    """
    write = ClientWrite(user.id, scan.client_id, "scan", scan.fingerprint())
    token: str | None = None
    parsed: ParsedPayload | None = None

    def prepare() -> None:
        nonlocal token, parsed
        token = token_from_url(scan.payload, card_hosts)
        parsed = None if token else _parse(scan.payload)

    def apply() -> Contact:
        event = scan_event(user, scan)
        if token is not None:
            return _exchange(user, token, scan, event)
        return _badge_contact(user, parsed, scan, event)

    try:
        return apply_once(write, apply, answer, prepare=prepare)
    except ReusedClientId:
        message = "This scan id was already used for different content."
        raise ScanError(message, status=409) from None
