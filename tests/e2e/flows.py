"""What a person does in the app, step by step, as the browser tests and screenshots need it.

Each step clicks through the visible interface (tab bar, links, labelled fields) and checks
that it arrived where a person would expect, so a broken link or label fails here.
"""

import os
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.mail_server import MAILBOX

STRONG_PASSWORD = "violet kettle orbit lantern"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def expect_flash(page: Page, text: str, timeout: float = 5_000) -> None:
    """The page shows the server's one-line message (a flash) containing `text`."""
    expect(page.locator(".flash").filter(has_text=text)).to_be_visible(timeout=timeout)


def tab(page: Page, name: str) -> None:
    """Tap a tab of the bottom tab bar."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def open_events(page: Page) -> None:
    """Events left the tab bar: from the profile (the top bar's name), its Events row."""
    page.get_by_role("link", name=re.compile("profile and settings")).click()
    page.get_by_role("link", name=re.compile("^Events")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")


def sign_up(page: Page, name: str, email: str, password: str = STRONG_PASSWORD) -> None:
    """From the welcome page to My card, as a new user."""
    page.goto("/")
    page.get_by_role("link", name="Create your card").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your card")
    fill_sign_up(page, name, email, password)
    enter_code(page, email)
    expect(page).to_have_url(re.compile(r"/card$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def fill_sign_up(page: Page, name: str, email: str, password: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()


def enter_code(page: Page, email: str) -> None:
    """On "Check your email": type the code that the tests' SMTP server received."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator(".address")).to_have_text(email.lower())
    page.get_by_label("Code from the email").fill(MAILBOX.latest_code(email))
    page.get_by_role("button", name="Confirm").click()


def public_card_path(page: Page) -> str:
    """The user's public card path (/c/<token>), from the link on My card."""
    tab(page, "My card")
    href = page.get_by_role("link", name="Preview my public card").get_attribute("href")
    path = re.sub(r"^https?://[^/]+", "", href or "")
    assert re.fullmatch(r"/c/[A-Za-z0-9_-]{16,64}", path), href
    return path


def lisbon_day(offset: int = 0) -> str:
    """Today (plus `offset` days) where `create_event`'s events are: a dated event that has
    ended no longer takes new scans, so a flow's event must run on the day the test runs."""
    return (datetime.now(ZoneInfo("Europe/Lisbon")).date() + timedelta(days=offset)).isoformat()


def create_event(
    page: Page, name: str, *, place: str, starts_on: str, ends_on: str = "", goal: int = 5
) -> str:
    """Create an event from the Events page; returns its join code."""
    open_events(page)
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
    expect_flash(page, f"{name} is your current event")
    code = page.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6,12}", code), code
    return code


def join_event(page: Page, code: str, name: str) -> None:
    open_events(page)
    page.get_by_label("Event code").fill(code)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect_flash(page, f"You joined {name}")


def exchange_cards(page: Page, card_path: str, owner_name: str) -> None:
    """Open someone's public card while logged in and exchange; ends on the capture screen."""
    page.goto(card_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(owner_name)
    page.get_by_role("button", name="Exchange cards").click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+/edit\?scanned=1$"))
    expect_flash(page, f"You exchanged cards with {owner_name}")
    expect(page.get_by_role("heading", level=1)).to_have_text(owner_name)


def save_capture(page: Page) -> None:
    """Tap Save on a contact's capture form (Edit) and wait for the saved page to load."""
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")


def note_capture(page: Page, *, tags: str = "", answers: dict | None = None, notes: str = ""):
    """Fill the capture form as a person does: type tags into "+ add", tap a question's chip
    and type its answer, open More for the notes."""
    if tags:
        page.get_by_label("Add tags").fill(tags)
    for question, text in (answers or {}).items():
        page.get_by_role("button", name=question, exact=True).click()
        page.get_by_label(question, exact=True).fill(text)
    if notes:
        open_more(page)
        page.get_by_label("Notes").fill(notes)


def open_more(page: Page) -> None:
    """Open the capture form's "More" (event, follow-up, contact details, notes)."""
    more = page.locator("form[data-capture] details.capture-more")
    if more.get_attribute("open") is None:
        more.locator("summary").click()


def scan_capture(page: Page, name: str, *, synced: bool = True) -> None:
    """On the Scan screen after a code was read: its capture is open, named `name`; `synced`:
    the scan reached the server, which named the person (else the phone's reading names them)."""
    capture = page.locator("form[data-capture]")
    expect(capture).to_be_visible()
    if synced:
        expect(capture.locator("[data-capture-state]")).to_have_text("In your People")
    expect(capture.get_by_role("heading", level=1)).to_have_text(name)


def save_scan_capture(page: Page) -> None:
    """Tap Save on the Scan screen's capture: "Saved · Scan next · Done"."""
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Saved")).to_be_visible()


def add_scan(page: Page, payload: str) -> int:
    """Record a scan through the API the Scan screen uses (its interface is someone else's);
    the new contact's id."""
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(
        "/api/scans",
        data={
            "id": str(uuid.uuid4()),
            "payload": payload,
            "scanned_at": datetime.now(UTC).isoformat(),
        },
        headers={"X-CSRFToken": token or ""},
    )
    assert response.status == 201, response.text()
    return response.json()["id"]


def portrait(path: Path, background: str, shirt: str) -> Path:
    """A stand-in for a camera photo of a person (head and shoulders on a plain wall), as a
    1200×1600 JPEG: the phone and the server make it 384×512."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 1600), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 1050, 1050, 2100), fill=shirt)
    draw.rectangle((510, 860, 690, 1120), fill="#c98d6b")
    draw.ellipse((380, 380, 820, 960), fill="#d9a07f")
    draw.chord((360, 330, 840, 760), 180, 360, fill="#3b2a20")
    image.save(path, "JPEG", quality=90)
    return path


def choose_photo(page: Page, picture: Path) -> None:
    """Tap "Add photo" (or "Change photo") and pick a picture, as the camera would give it."""
    expect(page.locator("[data-photo-input]")).to_have_attribute("data-photo-ready", "1")
    page.get_by_label(re.compile(r"^(Add|Change) photo$")).set_input_files(picture)


def accept_shared(page: Page, name: str) -> None:
    """From home, accept details someone shared back as a new contact: two taps (open it,
    Accept); ends on the new contact's page."""
    tab(page, "Home")
    shared = page.get_by_role("region", name=re.compile("Shared with you"))
    shared.get_by_role("link", name=re.compile(name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_role("button", name="Accept", exact=True).click()
    expect_flash(page, f"Added {name} to your contacts.")


# What a thumb has to hit: at least 44 CSS pixels tall (links inside sentences are exempt).
TAP_TARGETS = ", ".join(
    (
        ".button, .link-button, .tabbar a, .topbar a, .links a, .export-links a",
        ".check, .chip span, summary, select",
        "input:not([type=hidden]):not([type=checkbox]):not([type=file]):not(.visually-hidden)",
    )
)
LAYOUT_PROBLEMS = """(selector) => {
  const problems = [];
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px > ${width}px`);
  }
  // In a row that scrolls sideways (the capture's chips), reached by swiping the row.
  const inSideways = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const describe = (el) => `<${el.tagName.toLowerCase()} class="${el.className}"> ` +
    JSON.stringify((el.textContent || el.name || el.id || "").trim().slice(0, 40));
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown (closed <details>, hidden)
    const height = Math.round(box.height);
    if (height < 44) problems.push(`tap target ${height}px tall: ${describe(el)}`);
    if (box.right > width + 1 && !inSideways(el)) {
      problems.push(`sticks out on the right: ${describe(el)}`);
    }
  }
  for (const el of document.querySelectorAll("input, select, textarea")) {
    const named = el.labels?.length || el.ariaLabel || el.getAttribute("aria-labelledby");
    if (el.type !== "hidden" && !named) problems.push(`no label: ${describe(el)}`);
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push(`image without alt: ${img.src}`);
  }
  // Shown ones: a screen may hold another, hidden until it takes over (Scan, then capture).
  const headings = [...document.querySelectorAll("h1")].filter((h) => h.getClientRects().length);
  if (headings.length !== 1) problems.push(`${headings.length} <h1> on the page, want 1`);
  return problems;
}"""


def check_phone_layout(page: Page) -> None:
    """Fail on what makes a screen hard to use on a phone: sideways scrolling, small tap
    targets, unlabelled fields, images without alt text, not exactly one <h1>."""
    page.wait_for_load_state("load")  # measured with its stylesheet, not while it loads
    problems = page.evaluate(LAYOUT_PROBLEMS, TAP_TARGETS)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def screenshot(page: Page, name: str, *, full_page: bool = True, part=None) -> None:
    """Check the screen's phone layout, and save docs/screenshots/<name>.png and, in the dark
    theme, <name>-dark.png when EVENTMATE_SCREENSHOTS=1 (CI runs the flows without rewriting
    the files). `part`: a locator, to save only that part of a long page."""
    page.wait_for_load_state("load")
    check_phone_layout(page)
    if os.environ.get("EVENTMATE_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for scheme, suffix in (("light", ""), ("dark", "-dark")):
            page.emulate_media(color_scheme=scheme)
            path = SCREENSHOTS / f"{name}{suffix}.png"
            if part is not None:
                part.screenshot(path=path, animations="disabled")
            else:
                save_screen(page, path, full_page=full_page)
    finally:
        page.emulate_media(color_scheme="light")


def save_screen(page: Page, path: Path, *, full_page: bool) -> None:
    viewport = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    if not full_page or viewport is None or height <= viewport["height"]:
        page.screenshot(path=path, animations="disabled")
        return
    # A phone as tall as the page, rather than Playwright's full_page stitching: that keeps
    # the fixed tab bar at the bottom instead of painting it across the middle of the page.
    page.set_viewport_size({"width": viewport["width"], "height": height})
    try:
        page.screenshot(path=path, animations="disabled")
    finally:
        page.set_viewport_size(viewport)


def paste(page: Page, payload: str) -> None:
    """Open the Scan tab and send a code's text with the paste form."""
    tab(page, "Scan")
    expect(page.locator("[data-scanner]")).to_be_visible()  # it has folded the paste form
    expect(page.locator("form[data-scan-form]")).to_have_attribute("data-enhanced", "outbox")
    field = page.get_by_label("QR or badge text")
    if not field.is_visible():
        page.get_by_text("Type or paste instead").click()
    field.fill(payload)
    page.get_by_role("button", name="Add this person").click()


def make_new_qr(page: Page) -> None:
    """Profile → My card → "Make a new QR code", confirmed: the old code stops working, printed
    too."""
    page.get_by_role("link", name=re.compile("profile and settings", re.IGNORECASE)).click()
    page.get_by_role("main").get_by_role("link", name=re.compile("^My card")).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make a new QR code").click()
    expect_flash(page, "You have a new QR code")
