"""Database wiring: SQLite tuning for a small server, and the write-transaction helper.

SQLite allows one writer at a time. A deferred transaction that read first and then writes
can fail at once with "database is locked" when another connection committed in between
(the busy timeout does not apply to that case). Requests that change data therefore start
with `BEGIN IMMEDIATE`, which waits for the write lock up front. PostgreSQL needs none of it.
"""

from pathlib import Path

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db, migrate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IMMEDIATE = "eventmate_begin_immediate"


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


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

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = connection.get_execution_options().get(IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write() -> None:
    """Start the session's transaction as a write transaction (a no-op off SQLite)."""
    if is_sqlite() and not db.session().in_transaction():
        db.session.connection(execution_options={IMMEDIATE: True})


def init_app(app: Flask) -> None:
    db.init_app(app)
    migrations = Path(app.root_path).parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations), render_as_batch=True)
    with app.app_context():
        if is_sqlite():
            _tune_sqlite(db.engine)

    @app.before_request
    def start_write_transaction():
        if request.method not in SAFE_METHODS:
            begin_write()
