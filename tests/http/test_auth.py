"""Sign-up, login, logout and the session rules they follow."""

import html
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import pytest

from eventmate import create_app
from eventmate.config import load_secret_key
from eventmate.models import User
from tests.conftest import STRONG_PASSWORD


def test_register_logs_in_and_hashes_password(client, accounts, app):
    response = accounts.register(client)
    assert response.headers["Location"].endswith("/card")
    user = accounts.user("ana@example.org")
    assert user.display_name == "Ana Ribeiro"
    assert user.timezone == "Europe/Lisbon"
    assert user.reminder_hour == 9
    assert user.password_hash.startswith("scrypt:")
    assert STRONG_PASSWORD not in user.password_hash
    assert client.get("/contacts/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("1qaz2wsx3edc", "most common passwords"),
        ("aaaaaaaaaaaaaaaa", "Try a few unrelated words"),
        ("eventmate123", "uses the app's name, your name or your email"),
        ("Summer2024!!", "A word with a year, numbers or symbols added"),
        ("Ana Ribeiro 1990", "uses the app's name, your name or your email"),
        ("x" * 129, "at most 128"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, password, message):
    response = client.post(
        "/register",
        data={"email": "a@example.org", "password": password, "display_name": "Ana Ribeiro"},
    )
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))


def test_long_passphrase_of_64_characters_is_accepted(client, accounts):
    passphrase = "tulip radar " * 5 + "quiet bicycle"
    assert len(passphrase) >= 64
    accounts.register(client, password=passphrase)
    client.post("/logout")
    assert accounts.login(client, password=passphrase).status_code == 302


def test_invalid_browser_timezone_falls_back_to_utc(client, accounts):
    accounts.register(client, email="tz@example.org", timezone="Mars/Olympus")
    assert accounts.user("tz@example.org").timezone == "UTC"


def test_wrong_password_is_refused(client, accounts):
    accounts.register(client)
    client.post("/logout")
    response = accounts.login(client, password="not the right one at all")
    assert response.status_code == 400
    assert "don't match" in html.unescape(response.get_data(as_text=True))
    assert accounts.login(client, email="nobody@example.org").status_code == 400


def test_login_starts_a_new_session(client, accounts):
    accounts.register(client)
    client.post("/logout")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    accounts.login(client)
    with client.session_transaction() as session:
        assert "planted" not in session


def _cookie(client, name):
    cookie = client.get_cookie(name, domain="eventmate.test")
    return cookie.value if cookie else None


def test_logout_really_ends_the_session(client, make_client, accounts):
    accounts.register(client)
    client.post("/logout")
    accounts.login(client, remember="y")
    stolen_session = _cookie(client, "eventmate_session")
    stolen_remember = _cookie(client, "remember_token")
    assert stolen_session and stolen_remember
    assert client.post("/logout").status_code == 302

    replay = make_client()
    replay.set_cookie("eventmate_session", stolen_session, domain="eventmate.test")
    replay.set_cookie("remember_token", stolen_remember, domain="eventmate.test")
    response = replay.get("/contacts/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_needs_post_with_csrf(client, accounts):
    accounts.register(client)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/contacts/").status_code == 200


def test_cookies_are_httponly_samesite_and_bounded(client, accounts):
    accounts.register(client)
    client.post("/logout")
    response = accounts.login(client, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("eventmate_session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
        assert (expires - datetime.now(UTC)).total_seconds() <= 30 * 24 * 3600 + 5


def test_cookies_are_secure_outside_development(tmp_path, monkeypatch):
    monkeypatch.delenv("EVENTMATE_ENV", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": "k"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    monkeypatch.setenv("EVENTMATE_ENV", "development")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": "k"})
    assert app.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/contacts/", "/contacts/"),
        ("//evil.example/phish", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirects_only_to_this_site(client, accounts, target, expected):
    accounts.register(client)
    client.post("/logout")
    response = client.post(
        "/login?next=" + target, data={"email": "ana@example.org", "password": STRONG_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_large_bodies_are_refused(client, app):
    assert app.config["MAX_CONTENT_LENGTH"] <= 1024 * 1024
    response = client.post("/login", data={"email": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert response.status_code == 413


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(str(tmp_path))
    assert len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert load_secret_key(str(tmp_path)) == first
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_secret_key(str(tmp_path)) == "from-the-environment"


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_login_is_rate_limited(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/limits.db",
            "WTF_CSRF_ENABLED": False,  # this test is about the limiter alone
            "RATELIMIT_ENABLED": True,
        }
    )
    with app.app_context():
        from eventmate.extensions import db

        db.create_all()
    client = app.test_client()
    statuses = [
        client.post(
            "/login", data={"email": f"someone{n}@example.org", "password": "wrong password here"}
        ).status_code
        for n in range(21)  # another email each time: the per-account throttle stays out of it
    ]
    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429


def test_every_page_has_a_csrf_meta_tag(client, accounts):
    for path in ("/", "/login", "/register"):
        assert '<meta name="csrf-token"' in client.get(path).get_data(as_text=True)
    accounts.register(client)
    for path in ("/", "/card", "/contacts/", "/events/", "/account/", "/scan"):
        assert '<meta name="csrf-token"' in client.get(path).get_data(as_text=True)


def test_user_model_get_id_is_the_login_session(app, accounts, client):
    accounts.register(client)
    user: User = accounts.user("ana@example.org")
    assert user.get_id() is None  # not loaded through a session: never a bare user id
