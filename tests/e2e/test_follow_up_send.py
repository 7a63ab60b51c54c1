"""The morning after, in a real browser: from opening Follow-ups to the first message sent and
marked done in at most two taps, then Undo; Copy asks "Sent?"; Done works offline.

The phone's own apps are not there: a tap on a mailto:/sms: link is caught before Chromium
hands it to the system, `window.open` records what it would open, and coming back to EventMate
is the page turning hidden, then visible again.
"""

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from eventmate.extensions import db
from eventmate.models import FollowUp, User
from eventmate.models.base import utcnow

from . import conftest as e2e
from .flows import add_scan, sign_up, tab
from .pwa.test_offline import install

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Inês Carvalho\r\nORG:Tideway Labs\r\n"
    "TEL:+351 912 345 678\r\nEMAIL:ines@tideway.example\r\n"
    "URL:https://www.linkedin.com/in/ines-carvalho\r\nEND:VCARD\r\n"
)
ONE_DUE = re.compile(r"^Follow-ups ?: 1 due$")  # Chromium spaces the visually hidden part
SIZES = {"390x844": {"width": 390, "height": 844}, "320x568": {"width": 320, "height": 568}}

# Counts the taps, records what the phone would open instead of opening it.
PHONE_APPS = """() => {
  window.__taps = 0;
  window.__opened = [];
  document.addEventListener("click", () => { window.__taps += 1; }, true);
  document.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="mailto:"], a[href^="sms:"]');
    if (link) {
      event.preventDefault();
      window.__opened.push(link.href);
    }
  }, true);
  window.open = (url) => { window.__opened.push(String(url)); return null; };
}"""
# Each tab's label: how many lines it takes, and whether it fits its tab.
TAB_LABELS = """links => links.map((link) => {
  const text = [...link.childNodes].find((node) => node.nodeType === 3 && node.data.trim());
  const range = document.createRange();
  range.selectNodeContents(text);
  const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  return [text.data.trim(), lines, link.scrollWidth <= link.clientWidth];
})"""
# The user switches to the mail app and back.
LEAVE_AND_COME_BACK = """() => {
  for (const state of ["hidden", "visible"]) {
    Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  }
}"""


def scan(page: Page, payload: str) -> int:
    """Record a scan through the Scan screen's API; the new contact's id."""
    return add_scan(page, payload)


def due_now(live_server, email: str) -> list[int]:
    """Make every follow-up of the user due a minute ago; their ids."""
    with live_server.app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        follow_ups = db.session.scalars(
            sa.select(FollowUp).where(FollowUp.owner_id == user.id).order_by(FollowUp.id)
        ).all()
        for follow_up in follow_ups:
            follow_up.due_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        ids = [follow_up.id for follow_up in follow_ups]
        db.session.remove()
    return ids


