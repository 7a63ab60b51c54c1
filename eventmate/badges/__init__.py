"""Turn what a QR code or printed conference badge carries into contact data.

Reads vCard (2.1, 3.0, 4.0), MECARD, BIZCARD, MEBKM bookmarks, URLs and plain text, and
writes vCard 4.0. Pure Python, no Flask: the web layer only calls these functions.
"""

from .model import CardData, ParsedPayload, PayloadError
from .payload import MAX_PAYLOAD_BYTES, parse_payload
from .vcard_read import parse_vcard_bytes
from .vcard_write import card_to_vcard

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "CardData",
    "ParsedPayload",
    "PayloadError",
    "card_to_vcard",
    "parse_payload",
    "parse_vcard_bytes",
]
