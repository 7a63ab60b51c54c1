"""Photographing a paper business card on the Scan screen: online, its check screen opens with
the fields read, one is fixed and the contact saved; offline, the photo waits in the outbox
(through a reload), is read once the network is back, and is checked the same way.

The photos are real cards from ../shared/testdata/business-cards (with the fields a person reads
on them beside each photo); the server's real OCR reads them, once per test (it costs about a
CPU-second a card). With the QR camera filming (Chromium's fake camera playing the card's
photo), "Photograph a card" takes the photo from it in one tap; without a camera, the file
chooser stands in for the phone's camera app (the input a phone opens it with,
capture="environment").
"""

import json
import re
from pathlib import Path

import phonenumbers
import pytest
import sqlalchemy as sa
from PIL import Image, ImageOps
from playwright.sync_api import Page, expect

from eventmate.badges.model import make_card
from eventmate.contacts.card_check import address_note
from eventmate.contacts.service import card_contact
from eventmate.extensions import db
from eventmate.models import Contact, User
from eventmate.photos.images import reencode
from eventmate.photos.service import set_photo

from ...databases import TESTDATA
from ..flows import expect_flash, screenshot, sign_up, tab
from .test_offline import (  # noqa: F401 -- the autouse fixture applies here too
    install,
    offline_console_errors_are_expected,
    sync,
    wait_for_outbox,
)

CARDS = TESTDATA / "business-cards" / "photos"
pytestmark = pytest.mark.skipif(
    not CARDS.is_dir(),
    reason=f"business card photos not found at {CARDS} (../shared/testdata beside the repo)",
)


def card(name: str) -> tuple[Path, dict]:
    photo = next(CARDS.glob(f"{name}.*[gG]"))
    return photo, json.loads((CARDS / f"{name}.json").read_text("utf-8"))


