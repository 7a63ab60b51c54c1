"""Marking a follow-up done, and undoing it, from the phone (possibly offline, by the outbox).

`POST /api/follow-ups/<id>/done` and `POST /api/follow-ups/<id>/undo`, each with
`{"id": "<client UUID>"}`. Each is applied once per user and client id (`ClientRequest`), so a
resend after a lost answer changes nothing, even after a later Undo. Done on a follow-up that is
not open, or Undo on one that is not done, changes nothing either: both answer 200 with the
follow-up as it is. Another user's follow-up is 404.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime

from flask import abort

from ..extensions import db
from ..followups import service
from ..idempotency import ClientWrite, ReusedClientId, apply_once
from ..models import FollowUp, User
from .validation import client_id, require_object

ACTIONS: dict[str, Callable[[FollowUp, datetime], bool]] = {
    "done": service.mark_done,
    "undo": lambda follow_up, now: service.undo_done(follow_up),
}


def follow_up_json(follow_up: FollowUp) -> dict:
    return {
        "id": follow_up.id,
        "contact_id": follow_up.contact_id,
        "state": follow_up.state,
        "done_at": follow_up.done_at.isoformat() if follow_up.done_at else None,
    }


def record_action(user: User, follow_up_id: int, action: str, body, *, now: datetime) -> dict:
    """Apply `action` ("done" or "undo") once; the JSON answer, naming the client id."""
    write_id = client_id(require_object(body))
    follow_up = service.own_follow_up(user, follow_up_id)
    if follow_up is None:
        abort(404)
    fingerprint = hashlib.sha256(f"{action}:{follow_up_id}".encode()).hexdigest()
    write = ClientWrite(user.id, write_id, f"follow_up_{action}", fingerprint)

    def apply():
        ACTIONS[action](follow_up, now)
        return follow_up.contact

    try:
        apply_once(write, apply)
    except ReusedClientId:
        abort(409)
    db.session.refresh(follow_up)
    return {"client_id": write_id, "follow_up": follow_up_json(follow_up)}
