"""The morning digest by email, through the tests' SMTP server: what it says and carries, the
channel each user chose, proven addresses only, refusals for good and for now, unsubscribing
in one click, and the console without SMTP."""

import base64
import logging
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import PushDelivery, User
from eventmate.reminders.claims import FIRST_BACKOFF
from tests.mail_server import html_of, text_of

from ..push_service import add_device, add_follow_up, make_user
from .helpers import visible_text
from .test_dispatch import FIVE, MORNING, dispatch, pushed

UNSUBSCRIBE = re.compile(r"<(http://eventmate\.test(/unsubscribe/[\w.-]+))>")


def reader(app, email="ana@example.org", *, names=FIVE[:1], channel="auto", verified=True, **cols):
    """A user with follow-ups due this morning and a proven address (unless `verified` is
    False), no device."""
    with app.app_context():
        user = make_user(
            email,
            reminder_channel=channel,
            email_verified_at=MORNING - timedelta(days=30) if verified else None,
            **cols,
        )
        for name in names:
            add_follow_up(user, name, due_at=MORNING)
        db.session.commit()
        return user.id


def with_device(app, service, user_id: int) -> dict:
    with app.app_context():
        subscription = service.subscribe()
        add_device(db.session.get(User, user_id), subscription)
        db.session.commit()
    return subscription


def user(app, email="ana@example.org") -> User:
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def email_deliveries(app) -> list[PushDelivery]:
    with app.app_context():
        query = sa.select(PushDelivery).where(PushDelivery.channel == "email")
        return list(db.session.scalars(query.order_by(PushDelivery.id)))


def test_the_digest_email_says_what_the_push_says_in_both_parts(push_app, push_service, mailbox):
    ana = reader(push_app, names=FIVE)
    phone = with_device(push_app, push_service, ana)
    with push_app.app_context():
        db.session.get(User, ana).reminder_channel = "both"
        db.session.commit()
    tally = dispatch(push_app, MORNING)
    assert (tally.planned, tally.sent, tally.retried, tally.dropped) == (1, 2, 0, 0)
    [push] = pushed(push_service, phone)
    [message] = mailbox.wait_for("ana@example.org")
    assert message["Subject"] == push["title"] == "5 people to follow up with today"
    assert message["From"] == "EventMate <no-reply@eventmate.test>"
    assert re.fullmatch(r"<eventmate-delivery-\d+@eventmate\.test>", message["Message-ID"])
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = text_of(message), html_of(message)
    for part in (text, html):
        assert push["body"] == "Follow up with Ana, Ben and 3 others from DevConf"
        assert push["body"] in part
        assert "http://eventmate.test/inbox" in part  # the push's deep link, absolute
    assert 'href="http://eventmate.test/inbox"' in html
    header = message["List-Unsubscribe"]
    url, path = UNSUBSCRIBE.fullmatch(header).groups()
    token = path.rsplit("/", 1)[1]
    payload = base64.urlsafe_b64decode(token.split(".")[0] + "==")
    assert token != str(ana) and b"ana@example.org" not in payload  # signed, no address
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in text and url in html


def test_the_unsubscribe_page_asks_and_its_button_unsubscribes_without_login(
    push_app, mailbox, client
):
    reader(push_app)
    dispatch(push_app, MORNING)
    [message] = mailbox.wait_for("ana@example.org")
    path = UNSUBSCRIBE.fullmatch(message["List-Unsubscribe"]).group(2)
    page = client.get(path)
    assert page.status_code == 200 and "Stop reminder emails?" in visible_text(page)
    assert re.search(r'<form method="post">\s*<button', page.get_data(as_text=True))
    assert user(push_app).reminder_channel == "auto"  # looking changes nothing
    done = client.post(path, csrf=False)  # the page's own button: no token in the form
    assert done.status_code == 200 and "No more reminder emails" in visible_text(done)
    assert user(push_app).reminder_channel == "push"  # a device added later still gets push
    mailbox.clear()
    assert dispatch(push_app, MORNING + timedelta(days=1)).planned == 0
    assert mailbox.to("ana@example.org") == []


