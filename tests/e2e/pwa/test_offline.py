"""Offline first: the service worker keeps the app and my pages; scans, tags and notes made with
no network wait in the outbox and reach the server exactly once, whatever the network answers.
"""

import contextlib
import json
import re
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import BrowserContext, Page, Route, expect

from eventmate.extensions import db
from eventmate.models import ClientRequest, Contact, Meeting, User
from eventmate.pwa import shell, views

from .. import conftest as e2e
from ..flows import (
    STRONG_PASSWORD,
    create_event,
    expect_flash,
    lisbon_day,
    note_capture,
    open_more,
    paste,
    public_card_path,
    save_scan_capture,
    sign_up,
    tab,
)

BADGE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Moreau;Camille;;;\r\nFN:Camille Moreau\r\n"
    "ORG:Tidewater Labs\r\nEMAIL:camille@tidewater.example\r\nEND:VCARD\r\n"
)
SECOND_BADGE = "MECARD:N:Okoro,Ada;ORG:Lagos Robotics;EMAIL:ada@lagos.example;;"
PORTAL = "<!doctype html><title>Conference Wi-Fi</title><p>Accept the terms to continue"
# What a captive portal answers instead of EventMate: a redirect to its own login page.
# (EventMate never redirects under /api/: without a session it answers a JSON 401.)
TO_PORTAL = {"status": 302, "headers": {"Location": "http://wifi-login.example/?continue=1"}}
NOT_REACHING = "The network isn't reaching EventMate (a Wi-Fi login page?)."


@pytest.fixture(autouse=True)
def offline_console_errors_are_expected(monkeypatch):
    """Chromium logs each fetch that fails for lack of network or that a test aborts or
    answers with a fake server error."""
    expected = (
        "Failed to load resource: net::ERR_",
        "Failed to load resource: the server responded with a status of 50",
    )
    monkeypatch.setattr(e2e, "EXPECTED_CONSOLE", (*e2e.EXPECTED_CONSOLE, *expected))


# ---- Helpers --------------------------------------------------------------------------------


def install(page: Page) -> None:
    """Wait until the service worker is active (it controls every page opened from now on)
    and my pages are kept for offline."""
    active = "navigator.serviceWorker.ready.then((registration) => registration.active.state)"
    deadline = time.monotonic() + 30
    while page.evaluate(active) != "activated":
        assert time.monotonic() < deadline, "the service worker did not activate"
        page.wait_for_timeout(100)
    kept = "() => sessionStorage.getItem('eventmate-offline-pages') !== null"
    page.wait_for_function(kept, timeout=30_000)


def outbox(page: Page) -> list[dict]:
    """The outbox as IndexedDB holds it (read through the app's own module)."""
    return page.evaluate(
        """async () => {
            const href = document.querySelector('link[rel=modulepreload][href$="/outbox.js"]').href;
            return (await import(href)).list();
        }"""
    )


def wait_for_outbox(page: Page, predicate, timeout: float = 30) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        items = outbox(page)
        if predicate(items):
            return items
        assert time.monotonic() < deadline, f"outbox never matched: {json.dumps(items)[:2000]}"
        # Often: some states last only until the next retry (1 s after a lost answer).
        page.wait_for_timeout(50)


def sync(page: Page) -> None:
    """What the phone does when the network returns (the `online` event)."""
    page.evaluate("window.dispatchEvent(new Event('online'))")


def scan_offline(page: Page, payload: str) -> str:
    """Paste a code on the Scan screen with no network: its capture opens there; returns the
    scan's client id."""
    paste(page, payload)
    capture = page.locator("form[data-capture]")
    expect(capture).to_be_visible()
    expect(capture).to_have_attribute("data-scan-id", re.compile(r"^[0-9a-f-]{36}$"))
    return capture.get_attribute("data-scan-id")


def paste_online(page: Page, payload: str) -> str:
    """Paste a code online: its capture opens on the Scan screen and, once the scan synced,
    names the contact; then opens that person's capture form (Edit). Returns its URL."""
    paste(page, payload)
    expect(page.locator("[data-capture-state]")).to_have_text("In your People")
    contact_id = page.locator("form[data-capture]").get_attribute("data-contact-id")
    page.goto(f"/contacts/{contact_id}/edit")
    return page.url


def note(page: Page, *, tags: str = "", notes: str = "", enjoy: str = "") -> None:
    """Fill the scan's capture and save; ends on People."""
    answers = {"What do they enjoy most about their work?": enjoy} if enjoy else {}
    note_capture(page, tags=tags, answers=answers, notes=notes)
    save_scan_capture(page)
    tab(page, "People")
    expect(page).to_have_url(re.compile(r"/contacts/$"))


def network_down(route: Route) -> None:
    route.abort("internetdisconnected")


def fake(response: dict, seen: list[str]):
    """A route handler answering every request with `response` (and noting its URL)."""

    def answer(route: Route) -> None:
        seen.append(route.request.url)
        route.fulfill(content_type="text/html", **response)

    return answer


