"""Loading an uploaded photo safely and in the size the OCR reads best at."""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from ..photos.images import MAX_PIXELS, NOT_A_PHOTO, PhotoError

# The OCR's detector works at this size; larger only costs time (measured: bench/card_ocr.py).
OCR_SIDE = 1280
# What phone cameras and pickers give; other formats (EPS, say) call out to other programs.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")


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
        raise PhotoError(NOT_A_PHOTO, 415) from None
    except (OSError, ValueError, SyntaxError):
        raise PhotoError("That photo is damaged or cut short. Take it again.", 415) from None
    if too_many_pixels:
        raise PhotoError(
            f"That photo has more than {MAX_PIXELS // 10**6} megapixels. Take a smaller one.", 413
        )
    image.thumbnail((OCR_SIDE, OCR_SIDE))
    return image
