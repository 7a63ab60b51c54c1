"""The whole morning after, in a real browser: the evening before, Inês turns reminders on
(push on this phone, and email too); in the morning the real dispatcher sends her digest by
push (delivered to the service worker through the DevTools protocol) and by email (read at the
tests' SMTP server); the email's link and the notification's tap each open Follow-ups, where
the first person is sent by a channel and marked done in at most two taps, and Undo brings
them back.
"""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from eventmate.extensions import db
from eventmate.models import PushDelivery, PushMessage, User
from eventmate.models.base import utcnow
from eventmate.reminders.dispatch import Dispatcher, Settings
from tests.mail_server import html_of, text_of

from ..flows import STRONG_PASSWORD, expect_flash
from ..test_follow_up_send import (
    LEAVE_AND_COME_BACK,
    PHONE_APPS,
    VCARD,
    due_now,
    scan,
    wait_for_state,
)
from .test_push import (
    SLOW,
    STUB,
    remind_me,
    shown_after_delivery,
    tap_notification,
)

EMAIL = "ines.morning@example.org"
INBOX_LINK = re.compile(r"(https?://\S+/inbox)\b")


def choose_both_at_midnight(page) -> None:
    """On the Reminders page: push and email, from 00:00 (so the test's morning has begun
    wherever and whenever it runs)."""
    page.get_by_label("Morning reminders by").select_option("both")
    page.locator('input[name="reminder_hour"]').fill("00:00")
    page.get_by_role("button", name="Save reminders").click()
    expect_flash(page, "Reminders saved.")
    expect(page.locator("#reminder_channel-hint")).to_contain_text(f"by email to {EMAIL}")


def test_the_digest_by_push_and_email_opens_follow_ups_and_the_first_goes_in_two_taps(
    new_phone, push_live, mailbox
):
    live_server, service = push_live
    app = live_server.app
    saved_base = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = live_server.url  # where the email's links point
    try:
        phone = new_phone()
        phone.add_init_script(STUB % {"origin": service.origin})
        page = phone.new_page()
        # The evening before: sign up (the emailed code proves the address), "Remind me" on
        # this phone, reminders by push and email; someone met, due this morning.
        this_phone = remind_me(phone, page, live_server, service, "Inês Costa", EMAIL)
        choose_both_at_midnight(page)
        scan(page, VCARD)
        [follow_up_id] = due_now(live_server, EMAIL)

        with app.app_context():  # the morning: the dispatcher's pass, as `reminders send` runs it
            user = db.session.scalar(sa.select(User).where(User.email == EMAIL))
            assert (user.reminder_channel, user.email_verified_at is not None) == ("both", True)
            Dispatcher(settings=Settings(threads=1)).run_once(utcnow())
            # Hers (the session's other users may have had theirs too): one digest, both ways.
            deliveries = db.session.execute(
                sa.select(PushMessage.kind, PushDelivery.channel, PushDelivery.state)
                .join(PushMessage, PushMessage.id == PushDelivery.message_id)
                .where(PushMessage.user_id == user.id)
                .order_by(PushDelivery.channel)
            ).all()
            db.session.remove()
        assert [tuple(row) for row in deliveries] == [
            ("digest", "email", "sent"),
            ("digest", "push", "sent"),
        ]

        # By email: the link in both parts is the inbox on this site.
        [_code, message] = mailbox.wait_for(EMAIL, count=2)  # the sign-up code, the digest
        assert message["Subject"] == "1 person to follow up with today"
        text, html = text_of(message), html_of(message)
        assert "Follow up with Inês" in text
        link = INBOX_LINK.search(text).group(1)
        assert link == f"{live_server.url}/inbox" and f'href="{link}"' in html
        from_mail = phone.new_page()  # the mail app opens the link in the browser
        from_mail.goto(link)
        expect(from_mail.get_by_role("heading", level=1)).to_have_text("Follow-ups")
        expect(from_mail.locator(f"#follow-up-{follow_up_id}")).to_contain_text("Inês Carvalho")
        settings = re.search(r'href="([^"]+)">Choose how', html).group(1)
        from_mail.goto(settings)  # the email's "Choose how": the channel, on Reminders
        expect(from_mail.get_by_label("Morning reminders by")).to_have_value("both")
        from_mail.close()
        laptop = new_phone().new_page()  # read elsewhere, logged out: the inbox after logging in
        laptop.goto(link)
        expect(laptop.get_by_role("heading", level=1)).to_have_text("Log in")
        laptop.get_by_label("Email").fill(EMAIL)
        laptop.get_by_label("Password").fill(STRONG_PASSWORD)
        laptop.get_by_role("button", name="Log in").click()
        expect(laptop).to_have_url(link)
        expect(laptop.locator(f"#follow-up-{follow_up_id}")).to_contain_text("Inês Carvalho")
        laptop.context.close()

        # By push: the same digest, shown by the service worker; its tap opens the inbox.
        [push] = service.to(this_phone["token"])
        assert push.problem is None
        assert push.message["title"] == message["Subject"]
        page.goto("/")
        [shown] = shown_after_delivery(phone, page, live_server, push)
        assert (shown["title"], shown["data"]) == (message["Subject"], {"url": "/inbox"})
        tap_notification(phone, live_server)
        page.wait_for_url(f"{live_server.url}/inbox", timeout=SLOW)

        # The first person, sent by email and marked done: taps counted from here.
        page.evaluate(PHONE_APPS)
        item = page.locator(f"#follow-up-{follow_up_id}")
        item.get_by_role("group", name="Send to Inês Carvalho").get_by_role(
            "link", name="Email"
        ).click()
        page.evaluate(LEAVE_AND_COME_BACK)  # to the mail app and back
        expect(item).to_be_hidden()
        toast = page.locator("[data-toast]")
        expect(toast).to_contain_text("Done: Inês Carvalho.")
        wait_for_state(live_server, follow_up_id, "done")
        [opened] = page.evaluate("window.__opened")
        assert opened.startswith("mailto:ines@tideway.example?subject=")
        taps = page.evaluate("window.__taps")
        print(f"taps from the inbox to the first person sent and done: {taps}")  # for the report
        assert taps <= 2

        toast.get_by_role("button", name="Undo").click()  # not sent after all
        expect(item).to_be_visible()
        wait_for_state(live_server, follow_up_id, "open")
        page.reload()
        expect(page.locator(f"#follow-up-{follow_up_id}")).to_be_visible()
    finally:
        app.config["PUBLIC_BASE_URL"] = saved_base