def wait_for_state(live_server, follow_up_id: int, state: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with live_server.app.app_context():
            found = db.session.get(FollowUp, follow_up_id).state
            db.session.remove()
        if found == state:
            return
        assert time.monotonic() < deadline, f"follow-up {follow_up_id} is {found}, not {state}"
        time.sleep(0.1)


def open_inbox_with_one_due(page: Page, live_server, email: str) -> int:
    sign_up(page, "Ana Ribeiro", email)
    scan(page, VCARD)
    [follow_up_id] = due_now(live_server, email)
    tab(page, "Follow-ups")
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-ups")
    page.evaluate(PHONE_APPS)
    return follow_up_id


@pytest.mark.parametrize("size", SIZES)
def test_the_first_follow_up_goes_in_two_taps_and_undo_brings_it_back(new_phone, live_server, size):
    page = new_phone(viewport=SIZES[size]).new_page()
    email = f"ana.send.{size}@example.org"
    follow_up_id = open_inbox_with_one_due(page, live_server, email)
    tabs = page.get_by_role("navigation", name="Main")
    expect(tabs.get_by_role("link", name=ONE_DUE)).to_be_visible()
    labels = tabs.locator("a").evaluate_all(TAB_LABELS)
    assert labels == [
        [label, 1, True] for label in ("Home", "People", "Scan", "Follow-ups", "My card")
    ]
    item = page.locator(f"#follow-up-{follow_up_id}")
    channels = item.get_by_role("group", name="Send to Inês Carvalho")
    kinds = channels.locator("a").evaluate_all("links => links.map((a) => a.dataset.channel)")
    assert kinds == ["email", "sms", "whatsapp", "linkedin"]
    # The channels are on the first screen, without scrolling.
    email_link = channels.get_by_role("link", name="Email")
    assert email_link.bounding_box()["y"] + 44 <= SIZES[size]["height"]

    email_link.click()
    page.evaluate(LEAVE_AND_COME_BACK)
    expect(item).to_be_hidden()
    toast = page.locator("[data-toast]")
    expect(toast).to_contain_text("Done: Inês Carvalho.")
    wait_for_state(live_server, follow_up_id, "done")
    assert page.evaluate("window.__taps") <= 2
    [opened] = page.evaluate("window.__opened")
    assert opened.startswith("mailto:ines@tideway.example?subject=")
    assert "Hi%20In%C3%AAs%2C" in opened
    expect(tabs.get_by_role("link", name=re.compile(r"^Follow-ups$"))).to_be_visible()

    toast.get_by_role("button", name="Undo").click()
    expect(item).to_be_visible()
    wait_for_state(live_server, follow_up_id, "open")
    expect(tabs.get_by_role("link", name=ONE_DUE)).to_be_visible()
    page.reload()
    expect(page.locator(f"#follow-up-{follow_up_id}")).to_be_visible()  # still open after all


def test_an_edited_draft_goes_by_text_with_what_was_typed(new_phone, live_server):
    page = new_phone().new_page()
    follow_up_id = open_inbox_with_one_due(page, live_server, "ana.text@example.org")
    item = page.locator(f"#follow-up-{follow_up_id}")
    preview = item.locator("[data-draft-preview]")
    lines = preview.evaluate(
        "p => Math.round(p.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(p).lineHeight))"
    )
    assert lines <= 4
    edit = item.locator("[data-draft] > summary")
    edit.click()
    item.get_by_label("Message").fill("Hi Inês, lovely to meet you at the summit.")
    expect(preview).to_be_hidden()  # the whole draft is open instead
    edit.click()
    expect(preview).to_have_text("Hi Inês, lovely to meet you at the summit.")
    item.get_by_role("link", name="Text").click()
    page.evaluate(LEAVE_AND_COME_BACK)
    expect(item).to_be_hidden()
    wait_for_state(live_server, follow_up_id, "done")
    [opened] = page.evaluate("window.__opened")
    assert opened == (
        "sms:+351912345678?&body=Hi%20In%C3%AAs%2C%20lovely%20to%20meet%20you%20at%20the%20summit."
    )


def test_linkedin_copies_the_message_then_opens_the_profile(new_phone, live_server):
    phone = new_phone(permissions=["clipboard-read", "clipboard-write"])
    page = phone.new_page()
    follow_up_id = open_inbox_with_one_due(page, live_server, "ana.linkedin@example.org")
    item = page.locator(f"#follow-up-{follow_up_id}")
    draft = item.get_by_label("Message").input_value()
    item.get_by_role("link", name="LinkedIn").click()
    expect(page.locator("[data-toast]")).to_contain_text("Message copied")
    assert page.evaluate("window.__opened") == ["https://www.linkedin.com/in/ines-carvalho"]
    assert page.evaluate("navigator.clipboard.readText()") == draft
    page.evaluate(LEAVE_AND_COME_BACK)
    expect(item).to_be_hidden()
    wait_for_state(live_server, follow_up_id, "done")


def test_copy_asks_sent_instead_of_guessing(new_phone, live_server):
    phone = new_phone(permissions=["clipboard-read", "clipboard-write"])
    page = phone.new_page()
    follow_up_id = open_inbox_with_one_due(page, live_server, "ana.copy@example.org")
    item = page.locator(f"#follow-up-{follow_up_id}")
    item.get_by_role("button", name=re.compile("^Copy")).click()
    expect(item.get_by_text("Copied. Sent?")).to_be_visible()
    page.evaluate(LEAVE_AND_COME_BACK)  # pasting it elsewhere is no proof it was sent
    expect(item).to_be_visible()
    item.get_by_role("button", name="Not yet").click()
    expect(item.get_by_text("Copied. Sent?")).to_be_hidden()
    item.get_by_role("button", name=re.compile("^Copy")).click()
    item.get_by_role("button", name="Yes, done").click()
    expect(item).to_be_hidden()
    wait_for_state(live_server, follow_up_id, "done")


@pytest.fixture
def offline_console_errors_are_expected(monkeypatch):
    """Chromium logs each request a test cuts off (no network)."""
    expected = ("Failed to load resource: net::ERR_",)
    monkeypatch.setattr(e2e, "EXPECTED_CONSOLE", (*e2e.EXPECTED_CONSOLE, *expected))


def test_done_offline_waits_in_the_outbox_and_reaches_the_server_once(
    new_phone, live_server, offline_console_errors_are_expected
):
    phone = new_phone()
    page = phone.new_page()
    follow_up_id = open_inbox_with_one_due(page, live_server, "ana.offline.done@example.org")
    install(page)
    page.reload()  # now served by the service worker, which keeps it for offline use
    page.evaluate(PHONE_APPS)
    phone.set_offline(True)
    item = page.locator(f"#follow-up-{follow_up_id}")
    item.get_by_role("button", name=re.compile("^Mark done")).click()
    expect(item).to_be_hidden()
    expect(page.locator("[data-sync-badge]")).to_contain_text("1 to sync")
    page.reload()  # the inbox kept for offline use: still done on this phone
    expect(page.locator(f"#follow-up-{follow_up_id}")).to_be_hidden()
    wait_for_state(live_server, follow_up_id, "open", timeout=1)
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_state(live_server, follow_up_id, "done", timeout=20)
    expect(page.locator("[data-sync-badge]")).to_be_hidden()
