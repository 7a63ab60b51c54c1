"""Rate limits in one process: whose address counts, the per-account throttle's schedule and
answers, the deployment warning and what the documented storage needs installed."""

import re
from pathlib import Path

import pytest
from limits.storage import SCHEMES

from eventmate import create_app
from eventmate.auth import throttle
from eventmate.config import trusted_proxies
from eventmate.deployment import unshared_limits_warning
from eventmate.extensions import db, limiter
from tests.conftest import FAST_TEST_HASH, Accounts, CsrfClient

ROOT = Path(__file__).resolve().parents[2]
WAIT_SENTENCE = "Too many wrong passwords for this email, so we didn't check this one."


@pytest.fixture
def limited_app(tmp_path, smtp_url):
    """The app with its rate limits on (other tests switch them off), in-memory storage; its
    mail (sign-up codes) goes to the tests' SMTP server."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/limits.db",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "PASSWORD_HASH_METHOD": FAST_TEST_HASH,
            "SERVER_NAME": "eventmate.test",
            "SMTP_URL": smtp_url,
        }
    )
    app.test_client_class = CsrfClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def proxied_app(tmp_path, proxies: int):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/proxied.db",
            "WTF_CSRF_ENABLED": False,  # these tests are about whose address counts
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "TRUSTED_PROXIES": proxies,
            "PASSWORD_HASH_METHOD": FAST_TEST_HASH,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def wrong_logins(client, count: int, address: str | None, first: int = 0) -> list[int]:
    """Status codes of `count` wrong passwords, each for another email (no account throttle)."""
    headers = {"X-Forwarded-For": address} if address else {}
    return [
        client.post(
            "/login",
            data={"email": f"guess{first + n}@example.org", "password": "wrong password"},
            headers=headers,
            environ_base={"REMOTE_ADDR": "10.0.0.2"},  # the proxy
        ).status_code
        for n in range(count)
    ]


def test_behind_a_trusted_proxy_each_client_has_its_own_login_limit(tmp_path):
    client = proxied_app(tmp_path, proxies=1).test_client()
    assert wrong_logins(client, 21, "203.0.113.7") == [400] * 20 + [429]
    # Everyone else behind the same proxy still gets in.
    assert wrong_logins(client, 1, "203.0.113.8", first=100) == [400]
    # A client that adds an address of its own is still the one the proxy saw.
    assert wrong_logins(client, 1, "198.51.100.1, 203.0.113.7", first=200) == [429]


def test_without_trusted_proxies_x_forwarded_for_is_ignored(tmp_path):
    client = proxied_app(tmp_path, proxies=0).test_client()
    statuses = [wrong_logins(client, 1, f"203.0.113.{n}", first=n)[0] for n in range(21)]
    assert statuses == [400] * 20 + [429]


@pytest.mark.parametrize(("value", "count"), [("0", 0), ("1", 1), (" 2 ", 2)])
def test_trusted_proxies_setting(value, count):
    assert trusted_proxies(value) == count


@pytest.mark.parametrize("value", ["-1", "6", "yes", "1.5", ""])
def test_trusted_proxies_refuses_what_is_not_a_small_count(value):
    with pytest.raises(ValueError, match="TRUSTED_PROXIES must be a number of proxies"):
        trusted_proxies(value)


def test_the_wait_doubles_after_five_free_tries_up_to_15_minutes():
    waits = [throttle.wait_after(failures) for failures in range(1, 12)]
    assert waits == [0, 0, 0, 0, 60, 120, 240, 480, 900, 900, 900]


def test_an_account_waits_after_five_wrong_passwords_and_the_owner_is_told_when(limited_app):
    accounts = Accounts(limited_app)
    owner = limited_app.test_client()
    accounts.register(owner)
    owner.post("/logout")
    for number in range(5):
        response = accounts.login(owner, password=f"wrong password {number}")
        assert response.status_code == 400
        assert WAIT_SENTENCE not in response.get_data(as_text=True)
    response = accounts.login(owner)  # the right password, during the wait
    assert response.status_code == 429
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert WAIT_SENTENCE in page
    assert "try again in 1 minute." in page
    assert owner.get("/contacts/").status_code == 302  # not logged in


def test_an_unknown_email_gets_the_same_answers_as_an_account(limited_app):
    accounts = Accounts(limited_app)
    accounts.register(limited_app.test_client())
    answers = {}
    for email in ("ana@example.org", "nobody@example.org"):
        client = limited_app.test_client()
        answers[email] = [
            (
                response.status_code,
                re.sub(r'(value|content)="[^"]*"', "", response.get_data(as_text=True)),
            )
            for response in (
                accounts.login(client, email=email, password=f"wrong password {n}")
                for n in range(7)
            )
        ]
    assert [status for status, _ in answers["ana@example.org"]] == [400] * 5 + [429] * 2
    assert answers["ana@example.org"] == answers["nobody@example.org"]


def test_a_successful_login_starts_the_count_again(limited_app):
    accounts = Accounts(limited_app)
    client = limited_app.test_client()
    accounts.register(client)
    client.post("/logout")
    for _ in range(2):
        for number in range(4):
            assert accounts.login(client, password=f"wrong {number} password").status_code == 400
        assert accounts.login(client).status_code == 302
        client.post("/logout")


def test_once_the_wait_is_over_one_attempt_takes_the_turn_and_the_next_waits_longer(
    limited_app,
):
    email = "ana@example.org"
    with limited_app.test_request_context():
        for _ in range(5):
            assert throttle.seconds_to_wait(email) == 0
            throttle.record_failure(email)
        assert 55 <= throttle.seconds_to_wait(email) <= 60
        _, turn_key = throttle._keys(email)
        limiter.storage.clear(turn_key)  # the first minute has passed
        assert throttle.seconds_to_wait(email) == 0  # this attempt has the turn…
        assert 115 <= throttle.seconds_to_wait(email) <= 120  # …a second one at once waits
        throttle.record_failure(email)
        assert 115 <= throttle.seconds_to_wait(email) <= 120


def test_the_throttle_is_keyed_by_the_email_as_normalised(limited_app):
    with limited_app.test_request_context():
        for _ in range(5):
            throttle.record_failure(" Ana@Example.org ")
        assert throttle.seconds_to_wait("ana@example.org") > 0
        assert throttle.seconds_to_wait("ben@example.org") == 0


@pytest.mark.parametrize(
    ("env", "storage", "workers", "warns"),
    [
        ("production", "memory://", 4, True),
        ("production", "memory://", 1, False),
        ("production", "redis://127.0.0.1:6379", 4, False),
        ("development", "memory://", 4, False),
    ],
)
def test_several_workers_without_shared_storage_are_a_warning(env, storage, workers, warns):
    app = create_app(
        {
            "SECRET_KEY": "k",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "EVENTMATE_ENV": env,
            "RATELIMIT_STORAGE_URI": storage,
            "RATELIMIT_ENABLED": True,
        }
    )
    warning = unshared_limits_warning(app, workers=workers)
    assert (warning is not None) == warns
    if warns:
        assert f"{workers} workers" in warning


def test_another_app_served_from_the_checkout_gets_no_warning():
    """bench/ serves its own WSGI apps with gunicorn from here, through gunicorn.conf.py."""

    def bare_app(environ, start_response):
        start_response("204 No Content", [])
        return []

    assert unshared_limits_warning(bare_app, workers=4) is None


def test_requirements_pin_what_the_documented_storage_needs():
    """The README's RATELIMIT_STORAGE_URI=redis://… imports the Redis client at boot."""
    pinned = {
        line.split("==")[0].strip().lower()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    readme = (ROOT / "README.md").read_text()
    schemes = set(re.findall(r"RATELIMIT_STORAGE_URI=(\w+)://", readme))
    assert schemes == {"redis"}
    for scheme in schemes:
        clients = {package.lower() for package in SCHEMES[scheme].DEPENDENCIES}  # any one of them
        assert clients & pinned, f"none of {clients} (for {scheme}://) in requirements.txt"


def test_an_app_with_limits_off_stays_off_when_another_app_turns_them_on(tmp_path):
    """One limiter serves every app in a process (the browser tests' live server beside the
    HTTP tests' apps): each app's own RATELIMIT_ENABLED is what counts, per request."""
    off = proxied_app(tmp_path, 0)
    off.config["RATELIMIT_ENABLED"] = False  # as the live server's own config says
    (tmp_path / "on").mkdir()
    proxied_app(tmp_path / "on", 0)  # another app, created later, switches the limiter on
    client = off.test_client()
    statuses = [
        client.post("/login", data={"email": f"s{n}@example.org", "password": "wrong"}).status_code
        for n in range(25)
    ]
    assert 429 not in statuses
