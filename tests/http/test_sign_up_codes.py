"""Sign-up proves the address with an emailed code, and never tells whether it has an account."""

import html
import logging
import re
from datetime import timedelta

import sqlalchemy as sa

from eventmate.auth.verification import MAX_ATTEMPTS, MAX_SENDS
from eventmate.extensions import db
from eventmate.models import EmailVerification, User
from eventmate.models.base import utcnow
from tests.conftest import STRONG_PASSWORD
from tests.mail_server import free_port, html_of, text_of

from .helpers import count, visible_text

CONFIRM = re.compile(r"/register/confirm/([0-9a-f]{32})$")


def start(client, email, name="Nia Costa", password=STRONG_PASSWORD):
    form = {"email": email, "password": password, "display_name": name, "timezone": "UTC"}
    response = client.post("/register", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    assert CONFIRM.search(response.headers["Location"])
    return response.headers["Location"]


def ticket_of(path: str) -> str:
    return CONFIRM.search(path).group(1)


def rewind(app, path, **columns):
    """Move a pending sign-up's clock: e.g. `expires_at=utcnow()` makes it stale."""
    with app.app_context():
        db.session.execute(
            sa.update(EmailVerification)
            .where(EmailVerification.ticket == ticket_of(path))
            .values(**columns)
        )
        db.session.commit()


def anonymised(response, *secrets) -> str:
    page = response.get_data(as_text=True)
    for secret in secrets:
        page = page.replace(secret, "<removed>")
    return re.sub(r'name="csrf-token" content="[^"]+"|name="csrf_token" type="hidden" value="[^"]+"'
                  r'|name="csrf_token" value="[^"]+"', "csrf", page)  # fmt: skip


def test_a_taken_and_a_new_email_get_the_same_answer(app, ana, make_client, mailbox, accounts):
    taken, new = make_client(), make_client()
    mailbox.clear()
    taken_path = start(taken, "ANA@example.org", name="Mallory")
    new_path = start(new, "nia@example.org")

    taken_page, new_page = taken.get(taken_path), new.get(new_path)
    assert taken_page.status_code == new_page.status_code == 200
    assert "We've sent a 6-digit code to ana@example.org" in visible_text(taken_page)
    assert anonymised(taken_page, "ana@example.org", ticket_of(taken_path)) == anonymised(
        new_page, "nia@example.org", ticket_of(new_path)
    )
    # The password was hashed either way (the same work, the same time).
    with app.app_context():
        hashes = db.session.scalars(sa.select(EmailVerification.password_hash)).all()
    assert len(hashes) == 2 and all(h.startswith("scrypt:") for h in hashes)

    # A wrong code reads the same too; for the taken address no code exists at all.
    wrong_taken = taken.post(taken_path, data={"code": "123456"})
    wrong_new = new.post(new_path, data={"code": "123456"})
    assert wrong_taken.status_code == wrong_new.status_code == 400
    assert anonymised(wrong_taken, "ana@example.org", ticket_of(taken_path)) == anonymised(
        wrong_new, "nia@example.org", ticket_of(new_path)
    )

    # The owner of the taken address is told, with no code; the account is untouched.
    (notice,) = mailbox.to("ana@example.org")
    assert notice["Subject"] == "Someone tried to use your email on EventMate"
    assert "create an EventMate account with your email address" in text_of(notice)
    assert "http://eventmate.test/login" in text_of(notice)
    assert "http://eventmate.test/login" in html_of(notice)
    assert not re.search(r"\b\d{6}\b", text_of(notice))
    assert accounts.user("ana@example.org").display_name == "Ana Ribeiro"
    assert count(app, User) == 1


def test_the_code_creates_the_account_and_works_once(app, client, make_client, mailbox, accounts):
    path = start(client, "nia@example.org")
    assert accounts.user("nia@example.org") is None  # nothing until the address is proven
    (message,) = mailbox.to("nia@example.org")
    code = mailbox.latest_code("nia@example.org")
    assert message["Subject"] == f"{code} is your EventMate code"
    assert code in html_of(message)
    with app.app_context():
        stored = db.session.scalar(sa.select(EmailVerification.code_hash))
    assert code not in stored  # only a hash

    typo = client.post(path, data={"code": "000000" if code != "000000" else "111111"})
    assert "That code isn't right" in html.unescape(typo.get_data(as_text=True))
    done = client.post(path, data={"code": f"{code[:3]} {code[3:]}"})  # typed with a space
    assert done.status_code == 302 and done.headers["Location"] == "/card"
    assert client.get("/contacts/").status_code == 200
    assert accounts.user("nia@example.org").display_name == "Nia Costa"
    assert count(app, EmailVerification) == 0

    again = make_client().post(path, data={"code": code})
    assert again.status_code == 302 and again.headers["Location"] == "/register"
    assert count(app, User) == 1


def test_a_code_expires_after_30_minutes(app, client, mailbox):
    path = start(client, "nia@example.org")
    code = mailbox.latest_code("nia@example.org")
    with app.app_context():
        row = db.session.scalar(sa.select(EmailVerification))
        assert row.expires_at - row.sent_at == timedelta(minutes=30)
    rewind(app, path, expires_at=utcnow() - timedelta(seconds=1))
    response = client.post(path, data={"code": code}, follow_redirects=True)
    assert "That code has expired. Please start again." in visible_text(response)
    assert count(app, User) == 0
    start(client, "someone.else@example.org")  # the next sign-up cleans stale ones away
    assert count(app, EmailVerification) == 1


def test_wrong_codes_are_limited_then_a_new_code_is_needed(app, client, mailbox):
    path = start(client, "nia@example.org")
    code = mailbox.latest_code("nia@example.org")
    wrong = "000000" if code != "000000" else "111111"
    answers = [client.post(path, data={"code": wrong}) for _ in range(MAX_ATTEMPTS)]
    assert all(a.status_code == 400 for a in answers)
    assert "Too many wrong tries" in visible_text(answers[-1])
    refused = client.post(path, data={"code": code})  # even the right one, now
    assert refused.status_code == 400 and "Too many wrong tries" in visible_text(refused)

    too_soon = client.post(path + "/resend", follow_redirects=True)
    assert "Ask again in half a minute" in visible_text(too_soon)
    rewind(app, path, sent_at=utcnow() - timedelta(minutes=1))
    resent = client.post(path + "/resend", follow_redirects=True)
    assert "We've sent a new code to nia@example.org." in visible_text(resent)
    new_code = mailbox.latest_code("nia@example.org")
    if new_code != code:
        assert client.post(path, data={"code": code}).status_code == 400  # the old one is dead
    assert client.post(path, data={"code": new_code}).headers["Location"] == "/card"


def test_new_codes_are_limited_too(app, client, mailbox):
    path = start(client, "nia@example.org")
    for _ in range(MAX_SENDS - 1):
        rewind(app, path, sent_at=utcnow() - timedelta(minutes=1))
        client.post(path + "/resend")
    assert len(mailbox.to("nia@example.org")) == MAX_SENDS
    rewind(app, path, sent_at=utcnow() - timedelta(minutes=1))
    last = client.post(path + "/resend", follow_redirects=True)
    assert "That code has expired. Please start again." in visible_text(last)
    assert len(mailbox.to("nia@example.org")) == MAX_SENDS


def test_a_taken_email_resends_like_a_new_one(app, ana, make_client, mailbox):
    taken, new = make_client(), make_client()
    mailbox.clear()
    answers = []
    for client, email in ((taken, "ana@example.org"), (new, "nia@example.org")):
        path = start(client, email)
        rewind(app, path, sent_at=utcnow() - timedelta(minutes=1))
        response = client.post(path + "/resend", follow_redirects=True)
        answers.append(anonymised(response, email, ticket_of(path)))
        assert len(mailbox.to(email)) == 2
    assert answers[0] == answers[1]


def test_the_emailed_link_works_in_another_browser_with_the_password(
    app, client, make_client, mailbox, accounts
):
    start(client, "nia@example.org")
    text = text_of(mailbox.to("nia@example.org")[-1])
    link = re.search(r"http://eventmate\.test(/register/confirm/\S+)", text).group(1)
    code = mailbox.latest_code("nia@example.org")
    laptop = make_client()
    page = laptop.get(link)
    assert f'value="{code}"' in page.get_data(as_text=True)
    assert 'inputmode="numeric"' in page.get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page.get_data(as_text=True)
    # Whoever opens the link without the sign-up's password cannot finish someone's sign-up.
    stranger = laptop.post(link, data={"code": code, "password": "not the one chosen at all"})
    assert stranger.status_code == 400
    assert "That code and password don't match." in html.unescape(stranger.get_data(as_text=True))
    assert accounts.user("nia@example.org") is None
    done = laptop.post(link, data={"code": code, "password": STRONG_PASSWORD})
    assert done.headers["Location"] == "/card"
    assert accounts.user("nia@example.org") is not None


def test_a_malformed_or_unknown_code_page_never_errs(client):
    for ticket in ("nope", "A" * 32, "0" * 33, "%ED%A0%80"):  # half an emoji reads as U+FFFD
        assert client.get(f"/register/confirm/{ticket}").status_code == 302
        sent = client.post(f"/register/confirm/{ticket}", data={"code": "123456"})
        assert sent.status_code == 302
    assert client.get("/register/confirm/%00").status_code == 400  # the edge refuses a NUL
    path = "/register/confirm/" + "0" * 32
    assert client.post(path, data={"code": "12"}).status_code == 302
    assert client.post(path + "/resend").status_code == 302


def test_without_smtp_the_code_is_on_the_console_and_works(app, client, caplog, accounts):
    app.config["SMTP_URL"] = ""
    with caplog.at_level(logging.WARNING, logger="eventmate.mail"):
        path = start(client, "nia@example.org")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "To: nia@example.org" in logged
    code = re.search(r"Your code is (\d{6})", logged).group(1)
    assert client.post(path, data={"code": code}).headers["Location"] == "/card"


def test_a_mail_server_that_fails_is_said_the_same_way_for_every_address(
    app, ana, make_client, caplog
):
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens there
    pages = []
    for email in ("ana@example.org", "nia@example.org"):
        visitor = make_client()
        path = start(visitor, email)
        response = visitor.get(path)
        assert "We couldn't send the email just now." in visible_text(response)
        pages.append(anonymised(response, email, ticket_of(path)))
    assert pages[0] == pages[1]
    assert sum("verification email not sent" in r.getMessage() for r in caplog.records) == 2
