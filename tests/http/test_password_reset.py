"""Forgot password: the emailed link sets a new password once, within the hour, and logs the
account out everywhere else; asking answers the same whether or not the address has one."""

import re
from datetime import timedelta

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import LoginSession, PasswordReset
from tests.mail_server import html_of, text_of

from .helpers import visible_text
from .test_rate_limits import limited_app  # noqa: F401 -- a fixture
from .test_sign_up_codes import anonymised

LINK = re.compile(r"https?://[^/\s]+(/password/reset/[A-Za-z0-9_-]{43})")
NEW_PASSWORD = "amber walrus quietly juggles"


def forgot(client, email):
    return client.post("/password/forgot", data={"email": email})


def emailed_link(mailbox, email) -> str:
    message = mailbox.wait_for(email)[-1]
    match = LINK.search(text_of(message))
    assert match, text_of(message)
    assert match.group(1) in html_of(message)
    return match.group(1)


def logged_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_the_login_page_links_to_forgot_password(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page
    assert client.get("/password/forgot").status_code == 200


def test_the_link_sets_a_new_password_once_and_ends_the_other_sessions(
    app, ana, make_client, accounts, mailbox
):
    phone = make_client()
    assert accounts.login(phone).status_code == 302 and logged_in(phone) and logged_in(ana)
    stranger = make_client()
    mailbox.clear()
    asked = forgot(stranger, "  Ana@Example.org ")
    assert asked.status_code == 200
    assert "We've sent an email to ana@example.org" in visible_text(asked)
    path = emailed_link(mailbox, "ana@example.org")
    with app.app_context():  # only the hash is kept
        [row] = db.session.scalars(sa.select(PasswordReset))
        assert path.rsplit("/", 1)[1] not in (row.token_hash,) and len(row.token_hash) == 64

    assert stranger.get(path).status_code == 200  # opening the link changes nothing
    weak = stranger.post(path, data={"password": "ana ribeiro eventmate"})
    assert weak.status_code == 400 and "your name or your email" in visible_text(weak)
    done = stranger.post(path, data={"password": NEW_PASSWORD})
    assert done.status_code == 302
    assert logged_in(stranger)  # this browser is logged in with the new password…
    assert not logged_in(ana) and not logged_in(phone)  # …every other one is out
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession)) == 1
    assert accounts.login(make_client()).status_code == 400  # the old password is refused
    assert accounts.login(make_client(), password=NEW_PASSWORD).status_code == 302

    again = make_client().post(path, data={"password": "another lovely long phrase"})
    assert again.status_code == 302 and again.headers["Location"] == "/password/forgot"
    assert accounts.login(make_client(), password=NEW_PASSWORD).status_code == 302


def test_the_link_expires_after_an_hour(app, ana, make_client, accounts, mailbox):
    mailbox.clear()
    forgot(make_client(), "ana@example.org")
    path = emailed_link(mailbox, "ana@example.org")
    with app.app_context():
        row = db.session.scalar(sa.select(PasswordReset))
        assert timedelta(minutes=59) < row.expires_at - row.created_at <= timedelta(hours=1)
        row.expires_at -= timedelta(hours=1)  # an hour has gone by
        db.session.commit()
    browser = make_client()
    expired = browser.post(path, data={"password": NEW_PASSWORD}, follow_redirects=True)
    assert "That link has expired or was used already" in visible_text(expired)
    assert logged_in(ana)
    assert accounts.login(make_client()).status_code == 302  # the password is unchanged


def test_an_address_without_an_account_gets_the_same_answer(app, ana, make_client, mailbox):
    mailbox.clear()
    known, unknown = forgot(make_client(), "ana@example.org"), forgot(make_client(), "zoe@x.org")
    assert known.status_code == unknown.status_code == 200
    assert anonymised(known, "ana@example.org") == anonymised(unknown, "zoe@x.org")
    # One email each way, so neither answer is told apart by the clock (speed is measured,
    # not asserted: a busy test machine's timings prove nothing).
    assert len(mailbox.wait_for("ana@example.org")) == 1
    [note] = mailbox.wait_for("zoe@x.org")
    assert "it has no EventMate account" in text_of(note)
    assert LINK.search(text_of(note)) is None
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == 1


def test_bad_links_and_inputs_never_fail(client):
    for path in ("/password/reset/x", "/password/reset/" + "A" * 43, "/password/reset/%00"):
        assert client.get(path).status_code in (302, 400)  # a NUL is refused at the edge
    assert client.post("/password/forgot", data={"email": "not an email"}).status_code == 400
    assert client.post("/password/forgot", data={"email": "a" * 300 + "@x.org"}).status_code == 400


def test_asking_is_rate_limited_per_address(limited_app, mailbox):  # noqa: F811
    client = limited_app.test_client()
    answers = [forgot(client, "Someone@Example.org").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert forgot(client, "other@example.org").status_code == 200  # another address may ask
    assert len(mailbox.wait_for("someone@example.org", count=3)) == 3
