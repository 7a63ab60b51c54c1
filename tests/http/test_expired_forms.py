"""A visitor's form sent with a stale CSRF token (the tab was open for hours, or the browser
dropped the session cookie) comes back with what they typed and a fresh token: nothing typed is
lost, passwords are never sent back, and nothing is done until the form is sent again."""

import html
import re
import time

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from eventmate.extensions import db
from eventmate.models import Contact, EmailVerification, SharedDetails, User

from ..conftest import STRONG_PASSWORD
from .helpers import count, visible_text

EXPIRED = "Your form had expired; check your details and send again."
TOKEN_FIELD = re.compile(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">')


def card_path(app, email="ana@example.org") -> str:
    with app.app_context():
        return "/c/" + db.session.scalar(sa.select(User.card_token).where(User.email == email))


def form_token(response) -> str:
    match = TOKEN_FIELD.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:2000]
    return html.unescape(match.group(1))


def stale_token(app, client, path: str, how: str, monkeypatch) -> str:
    """The token of the form at `path` as the browser holds it hours later."""
    token = form_token(client.get(path))
    if how == "dropped cookie":  # the browser was closed: its session cookie is gone
        client.delete_cookie(app.config["SESSION_COOKIE_NAME"], domain="eventmate.test")
        return token
    # 13 hours old (the limit is 12), signed for this browser's session.
    with client.session_transaction() as session:
        secret = session["csrf_token"]
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 13 * 3600)
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(secret)


HOW = pytest.mark.parametrize("how", ["expired token", "dropped cookie"])


@HOW
def test_share_back_with_a_stale_token_keeps_what_was_typed(
    app, ana, make_client, how, monkeypatch
):
    visitor = make_client()
    path = card_path(app)
    typed = {"name": "Carla Souza", "email": "carla@example.org", "note": "Met at the coffee bar"}
    token = stale_token(app, visitor, path, how, monkeypatch)

    response = visitor.post(f"{path}/share", data={**typed, "csrf_token": token}, csrf=False)
    assert response.status_code == 400
    assert count(app, SharedDetails) == 0
    text = visible_text(response)
    assert EXPIRED in text
    assert "password" not in text.lower()
    page = response.get_data(as_text=True)
    assert 'value="Carla Souza"' in page and 'value="carla@example.org"' in page
    assert "Met at the coffee bar</textarea>" in page
    fresh = form_token(response)
    assert fresh != token

    # Sent again as it is, with the token the page now carries: shared, once.
    again = visitor.post(f"{path}/share", data={**typed, "csrf_token": fresh}, csrf=False)
    assert again.status_code == 200
    assert "has your details" in html.unescape(again.get_data(as_text=True))
    assert count(app, SharedDetails) == 1 and count(app, Contact) == 0  # until Ana accepts


@HOW
def test_login_with_a_stale_token_keeps_the_email_never_the_password(
    app, client, make_client, accounts, how, monkeypatch
):
    accounts.register(make_client())
    form = {"email": "ana@example.org", "password": STRONG_PASSWORD, "remember": "y"}
    token = stale_token(app, client, "/login", how, monkeypatch)

    response = client.post("/login", data={**form, "csrf_token": token}, csrf=False)
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "_user_id" not in session
    page = response.get_data(as_text=True)
    assert EXPIRED in visible_text(response)
    assert "Type your password again" in visible_text(response)
    assert 'value="ana@example.org"' in page
    assert STRONG_PASSWORD not in page
    assert re.search(r'<input checked id="remember"', page)

    again = client.post("/login", data={**form, "csrf_token": form_token(response)}, csrf=False)
    assert again.status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" in session


@HOW
def test_sign_up_with_a_stale_token_creates_nothing_and_keeps_the_name(
    app, client, mailbox, how, monkeypatch
):
    form = {
        "display_name": "Dara Quinn",
        "email": "dara@example.org",
        "password": STRONG_PASSWORD,
        "timezone": "Europe/Lisbon",
    }
    token = stale_token(app, client, "/register", how, monkeypatch)

    response = client.post("/register", data={**form, "csrf_token": token}, csrf=False)
    assert response.status_code == 400
    assert count(app, EmailVerification) == 0 and mailbox.to("dara@example.org") == []
    page = response.get_data(as_text=True)
    assert EXPIRED in visible_text(response)
    assert 'value="Dara Quinn"' in page and 'value="dara@example.org"' in page
    assert 'value="Europe/Lisbon"' in page
    assert STRONG_PASSWORD not in page

    again = client.post("/register", data={**form, "csrf_token": form_token(response)}, csrf=False)
    assert again.status_code == 303  # on to the code sent to the address
    assert len(mailbox.to("dara@example.org")) == 1


def test_no_token_or_a_forged_one_is_still_refused_and_changes_nothing(app, ana, make_client):
    visitor = make_client()
    path = card_path(app)
    typed = {"name": "Eve Forger", "email": "eve@example.org"}
    for data in (typed, {**typed, "csrf_token": "forged"}):
        response = visitor.post(f"{path}/share", data=data, csrf=False)
        assert response.status_code == 400
        assert EXPIRED in visible_text(response)  # the same page: the visitor can send it
    assert count(app, SharedDetails) == 0
    login = visitor.post("/login", data={"email": "ana@example.org", "password": STRONG_PASSWORD})
    assert login.status_code == 302  # (this client adds a valid token)
    with visitor.session_transaction() as session:
        logged_in = session["_user_id"]
    for data in (typed, {**typed, "csrf_token": "forged"}):  # share-back logged in: no re-show
        response = visitor.post(f"{path}/share", data=data, csrf=False)
        assert response.status_code == 400
        assert "Your form expired or came from elsewhere" in visible_text(response)
    with visitor.session_transaction() as session:
        assert session["_user_id"] == logged_in
    assert count(app, SharedDetails) == 0


def test_a_stale_share_back_to_a_rotated_card_says_the_card_is_gone(app, ana, make_client):
    visitor = make_client()
    path = card_path(app)
    token = form_token(visitor.get(path))
    ana.post("/card/rotate")
    visitor.delete_cookie(app.config["SESSION_COOKIE_NAME"], domain="eventmate.test")
    typed = {"name": "Carla", "email": "c@example.org", "csrf_token": token}
    response = visitor.post(f"{path}/share", data=typed, csrf=False)
    assert response.status_code == 410
    assert EXPIRED not in visible_text(response)
    assert count(app, SharedDetails) == 0


def test_logged_in_forms_with_a_stale_token_still_get_the_error_page(app, ana):
    before = card_path(app)
    response = ana.post("/card/rotate", data={"csrf_token": "stale"}, csrf=False)
    assert response.status_code == 400
    assert "Your form expired or came from elsewhere" in visible_text(response)
    assert card_path(app) == before