def e164(printed: str, region: str) -> str:
    number = phonenumbers.parse(printed, region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def expect_card_action_in_view(page: Page) -> None:
    """ "Photograph a card" is under the QR camera, whole, above the tab bar: no scrolling."""
    action = page.locator(".card-photo-button")
    expect(action).to_be_in_viewport()
    bottom = action.evaluate("(button) => button.getBoundingClientRect().bottom")
    tab_bar = page.locator(".tabbar").evaluate("(bar) => bar.getBoundingClientRect().top")
    camera = page.locator("[data-scanner]").evaluate("(view) => view.getBoundingClientRect()")
    assert bottom <= tab_bar, (bottom, tab_bar)
    assert camera["height"] > 3 * action.bounding_box()["height"]  # the QR scanner stays first


def filming(photo: Path) -> Image.Image:
    """The card as the camera films it, upright."""
    with Image.open(photo) as taken:
        return ImageOps.exif_transpose(taken).convert("RGB")


FILMED = (1280, 960)  # a phone's camera at the 1080p the scanner asks for, in 4:3


def photograph_filmed(page: Page) -> None:
    """The QR camera films the card: one tap on "Photograph a card" takes the photo from it,
    with no camera app (file chooser) opened."""
    expect(page.locator("[data-scanner-status]")).to_have_text(re.compile("Point the camera"))
    choosers = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    page.locator(".card-photo-button").click()
    expect(page.locator("[data-card-photo-status]")).to_be_visible()  # reading, or saved
    assert not choosers, "the camera app was opened"


def photograph(page: Page, photo: Path) -> None:
    """Tap "Photograph a card" and take the photo."""
    action = page.get_by_label("Photograph a card")
    expect(action).to_be_attached()
    page.set_input_files("[data-card-photo-input]", photo)


def expect_check_screen(page: Page, truth: dict) -> int:
    """The check screen shows what a person reads on the card; returns the contact's id."""
    # The server reads the card (its first one loads the OCR's models): slow on a busy machine.
    expect(page).to_have_url(re.compile(r"/contacts/\d+/check$"), timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the card")
    expect(page.get_by_role("img", name="The card as photographed")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_have_value(truth["name"])
    expect(page.get_by_label("Company", exact=True)).to_have_value(truth["company"])
    if truth["title"]:
        expect(page.get_by_label("Title", exact=True)).to_have_value(truth["title"])
    emails = page.locator("input[name=emails]")
    expect(emails).to_have_count(max(1, len(truth["emails"])))
    for index, email in enumerate(truth["emails"]):
        expect(emails.nth(index)).to_have_value(email)
    shown = [field.input_value() for field in page.locator("input[name=phones]").all()]
    read = {e164(phone, truth["region"]) for phone in shown if phone}
    assert read == {e164(phone, truth["region"]) for phone in truth["phones"]}
    return int(re.search(r"/contacts/(\d+)/check", page.url)[1])


def save_details(page: Page, name: str) -> None:
    """Save the details: the capture follows, its questions and tags right there."""
    page.get_by_role("button", name="Save the details").click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+/edit\?checked=1$"))
    expect_flash(page, f"Saved {name}'s details from the card.")
    expect(page.get_by_role("heading", name="What stood out?")).to_be_visible()


def server_contact(live_server, email: str) -> Contact:
    with live_server.app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == email))
        [contact] = db.session.scalars(sa.select(Contact).where(Contact.owner_id == owner.id))
        db.session.expunge(contact)
        return contact


def test_a_card_filmed_online_is_photographed_in_one_tap_checked_fixed_and_saved(
    camera_phone, live_server
):
    photo, truth = card("azure-rest-1")  # perspective, three phones
    email = "paula.card@example.org"
    with camera_phone(
        filming(photo), clip_size=FILMED, viewport={"width": 320, "height": 568}
    ) as page:
        sign_up(page, "Paula Card", email)
        tab(page, "Scan")
        expect_card_action_in_view(page)

        photograph_filmed(page)
        contact_id = expect_check_screen(page, truth)
        page.get_by_label("Title", exact=True).fill("Principal Researcher")  # the one fix
        save_details(page, truth["name"])

    contact = server_contact(live_server, email)
    assert contact.id == contact_id and contact.source == "paper_card"
    assert (contact.full_name, contact.title, contact.company) == (
        truth["name"], "Principal Researcher", truth["company"],
    )  # fmt: skip
    assert contact.emails == truth["emails"]
    assert set(contact.phones) == {e164(phone, truth["region"]) for phone in truth["phones"]}
    assert contact.card_fields is None and contact.photo_version


def test_a_photo_with_no_card_says_why_and_leaves_nothing_waiting(new_phone, tmp_path):
    blank = tmp_path / "desk.png"
    Image.new("RGB", (800, 600), (150, 120, 90)).save(blank)  # the desk, no card on it
    page = new_phone().new_page()
    sign_up(page, "Nina Card", "nina.card@example.org")
    tab(page, "Scan")
    photograph(page, blank)
    # The server's OCR finds nothing (its first read loads its models: slow on a busy machine).
    expect(page.get_by_role("alert")).to_contain_text(
        "No text could be read on that photo.", timeout=60_000
    )
    wait_for_outbox(page, lambda items: not items)
    expect(page.locator("[data-sync-badge]")).to_be_hidden()


def test_a_card_filmed_offline_waits_and_is_checked_once_read(camera_phone, live_server):
    photo, truth = card("veryfi-1")  # hand-held above a keyboard; no phone, no title
    email = "omar.card@example.org"
    with camera_phone(filming(photo), clip_size=FILMED) as page:
        phone = page.context
        sign_up(page, "Omar Card", email)
        install(page)
        tab(page, "Scan")
        # The scanner's decoder is kept once the Scan screen has loaded it online.
        expect(page.locator("[data-scanner-status]")).to_have_text(re.compile("Point the camera"))

        phone.set_offline(True)
        photograph_filmed(page)
        expect(page.locator("[data-card-photo-status]")).to_contain_text(
            "Card photo saved on this phone"
        )
        [item] = wait_for_outbox(page, lambda items: len(items) == 1)
        assert (item["kind"], item["url"]) == ("card_photo", "/api/card-photos")
        waiting = page.get_by_role("region", name="Waiting to sync")
        expect(waiting).to_contain_text("waiting to be read")
        expect(waiting.locator("img.sync-thumb")).to_be_visible()

        # Nothing is lost when the app closes: People, drawn from the phone, still shows it.
        page.goto("/contacts/")
        expect(page.get_by_role("region", name="Waiting to sync")).to_contain_text(
            re.compile(r"Card photo, .*waiting to be read")
        )
        assert with_server_contacts(live_server, email) == 0

        phone.set_offline(False)
        sync(page)
        toast = page.locator("[data-toast]")
        expect(toast).to_contain_text(f"Card read: {truth['name']}.", timeout=60_000)
        wait_for_outbox(page, lambda items: not items)
        toast.get_by_role("button", name="Check").click()
        expect_check_screen(page, truth)
        expect(page.get_by_label("Title", exact=True)).to_have_attribute(
            "placeholder", "Not found on the card"
        )
        save_details(page, truth["name"])

    contact = server_contact(live_server, email)
    assert contact.source == "paper_card"
    assert (contact.full_name, contact.company) == (truth["name"], truth["company"])
    assert contact.emails == truth["emails"]
    assert contact.urls == [truth["website"]]


def with_server_contacts(live_server, email: str) -> int:
    with live_server.app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == email))
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Contact).where(Contact.owner_id == owner.id)
        )


