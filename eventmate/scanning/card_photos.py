"""Recording a photographed paper business card as a contact "card to check".

The card is read (OCR, QR) before anything is locked; the contact then keeps what was read
(every line, in `raw_payload`) until the user confirms the fields. Idempotent per user and
client id, like scans: a resend gets the contact the first one made.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from ..badges.model import make_card
from ..contacts.card_check import address_note
from ..contacts.service import card_contact, record_meeting
from ..idempotency import Answer, Applied, ClientWrite, ReusedClientId, apply_once
from ..models import Contact, User
from ..paper_cards import CardReading, read_card
from ..paper_cards.regions import phone_region
from ..photos.images import reencode
from ..photos.service import set_photo
from .service import ScanError, scan_event


@dataclass(frozen=True)
class CardPhotoRequest:
    client_id: str
    photo: bytes
    scanned_at: datetime
    event_id: int | None = None

    def fingerprint(self) -> str:
        content = [hashlib.sha256(self.photo).hexdigest(), self.scanned_at.isoformat()]
        return hashlib.sha256(json.dumps([*content, self.event_id]).encode()).hexdigest()


def _contact(user: User, reading: CardReading) -> Contact:
    fields = reading.fields

    def value(read) -> str:
        return read.value if read else ""

    card = make_card(
        full_name=value(fields.name),
        title=value(fields.title),
        company=value(fields.company),
        emails=[read.value for read in fields.emails],
        phones=[read.value for read in fields.phones],
        urls=[value(fields.website)],
        notes=[address_note(fields.address.value) if fields.address else ""],
    )
    raw = "\n\n".join(filter(None, [reading.qr, reading.text]))
    contact, _ = card_contact(user, card, raw=raw, source="card_to_check")
    if contact.needs_checking:  # kept for the check screen: which fields the user should look at
        contact.card_fields = fields.as_json()
    return contact


def record_card_photo(
    user: User, request: CardPhotoRequest, *, answer: Answer = None
) -> tuple[Applied, CardReading]:
    """Read the card and apply it once; ScanError or PhotoError (nothing changed) when it
    can't be.

    `answer`: see `apply_once`. The contact is "card to check" until the user confirms it (a
    card of someone already known by email adds a meeting to that contact instead).
    """
    write = ClientWrite(user.id, request.client_id, "card_photo", request.fingerprint())
    event = scan_event(user, request)
    reading = read_card(request.photo, phone_region(event and event.timezone, user.timezone))
    photo = reencode(request.photo)  # kept with the contact: small, EXIF (and GPS) gone

    def apply() -> Contact:
        event = scan_event(user, request)
        contact = _contact(user, reading)
        if not contact.photo_version:  # a contact known already keeps the photo they had
            set_photo(contact, photo)
        event_id = event.id if event else None
        record_meeting(
            contact, kind="scan", met_at=request.scanned_at, event=event, event_id=event_id
        )
        return contact

    try:
        return apply_once(write, apply, answer), reading
    except ReusedClientId:
        raise ScanError(
            "This card photo id was already used for another photo.", status=409
        ) from None
