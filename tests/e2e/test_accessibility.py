"""axe-core on every screen, in the light and the dark theme: no serious or critical violation.

axe-core comes from npm (package.json; `scripts/test.sh` runs `npm ci`) and is injected into
each page by the test: it is never served to users.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .flows import (
    add_scan,
    create_event,
    lisbon_day,
    paste,
    public_card_path,
    save_scan_capture,
    scan_capture,
    sign_up,
)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
VISITOR_SCREENS = ("/", "/login", "/register")
SIGNED_IN_SCREENS = (
    "/",
    "/card",
    "/contacts/",
    "/contacts/{contact}",
    "/contacts/{contact}/edit",
    "/inbox",
    "/scan",
    "/events/",
    "/events/{event}",
    "/events/{event}/edit",
    "/account/",
    "/account/card",
    "/account/reminders",
    "/account/data",
    "/account/delete",
    "/giving-back",
    "/allies",
    "/introductions/new?a={contact}",
    "/warm-paths",
    "/warm-paths?company=Fjord+Analytics",
    "/warm-paths/ask/{contact}?company=Fjord+Analytics",
    "/offline/capture",
)
ENJOY = "What do they enjoy most about their work?"
BADGE = "MECARD:N:Lund,Ida;ORG:Fjord Analytics;TITLE:Data lead;EMAIL:ida@fjord.example;;"

pytestmark = pytest.mark.skipif(
    not AXE.is_file(), reason=f"axe-core not installed at {AXE}: run npm ci (scripts/test.sh does)"
)


def someone_with_an_event_and_a_contact(page: Page, scheme: str) -> dict[str, str]:
    """A new user with an event and a scanned contact: every screen has something to show."""
    sign_up(page, "Axel Access", f"axel.{scheme}@example.org")
    card = public_card_path(page)
    create_event(page, "Axe Summit", place="Lisbon", starts_on=lisbon_day())
    event = page.url.rstrip("/").rsplit("/", 1)[1]
    add_scan(page, BADGE)
    page.goto("/contacts/")
    page.get_by_role("link", name="Ida Lund").click()
    contact = page.url.split("?")[0].rstrip("/").rsplit("/", 1)[1]
    return {"card": card, "event": event, "contact": contact}


def violations(page: Page) -> list[str]:
    # Evaluated through DevTools: a <script> tag would be refused by the page's strict CSP.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} — "
        + "; ".join(node["html"][:120] for node in v["nodes"][:3])
        for v in found
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violation_on_any_screen(new_phone, scheme):
    page = new_phone(color_scheme=scheme).new_page()
    ids = someone_with_an_event_and_a_contact(page, scheme)
    problems: list[str] = []
    for path in SIGNED_IN_SCREENS:
        response = page.goto(path.format(**ids))
        assert response is not None and response.ok, (path, response and response.status)
        problems += violations(page)

    # The Scan screen's capture, with a question open, and its "Saved".
    paste(page, BADGE)
    scan_capture(page, "Ida Lund")
    page.get_by_role("button", name=ENJOY, exact=True).click()
    page.get_by_label(ENJOY, exact=True).fill("Teaching juniors")
    problems += violations(page)
    save_scan_capture(page)
    expect(page.locator("[data-capture-saved] [data-reminder-ask]")).to_be_visible()  # 1st today
    problems += violations(page)

    visitor = new_phone(color_scheme=scheme).new_page()
    for path in (*VISITOR_SCREENS, ids["card"]):
        visitor.goto(path)
        problems += violations(visitor)
    assert not problems, "\n".join(problems)
