"""Details shared back, in the browser on a 390×844 phone: a visitor shares on the public card,
the owner sees it on home and merges it into the contact it looks like, choosing field by
field; or accepts a new person in two taps. The review screen is checked at 390×844 and
320×568 (EVENTMATE_REVIEW_SHOTS=<folder> saves screenshots there, for a person to look at)."""

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from .flows import (
    accept_shared,
    add_scan,
    check_phone_layout,
    expect_flash,
    public_card_path,
    sign_up,
    tab,
)

OLD_CARD = """BEGIN:VCARD
VERSION:3.0
FN:Dario C.
EMAIL:dario@example.org
TEL:+351 900 000 000
END:VCARD"""


def share_back(
    visitor: Page, card: str, name: str, email: str, phone="", note="", company="", link=""
) -> None:
    visitor.goto(card)
    visitor.get_by_label("Your name").fill(name)
    visitor.get_by_label("Your email").fill(email)
    visitor.get_by_label("Your phone (optional)").fill(phone)
    visitor.get_by_label("Your company (optional)").fill(company)
    visitor.get_by_label("Your profile link (optional)").fill(link)
    visitor.get_by_label("A note (optional)").fill(note)
    visitor.get_by_role("button", name="Share my details").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("has your details")


def look_at(page: Page, name: str) -> None:
    """The screen fits a phone (no sideways scroll, big enough targets); saved for a person's
    eyes when asked."""
    check_phone_layout(page)
    folder = os.environ.get("EVENTMATE_REVIEW_SHOTS")
    if folder:
        page.screenshot(path=Path(folder) / f"{name}.png")  # what shows without scrolling
        viewport = page.viewport_size
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": viewport["width"], "height": height})  # then all of it
        page.screenshot(path=Path(folder) / f"{name}-all.png")
        page.set_viewport_size(viewport)


def test_the_owner_merges_shared_details_field_by_field(new_phone):
    owner = new_phone().new_page()
    sign_up(owner, "Carla Mendes", "carla.shared@example.org")
    add_scan(owner, OLD_CARD)
    card = public_card_path(owner)
    share_back(
        new_phone().new_page(),
        card,
        "Dario Costa",
        "dario@example.org",
        phone="+351 912 345 678",
        note="We talked about trams.",
        company="Carris Labs",
        link="linkedin.com/in/dario-costa",
    )

    tab(owner, "Home")
    waiting = owner.get_by_role("region", name="Shared with you 1")
    expect(waiting).to_be_visible()  # Home is there, not the page the tap left
    look_at(owner, "home")
    waiting.get_by_role("link", name="Dario Costa").click()
    expect(owner.get_by_role("heading", name="Looks like Dario C.")).to_be_visible()
    expect(owner.get_by_text("In your contacts, with the same email.")).to_be_visible()
    look_at(owner, "review-390x844")
    owner.set_viewport_size({"width": 320, "height": 568})
    look_at(owner, "review-320x568")
    owner.set_viewport_size({"width": 390, "height": 844})

    name = owner.get_by_role("group", name="Name")
    expect(name.get_by_role("radio", name="Keep mine: Dario C.")).to_be_checked()
    name.get_by_role("radio", name="Take theirs: Dario Costa").click()
    phone = owner.get_by_role("group", name="Phone")
    expect(phone.get_by_role("radio", name="Keep mine: +351 900 000 000")).to_be_checked()
    expect(owner.get_by_role("checkbox", name="Keep their note")).to_be_checked()
    # Nothing of mine to lose: their company and link are taken unless I say otherwise.
    company = owner.get_by_role("group", name="Company")
    expect(company.get_by_role("radio", name="Take theirs: Carris Labs")).to_be_checked()
    link = owner.get_by_role("group", name="Link")
    expect(
        link.get_by_role("radio", name="Take theirs: https://linkedin.com/in/dario-costa")
    ).to_be_checked()
    owner.get_by_role("button", name="Merge into Dario C.").click()

    expect_flash(owner, "Updated Dario Costa with what you chose.")
    expect(owner.get_by_role("heading", level=1)).to_have_text("Dario Costa")
    expect(owner.locator(".notes")).to_have_text("We talked about trams.")
    expect(owner.get_by_role("link", name="+351 900 000 000")).to_be_visible()
    expect(owner.get_by_role("link", name="+351 912 345 678")).to_have_count(0)
    expect(owner.locator(".contact-head .headline")).to_contain_text("Carris Labs")
    expect(owner.get_by_role("link", name="https://linkedin.com/in/dario-costa")).to_be_visible()
    expect(owner.locator(".meetings")).to_contain_text("Dario Costa shared their details with you")
    tab(owner, "Home")
    expect(owner.get_by_role("region", name="Shared with you 1")).to_have_count(0)


def test_accepting_a_new_person_takes_two_taps(new_phone):
    owner = new_phone().new_page()
    sign_up(owner, "Elena Sousa", "elena.shared@example.org")
    share_back(new_phone().new_page(), public_card_path(owner), "Filipe Lima", "filipe@example.org")
    tab(owner, "People")
    expect(owner.get_by_text("1 person shared their details with you")).to_be_visible()
    accept_shared(owner, "Filipe Lima")  # tap 1: open it on home; tap 2: Accept
    expect(owner.get_by_role("heading", level=1)).to_have_text("Filipe Lima")
    tab(owner, "People")
    expect(owner.locator(".people > li")).to_have_count(1)
