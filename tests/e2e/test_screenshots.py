"""Every screen on a 390×844 phone, as docs/screenshots/<name>.png.

CI runs these flows (each screen must render without errors); only
`EVENTMATE_SCREENSHOTS=1 python -m pytest tests/e2e/test_screenshots.py` writes the files.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from .flows import (
    accept_shared,
    add_scan,
    choose_photo,
    create_event,
    enter_code,
    exchange_cards,
    expect_flash,
    fill_sign_up,
    join_event,
    lisbon_day,
    make_new_qr,
    note_capture,
    paste,
    portrait,
    public_card_path,
    save_capture,
    save_scan_capture,
    scan_capture,
    screenshot,
    sign_up,
    tab,
)
from .test_follow_up_send import due_now, scan

EVENT = "Lisbon Product Summit"
VCARD = """BEGIN:VCARD
VERSION:3.0
FN:Inês Carvalho
ORG:Tideway Labs
TITLE:Head of Partnerships
EMAIL:ines@tideway.example
END:VCARD"""


def small_and_large(page: Page, name: str) -> None:
    """A screen with a photo at 390×844 and at 320×568 (<name>-320.png)."""
    screenshot(page, name)
    viewport = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 568})
    try:
        screenshot(page, f"{name}-320")
    finally:
        page.set_viewport_size(viewport)


ENJOY = "What do they enjoy most about their work?"


@pytest.mark.parametrize("width, height", [(390, 844), (320, 568)])
def test_the_capture_after_a_scan(new_phone, width, height):
    """The capture screen as it opens after a scan (the first screen only: that is the point),
    with one question open, and saved."""
    page = new_phone(viewport={"width": width, "height": height}).new_page()
    sign_up(page, "Rui Almeida", f"rui.{width}@example.org")
    paste(page, VCARD)
    scan_capture(page, "Inês Carvalho")
    expect(page.locator("[data-capture-state]")).to_have_text("In your People")  # synced
    screenshot(page, f"capture-scan-{width}", full_page=False)
    page.get_by_role("button", name=ENJOY, exact=True).click()
    page.get_by_label(ENJOY, exact=True).fill("Partnerships that start at a booth.")
    screenshot(page, f"capture-question-{width}", full_page=False)
    page.get_by_label("Add tags").fill("partnerships")
    page.get_by_label("Add tags").press("Enter")
    save_scan_capture(page)
    expect(page.get_by_role("link", name=re.compile("to sync"))).to_be_hidden()  # synced
    screenshot(page, f"capture-saved-{width}", full_page=False)


def test_every_screen(new_phone, tmp_path):
    visitor = new_phone().new_page()
    visitor.goto("/")
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Meet people at events")
    screenshot(visitor, "welcome")
    visitor.get_by_role("link", name="Log in").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Log in")
    screenshot(visitor, "login")

    ana = new_phone().new_page()
    ana.goto("/register")
    fill_sign_up(ana, "Ana Ribeiro", "ana@example.org", "password1234")
    expect(ana.locator(".field.has-error .error")).to_be_visible()
    screenshot(ana, "register")
    ana.get_by_label("Password").fill("violet kettle orbit lantern")
    ana.get_by_role("button", name="Create account").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Check your email")
    screenshot(ana, "sign-up-code")
    enter_code(ana, "ana@example.org")
    expect(ana.get_by_role("heading", level=1)).to_have_text("Ana Ribeiro")

    ana.get_by_role("link", name="Profile and settings").click()
    screenshot(ana, "profile")
    ana.get_by_role("main").get_by_role("link", name=re.compile("^My card")).click()
    ana.get_by_role("textbox", name="Headline").fill("Product designer at Tideway")
    ana.get_by_label("Website or LinkedIn").fill("https://ana-ribeiro.example")
    ana.get_by_label("Short bio").fill("I design tools for people who work on their feet.")
    for field in ("headline", "website", "bio"):
        ana.locator(f"#public_{field}").check()
    ana.get_by_role("button", name="Save my card").click()
    expect_flash(ana, "Your card is saved.")
    choose_photo(ana, portrait(tmp_path / "ana.jpg", "#9cc5c0", "#1f4e79"))
    expect_flash(ana, "Your card shows your new photo.")
    expect(ana.locator("#photo img")).to_be_visible()
    small_and_large(ana, "profile-card")
    ana.get_by_role("link", name="Profile", exact=True).click()
    ana.get_by_role("link", name=re.compile("^Reminders")).click()
    expect(ana.get_by_label("Time", exact=True)).to_have_value("09:00")
    screenshot(ana, "profile-reminders")

    code = create_event(
        ana, EVENT, place="FIL, Lisbon", starts_on=lisbon_day(), ends_on=lisbon_day(2)
    )
    card = public_card_path(ana)
    expect(ana.locator(".qr-card")).to_contain_text("Product designer at Tideway")
    expect(ana.locator(".qr-card .avatar img")).to_be_visible()
    small_and_large(ana, "my-card")
    ana.get_by_role("button", name=re.compile("QR code of your card")).click()
    full = ana.get_by_role("dialog", name="Your QR code, full screen")
    expect(full).to_be_visible()
    screenshot(ana, "my-card-full", full_page=False)
    full.get_by_role("button", name="Close").click()

    visitor.goto(card)
    expect(visitor.get_by_role("link", name="Save contact")).to_be_visible()
    expect(visitor.locator(".public-card .avatar img")).to_be_visible()
    small_and_large(visitor, "public-card")
    visitor.get_by_label("Your name").fill("Dario Costa")
    visitor.get_by_label("Your email").fill("dario@example.org")
    visitor.get_by_role("button", name="Share my details").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Ana has your details")
    screenshot(visitor, "shared")

    ben = new_phone().new_page()
    sign_up(ben, "Ben Okafor", "ben@example.org")
    tab(ben, "Home")
    expect(ben.get_by_role("heading", level=1)).to_have_text("Going to an event?")
    screenshot(ben, "home-new")
    join_event(ben, code, EVENT)
    exchange_cards(ben, card, "Ana Ribeiro")
    note_capture(
        ben,
        tags="design, hiring, Lisbon",
        answers={ENJOY: "Watching people use a tool for the first time."},
    )
    screenshot(ben, "capture")
    save_capture(ben)
    expect(ben.get_by_role("list", name="Tags")).to_contain_text("design")
    screenshot(ben, "contact")

    tab(ana, "Scan")
    screenshot(ana, "scan")
    add_scan(ana, VCARD)
    accept_shared(ana, "Dario Costa")
    tab(ana, "People")
    ana.get_by_role("link", name=re.compile("Inês Carvalho")).click()
    ana.get_by_role("link", name="Edit", exact=True).click()
    choose_photo(ana, portrait(tmp_path / "ines.jpg", "#e8d7b9", "#8a3b2e"))
    expect(ana.get_by_role("status").filter(has_text="1 item synced.")).to_be_visible()
    ana.reload()  # the photo as the server keeps it
    expect(ana.locator("form[data-capture] .avatar img")).to_be_visible()
    small_and_large(ana, "contact-edit-photo")
    ana.go_back()
    ana.reload()
    expect(ana.locator(".contact-head .avatar img")).to_be_visible()
    small_and_large(ana, "contact-photo")
    tab(ana, "People")
    expect(ana.locator(".people > li")).to_have_count(3)
    expect(ana.locator(".people img")).to_have_count(1)
    small_and_large(ana, "people")

    tab(ana, "Home")
    ana.locator(".progress-card").get_by_role("link", name="All events").click()
    expect(ana.get_by_role("link", name=EVENT)).to_be_visible()
    screenshot(ana, "events")
    ana.locator("summary", has_text="Create an event").click()
    expect(ana.get_by_role("button", name="Create event")).to_be_visible()
    screenshot(ana, "event-create")
    ana.get_by_role("link", name=EVENT).click()
    expect(ana.locator(".big-number")).to_contain_text("3 of 5 new people")
    screenshot(ana, "event-detail")

    tab(ana, "Home")
    expect(ana.locator(".progress-card")).to_contain_text("3 of 5 new people")
    screenshot(ana, "home")

    ana.get_by_role("link", name="Profile and settings").click()
    ana.get_by_role("link", name=re.compile("^Account & data")).click()
    screenshot(ana, "profile-data")
    ana.get_by_role("link", name="Delete my account").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Delete my account")
    screenshot(ana, "delete-account")

    make_new_qr(ana)
    assert public_card_path(ana) != card
    response = visitor.goto(card)
    assert response is not None and response.status == 410
    expect(visitor.get_by_role("heading", level=1)).to_have_text("This card is no longer valid")
    screenshot(visitor, "card-invalid")
    assert re.search(r"/c/", visitor.url)


PEOPLE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Inês Carvalho\r\nORG:Tideway Labs\r\n"
    "TITLE:Head of Partnerships\r\nTEL:+351 912 345 678\r\nEMAIL:ines@tideway.example\r\n"
    "URL:https://www.linkedin.com/in/ines-carvalho\r\nEND:VCARD\r\n",
    "MECARD:N:Okafor,Ben;EMAIL:ben@example.org;;",
    "MECARD:N:Lund,Ida;ORG:Fjord Analytics;TEL:912 000 111;;",
)
SMALL = {"width": 320, "height": 568}


def test_follow_ups_profile_and_the_reminder_ask(new_phone, live_server):
    """The morning after at 390×844 and 320×568: the inbox, the profile's three pages, and home
    with the reminder ask card."""
    for size, suffix in (({"width": 390, "height": 844}, ""), (SMALL, "-320")):
        page = new_phone(viewport=size).new_page()
        email = f"ana.morning{suffix}@example.org"
        sign_up(page, "Ana Ribeiro", email)
        inês = scan(page, PEOPLE[0])
        for payload in PEOPLE[1:]:
            scan(page, payload)
        page.goto(f"/contacts/{inês}/edit")
        note_capture(page, notes="Building a partner programme for ocean-data startups.")
        save_capture(page)
        due_now(live_server, email)
        tab(page, "Follow-ups")
        expect(page.locator(".follow-up")).to_have_count(3)
        screenshot(page, f"inbox{suffix}", full_page=False)
        screenshot(page, f"inbox-all{suffix}")
        # As if Inês had just been saved, by the first capture of the day (hers already asked).
        page.evaluate(
            """() => {
              for (const key of Object.keys(localStorage)) {
                if (key.startsWith("eventmate-reminder-asked:")) localStorage.removeItem(key);
              }
              const saved = { name: "Inês Carvalho", at: Date.now() };
              sessionStorage.setItem("eventmate-capture-saved", JSON.stringify(saved));
            }"""
        )
        tab(page, "Home")
        expect(page.locator("[data-reminder-ask]")).to_be_visible()
        screenshot(page, f"home-ask{suffix}", full_page=False)
        page.get_by_role("link", name="Profile and settings").click()
        screenshot(page, f"profile{suffix}")
        page.get_by_role("link", name=re.compile("^Reminders")).click()
        expect(page.get_by_role("button", name="Remind me")).to_be_visible()
        screenshot(page, f"profile-reminders{suffix}")
