"""What the offline machinery adds to a screen fits a phone: the "N to sync" badge in the top bar,
measured with the boxes the browser lays out (390 px and a narrow 360 px)."""

import re
from itertools import pairwise

import pytest
from playwright.sync_api import Locator, Page, expect

from .. import conftest as e2e
from ..flows import sign_up, tab

BADGE = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Moreau;Camille;;;\r\nFN:Camille Moreau\r\nEND:VCARD\r\n"
WIDTHS = (390, 360)


@pytest.fixture(autouse=True)
def offline_console_errors_are_expected(monkeypatch):
    """Chromium logs each request a test cuts off (no network)."""
    expected = ("Failed to load resource: net::ERR_",)
    monkeypatch.setattr(e2e, "EXPECTED_CONSOLE", (*e2e.EXPECTED_CONSOLE, *expected))


def paste(page: Page) -> None:
    """Add Camille by pasting her badge's text on the Scan screen."""
    tab(page, "Scan")
    expect(page.locator("form[data-scan-form]")).to_have_attribute("data-enhanced", "outbox")
    field = page.get_by_label("QR or badge text")
    if not field.is_visible():
        page.get_by_text("Type or paste instead").click()
    field.fill(BADGE)
    page.get_by_role("button", name="Add this person").click()


def box(locator: Locator) -> dict:
    found = locator.bounding_box()
    assert found, f"{locator} is not laid out"
    return found


def assert_top_bar_is_tidy(page: Page, width: int, first_name: str) -> None:
    """Everything fits in the bar, side by side; the name is shown readably or not at all."""
    page.set_viewport_size({"width": width, "height": 844})
    bar = page.locator(".topbar")
    parts = [bar.locator(selector) for selector in (".brand", ".topbar-inbox", ".topbar-link")]
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
    if name.is_visible():
        shown, whole = name.evaluate("name => [name.clientWidth, name.scrollWidth]")
        # The whole first name, or an ellipsis after a few letters (a letter is ~9 px wide).
        assert shown >= min(whole, 40), f"{width} px: {first_name!r} cut to {shown} of {whole} px"
    expect(profile).to_have_accessible_name(f"{first_name}: profile and settings")


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
    paste(page)  # the scan waits in the outbox
    expect(page).to_have_url(re.compile(r"/offline/capture\?scan="))
    tab(page, "My card")
    expect(page.get_by_role("link", name=re.compile("^1 to sync"))).to_be_visible()
    for width in WIDTHS:
        assert_top_bar_is_tidy(page, width, first_name)
