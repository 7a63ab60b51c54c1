"""Questions per event, called as plain functions: each kind's usual set, what an event keeps
of its creator's ticks, and which answers a contact's capture accepts."""

import pytest

from eventmate.contacts.capture import apply_capture, parse_capture
from eventmate.contacts.prompts import prompts_for, prompts_for_contact
from eventmate.events.questions import (
    BUILTIN,
    BUILTIN_PROMPTS,
    KIND_QUESTIONS,
    choice_to_store,
    chosen_keys,
    in_kind_order,
)
from eventmate.events.service import create_event
from eventmate.extensions import db
from eventmate.models import CustomPrompt, PromptAnswer
from eventmate.models.event import EVENT_KINDS
from tests.factories import make_contact, make_user

# Answers stored by earlier versions carry these keys: they must keep meaning the same question.
SHIPPED_KEYS = {"enjoy", "success", "advice", "in_my_shoes", "who_they_know"}


def test_every_kind_has_four_to_six_known_questions_short_enough_for_chips():
    assert set(KIND_QUESTIONS) == set(EVENT_KINDS)
    assert len(BUILTIN) == len(BUILTIN_PROMPTS)  # no key twice
    for kind, keys in KIND_QUESTIONS.items():
        assert 4 <= len(keys) <= 6, kind
        assert len(set(keys)) == len(keys) and set(keys) <= set(BUILTIN), kind
    assert all(len(prompt.question) <= 45 for prompt in BUILTIN_PROMPTS)
    assert all(len(prompt.key) <= 40 for prompt in BUILTIN_PROMPTS)  # the answers' column
    assert set(BUILTIN) >= SHIPPED_KEYS
    assert BUILTIN["in_my_shoes"].question == "Who would they work for in my shoes?"
    # The kinds differ where it matters: a job fair asks the job seeker's questions, alumni
    # what changed since school, and every built-in question is some kind's usual one.
    assert {"in_my_shoes", "who_they_know"} <= set(KIND_QUESTIONS["job_fair"])
    assert "since_school" in KIND_QUESTIONS["alumni"]
    assert set().union(*KIND_QUESTIONS.values()) == set(BUILTIN)


def test_an_event_keeps_a_choice_only_when_it_differs_from_the_kinds_usual_questions():
    alumni = list(KIND_QUESTIONS["alumni"])
    assert choice_to_store("alumni", alumni[::-1], preset_for="alumni") is None
    # Ticks left as the conference presets, the kind changed without the page's script.
    assert choice_to_store("alumni", list(KIND_QUESTIONS["conference"]), "conference") is None
    chosen = choice_to_store("alumni", ["talk", "since_school", "enjoy"], preset_for="")
    assert chosen == ["since_school", "enjoy", "talk"]  # the kind's own first, in its order
    assert chosen_keys("alumni", chosen) == chosen
    assert chosen_keys("alumni", None) == alumni
    assert chosen_keys("no-such-kind", None) == list(KIND_QUESTIONS["other"])
    assert in_kind_order(["gone", "enjoy", "enjoy"], "meetup") == ["enjoy"]


@pytest.fixture
def world(app):
    with app.app_context():
        ana = make_user("Ana Ribeiro")
        reunion = create_event(ana, name="Class of 2016", kind="alumni", timezone="UTC")
        db.session.add(CustomPrompt(owner_id=ana.id, question="What's next for them?"))
        db.session.flush()
        yield ana, reunion


def keys(prompts) -> list[str]:
    return [prompt.key for prompt in prompts]


def test_prompts_for_an_event_are_its_chosen_ones_then_my_own(world):
    ana, reunion = world
    own = keys(prompts_for(ana))[-1]
    assert own.startswith("custom-")
    assert keys(prompts_for(ana, reunion)) == [*KIND_QUESTIONS["alumni"], own]
    reunion.prompt_keys = ["path", "talk"]
    assert keys(prompts_for(ana, reunion)) == ["path", "talk", own]
    # Without an event: the usual questions of my current event's kind, else a conference's.
    assert keys(prompts_for(ana)) == [*KIND_QUESTIONS["alumni"], own]
    ana.current_event = None
    assert keys(prompts_for(ana)) == [*KIND_QUESTIONS["conference"], own]


def test_a_contact_accepts_its_events_questions_mine_and_those_it_was_answered_on(world):
    ana, reunion = world
    lena = make_contact(ana, "Lena", event_id=reunion.id)
    lena.answers.append(
        PromptAnswer(prompt_key="in_my_shoes", question="Who would they hire?", answer="Nobody")
    )
    lena.answers.append(PromptAnswer(prompt_key="talk", question="Which talk?", answer=""))
    prompts = prompts_for_contact(ana, lena)
    assert keys(prompts)[:5] == list(KIND_QUESTIONS["alumni"])
    assert prompts[-1].key == "in_my_shoes"
    assert prompts[-1].question == "Who would they hire?"  # as it was asked
    assert "talk" not in keys(prompts)  # an emptied answer is no reason to ask again

    def parse(answers, prompts=prompts):
        return parse_capture({"answers": answers}, prompts=prompts, event_ids=set())

    capture, errors = parse({"in_my_shoes": "Nobody", "since_school": "Moved to Porto"})
    assert errors == {}
    capture, errors = parse({"talk": "  "})  # an empty box for a question no longer asked
    assert (errors, capture.answers) == ({}, {})
    assert parse({"team_needs": "Designers"})[1] == {
        "answers": "One of the questions no longer exists; reload the page."
    }
    # Moving her to a job fair in the same save: that event's questions are accepted too.
    fair = create_event(ana, name="Tech Jobs Day", kind="job_fair", timezone="UTC")
    moving = prompts_for_contact(ana, lena, moving_to=fair)
    capture, errors = parse({"team_needs": "Designers"}, prompts=moving)
    assert errors == {}
    apply_capture(ana, lena, capture, moving)
    saved = {answer.prompt_key: answer.question for answer in lena.answers}
    assert saved["team_needs"] == BUILTIN["team_needs"].question