def on_server(live_server, email: str) -> dict:
    """What the server holds for this user: contacts (with tags, notes, answers, meetings)
    and the client ids it recorded, by kind."""
    with live_server.app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        contacts = db.session.scalars(sa.select(Contact).where(Contact.owner_id == user.id)).all()
        requests = db.session.scalars(
            sa.select(ClientRequest).where(ClientRequest.user_id == user.id)
        ).all()
        meetings = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Meeting)
            .join(Contact)
            .where(Contact.owner_id == user.id)
        )
        return {
            "contacts": {
                c.display_name: {
                    "tags": sorted(tag.name for tag in c.tags),
                    "notes": c.notes,
                    "answers": {a.prompt_key: a.answer for a in c.answers},
                    "face_to_face": c.met_face_to_face,
                }
                for c in contacts
            },
            "contact_count": len(contacts),
            "meetings": meetings,
            "requests": sorted(r.kind for r in requests),
        }


# ---- The shell and my pages offline ----------------------------------------------------------


def test_a_visitor_who_scanned_a_card_gets_no_service_worker(new_phone):
    owner = new_phone().new_page()
    sign_up(owner, "Vera Visited", "vera.visited@example.org")
    card = public_card_path(owner)

    visitor = new_phone().new_page()
    visitor.goto(card)
    expect(visitor.get_by_role("button", name="Share my details")).to_be_visible()
    visitor.wait_for_timeout(3500)  # longer than the app waits to register one (later())
    assert visitor.evaluate("navigator.serviceWorker.getRegistration()") is None
    expect(visitor.get_by_role("status").filter(has_text="Ready to work offline")).to_have_count(0)


