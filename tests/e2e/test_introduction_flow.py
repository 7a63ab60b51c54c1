"""One introduction end to end on three phones: Cara introduces Ana to Ben; both say yes.

Also the screens of docs/screenshots/: contact-level, introduce, consent, giving-back
(written only with EVENTMATE_SCREENSHOTS=1; otherwise each screen's phone layout is checked).
"""

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from .flows import (
    create_event,
    exchange_cards,
    expect_flash,
    lisbon_day,
    public_card_path,
    screenshot,
    sign_up,
    tab,
)
from .pwa.test_offline import wait_for_outbox

WHY_ANA = "Ben runs the Porto design meetup you asked me about in March."
WHY_BEN = "Ana is hiring two product designers this spring; you'd like her team."


def open_person(page: Page, name: str) -> None:
    tab(page, "People")
    page.get_by_role("link", name=re.compile(name)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def log_touch(page: Page, kind: str, on: date, note: str = "") -> None:
    panel = page.locator("#relationship")
    panel.locator("summary", has_text="Log a meeting, call or message").click()
    panel.locator("label.chip", has_text=kind).click()
    panel.get_by_label("When").fill(on.isoformat())
    if note:
        panel.get_by_label("What about").fill(note)
    panel.get_by_role("button", name="Log it").click()
    expect_flash(page, "Logged:")


def answer_from_home(page: Page, introducer: str, other: str) -> None:
    tab(page, "Home")
    request = page.get_by_role("link", name=re.compile(f"Meet {other}"))
    expect(request).to_contain_text(f"Introduced by {introducer}")
    request.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{introducer} would like to introduce you to {other}"
    )


