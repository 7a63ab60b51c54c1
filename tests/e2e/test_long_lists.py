"""Long lists a page at a time (issue 13): People loads the next page as the user scrolls
near its end, the inbox's "More" brings follow-ups that work like the first ones, and without
JavaScript the same links open the next page."""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from playwright.sync_api import expect

from eventmate.extensions import db
from eventmate.models import User
from tests.factories import add_network

from .flows import screenshot, sign_up


def with_network(live_server, page, name: str, count: int) -> str:
    email = f"{name.split()[0].lower()}.{secrets.token_hex(3)}@example.org"
    sign_up(page, name, email)
    with live_server.app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == email))
        add_network(owner, count, now=datetime.now(UTC))
        db.session.commit()
    return email


def test_people_load_as_the_user_scrolls_and_page_without_javascript(new_phone, live_server):
    phone = new_phone()
    page = phone.new_page()
    with_network(live_server, page, "Marta Many", 75)
    page.goto("/contacts/")
    rows = page.locator("[data-more-list=people] > li")
    expect(rows).to_have_count(50)
    page.locator("[data-more=people]").scroll_into_view_if_needed()
    expect(rows).to_have_count(75)
    expect(page.locator("[data-more=people]")).to_have_count(0)
    links = rows.locator("a.person").evaluate_all("(all) => all.map((a) => a.href)")
    assert len(set(links)) == 75

    for width, height in ((390, 844), (320, 568)):
        plain = new_phone(
            java_script_enabled=False,
            storage_state=phone.storage_state(),
            viewport={"width": width, "height": height},
        ).new_page()
        plain.goto("/contacts/")
        more = plain.get_by_role("link", name="More people")
        more.scroll_into_view_if_needed()
        suffix = "" if width == 390 else "-320"
        screenshot(plain, f"people-more{suffix}", full_page=False)
        more.click()
        expect(plain.locator("[data-more-list=people] > li")).to_have_count(25)
        expect(plain.get_by_role("link", name="More people")).to_have_count(0)


def test_follow_ups_brought_by_more_are_enhanced_like_the_first(new_phone, live_server):
    page = new_phone().new_page()
    with_network(live_server, page, "Ines Inbox", 70)
    page.goto("/inbox")
    items = page.locator("[data-more-list=inbox-today] > [data-follow-up]")
    expect(items).to_have_count(20)
    page.get_by_role("link", name="More due today").click()
    expect(items).to_have_count(23)
    last = items.last
    name = last.get_attribute("data-name")
    url = page.url
    last.get_by_role("button", name="Mark done").click()  # through the outbox, not a reload
    expect(last).to_be_hidden()
    expect(page.get_by_text(f"Done: {name}.")).to_be_visible()
    assert page.url == url
    page.get_by_role("link", name="Show upcoming").click()
    expect(page.locator("[data-more-list=inbox-upcoming] > [data-follow-up]")).to_have_count(20)
