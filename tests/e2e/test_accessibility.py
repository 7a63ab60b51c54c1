"""axe-core on every screen, in the light and the dark theme: no serious or critical violation.

axe-core comes from npm (package.json; `scripts/test.sh` runs `npm ci`) and is injected into
each page by the test: it is never served to users.
"""

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from eventmate.demo import DEMO_EMAIL, DEMO_PASSWORD, seed_demo_data
from eventmate.extensions import db
from eventmate.models import Contact, Event, User

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
VISITOR_SCREENS = ("/", "/login", "/register")
SIGNED_IN_SCREENS = (
    "/",
    "/card",
    "/contacts/",
    "/contacts/{contact}",
    "/inbox",
    "/scan",
    "/events/",
    "/events/{event}",
    "/account/",
    "/account/delete",
    "/giving-back",
    "/allies",
    "/introductions/new?a={contact}",
    "/offline/capture",
)

pytestmark = pytest.mark.skipif(
    not AXE.is_file(), reason=f"axe-core not installed at {AXE}: run npm ci (scripts/test.sh does)"
)


@pytest.fixture(scope="module")
def demo(live_server) -> dict[str, str]:
    """The demo world in the live server's database, and the ids its screens need."""
    with live_server.app.app_context():
        seed_demo_data()
        demo_id = db.session.scalar(sa.select(User.id).where(User.email == DEMO_EMAIL))
        contact = db.session.scalar(sa.select(Contact.id).where(Contact.owner_id == demo_id))
        event = db.session.scalar(sa.select(Event.id).where(Event.created_by_id == demo_id))
        token = db.session.get(User, demo_id).card_token
    return {"contact": str(contact), "event": str(event), "card": f"/c/{token}"}


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
def test_no_serious_violation_on_any_screen(new_phone, demo, scheme):
    visitor = new_phone(color_scheme=scheme).new_page()
    problems: list[str] = []
    for path in (*VISITOR_SCREENS, demo["card"]):
        visitor.goto(path)
        problems += violations(visitor)

    page = new_phone(color_scheme=scheme).new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    for path in SIGNED_IN_SCREENS:
        response = page.goto(path.format(**demo))
        assert response is not None and response.ok, (path, response and response.status)
        problems += violations(page)
    assert not problems, "\n".join(problems)
