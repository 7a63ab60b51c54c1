"""A contact's photo taken on the phone, possibly offline, sent by the outbox.

`POST /api/photos` takes multipart/form-data: "id" (the client UUID), either "contact_id" or
"scan_id" (the client id of the scan that made the contact, queued in the same outbox), and
the file "photo" (the phone made it a JPEG of at most 512 px; it is re-encoded here all the
same, see photos/images.py).

Applied once per user and client id (`ClientRequest` of kind "photo"): a resend answers 200
with the contact as it is now; the same id with another photo or contact answers 409.
"""

import hashlib
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from ..idempotency import Answer, Applied, ClientWrite, ReusedClientId, apply_once
from ..ids import database_id
from ..models import User
from ..photos.images import Photo
from ..photos.service import set_photo
from .captures import CaptureError, named_contact
from .validation import UUID_PATTERN, InvalidRequest, client_id


@dataclass(frozen=True)
class PhotoRequest:
    client_id: str
    contact_id: int | None
    scan_id: str | None
    photo: Photo


def photo_request(form: MultiDict, photo: Photo) -> PhotoRequest:
    """Check the form's fields (400 with a sentence); the photo is already re-encoded."""
    request_id = client_id(form)
    contact_id = form.get("contact_id", type=database_id)
    scan_id = form.get("scan_id") or None
    if scan_id is not None and not UUID_PATTERN.match(scan_id):
        raise InvalidRequest('"scan_id" must be the UUID of a scan made by the app.')
    if (contact_id is None) == (scan_id is None):
        raise InvalidRequest('Name the contact: give either "contact_id" or "scan_id".')
    return PhotoRequest(request_id, contact_id, scan_id.lower() if scan_id else None, photo)


def record_photo(user: User, sent: PhotoRequest, *, answer: Answer = None) -> Applied:
    """Set the contact's photo once and commit; CaptureError (nothing changed) when it can't
    be. The fingerprint is the re-encoded photo's: the same file sent twice gives the same."""
    target = f"{sent.contact_id}/{sent.scan_id}/{sent.photo.version}"
    fingerprint = hashlib.sha256(target.encode()).hexdigest()
    write = ClientWrite(user.id, sent.client_id, "photo", fingerprint)

    def apply():
        contact = named_contact(user, sent.contact_id, sent.scan_id, of="this photo belongs to")
        set_photo(contact, sent.photo)
        return contact

    try:
        return apply_once(write, apply, answer)
    except ReusedClientId:
        raise CaptureError(
            "This photo's id was already used for another photo.", status=409
        ) from None
