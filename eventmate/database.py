"""Database wiring: SQLite tuning for a small server, and the write-transaction helper.

SQLite allows one writer at a time. A deferred transaction that read first and then writes
can fail at once with "database is locked" when another connection committed in between
(the busy timeout does not apply to that case). Requests that change data therefore start
with `BEGIN IMMEDIATE`, which waits for the write lock up front. PostgreSQL needs none of it.

Only one request at a time holds that lock, so how long it is held caps how many writes per
second SQLite serves. Views marked `@writes_late` read and check first (login session, JSON,
badge parsing) and call `begin_write()` only when they are about to write.
"""

from collections.abc import Callable
from pathlib import Path

from flask import Flask, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db, migrate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IMMEDIATE = "eventmate_begin_immediate"


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _unicode_lower(text):
    return text.lower() if isinstance(text, str) else text


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        # SQLite's own lower() folds ASCII only: "élodie" must find "Élodie", as on PostgreSQL.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = bool(connection.get_execution_options().get(IMMEDIATE))
        connection.info[IMMEDIATE] = immediate  # the pool record's: reset at every BEGIN
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def holds_write_lock() -> bool:
    """On SQLite, whether the session's transaction began as a write transaction: then no
    other connection can write until it ends."""
    session = db.session()
    return (
        is_sqlite() and session.in_transaction() and bool(session.connection().info.get(IMMEDIATE))
    )


def begin_write() -> None:
    """Make the session's transaction a write transaction (a no-op off SQLite).

    A read transaction already open is ended first (it can't safely turn into a write one),
    and what it loaded is expired, to be read again under the lock when next used; all but
    the login session's user, whose row the request has just checked: reading it again would
    cost every write a query.
    """
    if not is_sqlite() or holds_write_lock():
        return
    session = db.session()
    if session.in_transaction():
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = True
        signed_in = _signed_in_user()
        for instance in list(session.identity_map.values()):
            if instance is not signed_in:
                session.expire(instance)
    session.connection(execution_options={IMMEDIATE: True})


def _signed_in_user():
    return current_user._get_current_object() if has_request_context() else None


def writes_late(view: Callable) -> Callable:
    """Mark a view that calls `begin_write()` itself, right before it writes (see above)."""
    view.writes_late = True
    return view


def init_app(app: Flask) -> None:
    db.init_app(app)
    migrations = Path(app.root_path).parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations), render_as_batch=True)
    with app.app_context():
        if is_sqlite():
            _tune_sqlite(db.engine)

    @app.before_request
    def start_write_transaction():
        view = app.view_functions.get(request.endpoint)
        if request.method not in SAFE_METHODS and not getattr(view, "writes_late", False):
            begin_write()
