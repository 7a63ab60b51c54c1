"""People and every contact's page open offline, even a contact never opened on this phone:
drawn from the phone's copy of the contacts (IndexedDB), which log-out wipes."""

import re
import time
import uuid

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from ..flows import add_scan, screenshot, sign_up, tab
from .test_offline import (  # noqa: F401  (the fixture applies here too)
    install,
    offline_console_errors_are_expected,
    scan_offline,
)

PEOPLE = [
    (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Camille Moreau\r\nTITLE:Head of Data\r\nORG:Tidewater"
        " Labs\r\nEMAIL:camille@tidewater.example\r\nEND:VCARD\r\n",
        ["data", "hiring"],
        {"enjoy": "Turning messy sensor data into maps"},
    ),
    (
        "MECARD:N:Okoro,Ada;ORG:Lagos Robotics;EMAIL:ada@lagos.example;;",
        ["robotics"],
        {"enjoy": "Building walking robots"},
    ),
    ("MECARD:N:Silva,Rui;ORG:Porto Ventures;TEL:+351912345678;;", [], {}),
]


def add_contact(page: Page, payload: str, tags: list[str], answers: dict) -> None:
    """A scan, then tags and answers, through the API the phone's outbox uses."""
    add_scan(page, payload)
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    contacts = page.request.get("/api/contacts").json()["contacts"]
    newest = max(contacts, key=lambda person: person["id"])
    body = {
        "id": str(uuid.uuid4()),
        "contact_id": newest["id"],
        "tags_add": tags,
        "answers": answers,
        "notes": f"Notes about {newest['name']}.",
    }
    response = page.request.post("/api/captures", data=body, headers={"X-CSRFToken": token})
    assert response.ok, response.text()


def copy_of(page: Page, user: str) -> list:
    """[contacts in the phone's copy, its last refresh], read through the app's own module."""
    return page.evaluate(
        """async (user) => {
            const href = document.querySelector('link[href$="/people-store.js"]').href;
            const store = await import(href);
            return [(await store.contacts(user)).length, (await store.lastRefresh(user)) ?? null];
        }""",
        arg=user,
    )


def wait_for_copy(page: Page, user: str, count: int) -> None:
    deadline = time.monotonic() + 20
    while copy_of(page, user)[0] != count:
        assert time.monotonic() < deadline, "the phone's copy of the contacts never filled"
        page.wait_for_timeout(100)


def test_a_never_opened_contact_opens_offline(phone: BrowserContext):
    page = phone.new_page()
    sign_up(page, "Lea Offline", f"lea.{uuid.uuid4().hex[:8]}@example.org")
    for payload, tags, answers in PEOPLE:
        add_contact(page, payload, tags, answers)
    page.goto("/")  # the app, loaded once online; no contact opened
    install(page)
    user = page.locator('meta[name="eventmate-user"]').get_attribute("content") or ""
    wait_for_copy(page, user, 3)

    phone.set_offline(True)
    mark = page.locator(".topbar [data-offline-mark]")
    expect(mark).to_have_text("Offline")
    expect(mark).to_have_attribute("aria-live", "polite")
    tab(page, "People")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    rows = page.locator("[data-people-rows] li")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Rui Silva")  # newest first, as online
    expect(rows.filter(has_text="Camille Moreau")).to_contain_text("data · hiring")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="People")).to_have_attribute("aria-current", "page")
    expect(page.locator(".topbar [data-offline-mark]")).to_have_text("Offline")

    page.get_by_role("link", name=re.compile("Camille Moreau")).click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Moreau")
    expect(page.locator(".headline")).to_have_text("Head of Data · Tidewater Labs")
    tags = page.get_by_role("list", name="Tags")
    expect(tags.get_by_role("listitem")).to_have_text(["data", "hiring"])
    expect(page.locator("blockquote")).to_have_text("Turning messy sensor data into maps")
    expect(page.get_by_text("Notes about Camille Moreau.")).to_be_visible()
    expect(page.get_by_role("link", name="Email")).to_have_attribute(
        "href", "mailto:camille@tidewater.example"
    )
    expect(page).to_have_title(re.compile("^Camille Moreau"))
    expect(page.locator(".tabbar")).to_be_visible()

    # Search offline: by company, then by tag (a tag on a contact's page filters People).
    tab(page, "People")
    page.get_by_label("Search people").fill("robot")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ada Okoro")
    page.get_by_label("Search people").fill("")
    page.get_by_label("Tag").select_option("hiring")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Camille Moreau")
    expect(page).to_have_url(re.compile(r"/contacts/\?tag=hiring$"))

    # Back online the mark goes; log-out wipes the copy.
    phone.set_offline(False)
    expect(page.locator(".topbar [data-offline-mark]")).to_have_text("")
    page.goto("/account/")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    assert copy_of(page, user) == [0, None]


@pytest.mark.parametrize("size", [(320, 568), (390, 844)], ids=["320", "390"])
def test_screens_of_a_contact_and_of_people_offline(new_phone, size):
    """docs/screenshots: a contact's page (tags, answers, notes), People offline and the top
    bar with the Offline mark next to "N to sync", at both phone sizes."""
    width, height = size
    phone = new_phone(viewport={"width": width, "height": height})
    page = phone.new_page()
    sign_up(page, "Leonor Tavares", f"leonor.{uuid.uuid4().hex[:8]}@example.org")
    for payload, tags, answers in PEOPLE:
        add_contact(page, payload, tags, answers)
    page.goto("/contacts/")
    page.get_by_role("link", name=re.compile("Camille Moreau")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Moreau")
    screenshot(page, f"contact-page-{width}")

    page.goto("/")
    install(page)
    user = page.locator('meta[name="eventmate-user"]').get_attribute("content") or ""
    wait_for_copy(page, user, 3)
    phone.set_offline(True)
    tab(page, "People")
    expect(page.locator("[data-people-rows] li")).to_have_count(3)
    screenshot(page, f"people-offline-{width}", full_page=False)

    # Offline with a scan waiting: the mark, the sync badge and the profile link share the bar.
    scan_offline(page, "MECARD:N:Costa,Dario;ORG:Faro Studio;;")
    page.goto("/contacts/")
    expect(page.locator("[data-sync-badge]")).to_be_visible()
    bar = page.locator(".topbar")
    expect(bar.locator("[data-offline-mark]")).to_have_text("Offline")
    for part in ("[data-offline-mark]", "[data-sync-badge]", ".topbar-link"):
        box = bar.locator(part).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, part
    screenshot(page, f"topbar-offline-{width}", full_page=False)
