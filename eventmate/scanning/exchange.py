"""Exchanging cards between two EventMate users."""

from datetime import datetime

from ..contacts.service import linked_contact, record_meeting
from ..events.service import membership
from ..models import Contact, Event, User


class ExchangeError(ValueError):
    """A sentence for the user explaining why the exchange cannot happen."""


def exchange_cards(scanner: User, owner: User, *, met_at: datetime, event: Event | None) -> Contact:
    """Both sides get each other as a contact and a meeting; showing a QR is consent.

    The scanner's event names the meeting on both sides; the card owner's meeting links to
    the event only when they are a member of it too. Returns the scanner's contact.
    """
    if scanner.id == owner.id:
        raise ExchangeError("That's your own card. Scan the card of the person you're meeting.")
    event_id = event.id if event else None
    scanner_contact, _ = linked_contact(scanner, owner)
    record_meeting(scanner_contact, kind="exchange", met_at=met_at, event=event, event_id=event_id)
    owner_contact, _ = linked_contact(owner, scanner)
    owner_event_id = event_id if event and membership(owner, event.id) else None
    record_meeting(
        owner_contact, kind="exchange", met_at=met_at, event=event, event_id=owner_event_id
    )
    return scanner_contact
