"""EventMate as the benchmark serves it: `gunicorn 'eventmate_app:create_bench_app()'`.

The database is the one named by `BENCH_DATABASE_URI`. Rate limiting is off: the benchmark
logs in more sessions from 127.0.0.1 than the login limit allows, and `/api/scans` has no limit
of its own. Everything else (CSRF, login sessions, security headers) is as in production.
"""

import os

from flask import Flask, jsonify
from flask_login import current_user, login_required

from eventmate import create_app


def create_bench_app(database_uri: str | None = None) -> Flask:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_uri or os.environ["BENCH_DATABASE_URI"],
            "RATELIMIT_ENABLED": False,
        }
    )
    add_noop_endpoint(app)
    return app


def add_noop_endpoint(app: Flask) -> None:
    """`POST /bench/noop`: what any logged-in JSON write pays before it does anything.

    The app's request hooks run as for `/api/scans` (session cookie, CSRF, login session,
    security headers, the write transaction), then it answers at once. Between the bare
    endpoint and the scans, it tells the framework's share from the scan's own.
    """

    @app.post("/bench/noop")
    @login_required
    def bench_noop():
        return jsonify(ok=True, user=current_user.id)
