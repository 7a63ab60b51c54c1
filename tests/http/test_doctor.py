"""`flask --app app doctor`: each check against the real thing (PostgreSQL or SQLite, the Redis on
127.0.0.1:6379, the tests' aiosmtpd server), and one wrong setting at a time. Malformed
VAPID_SUBJECT or SMTP_URL values never get this far: the app refuses to start with them."""

from contextlib import ExitStack

import pytest
import redis
from flask_migrate import upgrade

from eventmate import create_app
from eventmate.doctor import fingerprint
from eventmate.extensions import db
from tests.mail_server import free_port
from tests.push_service import new_vapid_private_key

from ..databases import BACKENDS, fresh_database

REDIS_URL = "redis://127.0.0.1:6379/0"
VAPID_KEY = new_vapid_private_key()


@pytest.fixture(scope="module")
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error})")
    return REDIS_URL


@pytest.fixture
def ready(tmp_path, smtp_url, redis_url):
    """A deployment every check passes, on a migrated database: settings -> app."""
    with ExitStack() as stack:
        databases = {}

        def make(backend="sqlite", *, migrated=True, **changes):
            if backend not in databases:
                databases[backend] = stack.enter_context(fresh_database(backend, tmp_path))
            config = {
                "SECRET_KEY": "the-shared-secret-key",
                "SQLALCHEMY_DATABASE_URI": databases[backend],
                # Said, not left to the default: Flask-Limiter's default for the next app is
                # whatever the last app in this process had (tests switch limits off).
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_STORAGE_URI": redis_url,
                "PUBLIC_BASE_URL": "https://eventmate.example.org",
                "VAPID_PRIVATE_KEY": VAPID_KEY,
                "VAPID_SUBJECT": "mailto:ops@eventmate.example.org",
                "SMTP_URL": smtp_url,
                "MAIL_FROM": "EventMate <no-reply@eventmate.example.org>",
            } | changes
            app = create_app(config)
            if migrated:
                with app.app_context():
                    upgrade()
                    db.engine.dispose()
            return app

        yield make


def doctor(app, *args):
    result = app.test_cli_runner().invoke(args=["doctor", *args])
    with app.app_context():
        db.engine.dispose()
    return result


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_ready_deployment_passes_and_prints_its_fingerprints(ready, backend):
    app = ready(backend)
    result = doctor(app)
    assert result.exit_code == 0, result.output
    assert f"fingerprint SECRET_KEY={fingerprint('the-shared-secret-key')}" in result.output
    assert "PROBLEM" not in result.output
    assert "the-shared-secret-key" not in result.output
    assert result.output.rstrip().endswith("OK: ready to serve.")


def test_machines_with_the_same_keys_agree_and_another_key_is_named(ready, tmp_path):
    first = ready()
    printed = doctor(first, "--fingerprints")
    assert printed.exit_code == 0
    file = tmp_path / "fingerprints.txt"
    file.write_text(printed.output)

    same = doctor(ready(), "--expect-fingerprints", str(file))
    assert same.exit_code == 0, same.output

    other_vapid = ready(VAPID_PRIVATE_KEY=new_vapid_private_key())
    result = doctor(other_vapid, "--expect-fingerprints", str(file))
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("PROBLEM")]
    assert len(problems) == 1 and "VAPID_KEY differs" in problems[0], result.output

    secret = printed.output.splitlines()[0]
    other_secret = ready(SECRET_KEY="another-key")
    result = doctor(other_secret, "--expect-fingerprint", secret)
    assert result.exit_code == 1 and "SECRET_KEY differs" in result.output


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_database_behind_the_migrations_is_a_problem(ready, backend):
    result = doctor(ready(backend, migrated=False))
    assert result.exit_code == 1
    assert "PROBLEM: database migrations: at none, this version needs" in result.output
    assert "db upgrade" in result.output


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{free_port()}/0"}, "Redis at"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI is memory://"),
        ({"PUBLIC_BASE_URL": "http://eventmate.example.org"}, "PUBLIC_BASE_URL is http://"),
        ({"PUBLIC_BASE_URL": ""}, "PUBLIC_BASE_URL is not set"),
        ({"VAPID_SUBJECT": ""}, "VAPID_SUBJECT is not set"),
        ({"SMTP_URL": f"smtp://127.0.0.1:{free_port()}"}, "SMTP server of SMTP_URL"),
    ],
)
def test_each_wrong_setting_is_one_problem(ready, changes, expected):
    result = doctor(ready(**changes))
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("PROBLEM")]
    assert len(problems) == 1, result.output
    assert expected in problems[0]


def test_an_unreachable_database_is_a_problem(tmp_path, smtp_url):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing"
    app = create_app({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": url, "SMTP_URL": smtp_url})
    result = doctor(app)
    assert result.exit_code == 1
    assert "PROBLEM: database: can't connect" in result.output
