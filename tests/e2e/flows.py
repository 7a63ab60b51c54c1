"""What a person does in the app, step by step, as the browser tests and screenshots need it.

Each step clicks through the visible interface (tab bar, links, labelled fields) and checks
that it arrived where a person would expect, so a broken link or label fails here.
"""

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

STRONG_PASSWORD = "violet kettle orbit lantern"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def tab(page: Page, name: str) -> None:
    """Tap a tab of the bottom tab bar."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def sign_up(page: Page, name: str, email: str, password: str = STRONG_PASSWORD) -> None:
    """From the welcome page to My card, as a new user."""
    page.goto("/")
    page.get_by_role("link", name="Create your card").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your card")
    fill_sign_up(page, name, email, password)
    expect(page).to_have_url(re.compile(r"/card$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def fill_sign_up(page: Page, name: str, email: str, password: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()


def public_card_path(page: Page) -> str:
    """The user's public card path (/c/<token>), from the link on My card."""
    tab(page, "My card")
    href = page.get_by_role("link", name="Preview my public card").get_attribute("href")
    path = re.sub(r"^https?://[^/]+", "", href or "")
    assert re.fullmatch(r"/c/[A-Za-z0-9_-]{16,64}", path), href
    return path


def create_event(
    page: Page, name: str, *, place: str, starts_on: str, ends_on: str = "", goal: int = 5
) -> str:
    """Create an event from the Events tab; returns its join code."""
    tab(page, "Events")
    page.locator("summary", has_text="Create an event").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Kind").select_option(label="Conference")
    page.get_by_label("Starts").fill(starts_on)
    if ends_on:
        page.get_by_label("Ends").fill(ends_on)
    page.get_by_label("Place").fill(place)
    page.get_by_label("Time zone").fill("Europe/Lisbon")
    page.get_by_label("New people I want to meet").fill(str(goal))
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status")).to_contain_text(f"{name} is your current event")
    code = page.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6,12}", code), code
    return code


def join_event(page: Page, code: str, name: str) -> None:
    tab(page, "Events")
    page.get_by_label("Event code").fill(code)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status")).to_contain_text(f"You joined {name}")


def exchange_cards(page: Page, card_path: str, owner_name: str) -> None:
    """Open someone's public card while logged in and exchange; ends on the capture screen."""
    page.goto(card_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(owner_name)
    page.get_by_role("button", name="Exchange cards").click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+\?scanned=1$"))
    expect(page.get_by_role("status")).to_contain_text(f"You exchanged cards with {owner_name}")
    expect(page.get_by_role("heading", level=1)).to_have_text(owner_name)


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """Save docs/screenshots/<name>.png when EVENTMATE_SCREENSHOTS=1; otherwise only check that
    the page rendered (so CI runs the flows without rewriting files)."""
    page.wait_for_load_state("load")
    if os.environ.get("EVENTMATE_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=full_page, animations="disabled")
