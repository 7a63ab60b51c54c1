"""Changing the account email: the current password, then the code sent to the new address."""

import re

import pytest

from eventmate import create_app
from eventmate.extensions import db
from tests.conftest import FAST_TEST_HASH, MAIL_FROM, STRONG_PASSWORD, Accounts, CsrfClient
from tests.mail_server import text_of

from .helpers import visible_text
from .test_sign_up_codes import anonymised

CONFIRM = re.compile(r"/account/email/confirm/([0-9a-f]{32})$")


def ask(client, email, password=STRONG_PASSWORD):
    return client.post("/account/email", data={"email": email, "password": password})


def test_a_new_email_needs_the_password_and_the_code(app, ana, mailbox, accounts, make_client):
    assert "ana@example.org" in visible_text(ana.get("/account/"))
    wrong = ask(ana, "ana.new@example.org", password="not my password at all")
    assert wrong.status_code == 422 and "That password is not right." in visible_text(wrong)
    assert mailbox.to("ana.new@example.org") == []

    asked = ask(ana, "Ana.New@example.org")
    assert asked.status_code == 303 and CONFIRM.search(asked.headers["Location"])
    page = ana.get(asked.headers["Location"])
    assert "We've sent a 6-digit code to ana.new@example.org" in visible_text(page)
    assert accounts.user("ana@example.org") is not None  # unchanged until the code comes back

    code = mailbox.latest_code("ana.new@example.org")
    done = ana.post(asked.headers["Location"], data={"code": code}, follow_redirects=True)
    assert "Your email is now ana.new@example.org." in visible_text(done)
    assert accounts.user("ana@example.org") is None
    (notice,) = mailbox.to("ana@example.org")
    assert notice["Subject"] == "Your EventMate email was changed"
    assert "ana.new@example.org" in text_of(notice)
    assert accounts.login(make_client(), email="ana.new@example.org").status_code == 302
    assert ana.post(asked.headers["Location"], data={"code": code}).status_code == 404  # once


def test_a_taken_email_answers_the_same_and_its_owner_is_told(app, ana, ben, mailbox, accounts):
    mailbox.clear()
    taken, new = ask(ben, "ana@example.org"), ask(ben, "ben.new@example.org")
    assert taken.status_code == new.status_code == 303
    taken_page, new_page = ben.get(taken.headers["Location"]), ben.get(new.headers["Location"])
    ticket = CONFIRM.search(taken.headers["Location"]).group(1)
    other = CONFIRM.search(new.headers["Location"]).group(1)
    assert anonymised(taken_page, "ana@example.org", ticket) == anonymised(
        new_page, "ben.new@example.org", other
    )
    (notice,) = mailbox.to("ana@example.org")
    assert "move another EventMate account with your email address" in text_of(notice)
    wrong = ben.post(taken.headers["Location"], data={"code": "123456"})
    assert wrong.status_code == 422 and "That code isn't right" in visible_text(wrong)
    assert accounts.user("ben@example.org") is not None


def test_the_same_email_or_someone_elses_page_is_refused(app, ana, ben, mailbox):
    same = ask(ana, "ANA@example.org")
    assert same.status_code == 422 and "That is already your email." in visible_text(same)
    asked = ask(ana, "ana.new@example.org")
    assert ben.get(asked.headers["Location"]).status_code == 404
    code = mailbox.latest_code("ana.new@example.org")
    assert ben.post(asked.headers["Location"], data={"code": code}).status_code == 404
    assert ben.post(asked.headers["Location"] + "/resend").status_code == 404


def test_the_profile_form_no_longer_changes_the_email(app, ana, accounts):
    form = {"display_name": "Ana R", "email": "elsewhere@example.org"}
    assert ana.post("/account/card", data=form).status_code == 302
    assert accounts.user("ana@example.org").display_name == "Ana R"


@pytest.fixture
def limited_app(tmp_path, smtp_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/limits.db",
            "SERVER_NAME": "eventmate.test",
            "PASSWORD_HASH_METHOD": FAST_TEST_HASH,
            "SMTP_URL": smtp_url,
            "MAIL_FROM": MAIL_FROM,
            "RATELIMIT_ENABLED": True,
        }
    )
    app.test_client_class = CsrfClient
    with app.app_context():
        db.create_all()
    return app


def test_email_change_is_rate_limited_per_account(limited_app):
    accounts = Accounts(limited_app)
    first, second = limited_app.test_client(), limited_app.test_client()
    accounts.register(first)
    statuses = [ask(first, "x@example.org", "wrong password here").status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    accounts.register(second, email="ben@example.org", name="Ben")  # another account: its own
    assert ask(second, "y@example.org", "wrong password here").status_code == 422


def test_an_address_taken_while_its_code_was_out_stays_with_the_first(
    app, ana, make_client, mailbox, accounts
):
    """Ana moves to nia@ while Nia signs up with it, and the other way round: whoever enters
    their code first has it; the other is told (their code proved the address is theirs)."""
    visitor = make_client()
    change = ask(ana, "nia@example.org").headers["Location"]
    change_code = mailbox.latest_code("nia@example.org")
    sign_up = visitor.post(
        "/register",
        data={"email": "nia@example.org", "password": STRONG_PASSWORD, "display_name": "Nia"},
    ).headers["Location"]
    sign_up_code = mailbox.latest_code("nia@example.org")
    assert ana.post(change, data={"code": change_code}).status_code == 302
    late = visitor.post(sign_up, data={"code": sign_up_code}, follow_redirects=True)
    assert "This email has an account now. Log in with it." in visible_text(late)
    assert accounts.user("nia@example.org").display_name == "Ana Ribeiro"

    ben = make_client()
    accounts.register(ben, email="ben@example.org", name="Ben")
    move = ask(ben, "cleo@example.org").headers["Location"]
    move_code = mailbox.latest_code("cleo@example.org")
    accounts.register(make_client(), email="cleo@example.org", name="Cleo")
    refused = ben.post(move, data={"code": move_code}, follow_redirects=True)
    assert "That email has an account now, so yours stays as it was." in visible_text(refused)
    assert accounts.user("ben@example.org") is not None
