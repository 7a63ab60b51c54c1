"""Reading a photographed paper business card: photo → text → contact fields.

Plain functions, no Flask: `image.py` loads and bounds the photo, `ocr.py` runs the OCR engine
(RapidOCR, models inside its PyPI package), `qr.py` reads a QR code if the photo has one,
`fields.py` turns the text lines into fields, `reading.py` puts them together.
"""

from .fields import CardFields, ReadField, read_fields
from .reading import CardReading, read_card

__all__ = ["CardFields", "CardReading", "ReadField", "read_card", "read_fields"]
