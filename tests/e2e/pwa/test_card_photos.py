"""Photographing a paper business card on the Scan screen: online, its check screen opens with
the fields read, one is fixed and the contact saved; offline, the photo waits in the outbox
(through a reload), is read once the network is back, and is checked the same way.

The photos are real cards from ../shared/testdata/business-cards (with the fields a person reads
on them beside each photo); the server's real OCR reads them, once per test (it costs about a
CPU-second a card). The file chooser stands in for the phone's camera app: the input is the
one a phone opens its camera with (capture="environment").
"""

import json
import re
from pathlib import Path

import phonenumbers
import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from eventmate.extensions import db
from eventmate.models import Contact, User

from ...databases import TESTDATA
from ..flows import expect_flash, sign_up, tab
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


def photograph(page: Page, photo: Path) -> None:
    """Tap "Photograph a paper card" and take the photo."""
    action = page.get_by_label("Photograph a paper card")
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


def test_a_card_photographed_online_is_checked_fixed_and_saved(new_phone, live_server):
    photo, truth = card("azure-rest-1")  # perspective, three phones, GPS in its EXIF
    page = new_phone(viewport={"width": 320, "height": 568}).new_page()
    email = "paula.card@example.org"
    sign_up(page, "Paula Card", email)
    tab(page, "Scan")
    # Under the QR camera, on the first screen of the smallest phone.
    expect(page.get_by_text("Photograph a paper card")).to_be_in_viewport()

    photograph(page, photo)
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


def test_a_card_photographed_offline_waits_and_is_checked_once_read(phone, live_server):
    photo, truth = card("veryfi-1")  # hand-held above a keyboard; no phone, no title
    page = phone.new_page()
    email = "omar.card@example.org"
    sign_up(page, "Omar Card", email)
    install(page)
    tab(page, "Scan")

    phone.set_offline(True)
    photograph(page, photo)
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
