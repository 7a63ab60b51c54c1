"""Questions per event in the browser: choosing a kind ticks its usual questions and puts them
first; the creator's own ticks survive a change of kind; a person scanned at the event is
asked its questions. The form is looked at on 390×844 and 320×568 phones, light and dark
(EVENTMATE_SCREENSHOTS=1 saves docs/screenshots/event-questions*.png)."""

from playwright.sync_api import Page, expect

from eventmate.events.questions import BUILTIN, KIND_QUESTIONS

from .flows import add_scan, expect_flash, open_events, screenshot, sign_up, tab

BADGE = "MECARD:N:Costa,Rita;EMAIL:rita.questions@example.org;;"


def usual_questions(page: Page) -> list[str]:
    return page.locator("[data-usual-questions] label").all_inner_texts()


def ticked(page: Page) -> list[str]:
    return page.locator("input[name=questions]:checked").evaluate_all(
        "(boxes) => boxes.map((box) => box.value)"
    )


def test_the_kind_picks_its_questions_and_the_person_met_there_is_asked_them(new_phone):
    page = new_phone().new_page()
    sign_up(page, "Marta Lobo", "marta.questions@example.org")
    open_events(page)
    page.locator("summary", has_text="Create an event").click()
    assert ticked(page) == list(KIND_QUESTIONS["conference"])

    page.get_by_label("Kind").select_option(label="Alumni evening")
    expect(page.locator("[data-usual-questions] label").first).to_have_text(
        BUILTIN["since_school"].question
    )
    assert usual_questions(page) == [BUILTIN[key].question for key in KIND_QUESTIONS["alumni"]]
    assert ticked(page) == list(KIND_QUESTIONS["alumni"])
    expect(page.locator(".more-questions")).not_to_have_attribute("open", "")
    screenshot(page, "event-questions")
    page.set_viewport_size({"width": 320, "height": 568})
    screenshot(page, "event-questions-320")
    page.set_viewport_size({"width": 390, "height": 844})

    # Her own choice: a question from "More questions"; switching kind keeps her ticks.
    page.locator("summary", has_text="More questions").click()
    page.get_by_label(BUILTIN["in_my_shoes"].question).check()
    page.get_by_label("Kind").select_option(label="Job fair")
    assert set(ticked(page)) == {*KIND_QUESTIONS["alumni"], "in_my_shoes"}
    page.get_by_label("Kind").select_option(label="Alumni evening")
    page.get_by_label(BUILTIN["classmates"].question).uncheck()

    page.get_by_label("Name", exact=True).fill("Class of 2016")
    page.get_by_label("Time zone").fill("Europe/Lisbon")
    page.get_by_role("button", name="Create event").click()
    expect_flash(page, "Class of 2016 is your current event")
    expect(page.locator(".eyebrow")).to_contain_text("Alumni evening")

    add_scan(page, BADGE)
    tab(page, "People")
    page.get_by_role("link", name="Rita Costa").click()
    page.get_by_role("link", name="Edit", exact=True).click()
    chip = lambda key: page.get_by_role("button", name=BUILTIN[key].question, exact=True)  # noqa: E731
    for key in ["since_school", "path", "enjoy", "advice", "in_my_shoes"]:
        expect(chip(key)).to_be_visible()
    expect(chip("classmates")).to_have_count(0)
    expect(chip("talk")).to_have_count(0)
