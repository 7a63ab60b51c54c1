"""Devices subscribing to push: the JSON API the reminder ask card's "Remind me" uses, and the
Reminders page's remove button."""

from flask import Blueprint, current_app, flash, jsonify, redirect, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..reminders.channels import with_push
from .endpoints import EndpointRefused
from .labels import device_label
from .subscriptions import (
    HeldByAnotherAccount,
    InvalidSubscription,
    parse_subscription,
    remove_device,
    subscribe,
    unsubscribe,
)
from .vapid import vapid_keys

bp = Blueprint("push", __name__)


def device_json(subscription) -> dict:
    return {
        "id": subscription.id,
        "label": subscription.label,
        "created_at": subscription.created_at.isoformat(),
    }


@bp.errorhandler(InvalidSubscription)
@bp.errorhandler(EndpointRefused)
def refused(error: ValueError):
    return jsonify(error=str(error)), 400


@bp.errorhandler(HeldByAnotherAccount)
def held_elsewhere(error: HeldByAnotherAccount):
    return jsonify(error=str(error)), 409


@bp.get("/api/push/key")
@login_required
def public_key():
    """The VAPID public key, the page's `applicationServerKey`."""
    return jsonify(publicKey=vapid_keys().public_key)


@bp.post("/api/push/subscriptions")
@login_required
def add_subscription():
    allow_loopback = current_app.config["PUSH_ALLOW_LOOPBACK"]
    wanted = parse_subscription(request.get_json(silent=True), allow_loopback=allow_loopback)
    subscription, created = subscribe(
        current_user, wanted, device_label(request.headers.get("User-Agent", ""))
    )
    # "Remind me" on the ask card turns reminders on, by push.
    current_user.push_enabled = True
    current_user.reminder_channel = with_push(current_user.reminder_channel)
    db.session.commit()
    return jsonify(device_json(subscription)), 201 if created else 200


@bp.delete("/api/push/subscriptions")
@login_required
def delete_subscription():
    body = request.get_json(silent=True)
    endpoint = body.get("endpoint") if isinstance(body, dict) else None
    if not isinstance(endpoint, str) or not endpoint:
        raise InvalidSubscription('Send {"endpoint": …} of the subscription to remove.')
    removed = unsubscribe(current_user, endpoint)
    db.session.commit()
    return jsonify(removed=removed)


@bp.post("/account/devices/<int:device_id>/remove")
@login_required
def remove(device_id: int):
    if remove_device(current_user, device_id):
        db.session.commit()
        flash("That device will get no more reminders.", "success")
    return redirect(url_for("account.reminders", _anchor="devices"))
