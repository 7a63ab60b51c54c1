"""People and every contact's page open offline, even a contact never opened on this phone:
drawn from the phone's copy of the contacts (IndexedDB), which log-out wipes."""

import re
import time
import uuid

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from ..flows import add_scan, open_more, screenshot, sign_up, tab
from ..test_accessibility import AXE, violations
from .test_offline import (  # noqa: F401  (the fixture applies here too)
    install,
    offline_console_errors_are_expected,
    on_server,
    outbox,
    scan_offline,
    sync,
    wait_for_outbox,
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


def accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation, in the light and the dark theme."""
    if not AXE.is_file():
        return  # test_accessibility.py says why it skips
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            assert violations(page) == [], scheme
    finally:
        page.emulate_media(color_scheme="light")


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


def test_people_offline_lists_every_contact_as_the_list_scrolls(phone: BrowserContext):
    """More contacts than the first rows drawn: the rest come as the list's end nears, and a
    search looks at all of them."""
    page = phone.new_page()
    sign_up(page, "Nia Offline", f"nia.{uuid.uuid4().hex[:8]}@example.org")
    count = 95  # the first 40 rows, then two more batches
    for number in range(1, count + 1):
        add_scan(page, f"MECARD:N:Number{number:02},Dana;ORG:Company {number};;")
    page.goto("/")
    install(page)
    user = page.locator('meta[name="eventmate-user"]').get_attribute("content") or ""
    wait_for_copy(page, user, count)

    phone.set_offline(True)
    tab(page, "People")
    expect(page.locator("[data-people-count]")).to_contain_text(f"{count} people on this phone")
    rows = page.locator("[data-people-rows] li")
    expect(rows.first).to_contain_text(f"Dana Number{count}")  # newest first
    while rows.count() < count:
        shown = rows.count()
        rows.last.scroll_into_view_if_needed()
        expect(rows).not_to_have_count(shown)
    expect(rows).to_have_count(count)
    names = [text.split("\n")[0] for text in rows.locator("strong").all_inner_texts()]
    assert names == [f"Dana Number{number:02}" for number in range(count, 0, -1)]

    page.get_by_label("Search people").fill("number03")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Dana Number03")
    expect(page.locator("[data-people-count]")).to_contain_text(f"1 of {count} people")


def test_people_offline_follows_changes_and_deletions(phone: BrowserContext):
    """A refresh brings what changed since the last (`?since=`): a deleted contact leaves the
    list, a tag added online shows in it and in its search."""
    page = phone.new_page()
    sign_up(page, "Pia Offline", f"pia.{uuid.uuid4().hex[:8]}@example.org")
    for payload, tags, answers in PEOPLE:
        add_contact(page, payload, tags, answers)
    page.goto("/")
    install(page)
    user = page.locator('meta[name="eventmate-user"]').get_attribute("content") or ""
    wait_for_copy(page, user, 3)
    camille, ada, rui = sorted(page.request.get("/api/contacts").json()["ids"])

    # Both changes before the next refresh, so the one that drops Rui also brings the tag.
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    body = {"id": str(uuid.uuid4()), "contact_id": ada, "tags_add": ["founder"]}
    assert page.request.post("/api/captures", data=body, headers={"X-CSRFToken": token}).ok
    page.goto(f"/contacts/{rui}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete this contact").click()
    expect(page).to_have_url(re.compile(r"/contacts/$"))
    page.goto("/")  # a page load refreshes the copy
    wait_for_copy(page, user, 2)

    phone.set_offline(True)
    tab(page, "People")
    rows = page.locator("[data-people-rows] li")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ada Okoro")
    expect(rows.first).to_contain_text("founder · robotics")
    expect(rows.nth(1)).to_contain_text("Camille Moreau")
    page.get_by_label("Tag").select_option("founder")
    expect(rows).to_have_count(1)
    page.goto(f"/contacts/{rui}")
    expect(page.get_by_text("This contact isn't saved on this phone yet")).to_be_visible()
    page.goto(f"/contacts/{camille}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Moreau")


OLDER_PAGE_WRITES = """async ([user, id]) => {
    // What a page from before People's rows existed does on a refresh: the record and the
    // sync time change (its record written as it knows it), the rows stay as they were.
    const idb = await import(document.querySelector('link[href$="/idb.js"]').href);
    const sync = await idb.get("people-sync", user);
    const rows = await idb.get("people-sync", `rows:${user}`);
    const record = await idb.get("people", `${user}:${id}`);
    record.contact.name = record.contact.full_name = "Ada Okoro-Nwosu";
    await idb.put("people", record);
    const synced_at = new Date().toISOString();
    await idb.put("people-sync", { id: user, synced_at, refreshed: Date.now(), count: 3 });
    return [sync.rows !== undefined, JSON.parse(rows.rows).length];
}"""


def test_rows_left_behind_by_a_page_that_did_not_keep_them_are_rebuilt(phone: BrowserContext):
    """A record changed by a writer that doesn't keep People's rows (a page kept from before a
    deploy) shows anyway: the sync time it writes doesn't vouch for the rows."""
    page = phone.new_page()
    sign_up(page, "Omar Offline", f"omar.{uuid.uuid4().hex[:8]}@example.org")
    for payload, tags, answers in PEOPLE:
        add_contact(page, payload, tags, answers)
    ada = sorted(page.request.get("/api/contacts").json()["ids"])[1]  # the second added
    page.goto("/")
    install(page)
    user = page.locator('meta[name="eventmate-user"]').get_attribute("content") or ""
    wait_for_copy(page, user, 3)
    assert page.evaluate(OLDER_PAGE_WRITES, [user, ada]) == [True, 3]

    phone.set_offline(True)
    tab(page, "People")
    rows = page.locator("[data-people-rows] li")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Ada Okoro-Nwosu")
    page.get_by_label("Search people").fill("nwosu")
    expect(rows).to_have_count(1)


def test_edit_offline_of_a_never_opened_contact_is_filled_from_the_copy(
    phone: BrowserContext, live_server
):
    """Edit of a contact whose pages this phone never opened: offline, the capture form filled
    from the phone's copy; its changes wait in the outbox and sync, merged, once online."""
    page = phone.new_page()
    email = f"ines.{uuid.uuid4().hex[:8]}@example.org"
    sign_up(page, "Ines Offline", email)
    for payload, tags, answers in PEOPLE:
        add_contact(page, payload, tags, answers)
    unread = add_scan(page, "BOOTH-0417")
    page.goto("/")
    install(page)
    user = page.locator('meta[name="eventmate-user"]').get_attribute("content") or ""
    wait_for_copy(page, user, 4)

    phone.set_offline(True)
    tab(page, "People")
    page.get_by_role("link", name=re.compile("Camille Moreau")).click()
    page.get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+/edit$"))
    form = page.locator("form[data-capture]")
    expect(form.get_by_role("heading", level=1)).to_have_text("Camille Moreau")
    expect(page).to_have_title(re.compile("^Edit Camille Moreau"))
    expect(form.locator("[data-capture-state]")).to_have_text("Offline copy")
    expect(form.locator("[data-capture-line]")).to_have_text("Head of Data · Tidewater Labs")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="People")).to_have_attribute("aria-current", "page")
    for tag in ("data", "hiring"):
        expect(page.get_by_role("checkbox", name=tag, exact=True)).to_be_checked()
    expect(form.locator("[data-quote] q").filter(has_text="Turning messy")).to_be_visible()
    open_more(page)
    expect(page.get_by_label("Notes")).to_have_value("Notes about Camille Moreau.")
    expect(page.get_by_label("Company")).to_have_value("Tidewater Labs")
    expect(page.get_by_label("Emails (one per line)")).to_have_value("camille@tidewater.example")
    expect(
        page.get_by_text("The follow-up can be changed once you're back online.")
    ).to_be_visible()
    expect(page.locator(".follow-up-choice")).to_be_hidden()

    page.get_by_label("Add tags").fill("met-offline")
    page.get_by_label("Notes").fill("Notes about Camille Moreau. Send the deck.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    [item] = outbox(page)
    body = item["body"]
    assert body["tags_add"] == ["met-offline"] and not body["tags_remove"]
    assert body["base"]["notes"] == "Notes about Camille Moreau."
    assert body["answers"] == {} and body["fields"] == {}
    assert "follow_up" not in body and "event_id" not in body

    # People shows her waiting to sync; back online it syncs, merged on the server.
    tab(page, "People")
    row = page.locator("[data-people-rows] li").filter(has_text="Camille Moreau")
    expect(row).to_contain_text("waiting to sync")
    expect(row).to_contain_text("met-offline")
    page.goto(f"/contacts/{unread}/edit")  # a code without a name: says what it said
    expect(page.get_by_text("We couldn't read a name")).to_contain_text("It said: BOOTH-0417")
    expect(page.get_by_label("Name", exact=True)).to_be_visible()  # under More, opened
    page.goto("/contacts/999999/edit")  # not on this phone: says so, saves nothing
    expect(page.locator("[data-capture-error]")).to_contain_text("isn't saved on this phone")
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_disabled()

    phone.set_offline(False)
    sync(page)
    wait_for_outbox(page, lambda items: not items)
    camille = on_server(live_server, email)["contacts"]["Camille Moreau"]
    assert camille["tags"] == ["data", "hiring", "met-offline"]
    assert camille["notes"] == "Notes about Camille Moreau. Send the deck."
    assert camille["answers"] == {"enjoy": "Turning messy sensor data into maps"}


@pytest.mark.parametrize("size", [(320, 568), (390, 844)], ids=["320", "390"])
def test_screens_of_a_contact_and_of_people_offline(new_phone, size):
    """docs/screenshots: a contact's page (tags, answers, notes); offline, People, a contact's
    page and its Edit drawn from the phone's copy; the top bar with the Offline mark next to
    "N to sync", at both phone sizes."""
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
    accessible(page)
    page.get_by_role("link", name=re.compile("Camille Moreau")).click()
    expect(page.locator("blockquote")).to_have_text("Turning messy sensor data into maps")
    screenshot(page, f"contact-offline-{width}")
    accessible(page)
    page.get_by_role("link", name="Edit").click()
    expect(page.locator("[data-capture-state]")).to_have_text("Offline copy")
    screenshot(page, f"contact-edit-offline-{width}", full_page=False)
    accessible(page)

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
