"""Capture in two taps: after a scan, its capture screen opens at once on the Scan screen (from
what the phone read, whatever the network does), with the first question and Save in view;
one answer takes a chip, typing and Save; the server's answer fills in the header."""

import re
import time

import pytest
from playwright.sync_api import Page, Route, expect

from .. import conftest as e2e
from ..flows import add_scan, public_card_path, scan_capture, sign_up, tab
from .test_camera_scan import BADGE, qr_image, server_contacts

OPEN_BUDGET_MS = 300
SIZES = {"390x844": {"width": 390, "height": 844}, "320x568": {"width": 320, "height": 568}}
ENJOY = "What do they enjoy most about their work?"
OPENING = """() => {
    const decoded = performance.getEntriesByName("scan-decoded").at(-1);
    const shown = performance.getEntriesByName("capture-shown").at(-1);
    return decoded && shown ? shown.startTime - decoded.startTime : null;
}"""


def opening_ms(page: Page) -> float:
    """From the decode (scanner.js) to the capture screen shown (scan-capture.js)."""
    page.wait_for_function(OPENING.replace("return decoded", "return !!decoded && !!shown; //"))
    elapsed = page.evaluate(OPENING)
    print(f"capture opened {elapsed:.0f} ms after the decode")  # a figure for the report
    return elapsed


def in_first_viewport(page: Page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


class Taps:
    """The taps and typing a person does, counted."""

    def __init__(self, page: Page):
        self.page, self.count = page, 0

    def tap(self, locator) -> None:
        self.count += 1
        locator.click()

    def type(self, locator, text: str) -> None:
        self.count += 1
        locator.fill(text)


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_a_scan_opens_its_capture_and_one_answer_takes_three_taps(camera_phone, size):
    with camera_phone(qr_image(BADGE), viewport=SIZES[size]) as page:
        sign_up(page, f"Ida Capture {size}", f"ida.capture.{size}@example.org")
        tab(page, "Home")
        tab(page, "Scan")  # the code is in front of the camera: it is read at once
        scan_capture(page, "Camille Moreau")
        assert opening_ms(page) <= OPEN_BUDGET_MS
        capture = page.locator("form[data-capture]")
        chip = capture.get_by_role("button", name=ENJOY, exact=True)
        save = capture.get_by_role("button", name="Save", exact=True)
        assert page.evaluate("window.scrollY") == 0
        for thing in (chip, save, capture.get_by_role("group", name="Tags")):
            assert in_first_viewport(page, thing), thing
        assert in_first_viewport(page, capture.get_by_label("Met face to face"))
        expect(capture.get_by_label("Met face to face")).to_be_checked()
        expect(capture.get_by_text("Head of Research · Tidewater Labs")).to_be_visible()

        taps = Taps(page)
        taps.tap(chip)
        box = capture.get_by_label(ENJOY, exact=True)
        expect(box).to_be_focused()
        taps.type(box, "Field studies with farmers")
        print(f"{size}: scrolled {page.evaluate('window.scrollY')} px")  # a figure for the report
        taps.tap(save)
        expect(page.get_by_role("heading", name="Saved")).to_be_visible()
        assert taps.count == 3
        expect(page.get_by_role("button", name="Scan next")).to_be_visible()
        expect(page.get_by_role("link", name="Done")).to_be_visible()

        deadline = time.monotonic() + 15
        while not (contacts := server_contacts(page))[0]["answers"]:
            assert time.monotonic() < deadline, contacts
            page.wait_for_timeout(200)
        [contact] = contacts
        assert contact["answers"][0]["answer"] == "Field studies with farmers"
        assert contact["met_face_to_face"] is True
        page.get_by_role("link", name="Done").click()
        expect(page).to_have_url(re.compile(re.escape(contact["url"]) + "$"))


def test_one_answer_and_one_tag_then_scan_next(camera_phone):
    with camera_phone(qr_image(BADGE)) as page:
        sign_up(page, "Jo Next", "jo.next@example.org")
        tab(page, "Scan")
        scan_capture(page, "Camille Moreau")
        capture = page.locator("form[data-capture]")
        capture.get_by_role("button", name=ENJOY, exact=True).click()
        capture.get_by_label(ENJOY, exact=True).fill("Soil data")
        capture.get_by_label("Add tags").fill("agritech")
        capture.get_by_label("Add tags").press("Enter")  # a chip, ticked; Enter doesn't save
        expect(capture.get_by_role("checkbox", name="agritech")).to_be_checked()
        expect(page.get_by_role("heading", name="Saved")).to_be_hidden()
        # The answer reads as a quote once its box is left; tapping it edits it again.
        quote = capture.get_by_role("button", name=f"Edit the answer to: {ENJOY}")
        expect(quote).to_contain_text("Soil data")
        capture.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Camille Moreau: 1 answer · agritech")).to_be_visible()
        page.get_by_role("button", name="Scan next").click()
        scanner = page.get_by_role("region", name="Camera scanner")
        expect(scanner).to_be_visible()
        expect(capture).to_be_hidden()
        deadline = time.monotonic() + 15
        while not server_contacts(page)[0]["tags"]:
            assert time.monotonic() < deadline
            page.wait_for_timeout(200)
        assert server_contacts(page)[0]["tags"] == ["agritech"]


def test_offline_the_capture_opens_at_once_and_its_notes_sync_later(camera_phone, monkeypatch):
    offline = "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"
    monkeypatch.setattr(e2e, "EXPECTED_CONSOLE", (*e2e.EXPECTED_CONSOLE, offline))
    with camera_phone(qr_image(BADGE), viewport=SIZES["320x568"]) as page:
        sign_up(page, "Kai Capture", "kai.capture@example.org")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        tab(page, "Scan")
        scan_capture(page, "Camille Moreau")  # online once: the decoder is kept
        tab(page, "People")
        page.context.set_offline(True)
        tab(page, "Scan")
        scan_capture(page, "Camille Moreau", synced=False)  # from the vCard, read on the phone
        assert opening_ms(page) <= OPEN_BUDGET_MS
        expect(page.locator("[data-capture-state]")).to_have_text("Saved on this phone")
        capture = page.locator("form[data-capture]")
        capture.get_by_role("button", name=ENJOY, exact=True).click()
        capture.get_by_label(ENJOY, exact=True).fill("Offline answer")
        capture.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("heading", name="Saved")).to_be_visible()

        page.context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        deadline = time.monotonic() + 20
        while not any(c["answers"] for c in server_contacts(page)):
            assert time.monotonic() < deadline
            page.wait_for_timeout(300)
        [contact] = server_contacts(page)  # the same badge twice: one person
        assert [a["answer"] for a in contact["answers"]] == ["Offline answer"]


