"""What the offline machinery adds to a screen fits a phone: the "N to sync" badge in the top bar,
the toasts and the "Couldn't sync" list, measured with the boxes the browser lays out (390 px
and a narrow 360 px; 320 px for the list)."""

import re
from itertools import pairwise

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from .. import conftest as e2e
from ..flows import open_more, paste, sign_up, tab

BADGE = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Moreau;Camille;;;\r\nFN:Camille Moreau\r\nEND:VCARD\r\n"
WIDTHS = (390, 360)


@pytest.fixture(autouse=True)
def offline_console_errors_are_expected(monkeypatch):
    """Chromium logs each request a test cuts off (no network)."""
    expected = ("Failed to load resource: net::ERR_",)
    monkeypatch.setattr(e2e, "EXPECTED_CONSOLE", (*e2e.EXPECTED_CONSOLE, *expected))


def box(locator: Locator) -> dict:
    found = locator.bounding_box()
    assert found, f"{locator} is not laid out"
    return found


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def assert_top_bar_is_tidy(page: Page, width: int, first_name: str) -> None:
    """Everything fits in the bar, side by side; the name is shown readably or not at all."""
    page.set_viewport_size({"width": width, "height": 844})
    bar = page.locator(".topbar")
    parts = [bar.locator(selector) for selector in (".brand", ".topbar-link")]
    badge = bar.locator(".sync-badge")
    if badge.is_visible():
        parts.insert(1, badge)
    boxes = [box(part) for part in parts]
    for left, right in pairwise(boxes):
        assert left["x"] + left["width"] <= right["x"], f"{width} px: overlapping in the top bar"
    assert boxes[-1]["x"] + boxes[-1]["width"] <= width, f"{width} px: the bar overflows"
    profile = bar.locator(".topbar-link")
    spill = profile.evaluate("link => link.scrollWidth - link.clientWidth")
    assert spill <= 0, f"{width} px: the avatar spills out of the profile button"
    name = bar.locator(".topbar-name")
    # Next to the sync badge the name is clipped to 1 px (kept for screen readers), not shown.
    if name.evaluate("name => name.getBoundingClientRect().width > 1"):
        shown, whole = name.evaluate("name => [name.clientWidth, name.scrollWidth]")
        # The whole first name, or an ellipsis after a few letters (a letter is ~9 px wide).
        assert shown >= min(whole, 40), f"{width} px: {first_name!r} cut to {shown} of {whole} px"
    # The first name stays in the name even when only the avatar shows (Chromium puts a space
    # before the visually hidden part).
    expect(profile).to_have_accessible_name(
        re.compile(rf"^{re.escape(first_name)} ?: profile and settings$")
    )


@pytest.mark.parametrize("name", ["Sam Lee", "Maximiliana Fernández-Oliveira"])
def test_the_top_bar_keeps_the_name_readable_next_to_the_sync_badge(new_phone, name):
    phone = new_phone(service_workers="block")  # the route sees the scan's request
    page = phone.new_page()
    first_name = name.split()[0]
    sign_up(page, name, f"{first_name.lower()}.layout@example.org")
    for width in WIDTHS:
        assert_top_bar_is_tidy(page, width, first_name)
        expect(page.locator(".topbar-name")).to_have_text(first_name)  # room for it all

    page.set_viewport_size({"width": 390, "height": 844})
    phone.route("**/api/**", lambda route: route.abort("internetdisconnected"))
    paste(page, BADGE)  # the scan waits in the outbox
    expect(page.locator("form[data-capture]")).to_be_visible()
    tab(page, "My card")
    expect(page.get_by_role("link", name=re.compile("^1 to sync"))).to_be_visible()
    for width in WIDTHS:
        assert_top_bar_is_tidy(page, width, first_name)