def test_installed_app_opens_my_card_and_people_offline(phone: BrowserContext, live_server):
    page = phone.new_page()
    sign_up(page, "Olga Offline", "olga.offline@example.org")
    expect(page.get_by_role("status").filter(has_text="Ready to work offline")).to_be_visible()
    install(page)
    response = page.request.get("/service-worker.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"

    phone.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olga Offline")
    qr = page.get_by_role("img", name=re.compile("QR code of your card"))
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    tab(page, "People")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    page.goto("/events/3/not-kept")
    expect(page.get_by_role("heading", level=1)).to_have_text("You're offline")
    page.get_by_role("link", name="My card").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olga Offline")


def test_the_inbox_is_kept_for_offline_use_until_log_out(phone: BrowserContext, live_server):
    page = phone.new_page()
    sign_up(page, "Ines Offline", "ines.offline@example.org")
    install(page)  # kept at once, before it was ever opened

    phone.set_offline(True)
    page.goto("/inbox")
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-ups")
    expect(page.get_by_role("heading", name="Nobody to follow up with yet")).to_be_visible()

    # Opened online, it is kept as it was last seen.
    phone.set_offline(False)
    paste(page, BADGE)
    expect(page.locator("[data-capture-state]")).to_have_text("In your People")
    page.goto("/inbox")
    expect(page.locator(".follow-up").filter(has_text="Camille Moreau")).to_be_visible()
    phone.set_offline(True)
    page.goto("/contacts/")
    page.goto("/inbox")
    expect(page.locator(".follow-up").filter(has_text="Camille Moreau")).to_be_visible()

    # Log-out forgets it with the other pages.
    phone.set_offline(False)
    page.goto("/account/")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    phone.set_offline(True)
    page.goto("/inbox")
    expect(page.get_by_role("heading", level=1)).to_have_text("You're offline")


def test_a_form_on_a_page_open_for_hours_is_sent_with_a_fresh_token(
    phone: BrowserContext, live_server
):
    page = phone.new_page()
    email = "joao.offline@example.org"
    sign_up(page, "Joao Offline", email)
    paste(page, BADGE)
    expect(page.locator("[data-capture-state]")).to_have_text("In your People")
    page.goto("/inbox")
    snooze = page.locator("summary", has_text="Snooze: Camille Moreau")

    # Hours later the session was renewed (logged in again in another tab): the page's token
    # is stale. Its forms still work, with the button that was pressed.
    phone.clear_cookies()
    other = phone.new_page()
    other.goto("/login")
    other.get_by_label("Email").fill(email)
    other.get_by_label("Password").fill(STRONG_PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other).not_to_have_url(re.compile(r"/login"))
    other.close()
    snooze.click()
    page.get_by_role("button", name="1 week").click()
    expect_flash(page, "We'll remind you about Camille Moreau")

    # Offline, a form isn't sent (no browser error page, nothing typed is lost): it says why.
    phone.set_offline(True)
    snooze.click()
    page.get_by_role("button", name="3 days").click()
    expect(page.get_by_role("status").filter(has_text="Not sent: you're offline")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-ups")
    expect(page.locator(".flash").filter(has_text="We'll remind you")).to_be_visible()

    # Another account logged in meanwhile: nothing is sent on its behalf.
    phone.set_offline(False)
    phone.clear_cookies()
    sign_up(phone.new_page(), "Kai Other", "kai.offline@example.org")
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.get_by_role("button", name="3 days").click()  # the options are still open
    toast = page.get_by_role("status").filter(has_text="logged in to another account")
    expect(toast).to_be_visible()
    assert posts == []


# ---- Scan, tag and note offline; sync exactly once ---------------------------------------------


def test_scans_and_notes_made_offline_sync_once(phone: BrowserContext, live_server):
    page = phone.new_page()
    email = "pia.offline@example.org"
    sign_up(page, "Pia Offline", email)
    install(page)

    phone.set_offline(True)
    scan_offline(page, BADGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Moreau")
    note(page, tags="AI, Lisbon", notes="Wants the onboarding study.", enjoy="Field research")
    scan_offline(page, SECOND_BADGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Okoro")
    note(page, tags="robotics")

    # People lists the pending scans, marked; the badge counts scans and notes.
    waiting = page.get_by_role("region", name="Waiting to sync")
    expect(waiting.get_by_text("waiting to sync", exact=True)).to_have_count(4)
    expect(waiting).to_contain_text("Scan: Camille Moreau")
    expect(waiting).to_contain_text("Notes about Camille Moreau")
    expect(page.get_by_role("link", name="4 to sync (scans or notes waiting")).to_be_visible()
    assert on_server(live_server, email)["contact_count"] == 0

    phone.set_offline(False)
    sync(page)
    wait_for_outbox(page, lambda items: not items)
    expect(page.get_by_role("link", name=re.compile("to sync"))).to_be_hidden()
    state = on_server(live_server, email)
    assert state["contact_count"] == 2 and state["meetings"] == 2
    assert state["requests"] == ["capture", "capture", "scan", "scan"]
    camille = state["contacts"]["Camille Moreau"]
    assert camille["tags"] == ["AI", "Lisbon"]
    assert camille["notes"] == "Wants the onboarding study."
    assert camille["answers"] == {"enjoy": "Field research"}
    assert state["contacts"]["Ada Okoro"]["tags"] == ["robotics"]

    page.reload()
    expect(page.locator(".people")).to_contain_text("Camille Moreau")
    expect(page.get_by_role("region", name="Waiting to sync")).to_be_hidden()


def test_a_flush_cut_off_after_the_server_answered_is_replayed_once(new_phone, live_server):
    # The page alone sends here (no service worker, so no Background Sync racing it), and the
    # network is "down" by refusing every request to the API.
    phone = new_phone(service_workers="block")
    page = phone.new_page()
    email = "quinn.offline@example.org"
    sign_up(page, "Quinn Offline", email)
    phone.route("**/api/**", network_down)
    scan_offline(page, BADGE)
    note(page, notes="Met at the coffee queue.")
    phone.unroute("**/api/**", network_down)

    # The server applies an item, but its answer never reaches the phone. The test opens the
    # way one kind at a time; the rest find the network down (so each state it checks lasts,
    # however slow the machine and whatever the retry timer does meanwhile).
    passing: set[str] = set()  # kinds of request that go through
    losing = {"scans"}  # kinds whose next request reaches the server and loses its answer
    cut: list[str] = []

    def lose_the_answer(route: Route) -> None:
        kind = route.request.url.rsplit("/", 1)[-1]
        if kind in passing:
            route.continue_()
        elif kind in losing:
            losing.discard(kind)
            route.fetch()
            cut.append(kind)
            route.abort("connectionreset")
        else:
            network_down(route)

    phone.route("**/api/*s", lose_the_answer)
    tries = outbox(page)[0]["attempts"]
    sync(page)
    wait_for_outbox(page, lambda items: cut and items[0]["attempts"] > tries)
    assert len(outbox(page)) == 2
    assert on_server(live_server, email)["requests"] == ["scan"]
    passing.add("scans")
    losing.add("captures")
    tries = outbox(page)[1]["attempts"]
    sync(page)  # the scan is answered now; the note is applied, its answer lost
    wait_for_outbox(
        page, lambda items: len(items) == 1 and items[0]["attempts"] > tries and len(cut) == 2
    )
    assert on_server(live_server, email)["requests"] == ["capture", "scan"]
    phone.unroute("**/api/*s")

    # Closed mid-sync: the app is closed while the note is on its way again.
    held: list[Route] = []
    phone.route("**/api/captures", lambda route: held.append(route))
    sync(page)
    deadline = time.monotonic() + 10
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held, "the note was not sent"
    page.close()
    phone.unroute("**/api/captures")
    for route in held:  # the connection drops with the app
        with contextlib.suppress(Exception):  # already gone with the page
            route.abort("connectionreset")

    # Opening the app again sends what is left; the server applied everything once.
    page = phone.new_page()
    page.goto("/contacts/")
    wait_for_outbox(page, lambda items: not items)
    state = on_server(live_server, email)
    assert state["contact_count"] == 1 and state["meetings"] == 1
    assert state["requests"] == ["capture", "scan"]
    assert state["contacts"]["Camille Moreau"]["notes"] == "Met at the coffee queue."


def test_background_sync_sends_the_outbox_with_the_app_closed(phone: BrowserContext, live_server):
    page = phone.new_page()
    email = "nia.offline@example.org"
    sign_up(page, "Nia Offline", email)
    install(page)
    phone.set_offline(True)
    scan_offline(page, BADGE)
    note(page, tags="synced-in-background")
    page.goto("about:blank")  # the app is closed: no page of ours sends anything
    phone.set_offline(False)

    # The browser wakes the service worker with a "sync" event when the network is back; it
    # ignores emulated offline, so the test sends that event itself (through DevTools).
    devtools = phone.new_cdp_session(page)
    registrations: dict[str, dict] = {}  # by id, latest state: an update can come twice

    def updated(event: dict) -> None:
        registrations.update((r["registrationId"], r) for r in event["registrations"])

    devtools.on("ServiceWorker.workerRegistrationUpdated", updated)
    devtools.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    [registration] = [r for r in registrations.values() if not r["isDeleted"]]
    devtools.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "tag": "outbox",
            "lastChance": False,
        },
    )
    deadline = time.monotonic() + 30
    while on_server(live_server, email)["requests"] != ["capture", "scan"]:
        assert time.monotonic() < deadline, on_server(live_server, email)
        time.sleep(0.2)
    assert on_server(live_server, email)["contacts"]["Camille Moreau"]["tags"] == [
        "synced-in-background"
    ]


def test_a_contact_page_opened_before_takes_notes_offline(phone: BrowserContext, live_server):
    page = phone.new_page()
    email = "xia.offline@example.org"
    sign_up(page, "Xia Offline", email)
    install(page)
    contact_page = paste_online(page, BADGE)  # online: Camille's page, which the phone keeps

    phone.set_offline(True)
    page.goto(contact_page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Moreau")
    page.get_by_label("Add tags").fill("met-offline")
    open_more(page)
    page.get_by_label("Notes").fill("Ask about the field study.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    [item] = outbox(page)
    assert item["body"]["contact_id"] == int(contact_page.split("/")[-2])
    assert item["body"]["base"]["notes"] == ""

    phone.set_offline(False)
    sync(page)
    wait_for_outbox(page, lambda items: not items)
    camille = on_server(live_server, email)["contacts"]["Camille Moreau"]
    assert camille["tags"] == ["met-offline"]
    assert camille["notes"] == "Ask about the field study."


def camille_scanned_online(new_phone, name: str, email: str):
    """(phone, page): a new account, with no service worker (offline and routes see every
    request), that has scanned Camille's badge and is on her contact page."""
    phone = new_phone(service_workers="block")
    page = phone.new_page()
    sign_up(page, name, email)
    paste_online(page, BADGE)
    return phone, page


def test_a_tag_saved_offline_stays_when_another_is_added(new_phone, live_server):
    # After an offline save the form shows what was saved (the typed tag is a ticked chip, the
    # box is empty); the next save adds its tag and never removes one the user didn't untick.
    email = "abe.offline@example.org"
    phone, page = camille_scanned_online(new_phone, "Abe Offline", email)

    phone.set_offline(True)
    for number, tag in enumerate(("met-offline", "#second  tag"), start=1):
        page.get_by_label("Add tags").fill(tag)
        page.get_by_role("button", name="Save", exact=True).click()
        wait_for_outbox(page, lambda items, number=number: len(items) == number)
        expect(page.get_by_label("Add tags")).to_have_value("")
    for chip in ("met-offline", "second tag"):
        expect(page.get_by_role("checkbox", name=chip, exact=True)).to_be_checked()
    assert [item["body"].get("tags_remove") for item in outbox(page)] == [[], []]

    phone.set_offline(False)
    sync(page)
    wait_for_outbox(page, lambda items: not items)
    camille = on_server(live_server, email)["contacts"]["Camille Moreau"]
    assert camille["tags"] == ["met-offline", "second tag"]


def test_what_was_typed_before_the_page_script_ran_is_saved_too(new_phone):
    # On a slow phone the module that queues offline saves starts late; a tag typed before it
    # ran is a change all the same (it compares with the page as the server sent it).
    phone, page = camille_scanned_online(new_phone, "Ike Early", "ike.early@example.org")

    def held_back(route: Route) -> None:
        source = route.fetch().text()
        hold = "await new Promise((go) => (window.releaseCapture = go));\n"
        route.fulfill(body=hold + source, content_type="text/javascript")

    page.route("**/js/offline-capture.js", held_back)
    page.reload()
    page.wait_for_function("() => typeof window.releaseCapture === 'function'")
    page.get_by_label("Add tags").fill("met-early")  # before offline-capture.js has run
    page.evaluate("window.releaseCapture()")
    page.wait_for_timeout(500)  # its start: it reads the outbox, then what the form holds

    phone.set_offline(True)
    page.get_by_role("button", name="Save", exact=True).click()
    [item] = wait_for_outbox(page, lambda items: len(items) == 1)
    assert item["body"]["tags_add"] == ["met-early"]


def test_the_event_and_follow_up_chosen_offline_are_synced(new_phone, live_server):
    email = "bea.offline@example.org"
    phone, page = camille_scanned_online(new_phone, "Bea Offline", email)
    contact_page = page.url.split("?")[0]
    create_event(page, "Web Summit", place="Lisbon", starts_on=lisbon_day())
    page.goto(contact_page)
    open_more(page)
    expect(page.get_by_label("Event")).to_have_value("")

    phone.set_offline(True)
    page.get_by_label("Event").select_option(label="Web Summit")
    page.locator("label.chip", has_text="In 3 days").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    [item] = outbox(page)
    assert item["body"]["follow_up"] == "3days" and item["body"]["event_id"]

    phone.set_offline(False)
    sync(page)
    wait_for_outbox(page, lambda items: not items)
    page.reload()
    open_more(page)
    expect(page.get_by_label("Event").locator("option:checked")).to_have_text("Web Summit")
    expect(page.get_by_role("radio", name=re.compile("^In 3 days"))).to_be_checked()


def test_a_kept_contact_page_shows_the_changes_waiting_on_the_phone(
    phone: BrowserContext, live_server
):
    page = phone.new_page()
    email = "cy.offline@example.org"
    sign_up(page, "Cy Offline", email)
    install(page)
    contact_page = paste_online(page, BADGE)  # the phone keeps it as the server had it

    phone.set_offline(True)
    page.goto(contact_page)
    notice = page.get_by_text("Changes saved on this phone, not synced yet")
    expect(notice).to_be_hidden()
    page.get_by_label("Add tags").fill("met-offline")
    open_more(page)
    page.get_by_label("Notes").fill("Ask about the field study.")
    page.locator("label.chip", has_text="No follow-up").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()

    # Back on her page later, still offline: the kept copy shows what waits to sync.
    tab(page, "People")
    page.goto(contact_page)
    expect(notice).to_be_visible()
    open_more(page)
    expect(page.get_by_label("Notes")).to_have_value("Ask about the field study.")
    expect(page.get_by_role("checkbox", name="met-offline", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="No follow-up")).to_be_checked()
    page.get_by_label("Notes").fill("Ask about the field study. Send the deck.")
    page.get_by_role("button", name="Save", exact=True).click()
    second = wait_for_outbox(page, lambda items: len(items) == 2)[1]["body"]
    assert second["base"]["notes"] == "Ask about the field study."
    assert "follow_up" not in second and not second["tags_remove"]

    phone.set_offline(False)
    sync(page)
    wait_for_outbox(page, lambda items: not items)
    expect(notice).to_be_hidden()
    camille = on_server(live_server, email)["contacts"]["Camille Moreau"]
    assert camille["notes"] == "Ask about the field study. Send the deck."  # not doubled
    assert camille["tags"] == ["met-offline"]


def test_on_slow_wi_fi_a_scan_opens_its_notes_without_waiting_for_the_server(
    new_phone, live_server
):
    # The network takes its time (the answer would come in 15 s, or never): the scan is safe
    # on the phone, so its capture screen opens within seconds and it syncs later, once.
    phone = new_phone(service_workers="block")  # the routes see every request of the page
    page = phone.new_page()
    email = "ugo.offline@example.org"
    sign_up(page, "Ugo Offline", email)
    held: list[Route] = []
    phone.route("**/api/scans", lambda route: held.append(route))
    paste(page, BADGE)
    expect(page.locator("form[data-capture]")).to_be_visible(timeout=1_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Moreau")
    page.wait_for_timeout(500)  # the capture opens before the scan is sent
    assert held, "the scan was not sent"
    phone.unroute("**/api/scans")
    for route in held:  # the slow answers never come: the scan waits in the outbox
        with contextlib.suppress(Exception):
            route.abort("timedout")

    note(page, notes="Met in the slow queue.")
    sync(page)
    wait_for_outbox(page, lambda items: not items)
    state = on_server(live_server, email)
    assert state["contact_count"] == 1 and state["requests"] == ["capture", "scan"]
    assert state["contacts"]["Camille Moreau"]["notes"] == "Met in the slow queue."


def test_a_contact_form_cut_off_on_its_way_waits_in_the_outbox(new_phone, live_server):
    # The network drops while the form is on its way: before the server saw it, or after it
    # saved it (the phone never hears back), or a proxy answers 503. What was typed is kept
    # (no browser error page) and reaches the server once.
    email = "zoe.offline@example.org"
    phone, page = camille_scanned_online(new_phone, "Zoe Offline", email)
    contact_page = re.compile(r"/contacts/\d+/edit(\?scanned=1)?$")

    def cut(route: Route) -> None:
        route.abort("connectionreset")

    def saved_but_unheard(route: Route) -> None:
        route.fetch()
        route.abort("connectionreset")

    def bad_gateway(route: Route) -> None:
        route.fulfill(status=503, content_type="text/html", body="<h1>Service Unavailable</h1>")

    def on_post(answer):
        return lambda route: answer(route) if route.request.method == "POST" else route.continue_()

    lines = []
    for number, answer in enumerate((cut, saved_but_unheard, bad_gateway), start=1):
        flaky = on_post(answer)
        phone.route(contact_page, flaky)
        phone.route("**/api/captures", network_down)
        lines.append(f"Line {number}.")
        page.get_by_label("Add tags").fill(", ".join(f"tag{n}" for n in range(1, number + 1)))
        open_more(page)
        page.get_by_label("Notes").fill("\n".join(lines))
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("Saved on this phone")
        expect(page).to_have_url(contact_page)
        expect(page.get_by_label("Notes")).to_have_value("\n".join(lines))
        [item] = wait_for_outbox(page, lambda items: items and items[0]["attempts"] > 0)
        assert item["body"]["notes"] == "\n".join(lines)
        phone.unroute(contact_page, flaky)
        phone.unroute("**/api/captures", network_down)
        sync(page)
        wait_for_outbox(page, lambda items: not items)

    camille = on_server(live_server, email)["contacts"]["Camille Moreau"]
    assert camille["tags"] == ["tag1", "tag2", "tag3"]
    assert camille["notes"] == "Line 1.\nLine 2.\nLine 3."
    assert on_server(live_server, email)["requests"] == ["capture", "capture", "capture", "scan"]

    # Online, a save still shows the server's page: what to correct, then its confirmation.
    page.reload()
    open_more(page)
    page.get_by_label("Notes").fill("Line 4.")
    page.locator("label.chip", has_text="On a date").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect_flash(page, "Not saved yet")
    expect(page.get_by_label("Notes")).to_have_value("Line 4.")
    page.locator("label.chip", has_text="No follow-up").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect_flash(page, "Saved what you noted about Camille Moreau")
    assert on_server(live_server, email)["contacts"]["Camille Moreau"]["notes"] == "Line 4."
    assert outbox(page) == []


# ---- What the network answers: rejections, captive portals, expired sessions -------------------


def test_a_rejected_scan_shows_the_servers_sentence_until_fixed(phone: BrowserContext, live_server):
    page = phone.new_page()
    email = "rita.offline@example.org"
    sign_up(page, "Rita Offline", email)
    own_card = live_server.url + public_card_path(page)
    install(page)

    phone.set_offline(True)
    scan_offline(page, own_card)
    note(page, tags="met at the booth")  # refused too: its scan was never recorded
    phone.set_offline(False)
    sync(page)
    wait_for_outbox(page, lambda items: all(item["state"] == "rejected" for item in items))

    # Shown with the server's own sentences, on every page, and kept across reloads.
    page.reload()
    problems = page.get_by_role("region", name="Waiting to sync")
    expect(problems.get_by_role("alert").first).to_contain_text("your own card")
    expect(problems.get_by_role("alert").nth(1)).to_contain_text("scan these notes belong to")
    tab(page, "My card")
    expect(problems.get_by_role("alert").first).to_contain_text("your own card")
    assert len(outbox(page)) == 2

    # Fix: correct the scanned text and the tag, save; both sync.
    problems.get_by_role("link", name="Fix").first.click()
    expect(page.locator("form").get_by_role("alert")).to_contain_text("your own card")
    page.get_by_label("What the code says").fill(BADGE)
    page.get_by_role("checkbox", name="met at the booth").uncheck()
    page.get_by_label("Add tags").fill("design")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/contacts/$"))
    wait_for_outbox(page, lambda items: not items)
    state = on_server(live_server, email)
    assert state["contacts"]["Camille Moreau"]["tags"] == ["design"]
    assert state["requests"] == ["capture", "scan"]


def test_a_rejected_item_can_be_discarded(phone: BrowserContext, live_server):
    page = phone.new_page()
    sign_up(page, "Sami Offline", "sami.offline@example.org")
    own_card = live_server.url + public_card_path(page)
    install(page)
    # Online, the paste form alone says why, beside the text to correct: nothing is kept.
    paste(page, own_card)
    expect(page.locator("[data-scan-error]")).to_contain_text("your own card")
    page.wait_for_timeout(500)  # time for the outbox's list to be drawn, were it to be
    expect(page.get_by_role("alert")).to_have_count(1)
    problems = page.get_by_role("region", name="Waiting to sync")
    expect(problems).to_be_hidden()
    assert outbox(page) == []

    # Refused later, by a sync nobody watches: the outbox lists it, with Discard.
    phone.set_offline(True)
    scan_offline(page, own_card)
    tab(page, "People")
    phone.set_offline(False)
    sync(page)
    wait_for_outbox(page, lambda items: items and items[0]["state"] == "rejected")
    expect(problems.get_by_role("alert")).to_contain_text("your own card")
    page.once("dialog", lambda dialog: dialog.accept())
    problems.get_by_role("button", name="Discard").click()
    expect(problems).to_be_hidden()
    assert outbox(page) == []


THIRD_BADGE = "MECARD:N:Lindqvist,Sven;ORG:Nordic Tides;EMAIL:sven@nordic.example;;"
SERVER_ERROR = "Something went wrong on our side. Nothing you entered was lost; try again."


def test_an_item_the_server_fails_never_holds_back_the_others(new_phone, live_server):
    # One queued scan makes the server answer 500 (a crafted QR code): the two scans queued
    # after it still reach the server, its notes wait for it, and after its tries the user sees
    # it with the server's answer, can retry it and can discard it.
    phone = new_phone(service_workers="block")  # the page alone sends: routes see every request
    page = phone.new_page()
    email = "gus.offline@example.org"
    sign_up(page, "Gus Offline", email)
    phone.route("**/api/**", network_down)
    bad = scan_offline(page, BADGE)
    note(page, notes="Ask about the printed badge.")
    scan_offline(page, SECOND_BADGE)
    scan_offline(page, THIRD_BADGE)
    tab(page, "People")
    phone.unroute("**/api/**", network_down)

    posted: list[str] = []

    def fail_the_bad_scan(route: Route) -> None:
        body = route.request.post_data_json
        posted.append(body["id"])
        if body["id"] == bad:
            route.fulfill(status=500, json={"error": SERVER_ERROR})
        else:
            route.continue_()

    phone.route(re.compile(r"/api/(scans|captures)$"), fail_the_bad_scan)
    sync(page)
    [item, notes] = wait_for_outbox(page, lambda items: len(items) == 2 and items[0]["attempts"])
    assert (item["id"], notes["body"]["scan_id"]) == (bad, bad)
    assert sorted(on_server(live_server, email)["contacts"]) == ["Ada Okoro", "Sven Lindqvist"]
    assert posted.count(bad) == 1 and notes["id"] not in posted  # its notes wait for it

    # Tried again, with backoff, until it counts as failing: then it is listed.
    problems = page.get_by_role("region", name="Waiting to sync")
    while (tries := outbox(page)[0]["attempts"]) < 5:
        expect(problems.get_by_role("heading", name="Couldn't sync")).to_be_hidden()
        sync(page)
        wait_for_outbox(page, lambda items, tries=tries: items[0]["attempts"] > tries)
    [item, notes] = outbox(page)
    assert (item["state"], item["attempts"], notes["state"]) == ("failing", 5, "pending")
    row = problems.get_by_role("listitem").filter(has_text="Scan: Camille Moreau")
    expect(row.get_by_role("alert")).to_have_text(
        f"EventMate didn't confirm it (500): {SERVER_ERROR}"
    )
    expect(page.get_by_role("link", name="2 to sync")).to_be_visible()
    assert posted.count(bad) == 5

    # Retry sends it now (its backoff starts again); still refused, it stays listed.
    row.get_by_role("button", name="Retry").click()
    wait_for_outbox(page, lambda items: posted.count(bad) == 6 and items[0]["attempts"] < 5)
    assert outbox(page)[0]["state"] == "failing"
    expect(row.get_by_role("alert")).to_contain_text("(500)")
    expect(row.get_by_role("button", name="Retry")).to_be_enabled()

    # Discard asks first: it is the user's scan, and its notes go with it.
    questions: list[str] = []

    def answer(dialog, accept: bool) -> None:
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    row.get_by_role("button", name="Discard").click()
    expect(row).to_be_visible()
    assert len(outbox(page)) == 2
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    row.get_by_role("button", name="Discard").click()
    expect(problems).to_be_hidden()
    assert outbox(page) == []
    asked = "Discard Scan: Camille Moreau and the notes you took about it? It will not be synced."
    assert questions == [asked, asked]
    assert "Camille Moreau" not in on_server(live_server, email)["contacts"]
    assert notes["id"] not in posted


def test_captive_portal_keeps_every_item_and_never_asks_to_log_in(new_phone, live_server):
    # The page alone sends here (no service worker: no Background Sync racing the fakes).
    phone = new_phone(service_workers="block")
    page = phone.new_page()
    email = "tom.offline@example.org"
    sign_up(page, "Tom Offline", email)
    previous = ("**/api/**", network_down)
    phone.route(*previous)
    scan_offline(page, BADGE)
    note(page, notes="Portal-proof.")

    answers = {
        "portal page for everything": ("**/api/**", {"status": 200, "body": PORTAL}),
        "portal page for the writes": ("**/api/*s", {"status": 200, "body": PORTAL}),
        "portal redirect for everything": ("**/api/**", TO_PORTAL),
        "portal redirect for the writes": ("**/api/*s", TO_PORTAL),
        "server error": ("**/api/*s", {"status": 503, "body": "Service Unavailable"}),
    }
    for name, (pattern, response) in answers.items():
        seen: list[str] = []
        handler = fake(response, seen)
        phone.route(pattern, handler)
        phone.unroute(*previous)  # only now: no gap between two fake answers
        previous = (pattern, handler)
        before = outbox(page)
        everything = name.endswith("everything")

        def answered(items, before=before, everything=everything, seen=seen) -> bool:
            return bool(seen) and (everything or items[0]["attempts"] > before[0]["attempts"])

        sync(page)
        items = wait_for_outbox(page, answered)
        assert [(i["kind"], i["state"]) for i in items] == [
            ("scan", "pending"),
            ("capture", "pending"),
        ], name
        if everything:  # no session: no item was sent, none counts a try
            expect(page.get_by_text("the network isn't reaching EventMate")).to_be_visible()
            assert items == before, name
        if name == "portal redirect for the writes":
            assert items[0]["lastError"] == NOT_REACHING, name
        assert on_server(live_server, email)["contact_count"] == 0, name
        expect(page.get_by_text("Log in again to sync")).to_have_count(0)

    phone.unroute(*previous)
    sync(page)
    wait_for_outbox(page, lambda items: not items)
    state = on_server(live_server, email)
    assert state["requests"] == ["capture", "scan"]
    assert state["contacts"]["Camille Moreau"]["notes"] == "Portal-proof."


def test_a_form_behind_a_captive_portal_says_network_not_log_in(new_phone, live_server):
    phone = new_phone(service_workers="block")  # the routes see every request of the page
    page = phone.new_page()
    sign_up(page, "Yara Offline", "yara.offline@example.org")
    page.goto("/account/card")
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    phone.route("**/api/csrf", lambda route: route.fulfill(**TO_PORTAL))
    page.get_by_label("Name", exact=True).fill("Yara Typed")
    page.get_by_role("button", name="Save my card").click()

    toasts = page.get_by_role("status")
    expect(toasts.filter(has_text="Not sent: you're offline or the network isn't")).to_be_visible()
    expect(toasts.filter(has_text="session has ended")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/account/card$"))
    expect(page.get_by_label("Name", exact=True)).to_have_value("Yara Typed")
    assert posts == []

    phone.unroute("**/api/csrf")  # past the portal: the same tap sends it
    page.get_by_role("button", name="Save my card").click()
    expect_flash(page, "Your card is saved.")
    assert posts


def test_an_item_is_never_sent_with_another_accounts_fresh_token(new_phone, live_server):
    # The token expired between fetching it and sending the scan; the fresh one is another
    # account's (logged in meanwhile in another tab): the scan waits for its own account.
    phone = new_phone(service_workers="block")  # the routes see every request of the page
    page = phone.new_page()
    email = "ola.offline@example.org"
    sign_up(page, "Ola Offline", email)
    phone.route("**/api/**", network_down)
    scan_offline(page, BADGE)
    tab(page, "People")
    phone.unroute("**/api/**", network_down)

    posts: list[str] = []
    tokens: list[str] = []

    def expired(route: Route) -> None:
        posts.append(route.request.url)
        route.fulfill(status=400, json={"error": "Your form expired.", "csrf": True})

    def then_another_account(route: Route) -> None:
        tokens.append(route.request.url)
        if len(tokens) == 1:
            route.continue_()
        else:
            route.fulfill(json={"csrf_token": "another-accounts-token", "user": 999_999})

    phone.route("**/api/scans", expired)
    phone.route("**/api/csrf", then_another_account)
    sync(page)
    expect(page.get_by_role("alert").filter(has_text="Log in again to sync 1 item")).to_be_visible()
    assert len(posts) == 1 and len(tokens) == 2
    [item] = outbox(page)
    assert (item["state"], item["attempts"]) == ("pending", 0)
    assert on_server(live_server, email)["contact_count"] == 0


def test_an_expired_session_asks_to_log_in_then_syncs(phone: BrowserContext, live_server):
    page = phone.new_page()
    email = "uma.offline@example.org"
    sign_up(page, "Uma Offline", email)
    install(page)
    phone.set_offline(True)
    scan_offline(page, BADGE)
    phone.clear_cookies()  # the session ended while the phone was offline
    phone.set_offline(False)
    sync(page)
    alert = page.get_by_role("alert").filter(has_text="Log in again to sync 1 item")
    expect(alert).to_be_visible(timeout=30_000)  # (or at the next try, if a send was under way)
    assert len(outbox(page)) == 1

    alert.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/scan$"))  # where the phone was
    wait_for_outbox(page, lambda items: not items)
    assert on_server(live_server, email)["requests"] == ["scan"]


# ---- Log-out and updates --------------------------------------------------------------------


def test_log_out_warns_about_unsynced_items_then_clears_this_phone(
    phone: BrowserContext, live_server
):
    page = phone.new_page()
    sign_up(page, "Vic Offline", "vic.offline@example.org")
    install(page)
    phone.set_offline(True)
    scan_offline(page, BADGE)
    phone.route("**/api/**", lambda route: route.fulfill(status=503, body="down"))
    phone.set_offline(False)

    page.goto("/account/")
    dialogs: list[str] = []

    def refuse(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.get_by_role("button", name="Log out").click()
    for _ in range(100):  # the warning comes once the outbox has been counted
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert "1 scan or note hasn't synced yet" in dialogs[0]
    expect(page).to_have_url(re.compile(r"/account/$"))
    assert len(outbox(page)) == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    assert outbox(page) == []
    kept = (
        "caches.open('eventmate-pages').then((cache) => cache.keys()).then((keys) => keys.length)"
    )
    assert page.evaluate(kept) == 0
    phone.unroute("**/api/**")

    phone.set_offline(True)  # my card is no longer on this phone
    page.goto("/card")
    expect(page.get_by_role("heading", level=1)).to_have_text("You're offline")


def test_a_new_version_waits_for_reload(phone: BrowserContext, live_server, monkeypatch):
    page = phone.new_page()
    sign_up(page, "Wes Offline", "wes.offline@example.org")
    install(page)
    old = page.evaluate("caches.keys()")
    [old_shell] = [name for name in old if name.startswith("eventmate-shell-")]

    monkeypatch.setattr(shell, "shell_version", lambda: "feedc0ffee00")
    monkeypatch.setattr(views, "shell_version", lambda: "feedc0ffee00")
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    toast = page.get_by_role("status").filter(has_text="New version available")
    expect(toast).to_be_visible()
    # Nothing swapped under the running page: the old worker still answers.
    assert old_shell in page.evaluate("caches.keys()")
    with page.expect_navigation():
        toast.get_by_role("button", name="Reload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wes Offline")
    names = page.evaluate("caches.keys()")
    assert old_shell not in names
    assert "eventmate-shell-feedc0ffee00" in names and "eventmate-pages" in names
