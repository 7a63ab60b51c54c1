"""The Scan screen. Without JavaScript its form posts here; with it, the page uses the API."""

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..cards.links import card_hosts
from ..contacts.capture import blank_capture
from ..models.base import utcnow
from .service import ScanError, ScanRequest, record_scan

bp = Blueprint("scanning", __name__)


@bp.get("/scan")
@login_required
def scan():
    return render_template("scanning/scan.html", **blank_capture(current_user, utcnow()))


@bp.post("/scan")
@login_required
def scan_form():
    payload = request.form.get("payload", "")
    try:
        if not payload.strip():
            raise ScanError("Paste or type what the QR code or badge says.")
        scan_request = ScanRequest(str(uuid.uuid4()), payload, utcnow(), None)
        outcome = record_scan(current_user, scan_request, card_hosts=card_hosts())
    except ScanError as error:
        flash(error.message, "error")
        page = render_template(
            "scanning/scan.html", payload=payload, **blank_capture(current_user, utcnow())
        )
        return page, error.status
    return redirect(url_for("contacts.edit", contact_id=outcome.contact.id, scanned=1))