def test_a_toast_never_covers_the_save_button_or_the_tab_bar(new_phone):
    phone = new_phone(service_workers="block")  # the routes see every request of the page
    page = phone.new_page()
    sign_up(page, "Toni Toast", "toni.layout@example.org")
    paste(page, BADGE)
    expect(page.locator("[data-capture-state]")).to_have_text("In your People")
    contact_id = page.locator("form[data-capture]").get_attribute("data-contact-id")
    page.goto(f"/contacts/{contact_id}/edit")

    # The contact form saved with no network: the toast says so, next to the Save button.
    def posts_cut_off(route: Route) -> None:
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    phone.route(re.compile(r"/contacts/\d+/edit(\?scanned=1)?$"), posts_cut_off)
    phone.route("**/api/captures", lambda route: route.abort("internetdisconnected"))
    toast = page.locator("[data-toast]")
    save = page.get_by_role("button", name="Save", exact=True)
    tab_bar = page.get_by_role("navigation", name="Main")
    top_bar = page.locator(".topbar")

    def save_offline() -> None:
        save.click()
        expect(toast).to_be_visible()
        expect(toast).to_contain_text("Saved on this phone")
        shown, button = box(toast), box(save)
        assert not overlap(shown, button), f"the toast {shown} covers Save {button}"
        assert not overlap(shown, box(tab_bar)) and not overlap(shown, box(top_bar))
        assert shown["y"] >= 0 and shown["y"] + shown["height"] <= 844
        toast.evaluate("toast => { toast.hidden = true; toast.textContent = ''; }")  # gone

    page.get_by_label("Add tags").fill("lisbon")
    expect(save).to_be_in_viewport()  # held above the tab bar: the form goes on below
    save_offline()
    open_more(page)
    page.get_by_label("Notes").fill("Ask about the field study.")  # near the end of the form
    save_offline()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # past the form
    page.get_by_label("Notes").fill("Ask about the field study. And the pilot.")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    save_offline()

    # A page with no form: the toast sits just above the tab bar.
    tab(page, "My card")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toni Toast")
    page.evaluate(
        """async () => {
            const href = document.querySelector('link[rel=modulepreload][href$="/sync.js"]').href;
            (await import(href)).toast("Ready to work offline.");
        }"""
    )
    expect(toast).to_have_text("Ready to work offline.")
    shown, nav = box(toast), box(tab_bar)
    assert not overlap(shown, nav)
    assert 0 <= nav["y"] - (shown["y"] + shown["height"]) <= 24, "the toast is far from the tab bar"


@pytest.mark.parametrize("width, height", [(390, 844), (320, 568)])
def test_the_scan_screen_does_not_move_when_its_camera_part_starts(new_phone, width, height):
    """Layout shift: what the page shows before scanner.js runs is where things stay after it
    explains that there is no camera (Lighthouse measured a shift of 0.52 here)."""
    # No service worker: it would serve scanner.js from its cache, around the route below.
    phone = new_phone(viewport={"width": width, "height": height}, service_workers="block")
    page = phone.new_page()
    sign_up(page, "Lia Layout", f"lia.layout.{width}@example.org")
    summary = page.get_by_text("Type or paste instead")

    page.route("**/js/scanner.js", lambda route: route.abort())
    page.goto("/scan")
    before = box(summary)
    page.unroute("**/js/scanner.js")

    page.goto("/scan")  # headless Chromium here has no camera: the photo choice takes its place
    expect(page.get_by_role("button", name="Try the camera again")).to_be_visible()
    assert box(summary) == before


def test_a_failing_item_with_retry_and_discard_fits_a_small_phone(new_phone):
    phone = new_phone(service_workers="block")  # the route sees the scan's request
    page = phone.new_page()
    sign_up(page, "Fen Failing", "fen.layout@example.org")
    phone.route("**/api/**", lambda route: route.abort("internetdisconnected"))
    paste(page, BADGE)  # the scan waits in the outbox
    expect(page.locator("form[data-capture]")).to_be_visible()
    scan_id = page.locator("form[data-capture]").get_attribute("data-scan-id")
    tab(page, "People")
    # As the outbox leaves it after five 500s (outbox-queue.js: settle), through its own module.
    page.evaluate(
        """async (id) => {
            const href = document.querySelector('link[rel=modulepreload][href$="/outbox.js"]').href;
            const error = "EventMate didn't confirm it (500): Something went wrong on our side.";
            const failing = { state: "failing", attempts: 5, nextTry: Date.now() + 600_000 };
            await (await import(href)).update(id, { ...failing, lastError: error });
        }""",
        scan_id,
    )
    page.reload()
    row = page.locator(".sync-item").filter(has_text="Scan: Camille Moreau")
    for width in (*WIDTHS, 320):
        page.set_viewport_size({"width": width, "height": 568})
        expect(row.get_by_role("alert")).to_contain_text("(500)")
        shown = box(row)
        retry, discard = (
            box(row.get_by_role("button", name=name)) for name in ("Retry", "Discard")
        )
        for button in (retry, discard):
            assert button["height"] >= 44, f"{width} px: a button too small to tap"
            left, right = button["x"], button["x"] + button["width"]
            assert shown["x"] <= left and right <= shown["x"] + shown["width"], f"{width} px"
        assert retry["x"] + retry["width"] + 8 <= discard["x"], f"{width} px: buttons cramped"
        assert row.evaluate("row => row.scrollWidth <= row.clientWidth"), f"{width} px: overflows"