def test_one_click_unsubscribe_is_a_bare_post_from_the_mail_service(push_app, mailbox, client):
    reader(push_app, channel="email")
    dispatch(push_app, MORNING)
    [message] = mailbox.wait_for("ana@example.org")
    path = UNSUBSCRIBE.fullmatch(message["List-Unsubscribe"]).group(2)
    answer = client.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
        csrf=False,
    )
    assert answer.status_code == 200
    assert user(push_app).reminder_channel == "none"


def test_an_unsubscribe_link_that_is_forged_or_for_an_old_address_does_nothing(
    push_app, mailbox, client
):
    ana = reader(push_app, channel="both")
    dispatch(push_app, MORNING)
    path = UNSUBSCRIBE.fullmatch(mailbox.wait_for("ana@example.org")[0]["List-Unsubscribe"])[2]
    token = path.rsplit("/", 1)[1]
    for forged in (token[:-2] + "xx", str(ana), "x" * 300, token + "."):
        assert client.post(f"/unsubscribe/{forged}", csrf=False).status_code == 404
    with push_app.app_context():
        db.session.get(User, ana).email = "ana.new@example.org"
        db.session.commit()
    assert client.get(path).status_code == 404
    assert user(push_app, "ana.new@example.org").reminder_channel == "both"


@pytest.mark.parametrize(
    ("channel", "device", "by_push", "by_email"),
    [
        ("auto", True, True, False),
        ("auto", False, False, True),
        ("push", True, True, False),
        ("push", False, False, False),
        ("email", True, False, True),
        ("both", True, True, True),
        ("both", False, False, True),
        ("none", True, False, False),
    ],
)
def test_each_user_is_reminded_the_way_they_chose(
    push_app, push_service, mailbox, channel, device, by_push, by_email
):
    ana = reader(push_app, channel=channel)
    phone = with_device(push_app, push_service, ana) if device else None
    tally = dispatch(push_app, MORNING)
    assert tally.planned == int(by_push or by_email)
    assert bool(phone and pushed(push_service, phone)) is by_push
    assert bool(mailbox.to("ana@example.org")) is by_email


def test_the_reminders_select_sets_the_channel_and_push_follows(app, ana, accounts):
    from .test_inbox import reminders

    page = ana.get("/account/reminders").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="reminder_channel"', page)
    assert '<option selected value="auto">' in page
    for channel, pushes in (("email", False), ("both", True), ("none", False), ("push", True)):
        answer = ana.post("/account/reminders", data=reminders(reminder_channel=channel))
        assert answer.status_code == 302
        saved = accounts.user("ana@example.org")
        assert (saved.reminder_channel, saved.push_enabled) == (channel, pushes)
    refused = ana.post("/account/reminders", data=reminders(reminder_channel="fax"))
    assert refused.status_code == 422
    assert accounts.user("ana@example.org").reminder_channel == "push"


def test_an_unproven_address_gets_no_digest(push_app, mailbox):
    reader(push_app, "unproven@example.org", channel="email", verified=False)
    reader(push_app, "auto@example.org", verified=False)
    tally = dispatch(push_app, MORNING)
    assert (tally.planned, tally.sent) == (0, 0)
    assert mailbox.to("unproven@example.org") == mailbox.to("auto@example.org") == []


