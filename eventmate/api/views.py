"""JSON API used by the app's pages and the offline outbox. Every write is idempotent."""

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from ..cards.links import card_hosts
from ..contacts.serialize import contact_json
from ..contacts.snapshot import people_snapshot
from ..database import writes_late
from ..models.base import utcnow
from ..photos.images import PhotoError
from ..photos.uploads import takes_photo, uploaded_bytes, uploaded_photo
from ..scanning.card_photos import record_card_photo
from ..scanning.service import ScanError, record_scan
from .captures import CaptureError, capture_request, record_capture
from .follow_ups import record_action
from .photos import photo_request, record_photo
from .validation import InvalidRequest, card_photo_request, scan_request, timestamp

bp = Blueprint("api", __name__, url_prefix="/api")


def error(message: str, status: int):
    return jsonify(error=message), status


@bp.errorhandler(InvalidRequest)
def invalid_request(exc: InvalidRequest):
    return error(str(exc), 400)


@bp.errorhandler(ScanError)
def scan_failed(exc: ScanError):
    return error(exc.message, exc.status)


@bp.errorhandler(CaptureError)
def capture_failed(exc: CaptureError):
    return error(exc.message, exc.status)


@bp.errorhandler(PhotoError)
def photo_refused(exc: PhotoError):
    return error(exc.message, exc.status)


def json_body():
    body = request.get_json(silent=True)
    if body is None:
        raise InvalidRequest("Send a JSON body with Content-Type: application/json.")
    return body


@bp.post("/scans")
@writes_late
@login_required
def create_scan():
    scan = scan_request(json_body(), now=utcnow())
    outcome = record_scan(current_user, scan, card_hosts=card_hosts(), answer=contact_json)
    return jsonify(outcome.answer | {"scan_id": scan.client_id}), 201 if outcome.created else 200


@bp.get("/contacts")
@login_required
def list_contacts():
    """The phone's offline copy: every contact, or (`?since=` the last copy's `synced_at`) those
    changed since, with every id still there (`contacts/snapshot.py`)."""
    now = utcnow()
    since = timestamp(request.args, "since", now=now) if "since" in request.args else None
    response = jsonify(people_snapshot(current_user, since=since, now=now))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/csrf")
@login_required
def csrf_token():
    """A fresh CSRF token for the outbox to replay writes queued hours ago, and whose they are."""
    response = jsonify(csrf_token=generate_csrf(), user=current_user.id)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/captures")
@writes_late
@login_required
def create_capture():
    """Tags, notes and answers from the phone; merge rules in `captures.py`."""
    capture = capture_request(json_body())
    outcome = record_capture(current_user, capture, answer=contact_json)
    body = outcome.answer | {"client_id": capture.client_id}
    return jsonify(body), 201 if outcome.created else 200


@bp.post("/card-photos")
@takes_photo
@writes_late
@login_required
def create_card_photo():
    """A photographed paper card (multipart): the contact "card to check" and the fields read;
    see `scanning/card_photos.py`."""
    card = card_photo_request(request.form, uploaded_bytes(), now=utcnow())
    outcome, reading = record_card_photo(current_user, card, answer=contact_json)
    body = outcome.answer | {"client_id": card.client_id, "fields": reading.fields.as_json()}
    return jsonify(body), 201 if outcome.created else 200


@bp.post("/photos")
@takes_photo
@writes_late
@login_required
def create_photo():
    """A contact's photo from the phone (multipart); see `photos.py`."""
    sent = photo_request(request.form, uploaded_photo())
    outcome = record_photo(current_user, sent, answer=contact_json)
    body = outcome.answer | {"client_id": sent.client_id}
    return jsonify(body), 201 if outcome.created else 200


@bp.post("/follow-ups/<int:follow_up_id>/done")
@writes_late
@login_required
def follow_up_done(follow_up_id: int):
    """Done, from the inbox by way of the outbox: see `follow_ups.py`."""
    return jsonify(record_action(current_user, follow_up_id, "done", json_body(), now=utcnow()))


@bp.post("/follow-ups/<int:follow_up_id>/undo")
@writes_late
@login_required
def follow_up_undo(follow_up_id: int):
    """Undo "done": see `follow_ups.py`."""
    return jsonify(record_action(current_user, follow_up_id, "undo", json_body(), now=utcnow()))
