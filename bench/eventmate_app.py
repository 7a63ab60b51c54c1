"""EventMate as the benchmark serves it: `gunicorn 'eventmate_app:create_bench_app()'`.

The database is the one named by `BENCH_DATABASE_URI`. Rate limiting is off: the benchmark
logs in more sessions from 127.0.0.1 than the login limit allows, and `/api/scans` has no limit
of its own. Everything else (CSRF, login sessions, security headers) is as in production.
"""

import os

from flask import Flask

from eventmate import create_app


def create_bench_app(database_uri: str | None = None) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_uri or os.environ["BENCH_DATABASE_URI"],
            "RATELIMIT_ENABLED": False,
        }
    )
