"""Drafted follow-up messages: recall, curiosity, an offer, no ask; short and gentle."""

import itertools
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from eventmate.followups.drafts import (
    DraftFacts,
    compose_draft,
    mailto_link,
    note_line,
    offer_tags,
    to_second_person,
)
from eventmate.followups.tone import check_tone

TODAY = date(2026, 11, 25)
ANA = DraftFacts(
    first_name="Ana",
    sender_name="Sam",
    event_name="DevConf",
    met_on=date(2026, 11, 24),
    today=TODAY,
    event_ongoing=True,
    company="Lisbon Maps",
    tags=("data", "maps"),
    answers=(("enjoy", "Seeing a map she built help a city plan bike lanes."),),
)


def words(text: str) -> int:
    return len(text.split())


def test_a_full_draft_recalls_asks_offers_and_lets_go():
    draft = compose_draft(ANA)
    assert draft.subject == "Great to meet you at DevConf"
    body = draft.body
    assert body.startswith("Hi Ana,\n\nIt was great to meet you at DevConf yesterday.")
    assert "seeing a map you built help a city plan bike lanes" in body  # recalls, to them
    assert "How did you first get into it?" in body  # curious about them
    assert "good read on data and maps" in body  # an offer from their tags
    assert "No need to reply" in body and "enjoy the rest of DevConf" in body
    assert body.endswith("Best,\nSam")
    assert " she " not in body
    assert words(body) <= 100


def test_every_draft_passes_the_tone_coach():
    variants = [
        ANA,
        DraftFacts(),
        DraftFacts(first_name="Dev", notes="Met at the coffee line. Runs a research team."),
        DraftFacts(first_name="Li", face_to_face=False, tags=("hiring", "AI")),
        DraftFacts(answers=(("advice", "Talk to users every week, even when it feels slow."),)),
        DraftFacts(answers=(("success", " ".join(["word"] * 300)),)),  # a very long answer
        DraftFacts(answers=(("custom-3", "They are moving their whole team to Rust"),)),
    ]
    for facts in variants:
        draft = compose_draft(facts)
        for first_contact in (False, True):
            assert check_tone(draft.body, first_contact=first_contact) == [], draft.body
        assert words(draft.body) <= 120


def test_every_combination_stays_short_and_gentle():
    answers = [(), (("enjoy", "She loves hard problems"),), (("custom-1", "x " * 200),)]
    notes = ["", "Runs a team of nine", "Great energy"]
    tags = [(), ("hiring",), ("AI", "climate", "design")]
    reasons = ["new_contact", "planned", "introduction", "keep_in_touch"]
    names = [("", ""), ("Ana", "Sam")]
    for combo in itertools.product(answers, notes, tags, reasons, names, (True, False)):
        answer, note, tag, reason, (first, sender), face = combo
        facts = DraftFacts(
            first_name=first, sender_name=sender, answers=answer, notes=note, tags=tag,
            reason=reason, face_to_face=face, event_name="DevConf", met_on=TODAY, today=TODAY,
        )  # fmt: skip
        body = compose_draft(facts).body
        assert words(body) <= 120, combo
        assert check_tone(body, first_contact=not face) == [], (combo, body)


def test_the_best_answer_is_recalled_and_network_questions_are_not():
    facts = DraftFacts(
        answers=(
            ("who_they_know", "Knows the CTO of Harbour Analytics"),
            ("advice", "Talk to users every week."),
            ("success", "Saying yes to a small open-source project that grew."),
        )
    )
    draft = compose_draft(facts)
    assert "saying yes to a small open-source project that grew" in draft.body
    assert "CTO" not in draft.body


def test_notes_are_used_when_no_answer_was_noted():
    facts = DraftFacts(first_name="Dev", notes="Met at the coffee line. Runs a team.")
    draft = compose_draft(facts)
    assert "It was good to hear that you run a team." in draft.body
    assert "coffee line" not in draft.body


