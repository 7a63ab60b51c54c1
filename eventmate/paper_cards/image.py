"""Loading an uploaded photo safely and in the size the OCR reads best at."""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

# The OCR's detector works at this size; larger only costs time (measured: bench/card_ocr.py).
OCR_SIDE = 1280
# A 50-megapixel phone photo is the most we decode: bigger is a decompression bomb, not a card.
MAX_PIXELS = 50_000_000
# What phone cameras and pickers give; other formats (EPS, say) call out to other programs.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")


class PhotoError(ValueError):
    """The sentence says what is wrong with the photo."""


def open_photo(data: bytes) -> Image.Image:
    """The photo upright (EXIF orientation applied), in RGB, at most OCR_SIDE on its long side."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=PHOTO_FORMATS)
        too_many_pixels = image.width * image.height > MAX_PIXELS
        if not too_many_pixels:
            image.draft("RGB", (OCR_SIDE, OCR_SIDE))  # JPEG: decode at a fraction of the size
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(
            "That file is not a photo we can read; send a JPEG, PNG or WebP."
        ) from None
    except (OSError, ValueError, SyntaxError):
        raise PhotoError("That photo is damaged or cut short; take it again.") from None
    if too_many_pixels:
        raise PhotoError("That photo has too many pixels; send one of 50 megapixels or less.")
    image.thumbnail((OCR_SIDE, OCR_SIDE))
    return image