def test_cara_introduces_ana_to_ben_and_both_say_yes(new_phone):
    ana = new_phone().new_page()
    sign_up(ana, "Ana Ribeiro", "ana.intro@example.org")
    ana_card = public_card_path(ana)
    ben = new_phone().new_page()
    sign_up(ben, "Ben Okafor", "ben.intro@example.org")
    ben_card = public_card_path(ben)
    cara = new_phone().new_page()
    sign_up(cara, "Cara Mendes", "cara.intro@example.org")
    create_event(
        cara, "Porto Design Week", place="Alfândega, Porto", starts_on=lisbon_day(), goal=5
    )
    exchange_cards(cara, ana_card, "Ana Ribeiro")
    exchange_cards(cara, ben_card, "Ben Okafor")

    # Cara has known Ana for years: she logs when they first met, and a recent call.
    open_person(cara, "Ana Ribeiro")
    panel = cara.locator("#relationship")
    expect(panel.locator(".level")).to_have_text("Just met")
    today = date.today()
    # A day over three years: a logged day counts from its midday, so exactly 3 × 365 days
    # ago reads "2 years" every morning.
    three_years = today - timedelta(days=3 * 365 + 1)
    log_touch(cara, "Met in person", three_years, "Worked together at Tideway")
    log_touch(cara, "Met in person", today - timedelta(days=200))
    log_touch(cara, "Call", today - timedelta(days=20), "Her move to Porto")
    expect(panel.locator(".level")).to_have_text("Know well")
    expect(panel.locator(".reasons")).to_contain_text("Met in person 3 times")
    expect(panel.locator(".reasons")).to_contain_text("Known for 3 years")
    expect(cara.locator(".meetings")).to_contain_text("You called Ana Ribeiro")
    cara.evaluate("document.getElementById('relationship').scrollIntoView()")
    screenshot(cara, "contact-level", full_page=False)

    # Introduce Ana to Ben: Cara barely knows Ben, and the app says so before going on.
    panel.get_by_role("link", name="Introduce Ana to someone").click()
    expect(cara.get_by_role("heading", level=1)).to_have_text("Introduce two people")
    cara.get_by_label("to", exact=True).select_option(label="Ben Okafor")
    cara.get_by_role("button", name="Next").click()
    expect(cara.get_by_role("heading", level=1)).to_have_text("Introduce Ana Ribeiro to Ben Okafor")
    expect(cara.locator(".caution")).to_have_count(1)
    expect(cara.locator(".caution")).to_contain_text("You don't know Ben Okafor well yet")
    cara.get_by_label("Why should Ana meet Ben?").fill(WHY_ANA)
    cara.get_by_label("Why should Ben meet Ana?").fill(WHY_BEN)
    vouch = cara.get_by_label(re.compile("I know enough about Ben Okafor"))
    vouch.check()
    screenshot(cara, "introduce")
    vouch.uncheck()
    cara.get_by_role("button", name="Ask them both").click()
    expect(cara.locator(".error")).to_contain_text("Tick the box to confirm")
    expect(cara.get_by_label("Why should Ana meet Ben?")).to_have_value(WHY_ANA)
    cara.get_by_label(re.compile("I know enough about Ben Okafor")).check()
    cara.get_by_role("button", name="Ask them both").click()
    expect_flash(cara, "Introduction started")
    expect(cara.locator(".status-line")).to_contain_text("Waiting for answers")

    # Ben sees the request at home: who, to whom, why — and not Ana's details.
    answer_from_home(ben, "Cara Mendes", "Ana Ribeiro")
    expect(ben.locator(".why")).to_have_text(f"“{WHY_BEN}”")
    expect(ben.locator("body")).not_to_contain_text("ana.intro@example.org")
    expect(ben.locator("body")).not_to_contain_text(WHY_ANA)
    screenshot(ben, "consent")
    ben.get_by_role("button", name="Yes, introduce us").click()
    expect(ben.get_by_role("heading", level=1)).to_have_text("You said yes to meeting Ana Ribeiro")
    tab(ben, "People")
    expect(ben.locator(".people")).not_to_contain_text("Ana Ribeiro")

    # Ana opens hers, sees no sign of Ben's answer, and says yes too.
    answer_from_home(ana, "Cara Mendes", "Ben Okafor")
    expect(ana.locator("body")).not_to_contain_text("said yes")
    ana.get_by_role("button", name="Yes, introduce us").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("You and Ben Okafor are connected")
    ana.get_by_role("link", name="See Ben in your contacts").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Ben Okafor")
    expect(ana.get_by_role("list", name="Tags")).to_contain_text("via Cara Mendes")
    expect(ana.locator("#relationship")).to_contain_text(
        f"Introduced to you by Cara Mendes: “{WHY_ANA}”"
    )

    # Ben has Ana now, too.
    open_person(ben, "Ana Ribeiro")
    expect(ben.locator(".notes")).to_contain_text(WHY_BEN)

    # Cara is told at home, and sees it on Giving back.
    tab(cara, "Home")
    notice = cara.locator(".notice")
    expect(notice).to_contain_text("Ana Ribeiro and Ben Okafor both said yes.")
    notice.get_by_role("button", name="OK").click()
    expect(cara.locator(".notice")).to_have_count(0)
    # She followed up with Ana the same day, from the inbox.
    cara.goto("/inbox")
    cara.get_by_role("button", name=re.compile(r"Mark done\W+Ana Ribeiro")).click()
    expect(cara.locator("[data-toast]")).to_contain_text("Done: Ana Ribeiro.")
    wait_for_outbox(cara, lambda items: not items)  # the outbox has told the server
    tab(cara, "Home")
    cara.get_by_role("link", name=re.compile("Giving back")).click()
    expect(cara.get_by_role("heading", level=1)).to_have_text("Giving back")
    expect(cara.locator(".stats").first).to_contain_text("1 both said yes")
    expect(cara.locator(".stats").nth(1)).to_contain_text("1 follow-up done")
    expect(cara.locator(".event-progress")).to_contain_text("Porto Design Week")
    expect(cara.locator(".event-progress")).to_contain_text("2 of 5")
    screenshot(cara, "giving-back")
