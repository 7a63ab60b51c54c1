"""A new user's first event, on a phone: sign up, show the card, exchange, note, export."""

import json
import re

from playwright.sync_api import expect

from .flows import (
    accept_shared,
    create_event,
    exchange_cards,
    expect_flash,
    join_event,
    lisbon_day,
    note_capture,
    public_card_path,
    save_capture,
    sign_up,
    tab,
)

EVENT = "Lisbon Product Summit"


def test_two_people_meet_exchange_cards_and_follow_up(new_phone):
    ana = new_phone().new_page()
    sign_up(ana, "Ana Ribeiro", "ana.walk@example.org")
    expect_flash(ana, "This is your card")
    qr = ana.get_by_role("img", name=re.compile("QR code of your card"))
    expect(qr).to_be_visible()
    ana.wait_for_function(  # the image really loaded and decoded, not just its box
        "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
    )
    qr_response = ana.request.get(qr.get_attribute("src"))
    assert qr_response.ok and qr_response.headers["content-type"].startswith("image/svg+xml")

    code = create_event(ana, EVENT, place="FIL, Lisbon", starts_on=lisbon_day(), goal=3)
    card = public_card_path(ana)

    ben = new_phone().new_page()
    sign_up(ben, "Ben Okafor", "ben.walk@example.org")
    join_event(ben, code, EVENT)
    exchange_cards(ben, card, "Ana Ribeiro")
    expect(ben.locator("[data-capture-where]")).to_contain_text(EVENT)  # where and when

    # Capture: a new tag, an answer and notes; then a chip toggled off again.
    note_capture(
        ben,
        tags="product, hiring",
        answers={"What do they enjoy most about their work?": "Talking to users every week"},
        notes="Send her the onboarding study.",
    )
    save_capture(ben)
    expect(ben.locator(".meetings")).to_contain_text(
        f"You exchanged cards with Ana Ribeiro at {EVENT}"
    )
    tags = ben.get_by_role("list", name="Tags")  # the contact's page reads first
    expect(tags.get_by_role("listitem")).to_have_text(["hiring", "product"])
    expect(ben.locator("blockquote")).to_have_text("Talking to users every week")
    ben.get_by_role("link", name="Edit").click()
    ben.locator("label.chip", has_text="hiring").click()  # a tap on the chip, as a thumb would
    save_capture(ben)
    expect(tags.get_by_role("listitem")).to_have_text(["product"])
    tab(ben, "People")
    ben.get_by_label("Tag").select_option(label="product")
    ben.get_by_role("button", name="Search").click()
    expect(ben.locator(".people")).to_contain_text("Ana Ribeiro")

    # Ana got Ben too, at the same event, and her progress counts him.
    tab(ana, "People")
    person = ana.get_by_role("link", name=re.compile("Ben Okafor"))
    expect(person).to_contain_text(EVENT)
    person.click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Ben Okafor")
    expect(ana.locator(".meetings")).to_contain_text(
        f"You exchanged cards with Ben Okafor at {EVENT}"
    )
    tab(ana, "Home")
    expect(ana.locator(".progress-card")).to_contain_text("1 of 3 new people")

    # Export: everything as JSON, with Ben in it.
    ana.get_by_role("link", name="Profile and settings").click()
    ana.get_by_role("link", name=re.compile("^Account & data")).click()
    with ana.expect_download() as download_info:
        ana.get_by_role("link", name="Everything as JSON").click()
    download = download_info.value
    assert download.suggested_filename == "eventmate-data.json"
    with open(download.path(), encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["profile"]["email"] == "ana.walk@example.org"
    assert [event["name"] for event in data["events"]] == [EVENT]
    assert "Ben Okafor" in json.dumps(data["contacts"], ensure_ascii=False)


def test_anonymous_visitor_saves_the_contact_and_shares_back(new_phone):
    owner = new_phone().new_page()
    sign_up(owner, "Carla Mendes", "carla.walk@example.org")
    card = public_card_path(owner)

    visitor = new_phone().new_page()
    visitor.goto(card)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Carla Mendes")
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Save contact").click()
    vcard = download_info.value
    assert vcard.suggested_filename == "Carla Mendes.vcf"
    with open(vcard.path(), encoding="utf-8") as handle:
        text = handle.read()
    assert text.startswith("BEGIN:VCARD") and "FN:Carla Mendes" in text

    expect(visitor.get_by_role("heading", name="Share your details back")).to_be_visible()
    visitor.get_by_label("Your name").fill("Dario Costa")
    visitor.get_by_label("Your email").fill("dario@example.org")
    visitor.get_by_label("A note (optional)").fill("We talked about trams.")
    visitor.get_by_role("button", name="Share my details").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Thanks — Carla has your details")

    accept_shared(owner, "Dario Costa")
    expect(owner.locator(".meetings")).to_contain_text("Dario Costa shared their details with you")
    expect(owner.get_by_role("link", name="dario@example.org")).to_be_visible()


def test_saving_notes_confirms_it(new_phone):
    ana = new_phone().new_page()
    sign_up(ana, "Elena Sousa", "elena.walk@example.org")
    card = public_card_path(ana)
    ben = new_phone().new_page()
    sign_up(ben, "Filipe Lima", "filipe.walk@example.org")
    exchange_cards(ben, card, "Elena Sousa")
    note_capture(ben, notes="Met at the coffee queue.")
    save_capture(ben)
    expect(ben.locator(".notes")).to_have_text("Met at the coffee queue.")
    expect_flash(ben, "Saved what you noted about Elena Sousa.", timeout=1_000)  # page is loaded
