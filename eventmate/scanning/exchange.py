"""Exchanging cards between two EventMate users."""

from datetime import datetime

from ..contacts.service import linked_contact, record_meeting
from ..events.service import membership
from ..extensions import db
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
    # Lowest owner id first: two people scanning each other at once take the same locks in
    # the same order, so PostgreSQL never sees a deadlock. No autoflush: nothing read here can
    # be one of the rows being added (each side's contact and meeting belong to a different
    # owner), and both contacts then go out in one flush, already marked as met face to face.
    pairs = sorted(((scanner, owner), (owner, scanner)), key=lambda pair: pair[0].id)
    with db.session.no_autoflush:
        contacts = {me.id: linked_contact(me, other)[0] for me, other in pairs}
        event_id = event.id if event else None
        owner_event_id = event_id if event and membership(owner, event.id) else None
        for me, me_event_id in ((scanner, event_id), (owner, owner_event_id)):
            record_meeting(
                contacts[me.id], kind="exchange", met_at=met_at, event=event, event_id=me_event_id
            )
    return contacts[scanner.id]
