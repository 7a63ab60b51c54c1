"""Warm paths on three phones at 390×844: Ana asks "who do I know at Globex?", finds Ben (who
came from there), is warned while she barely knows him, notes that he is a former colleague,
and asks him in the app; Ben, who knows Cara at Globex, answers with an introduction; Ana and
Cara both say yes, and only then have each other.

Also the screens of docs/screenshots/ (warm-*, people-search-domain) at 390×844 and 320×568,
light and dark (written only with EVENTMATE_SCREENSHOTS=1; otherwise each layout is checked).
"""

import re

from playwright.sync_api import Page, expect

from .flows import (
    add_scan,
    exchange_cards,
    expect_flash,
    open_more,
    public_card_path,
    save_capture,
    sign_up,
    tab,
)
from .test_introduction_flow import answer_from_home, open_person
from .test_screenshots import small_and_large

RUI = "MECARD:N:Costa,Rui;EMAIL:rui@globex.example;;"
REASON = "He moved teams last year and still talks to them"


def note_how_known(page: Page, *, ties=(), past: str = "") -> None:
    """On a contact's page: "How you know … beyond events", ticked and saved."""
    panel = page.locator("#how-known")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    for tie in ties:
        panel.locator("label.chip", has_text=tie).click()
    if past:
        panel.get_by_label(re.compile("Where they worked before")).fill(past)
    panel.get_by_role("button", name="Save").click()
    expect_flash(page, "Saved how you know")