def test_on_a_slow_network_the_capture_opens_at_once_and_the_server_fills_it_in(
    new_phone, camera_phone, live_server
):
    ana = new_phone().new_page()
    sign_up(ana, "Ana Slow", "ana.slow@example.org")
    card_url = live_server.url + public_card_path(ana)

    held: list[Route] = []  # the scans on their way: sent on after 2 s

    with camera_phone(qr_image(card_url), service_workers="block") as page:
        sign_up(page, "Lee Slow", "lee.slow@example.org")
        page.route("**/api/scans", lambda route: held.append(route))
        tab(page, "Scan")
        capture = page.locator("form[data-capture]")
        expect(capture).to_be_visible()
        assert opening_ms(page) <= OPEN_BUDGET_MS
        # A card link names nobody until the server answers; then the header is theirs.
        heading = capture.get_by_role("heading", level=1)
        expect(heading).to_have_text("EventMate card")
        page.wait_for_timeout(2_000)
        for route in held:
            route.continue_()
        expect(heading).to_have_text("Ana Slow")
        expect(page.locator("[data-capture-state]")).to_have_text("In your People")
        expect(page.locator("[data-capture-where]")).to_contain_text(":")  # the time met
        capture.get_by_role("button", name=ENJOY, exact=True).click()
        capture.get_by_label(ENJOY, exact=True).fill("Later saves name the contact")
        capture.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("heading", name="Saved")).to_be_visible()
        [contact] = server_contacts(page)
        expect(page.get_by_role("link", name="Done")).to_have_attribute("href", contact["url"])


LAYOUT_SHIFT = """() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
        for (const shift of list.getEntries()) if (!shift.hadRecentInput) total += shift.value;
    }).observe({ type: "layout-shift", buffered: true });
    setTimeout(() => resolve(total), 300);
})"""


def test_edit_does_not_move_when_its_script_starts_and_works_without_it(new_phone):
    """The server renders the questions as chips (Lighthouse measured a layout shift of 0.34
    when the script folded open boxes into chips); without JavaScript every box is shown."""
    phone = new_phone(service_workers="block")  # so that the route below sees every request
    page = phone.new_page()
    sign_up(page, "Ines Layout", "ines.layout@example.org")
    contact_id = add_scan(page, BADGE)

    def slow_contract(route: Route) -> None:  # the script starts well after the first paint
        response = route.fetch()
        time.sleep(0.5)
        route.fulfill(response=response)

    page.route("**/capture-contract.json", slow_contract)
    page.goto(f"/contacts/{contact_id}/edit")
    page.wait_for_function("() => document.querySelector('form[data-capture]').dataset.enhanced")
    shifted = page.evaluate(LAYOUT_SHIFT)
    print(f"layout shift on Edit: {shifted:.3f}")  # a figure for the report
    assert shifted < 0.02
    expect(page.get_by_role("button", name=ENJOY)).to_be_visible()
    expect(page.get_by_label(ENJOY, exact=True)).to_be_hidden()

    plain = new_phone(java_script_enabled=False, storage_state=phone.storage_state()).new_page()
    plain.goto(f"/contacts/{contact_id}/edit")
    expect(plain.get_by_role("button", name=ENJOY)).to_be_hidden()
    plain.get_by_label(ENJOY, exact=True).fill("Teaching juniors")
    with plain.expect_navigation():
        plain.get_by_role("button", name="Save", exact=True).click()
    expect(plain.get_by_text("Teaching juniors")).to_be_visible()