def test_without_anything_noted_it_still_opens_with_curiosity():
    assert "working on at Harbour" in compose_draft(DraftFacts(company="Harbour")).body
    body = compose_draft(DraftFacts()).body
    assert body.startswith("Hi,\n\nIt was great to meet you.")
    assert "What are you working on" in body and "anything useful from my side" in body


def test_someone_who_only_shared_their_details():
    draft = compose_draft(DraftFacts(first_name="Li", face_to_face=False, event_name="DevConf"))
    assert draft.subject == "Nice to connect at DevConf"
    assert "Thanks for sharing your details at DevConf" in draft.body


def test_introductions_and_keeping_in_touch_open_differently():
    introduced = compose_draft(DraftFacts(first_name="Li", reason="introduction"))
    assert introduced.subject == "Glad to be introduced"
    assert "I'm glad we were introduced." in introduced.body
    catching_up = compose_draft(replace(ANA, reason="keep_in_touch"))
    assert catching_up.subject == "Catching up"
    assert "It's been a while" in catching_up.body and "great to meet" not in catching_up.body
    for draft in (introduced, catching_up):
        assert check_tone(draft.body, first_contact=True) == []


def test_long_answers_are_clipped():
    draft = compose_draft(DraftFacts(answers=(("enjoy", " ".join(["maps"] * 80)),)))
    assert "maps…" in draft.body
    assert words(draft.body) < 100


@pytest.mark.parametrize(
    ("met_on", "opening"),
    [
        (date(2026, 11, 25), "It was great to meet you today."),
        (date(2026, 11, 24), "It was great to meet you yesterday."),
        (date(2026, 11, 21), "It was great to meet you on Saturday."),
        (date(2026, 11, 16), "It was great to meet you last week."),
        (date(2026, 10, 1), "It was great to meet you."),
    ],
)
def test_when_we_met(met_on, opening):
    body = compose_draft(DraftFacts(met_on=met_on, today=TODAY)).body
    assert body.split("\n\n")[1].startswith(opening + " ")


def test_agenda_tags_make_no_offer():
    assert offer_tags(("hiring", "Lead", "climate", "design", "maps")) == ("climate", "design")
    assert "anything useful" in compose_draft(DraftFacts(tags=("hiring",))).body


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("A map she built helped a city", "A map you built helped a city"),
        ("She runs a research team", "You run a research team"),
        ("he really likes maps", "you really like maps"),
        ("She watches birds", "You watch birds"),
        ("he tries everything", "you try everything"),
        ("I told her about her team.", "I told you about your team."),
        ("She is moving to Berlin", "You are moving to Berlin"),
        ("she’s hiring", "you're hiring"),
        ("Their team ships weekly; they love it", "Your team ships weekly; you love it"),
        ("He has two kids", "You have two kids"),
        ("Talk to users every week", "Talk to users every week"),
    ],
)  # fmt: skip
def test_to_second_person(note, expected):
    assert to_second_person(note) == expected


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        ("Met at lunch. Runs a research team; curious about it.", "you run a research team"),
        ("Curious about user interviews", "you're curious about user interviews"),
        ("She is moving to Berlin.", "you are moving to Berlin"),
        ("Great energy", ""),
        ("", ""),
        ("Met at lunch", ""),
    ],
)  # fmt: skip
def test_note_line(notes, expected):
    assert note_line(notes) == expected


def test_mailto_encodes_subject_and_body():
    link = mailto_link("ana+events@example.org", "Hi & welcome?", "Line one\nLine 2 = 100%")
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and parts.path == "ana+events@example.org"
    assert "%0D%0A" in link and " " not in link
    query = parse_qs(parts.query)
    assert query["subject"] == ["Hi & welcome?"]
    assert unquote(link.split("body=")[1]) == "Line one\r\nLine 2 = 100%"


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "x@y.z?cc=evil@x.org", "a b@c.de", ""])
def test_mailto_refuses_odd_addresses(email):
    assert mailto_link(email, "s", "b") is None
