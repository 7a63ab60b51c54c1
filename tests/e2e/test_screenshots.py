"""Every screen on a 390×844 phone, as docs/screenshots/<name>.png.

CI runs these flows (each screen must render without errors); only
`EVENTMATE_SCREENSHOTS=1 python -m pytest tests/e2e/test_screenshots.py` writes the files.
"""

import re

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
    portrait,
    public_card_path,
    save_capture,
    screenshot,
    sign_up,
    tab,
)

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
    ana.get_by_role("textbox", name="Headline").fill("Product designer at Tideway")
    ana.get_by_label("Website or LinkedIn").fill("https://ana-ribeiro.example")
    ana.get_by_label("Short bio").fill("I design tools for people who work on their feet.")
    for field in ("headline", "website", "bio"):
        ana.locator(f"#public_{field}").check()
    ana.get_by_role("button", name="Save profile").click()
    expect_flash(ana, "Profile saved.")
    choose_photo(ana, portrait(tmp_path / "ana.jpg", "#9cc5c0", "#1f4e79"))
    expect_flash(ana, "Your card shows your new photo.")
    expect(ana.locator("#photo img")).to_be_visible()
    small_and_large(ana, "profile")

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
    ben.get_by_label("Add tags").fill("design, hiring, Lisbon")
    ben.get_by_label("What do they enjoy most about their work?").fill(
        "Watching people use a tool for the first time."
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
    expect(ana.locator(".contact-head .avatar img")).to_be_visible()
    small_and_large(ana, "contact-edit-photo")
    ana.go_back()
    ana.reload()
    expect(ana.locator(".contact-head .avatar img")).to_be_visible()
    small_and_large(ana, "contact-photo")
    tab(ana, "People")
    expect(ana.locator(".people > li")).to_have_count(3)
    expect(ana.locator(".people img")).to_have_count(1)
    small_and_large(ana, "people")

    tab(ana, "Events")
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
