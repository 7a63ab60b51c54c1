"""Fixtures shared by every test: an app per database backend, a CSRF-aware client, accounts."""

import os
import re

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings

from eventmate import create_app
from eventmate.extensions import db

from .databases import BACKENDS, TESTDATA, describe_backends, prepare_database, reset_database

pytest.register_assert_rewrite("tests.mail_server")
from .mail_server import MAILBOX  # noqa: E402 -- after asking pytest to rewrite its asserts

# Fixtures of the push kit for every test, among them the autouse `no_outside_push`: any test
# that tries to send a push beyond 127.0.0.1, or to resolve a host name, fails.
# `smtp_url` and `mailbox`: a real SMTP server on 127.0.0.1 that receives the app's email.
pytest_plugins = ["tests.push_service", "tests.mail_server"]

STRONG_PASSWORD = "violet kettle orbit lantern"
FAST_TEST_HASH = "scrypt:4096:8:1"  # the production algorithm at an eighth of its cost
MAIL_FROM = "EventMate <no-reply@eventmate.test>"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


# Property-based tests: bounded for CI by default; HYPOTHESIS_PROFILE=thorough digs ten times
# deeper. Examples run inside one test's app and database (see tests/http/test_fuzz_endpoints.py),
# hence no deadline: a request's time depends on the machine's load, not on the input.
for name, examples in (("ci", 200), ("thorough", 2000)):
    settings.register_profile(
        name,
        max_examples=examples,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_report_header(config):
    return describe_backends()


class CsrfClient(FlaskClient):
    """A test client that sends the CSRF token the way the browser does: form field or header.

    Pass `csrf=False` to send a request without it (to prove it is refused).
    """

    def csrf_token(self) -> str:
        page = super().open("/scan" if self._logged_in() else "/login").get_data(as_text=True)
        match = CSRF_META.search(page)
        assert match, "every page must carry <meta name=csrf-token>"
        return match.group(1)

    def _logged_in(self) -> bool:
        with self.session_transaction() as session:
            return "_user_id" in session

    def open(self, *args, csrf: bool = True, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if csrf and method not in ("GET", "HEAD", "OPTIONS"):
            token = self.csrf_token()
            if "json" in kwargs:
                kwargs.setdefault("headers", {})["X-CSRFToken"] = token
            elif isinstance(kwargs.get("data", {}), dict):
                # A copy: callers may reuse their dict (parametrised tests do) with a stale token.
                kwargs["data"] = {"csrf_token": token, **kwargs.get("data", {})}
        return super().open(*args, **kwargs)


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path, smtp_url):
    database_url = prepare_database(request.param, tmp_path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "eventmate.test",
            "PASSWORD_HASH_METHOD": FAST_TEST_HASH,
            "SMTP_URL": smtp_url,
            "MAIL_FROM": MAIL_FROM,
        }
    )
    MAILBOX.clear()
    app.test_client_class = CsrfClient
    with app.app_context():
        reset_database(db)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_client(app):
    """More browsers: each call gives a client with its own cookie jar."""
    return app.test_client


class Accounts:
    def __init__(self, app):
        self.app = app

    def register(
        self,
        client,
        email="ana@example.org",
        name="Ana Ribeiro",
        password=STRONG_PASSWORD,
        timezone="Europe/Lisbon",
    ):
        """Sign up as a person does: the form, then the code from the email; logged in."""
        form = {"email": email, "password": password, "display_name": name, "timezone": timezone}
        response = client.post("/register", data=form)
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        confirmed = client.post(
            response.headers["Location"], data={"code": MAILBOX.latest_code(email)}
        )
        assert confirmed.status_code == 302, confirmed.get_data(as_text=True)[:2000]
        return confirmed

    def login(self, client, email="ana@example.org", password=STRONG_PASSWORD, **extra):
        return client.post("/login", data={"email": email, "password": password, **extra})

    def user(self, email):
        from eventmate.models import User

        with self.app.app_context():
            return db.session.scalar(db.select(User).where(User.email == email))


@pytest.fixture
def accounts(app):
    return Accounts(app)


@pytest.fixture
def ana(client, accounts):
    """A logged-in client for Ana."""
    accounts.register(client)
    return client


@pytest.fixture
def ben(make_client, accounts):
    """A second logged-in user, in their own browser."""
    other = make_client()
    accounts.register(other, email="ben@example.org", name="Ben Okafor")
    return other


@pytest.fixture
def testdata():
    if not TESTDATA.is_dir():
        pytest.skip(f"shared test data not found at {TESTDATA} (clone shared/ beside the repo)")
    return TESTDATA
