"""Tending the network between events, on a 390×844 phone: a role model invited to lunch by a
drafted message and the lunch logged; the monthly review's three one-tap answers; dates in
the locale chosen on the Reminders page."""

import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from eventmate.extensions import db
from eventmate.models import Contact, FollowUp, Meeting, User
from eventmate.models.base import utcnow

from .flows import add_scan, expect_flash, sign_up, tab
from .test_screenshots import small_and_large

PHONE = {"width": 390, "height": 844}
KEEP_LENA = re.compile(r"^Keep as is ?: Lena Fischer$")  # Chromium spaces the hidden part
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rita Costa\r\nORG:Tidewater\r\n"
    "TITLE:Head of Partnerships\r\nEMAIL:rita@tidewater.example\r\nEND:VCARD\r\n"
)
# Taps counted across page loads (a form's tap loads the next page).
COUNT_TAPS = """document.addEventListener("click", () => {
  sessionStorage.setItem("taps", String(Number(sessionStorage.getItem("taps") || 0) + 1));
}, true);"""


def taps(page: Page) -> int:
    return page.evaluate("() => Number(sessionStorage.getItem('taps') || 0)")


def seed_stale(live_server, email: str) -> dict[str, int]:
    """People the user has not been in touch with for months, at three levels, and a
    follow-up that never happened."""
    people = {
        "Marco Bianchi": (600, (150, 210, 300, 420)),
        "Lena Fischer": (400, (200,)),
        "Tom Walsh": (300, ()),
        "Priya Nair": (40, (40,)),
    }
    ids = {}
    with live_server.app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        now = utcnow()
        for name, (known, met) in people.items():
            first = name.split()[0].lower()
            contact = Contact(
                owner_id=user.id,
                source="manual",
                full_name=name,
                emails=[f"{first}@example.org"],
                created_at=now - timedelta(days=known),
            )
            db.session.add(contact)
            db.session.flush()
            for days in met:
                met_at = now - timedelta(days=days)
                db.session.add(Meeting(contact_id=contact.id, kind="meeting", met_at=met_at))
            ids[name] = contact.id
        db.session.add(
            FollowUp(
                owner_id=user.id, contact_id=ids["Priya Nair"], due_at=now - timedelta(days=30)
            )
        )
        db.session.commit()
        db.session.remove()
    return ids


def test_a_role_model_is_invited_to_lunch_and_the_lunch_logged(new_phone):
    page = new_phone(viewport=PHONE).new_page()
    sign_up(page, "Sam Reis", "sam.rolemodel@example.org")
    contact_id = add_scan(page, VCARD)
    page.goto(f"/contacts/{contact_id}")
    page.add_init_script(COUNT_TAPS)
    page.reload()
    page.get_by_label("What you'd like to learn from Rita").fill("How she built her alumni network")
    page.get_by_role("button", name="Make Rita a role model").click()
    expect_flash(page, "Rita Costa is one of your role models now.")
    part = page.locator("#role-model")
    expect(part).to_contain_text("How she built her alumni network")
    small_and_large(page, "role-model")
    page.get_by_role("button", name="Invite Rita to lunch").click()
    expect(page).to_have_url(re.compile(r"/inbox\?open=\d+"))
    draft = page.locator("article.follow-up").filter(has_text="Rita Costa")
    expect(draft).to_contain_text("how you built your alumni network")
    expect(draft).to_contain_text("around 12:30")
    expect(draft).to_contain_text("A lunch to learn how she built her alumni network")
    assert taps(page) == 2  # after typing: mark, invite, and the draft is in front of them
    small_and_large(page, "lunch-invitation")

    page.goto(f"/contacts/{contact_id}#role-model")
    page.locator("#role-model summary", has_text="Had lunch? Log it").click()
    page.get_by_label("What you learned").fill("She hosts a small dinner every quarter")
    page.get_by_role("button", name="Log the lunch").click()
    expect_flash(page, "Logged your lunch with Rita Costa.")
    expect(page.locator("body")).to_contain_text("She hosts a small dinner every quarter")
    expect(page.locator("#role-model")).to_contain_text("Last met in person")
    page.goto("/giving-back#role-models")
    expect(page.locator("#role-models")).to_contain_text("You've met each of your role models")
    small_and_large(page, "giving-back-role-models")


def test_the_monthly_review_reach_out_archive_and_keep(new_phone, live_server):
    email = "sam.review@example.org"
    page = new_phone(viewport=PHONE).new_page()
    sign_up(page, "Sam Reis", email)
    seed_stale(live_server, email)
    tab(page, "Home")
    page.add_init_script(COUNT_TAPS)
    page.reload()
    page.get_by_role("link", name=re.compile("Monthly review")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your monthly review")
    stale = page.locator("section", has_text="Not in touch for a long time")
    for level, name in (("Know well", "Marco"), ("Getting to know", "Lena"), ("Just met", "Tom")):
        expect(stale).to_contain_text(level)
        expect(stale).to_contain_text(name)
    expect(page.locator("section", has_text="Follow-ups that never happened")).to_contain_text(
        "Priya Nair"
    )
    small_and_large(page, "review")

    # Reach out: one tap to a drafted message.
    before = taps(page)
    page.get_by_role("button", name="Reach out to Marco Bianchi").click()
    expect(page).to_have_url(re.compile(r"/inbox\?open=\d+"))
    expect(page.locator("article.follow-up").filter(has_text="Marco Bianchi")).to_contain_text(
        "It's been a while"
    )
    assert taps(page) - before == 1
    page.go_back()
    page.reload()

    # Archive: one tap, gone from the review and People; restorable.
    page.get_by_role("button", name="Archive Tom Walsh").click()
    expect_flash(page, "Archived Tom Walsh")
    expect(page.locator("main")).not_to_contain_text("Just met")
    # Keep as is: one tap, out of the review.
    page.get_by_role("button", name=KEEP_LENA).click()
    expect_flash(page, "Kept as it is")
    expect(page.get_by_role("button", name=KEEP_LENA)).to_have_count(0)

    tab(page, "People")
    expect(page.locator(".people")).not_to_contain_text("Tom Walsh")
    page.get_by_role("link", name="Archived people (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archived people")
    small_and_large(page, "people-archived")
    page.get_by_role("link", name=re.compile("Tom Walsh")).click()
    page.get_by_role("button", name="Restore").click()
    expect_flash(page, "Tom Walsh is back in your lists.")
    tab(page, "People")
    expect(page.locator(".people")).to_contain_text("Tom Walsh")


def test_dates_follow_the_locale_chosen_in_reminders(new_phone):
    page = new_phone(viewport=PHONE).new_page()
    sign_up(page, "Sam Reis", "sam.locale@example.org")
    contact_id = add_scan(page, VCARD)
    page.goto(f"/contacts/{contact_id}")
    meeting = page.locator(".contact-head time").first
    expect(meeting).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$"))  # en-GB
    page.goto("/account/reminders")
    page.get_by_label("Dates written as").select_option("de_DE")
    small_and_large(page, "reminders-locale")
    page.get_by_role("button", name="Save reminders").click()
    expect_flash(page, "Reminders saved.")
    page.goto(f"/contacts/{contact_id}")
    expect(meeting).to_have_text(re.compile(r"^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$|\. \w+\.? \d{4}"))
    expect(page.locator("html")).to_have_attribute("data-locale", "de-DE")