def test_confirming_the_address_from_the_profile_starts_the_emails(app, ana, accounts, mailbox):
    """An account from before codes were emailed has an unproven address: the profile says
    so and the email change flow, given the same address, proves it."""
    with app.app_context():
        db.session.execute(sa.update(User).values(email_verified_at=None))
        db.session.commit()
    page = visible_text(ana.get("/account/reminders"))
    assert "Emails go only to a confirmed address. Confirm ana@example.org" in page
    from .test_email_change import ask

    mailbox.clear()
    asked = ask(ana, "ana@example.org")
    assert asked.status_code == 303
    code = mailbox.latest_code("ana@example.org")
    done = ana.post(asked.headers["Location"], data={"code": code}, follow_redirects=True)
    assert "Your email is now ana@example.org." in visible_text(done)
    assert accounts.user("ana@example.org").email_verified_at is not None
    assert len(mailbox.to("ana@example.org")) == 1  # the code; no "your email changed" notice
    again = ask(ana, "ana@example.org")
    assert again.status_code == 422 and "That is already your email." in visible_text(again)


def test_a_new_account_is_proven_and_gets_email_without_a_device(app, ana, accounts):
    saved = accounts.user("ana@example.org")
    assert saved.email_verified_at is not None and saved.reminder_channel == "auto"


def test_permanent_refusals_stop_email_to_the_address_after_three(push_app, mailbox):
    reader(push_app, channel="email")
    mailbox.refuse("ana@example.org", "550 5.1.1 No such mailbox")
    for day in range(3):
        tally = dispatch(push_app, MORNING + timedelta(days=day))
        assert (tally.planned, tally.sent, tally.retried, tally.dropped) == (1, 0, 0, 1)
    assert mailbox.refused == ["ana@example.org"] * 3
    assert user(push_app).email_bounces == 3
    assert [d.last_status for d in email_deliveries(push_app)] == [550] * 3
    assert dispatch(push_app, MORNING + timedelta(days=3)).planned == 0  # no fourth try
    assert mailbox.refused == ["ana@example.org"] * 3


def test_a_delivered_email_starts_the_count_of_refusals_again(push_app, mailbox):
    reader(push_app, channel="email")
    mailbox.refuse("ana@example.org", "550 5.1.1 No such mailbox", times=2)
    for day in range(4):
        dispatch(push_app, MORNING + timedelta(days=day))
    assert len(mailbox.refused) == 2 and len(mailbox.to("ana@example.org")) == 2
    assert user(push_app).email_bounces == 0


def test_a_temporary_refusal_is_retried_after_the_backoff(push_app, mailbox):
    reader(push_app, channel="email")
    mailbox.refuse("ana@example.org", "451 4.3.0 Try again later", times=1)
    first = dispatch(push_app, MORNING)
    assert (first.sent, first.retried) == (0, 1)
    [delivery] = email_deliveries(push_app)
    assert (delivery.state, delivery.last_status) == ("pending", 451)
    assert delivery.next_attempt_at == MORNING + timedelta(seconds=FIRST_BACKOFF)
    assert dispatch(push_app, MORNING, clock=MORNING + timedelta(seconds=30)).sent == 0
    later = dispatch(push_app, MORNING, clock=MORNING + timedelta(seconds=FIRST_BACKOFF))
    assert later.sent == 1
    assert len(mailbox.wait_for("ana@example.org")) == 1
    assert user(push_app).email_bounces == 0


def test_an_smtp_server_that_does_not_answer_is_retried(push_app, mailbox):
    from ..mail_server import free_port

    reader(push_app, channel="email")
    push_app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens there
    tally = dispatch(push_app, MORNING)
    assert (tally.sent, tally.retried, tally.dropped) == (0, 1, 0)
    [delivery] = email_deliveries(push_app)
    assert (delivery.state, delivery.last_status) == ("pending", 0)
    assert user(push_app).email_bounces == 0


def test_without_smtp_the_digest_is_logged_where_it_would_go(push_app, mailbox, caplog):
    reader(push_app, channel="email")
    push_app.config["SMTP_URL"] = ""
    with caplog.at_level(logging.WARNING, logger="eventmate.mail"):
        tally = dispatch(push_app, MORNING)
    assert tally.sent == 1
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "No SMTP_URL set" in logged and "To: ana@example.org" in logged
    assert "Follow up with Ana from DevConf" in logged
    assert mailbox.to("ana@example.org") == []
