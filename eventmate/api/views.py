"""JSON API used by the app's pages and the offline outbox. Every write is idempotent."""

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from ..cards.links import card_hosts
from ..contacts.search import search_contacts
from ..contacts.serialize import contact_json
from ..models.base import utcnow
from ..scanning.service import ScanError, record_scan
from .validation import InvalidRequest, scan_request

bp = Blueprint("api", __name__, url_prefix="/api")


def error(message: str, status: int):
    return jsonify(error=message), status


@bp.errorhandler(InvalidRequest)
def invalid_request(exc: InvalidRequest):
    return error(str(exc), 400)


@bp.errorhandler(ScanError)
def scan_failed(exc: ScanError):
    return error(exc.message, exc.status)


def json_body():
    body = request.get_json(silent=True)
    if body is None:
        raise InvalidRequest("Send a JSON body with Content-Type: application/json.")
    return body


@bp.post("/scans")
@login_required
def create_scan():
    scan = scan_request(json_body(), now=utcnow())
    outcome = record_scan(current_user, scan, card_hosts=card_hosts())
    body = contact_json(outcome.contact) | {"scan_id": scan.client_id}
    return jsonify(body), 201 if outcome.created else 200


@bp.get("/contacts")
@login_required
def list_contacts():
    contacts = search_contacts(current_user)
    return jsonify(contacts=[contact_json(contact) for contact in contacts])