def test_ana_asks_ben_who_introduces_her_to_cara_at_globex(new_phone):
    ana = new_phone().new_page()
    sign_up(ana, "Ana Ribeiro", "ana.warm@example.org")
    ben = new_phone().new_page()
    sign_up(ben, "Ben Okafor", "ben.warm@example.org")
    ben_card = public_card_path(ben)
    cara = new_phone().new_page()
    sign_up(cara, "Cara Mendes", "cara.warm@example.org")
    cara_card = public_card_path(cara)

    # Ben met Cara and noted where she works.
    exchange_cards(ben, cara_card, "Cara Mendes")
    open_more(ben)
    ben.get_by_label("Company", exact=True).fill("Globex")
    save_capture(ben)

    # Ana met Ben today, and Rui, whose only link to Globex is his email address.
    exchange_cards(ana, ben_card, "Ben Okafor")
    save_capture(ana)
    add_scan(ana, RUI)
    note_how_known(ana, past="Globex")  # on Ben's page: he came from Globex

    # People search finds Rui by his email's domain and says so.
    tab(ana, "People")
    ana.get_by_label("Search people").fill("globex")
    ana.get_by_role("button", name="Search").click()
    rui = ana.locator(".people li", has_text="Rui Costa")
    expect(rui).to_contain_text("Email: rui@globex.example")
    small_and_large(ana, "people-search-domain")

    # Home → "Who do I know at a company?" → Globex.
    tab(ana, "Home")
    ana.get_by_role("link", name="Who do I know at a company?").click()
    ana.get_by_label("Company").fill("Globex")
    ana.get_by_role("button", name="Find").click()
    expect(ana.get_by_role("heading", level=2).first).to_have_text("At Globex, or came from there")
    people = ana.locator(".warm-list li")
    expect(people).to_have_count(2)
    expect(people.first).to_contain_text("Ben Okafor")  # both just met: by name
    ben_row = ana.locator(".warm-list li", has_text="Ben Okafor")
    expect(ben_row).to_contain_text("Used to work at Globex")
    expect(ana.locator(".warm-list li", has_text="Rui Costa")).to_contain_text(
        "Email at globex.example"
    )

    # Ana barely knows Ben: the app says so, and wants a reason to go on.
    ben_row.get_by_role("link", name="Ask Ben for an introduction").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Ask Ben for an introduction")
    expect(ana.locator(".caution")).to_contain_text("You don't know Ben Okafor well yet")
    small_and_large(ana, "warm-ask-warning")

    # In fact he is a former colleague: noted on his page, the warning is gone.
    open_person(ana, "Ben Okafor")
    note_how_known(ana, ties=["Former colleague"])
    expect(ana.locator("#relationship .level")).to_have_text("Know well")
    expect(ana.locator("#relationship .reasons")).to_contain_text("Former colleague")
    expect(ana.get_by_role("link", name="Used to work at Globex")).to_be_visible()
    ana.locator("#how-known summary").click()
    ana.evaluate("document.getElementById('relationship').scrollIntoView()")
    small_and_large(ana, "warm-how-known")
    tab(ana, "Home")
    ana.get_by_role("link", name="Who do I know at a company?").click()
    ana.get_by_role("link", name="Globex").click()
    expect(ana.locator(".warm-list li").first).to_contain_text("Former colleague")
    small_and_large(ana, "warm-paths")
    ana.get_by_role("link", name="Ask Ben for an introduction").click()
    expect(ana.locator(".caution")).to_have_count(0)
    ana.get_by_label("What you'd like to talk about").fill("their maps team")
    message = ana.get_by_label("Message", exact=True)
    expect(message).to_have_value(re.compile("someone there I could talk to about their maps team"))
    tone = ana.locator("#ask-tone")
    expect(tone).to_have_text("Reads friendly and light.")
    drafted = message.input_value()
    message.fill(drafted + "\nYou must reply by Friday.")
    expect(tone.locator(".tone-findings")).to_be_visible()  # the inbox's tone coach
    message.fill(drafted)
    expect(tone).to_have_text("Reads friendly and light.")
    small_and_large(ana, "warm-ask")
    ana.get_by_role("button", name="Ask Ben in EventMate").click()
    expect_flash(ana, "Asked Ben Okafor")
    expect(ana.get_by_role("heading", level=1)).to_have_text("You asked Ben Okafor about Globex")
    small_and_large(ana, "warm-ask-sent")

    # Ben is asked at home, sees Cara at Globex, and introduces them.
    tab(ben, "Home")
    ben.get_by_role("link", name=re.compile("Ana Ribeiro.*Asks whether you know someone")).click()
    expect(ben.get_by_role("heading", level=1)).to_have_text(
        "Ana Ribeiro asks: do you know someone at Globex?"
    )
    expect(ben.locator(".warm-list li", has_text="Cara Mendes")).to_contain_text("Works at Globex")
    small_and_large(ben, "warm-ask-received")
    ben.get_by_role("link", name="Introduce Ana to Cara").click()
    ben.get_by_label("Why should Ana meet Cara?").fill("Cara runs the maps team at Globex.")
    ben.get_by_label("Why should Cara meet Ana?").fill("Ana is curious how your team works.")
    ben.get_by_label(re.compile("I know enough about Ana Ribeiro and Cara Mendes")).check()
    small_and_large(ben, "warm-introduce")
    ben.get_by_role("button", name="Ask them both").click()
    expect_flash(ben, "Introduction started")

    # Nobody has the other's details before both said yes.
    tab(cara, "People")
    expect(cara.locator(".people")).not_to_contain_text("Ana Ribeiro")
    answer_from_home(cara, "Ben Okafor", "Ana Ribeiro")
    expect(cara.locator("body")).not_to_contain_text("ana.warm@example.org")
    cara.get_by_role("button", name="Yes, introduce us").click()
    tab(ana, "People")
    expect(ana.locator(".people")).not_to_contain_text("Cara Mendes")

    # Ana follows her ask to the introduction and says yes: now they have each other.
    tab(ana, "Home")
    answer_from_home(ana, "Ben Okafor", "Cara Mendes")
    ana.get_by_role("button", name="Yes, introduce us").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("You and Cara Mendes are connected")
    tab(cara, "People")
    expect(cara.locator(".people")).to_contain_text("Ana Ribeiro")


def test_asking_someone_not_on_eventmate_goes_by_the_inboxs_channels(new_phone):
    """Rui isn't on EventMate and Ana barely knows him: she says why she asks anyway, then
    sends the drafted message by email."""
    ana = new_phone().new_page()
    sign_up(ana, "Ana Ribeiro", "ana.channel@example.org")
    add_scan(ana, RUI)
    ana.goto("/warm-paths?company=Globex")
    ana.get_by_role("link", name="Ask Rui for an introduction").click()
    expect(ana.get_by_role("button", name="Ask Rui in EventMate")).to_have_count(0)
    send = ana.get_by_role("button", name="Send it by email, text or chat")
    send.click()
    expect(ana.locator(".error")).to_contain_text("Say in a few words why you're asking anyway.")
    ana.get_by_label("Why ask Rui anyway?").fill(REASON)
    send.click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Send your ask to Rui")
    email = ana.get_by_role("link", name=re.compile("^Email"))
    expect(email).to_have_attribute("href", re.compile(r"^mailto:rui@globex\.example\?subject="))
    expect(ana.get_by_label("Your message")).to_have_value(re.compile("^Hi Rui,"))
    small_and_large(ana, "warm-ask-send")
