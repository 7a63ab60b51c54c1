"""The database backends tests run on: SQLite always, PostgreSQL when a server answers.

PostgreSQL is taken from `TEST_DATABASE_URL`, else `DATABASE_URL`, else the local server CI runs
(postgres@127.0.0.1:5432). Tests get a database of their own, created for this run and dropped
at the end, so an existing database is never touched.
"""

import atexit
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _server_url() -> sa.URL:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    parsed = sa.make_url(url)
    return parsed.set(drivername="postgresql+psycopg")


def _probe() -> str | None:
    """None when PostgreSQL is reachable, else why not."""
    try:
        engine = sa.create_engine(_server_url(), connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # any failure means "not available", and we say which
        return f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
    return None


POSTGRES_PROBLEM = _probe()


def _backends():
    import pytest

    reason = f"PostgreSQL not reachable at {_server_url().render_as_string()} ({POSTGRES_PROBLEM})"
    postgres = pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            POSTGRES_PROBLEM is not None, reason=reason if POSTGRES_PROBLEM else ""
        ),
    )
    return ["sqlite", postgres]


BACKENDS = _backends()
_created: dict[str, str] = {}


def describe_backends() -> str:
    if POSTGRES_PROBLEM:
        return f"databases: SQLite only — PostgreSQL tests SKIPPED: {POSTGRES_PROBLEM}"
    return f"databases: SQLite and PostgreSQL ({_server_url().render_as_string()})"


def _postgres_test_database() -> str:
    if "url" not in _created:
        name = f"eventmate_test_{secrets.token_hex(4)}"
        admin = sa.create_engine(_server_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        _created["url"] = _server_url().set(database=name).render_as_string(hide_password=False)
        atexit.register(_drop, name)
    return _created["url"]


def _drop(name: str) -> None:
    admin = sa.create_engine(_server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def prepare_database(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return _postgres_test_database()


def reset_database(db) -> None:
    """Empty tables matching the models: created once per run, truncated per test."""
    if db.engine.dialect.name == "postgresql":
        db.create_all()
        tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    else:
        db.create_all()


@contextmanager
def fresh_database(backend: str, tmp_path: Path):
    """An empty database of its own (for migration tests), dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"eventmate_fresh_{secrets.token_hex(4)}"
    admin = sa.create_engine(_server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield _server_url().set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(name)
        admin.dispose()
