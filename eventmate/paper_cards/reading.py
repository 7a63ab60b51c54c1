"""Photo in, fields out: the whole path, and where a QR code on the card wins over OCR."""

from dataclasses import dataclass

from ..badges import ParsedPayload
from .fields import CardFields, ReadField, phone_number, read_fields
from .image import PhotoError, open_photo
from .ocr import read_lines
from .qr import read_qr

QR_CONFIDENCE = 1.0  # a QR code's text is exact


@dataclass
class CardReading:
    fields: CardFields
    text: str  # every line read, top to bottom: kept with the contact, so nothing read is lost
    qr: str = ""  # what a QR code on the card held, as it held it


def read_card(photo: bytes, region: str | None) -> CardReading:
    """Read a photographed card; PhotoError (413, 415, 422) when it is no image or shows no text."""
    image = open_photo(photo)
    lines = read_lines(image)
    fields = read_fields(lines, region)
    qr = read_qr(image)
    if qr is not None:
        with_qr(fields, qr, region)
    text = "\n".join(line.text for line in lines)
    if not text.strip() and qr is None:
        raise PhotoError(
            "No text could be read on that photo. Take it again closer, flat and in good light.",
            422,
        )
    return CardReading(fields, text, qr.raw if qr else "")


def with_qr(fields: CardFields, qr: ParsedPayload, region: str | None) -> None:
    """Replace what OCR read with what the QR code holds, field by field where it has one."""
    card = qr.details()

    def exact(value: str) -> ReadField | None:
        return ReadField(value, QR_CONFIDENCE) if value else None

    fields.name = exact(card.full_name) or fields.name
    fields.title = exact(card.title) or fields.title
    fields.company = exact(card.company) or fields.company
    fields.website = exact(card.urls[0] if card.urls else "") or fields.website
    if card.emails:
        fields.emails = [ReadField(email, QR_CONFIDENCE) for email in card.emails]
    if card.phones:
        numbers = (phone_number(phone, region) or phone for phone in card.phones)
        fields.phones = [ReadField(number, QR_CONFIDENCE) for number in numbers]
