"""Every uploaded photo, decoded and re-encoded: what is stored is a small JPEG that holds
pixels only. No EXIF (so no GPS position, camera or time), no ICC profile, no comment; turned
upright first, as the camera's orientation tag said.

Pure functions: no Flask, no database.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a phone camera's full-size JPEG, with room to spare
MAX_PIXELS = 64_000_000  # past a 50-megapixel camera; more is a decompression bomb
MAX_SIDE = 512  # px, the long side: sharp in a 72 px circle on a 3x screen, and small
JPEG_QUALITY = 82
TOO_LARGE = f"That photo is over {MAX_UPLOAD_BYTES // 2**20} MB. Choose a smaller one."
NOT_A_PHOTO = "That file isn't a photo we can read. Choose a JPEG, PNG, WebP or GIF image."


class PhotoError(ValueError):
    """A sentence for the user, and the HTTP status that goes with it."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Photo:
    jpeg: bytes
    version: str  # names these bytes in URLs


def read_capped(stream, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The stream's bytes, refused (413) past `limit` before anything is decoded."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoError(TOO_LARGE, 413)
    if not data:
        raise PhotoError("Choose a photo first.", 400)
    return data


def reencode(data: bytes) -> Photo:
    """The upload as an upright JPEG of at most MAX_SIDE px on its long side, metadata gone.

    PhotoError 415 for what isn't an image Pillow reads, 413 for more pixels than MAX_PIXELS
    (checked from the header, before the pixels are decoded).
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(TOO_LARGE, 413)
    try:
        bombs = warnings.catch_warnings(action="error", category=Image.DecompressionBombWarning)
        with bombs, Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoError(_too_many_pixels(), 413)
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at 1/2…1/8 scale, faster
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            clean = _pixels_only(upright)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_too_many_pixels(), 413) from None
    except Exception:
        # Pillow's decoders raise all kinds on a corrupt file: UnidentifiedImageError, OSError
        # (truncated), SyntaxError, TypeError (bad EXIF), … (a fuzz of mutated files found them)
        raise PhotoError(NOT_A_PHOTO, 415) from None
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    jpeg = out.getvalue()
    return Photo(jpeg=jpeg, version=hashlib.sha256(jpeg).hexdigest()[:16])


def _pixels_only(image: Image.Image) -> Image.Image:
    """An RGB copy on white (transparency flattened) in a new image: nothing of the file's
    `info` (EXIF, ICC profile, comment, XMP) can follow it into the JPEG."""
    rgba = image.convert("RGBA")
    clean = Image.new("RGB", rgba.size, "white")
    clean.paste(rgba, mask=rgba.getchannel("A"))
    return clean


def _too_many_pixels() -> str:
    return f"That image has more than {MAX_PIXELS // 1_000_000} megapixels. Choose a smaller one."