def discard_outbox(page: Page) -> None:
    page.evaluate(
        """async () => {
            const href = document.querySelector('link[rel=modulepreload][href$="/outbox.js"]').href;
            const user = document.querySelector("meta[name=eventmate-user]").content;
            await (await import(href)).clear(user);
        }"""
    )


def card_to_check(live_server, email: str, photo: Path, truth: dict) -> int:
    """A card photo read as the server reads one (with an unsure name and company), made in
    the database: the screens are drawn without running the OCR again."""
    with live_server.app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == email))
        card = make_card(
            full_name=truth["name"], title=truth["title"] or "", company=truth["company"],
            emails=truth["emails"], phones=[e164(p, truth["region"]) for p in truth["phones"]],
            urls=[truth["website"]], notes=[address_note("2 Kingdom Street, London W2 6BD")],
        )  # fmt: skip
        contact, _ = card_contact(owner, card, raw=truth["name"], source="card_to_check")
        contact.card_fields = {
            "name": {"value": truth["name"], "confidence": 0.55},
            "company": {"value": truth["company"], "confidence": 0.4},
            "phones": [
                {"value": phone, "confidence": 0.97, "kind": kind}
                for phone, kind in zip(card.phones, ("mobile", "", "fax"), strict=False)
            ],
        }
        set_photo(contact, reencode(photo.read_bytes()))
        db.session.commit()
        return contact.id


@pytest.mark.parametrize("width, height", [(320, 568), (390, 844)])
def test_the_card_photo_screens(camera_phone, live_server, width, height):
    """The Scan screen with its camera filming a card, the photo waiting offline, and the check
    screen: the phone layout checks and, with EVENTMATE_SCREENSHOTS=1, docs/screenshots."""
    photo, truth = card("azure-rest-1")
    with Image.open(photo) as filmed:
        clip = ImageOps.exif_transpose(filmed).convert("RGB")
    with camera_phone(clip, viewport={"width": width, "height": height}) as page:
        email = f"sara.card.{width}@example.org"
        sign_up(page, "Sara Card", email)
        tab(page, "Scan")
        expect(page.locator("[data-scanner-status]")).to_have_text(re.compile("Point the camera"))
        expect_card_action_in_view(page)
        screenshot(page, f"card-scan-{width}", full_page=False)

        page.context.set_offline(True)
        photograph(page, photo)
        expect(page.get_by_role("region", name="Waiting to sync")).to_contain_text(
            "waiting to be read"
        )
        screenshot(page, f"card-waiting-{width}", full_page=False)
        discard_outbox(page)  # no OCR run for the screenshots: the check screen's card is made
        page.context.set_offline(False)

        contact_id = card_to_check(live_server, email, photo, truth)
        tab(page, "People")
        page.get_by_role("link", name=re.compile("1 card to check")).click()
        expect(page).to_have_url(re.compile(f"/contacts/{contact_id}/check$"))
        expect(page.get_by_text("Hard to read on the photo")).to_have_count(2)  # name, company
        screenshot(page, f"card-check-{width}", full_page=False)
        page.get_by_label("Address").scroll_into_view_if_needed()
        expect(page.get_by_role("img", name="The card as photographed")).to_be_in_viewport()
        screenshot(page, f"card-check-scrolled-{width}", full_page=False)
        page.go_back()
        screenshot(page, f"card-people-{width}", full_page=False)
