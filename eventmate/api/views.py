"""JSON API used by the app's pages and the offline outbox. Every write is idempotent."""

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from ..cards.links import card_hosts
from ..contacts.search import search_contacts
from ..contacts.serialize import contact_json
from ..database import writes_late
from ..models.base import utcnow
from ..scanning.card_photos import record_card_photo
from ..scanning.service import ScanError, record_scan
from .captures import CaptureError, capture_request, record_capture
from .validation import MAX_PHOTO_BYTES, InvalidRequest, card_photo_request, scan_request

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
    contacts = search_contacts(current_user)
    return jsonify(contacts=[contact_json(contact) for contact in contacts])


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
@writes_late
@login_required
def create_card_photo():
    """A photographed paper card (multipart): the contact "card to check" and the fields read."""
    # Only this route takes a photo; the app-wide limit stays small. Room for the other fields.
    request.max_content_length = MAX_PHOTO_BYTES + 64 * 1024
    card = card_photo_request(request.form, request.files, now=utcnow())
    outcome, reading = record_card_photo(current_user, card, answer=contact_json)
    body = outcome.answer | {"client_id": card.client_id, "fields": reading.fields.as_json()}
    return jsonify(body), 201 if outcome.created else 200
