"""The ceiling: the least a new scan can cost on EventMate's stack, served like the others.

    gunicorn 'ceiling_app:create_ceiling_app()'   (BENCH_DATABASE_URI names the SQLite file)

It has EventMate's configuration and security extensions (CSRF, security headers, the login
session checked in the database on every request), EventMate's database and tables, and
accepts the same session cookies. Its `POST /api/scans` then does only what no implementation
of the endpoint can skip: read the JSON, check that the client id is new, and in one write
transaction insert the contact, its meeting, its follow-up and the client id, answering with
the contact as JSON. Raw SQL on one sqlite3 connection per worker: no ORM, no badge parsing,
no event or duplicate lookups, no follow-up rules.

Whatever share of the bare endpoint's throughput this reaches bounds what the real scan
endpoint can reach on this stack: the real one does all of this and more.
"""

import hashlib
import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask, jsonify, request
from flask_login import LoginManager, UserMixin, current_user, login_required

from eventmate import security
from eventmate.config import Config, apply_environment

_connection: sqlite3.Connection | None = None

LIVE_SESSION_USER = """
    SELECT users.id, users.display_name FROM users
    JOIN login_sessions ON login_sessions.user_id = users.id
    WHERE login_sessions.id = ? AND login_sessions.expires_at > ?
"""
EARLIER_SCAN = "SELECT contact_id FROM client_requests WHERE user_id = ? AND client_id = ?"
NEW_CONTACT = """
    INSERT INTO contacts (owner_id, source, full_name, title, company, emails, phones, urls,
        raw_payload, notes, met_face_to_face, do_not_introduce, is_ally, keep_in_touch_days,
        created_at, updated_at)
    VALUES (?, 'badge', '', '', '', '[]', '[]', '[]', ?, '', 1, 0, 0, 0, ?, ?)
"""
NEW_MEETING = """
    INSERT INTO meetings (contact_id, kind, met_at, event_name, face_to_face)
    VALUES (?, 'scan', ?, '', 1)
"""
NEW_FOLLOW_UP = """
    INSERT INTO follow_ups (owner_id, contact_id, due_at, state, reason, created_at)
    VALUES (?, ?, ?, 'open', 'new_contact', ?)
"""
NEW_CLIENT_ID = """
    INSERT INTO client_requests (user_id, client_id, kind, fingerprint, contact_id, received_at)
    VALUES (?, ?, 'scan', ?, ?, ?)
"""


def database_path() -> Path:
    return Path(os.environ["BENCH_DATABASE_URI"].removeprefix("sqlite:///"))


def connection() -> sqlite3.Connection:
    """This worker's connection, opened after gunicorn forked it, tuned as EventMate's."""
    global _connection
    if _connection is None:
        _connection = sqlite3.connect(database_path(), isolation_level=None, timeout=30)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            _connection.execute(f"PRAGMA {pragma}")
    return _connection


def timestamp(moment: datetime) -> str:
    """As SQLAlchemy stores a naive UTC datetime in SQLite."""
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class SessionUser(UserMixin):
    """What the login session names; `get_id` is the session id, as EventMate's `User`."""

    def __init__(self, session_id: str, user_id: int, display_name: str):
        self.session_id, self.id, self.display_name = session_id, user_id, display_name

    def get_id(self) -> str:
        return self.session_id


def load_user(session_id: str) -> SessionUser | None:
    now = timestamp(datetime.now(UTC))
    row = connection().execute(LIVE_SESSION_USER, (session_id, now)).fetchone()
    return SessionUser(session_id, *row) if row else None


def record_scan(
    user_id: int, client_id: str, payload: str, scanned_at: datetime
) -> tuple[dict, int]:
    """The scan's contact as JSON and 201, or 200 and the contact's id for a client id seen."""
    db = connection()
    earlier = db.execute(EARLIER_SCAN, (user_id, client_id)).fetchone()
    if earlier:
        return {"id": earlier[0], "scan_id": client_id}, 200
    content = [payload, scanned_at.isoformat(), None]
    fingerprint = hashlib.sha256(json.dumps(content).encode()).hexdigest()
    now = datetime.now(UTC)
    created, due = timestamp(now), timestamp(now + timedelta(hours=18))
    db.execute("BEGIN IMMEDIATE")
    try:
        contact_id = db.execute(NEW_CONTACT, (user_id, payload, created, created)).lastrowid
        db.execute(NEW_MEETING, (contact_id, timestamp(scanned_at)))
        db.execute(NEW_FOLLOW_UP, (user_id, contact_id, due, created))
        db.execute(NEW_CLIENT_ID, (user_id, client_id, fingerprint, contact_id, created))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    contact = {
        "id": contact_id,
        "source": "badge",
        "raw_payload": payload,
        "met_face_to_face": True,
        "meetings": [{"kind": "scan", "met_at": scanned_at.isoformat(), "event": None}],
        "tags": [],
        "answers": [],
        "created_at": created,
        "scan_id": client_id,
    }
    return contact, 201


def create_ceiling_app() -> Flask:
    app = Flask(__name__, instance_path=str(database_path().parent))
    app.config.from_object(Config)
    app.config.update(RATELIMIT_ENABLED=False, SQLALCHEMY_DATABASE_URI="unused")
    apply_environment(app.config, app.instance_path)
    security.init_app(app)
    login_manager = LoginManager(app)
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)

    @app.post("/api/scans")
    @login_required
    def create_scan():
        body = request.get_json(silent=True)
        fields = ("id", "payload", "scanned_at")
        if not isinstance(body, dict) or not all(isinstance(body.get(f), str) for f in fields):
            return jsonify(error="Send id, payload and scanned_at."), 400
        try:
            scanned_at = datetime.fromisoformat(body["scanned_at"]).astimezone(UTC)
        except ValueError:
            return jsonify(error="scanned_at is not an ISO 8601 time."), 400
        answer, status = record_scan(current_user.id, body["id"], body["payload"], scanned_at)
        return jsonify(answer), status

    return app
