"""A QR code printed on the card (a vCard, MECARD or link): it says exactly what OCR guesses."""

import zxingcpp
from PIL import Image

from ..badges import ParsedPayload, PayloadError, parse_payload


def read_qr(image: Image.Image) -> ParsedPayload | None:
    """The first QR code in the photo that holds a contact card or a link, else None."""
    for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        try:
            parsed = parse_payload(code.text)
        except PayloadError:
            continue
        if parsed.kind != "text":
            return parsed
    return None
