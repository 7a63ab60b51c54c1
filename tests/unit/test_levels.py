"""The level rule: how well I know someone, from what happened between us."""

import pytest

from eventmate.relationships.levels import (
    GETTING_TO_KNOW,
    JUST_MET,
    KNOW_WELL,
    TRUSTED_ALLY,
    Evidence,
    assess,
    known_for,
    score,
)

CASES = [
    # (what happened, expected level, why)
    (Evidence(), JUST_MET, "a contact with nothing behind it"),
    (Evidence(met_in_person=1), JUST_MET, "one exchange at an event"),
    (
        Evidence(met_in_person=1, conversations=5),
        JUST_MET,
        "one long chat, noted: still one meeting",
    ),
    (Evidence(met_in_person=1, calls=1), JUST_MET, "met once, one call: 5 points"),
    (Evidence(met_in_person=2), GETTING_TO_KNOW, "met twice"),
    (
        Evidence(met_in_person=1, calls=1, follow_ups_done=1),
        GETTING_TO_KNOW,
        "met, called, followed up",
    ),
    (
        Evidence(met_in_person=1, conversations=2, known_days=30),
        GETTING_TO_KNOW,
        "met, noted, a month on",
    ),
    (Evidence(met_in_person=10), GETTING_TO_KNOW, "ten scans in a week: capped, and no time yet"),
    (
        Evidence(met_in_person=4, conversations=2, known_days=59),
        GETTING_TO_KNOW,
        "14 points but under 60 days",
    ),
    (
        Evidence(met_in_person=4, conversations=2, known_days=60),
        KNOW_WELL,
        "14 points, 60 days, in person",
    ),
    (
        Evidence(met_in_person=3, follow_ups_done=1, conversations=2, known_days=90),
        KNOW_WELL,
        "three meetings, a follow-up, notes, three months",
    ),
    (
        Evidence(
            calls=3, messages=3, follow_ups_done=3, conversations=2, introductions=2, known_days=400
        ),
        GETTING_TO_KNOW,
        "a year of calls and messages, never met in person",
    ),
    (
        Evidence(met_in_person=1, calls=3, messages=3, follow_ups_done=3, known_days=365),
        KNOW_WELL,
        "met once, then a year of keeping in touch",
    ),
    (
        Evidence(met_in_person=2, conversations=2, introductions=2, known_days=90),
        KNOW_WELL,
        "introductions between us count",
    ),
    (
        Evidence(met_in_person=2, conversations=2, known_days=90),
        GETTING_TO_KNOW,
        "the same without the introductions",
    ),
    (Evidence(messages=1), JUST_MET, "details shared online only"),
    (Evidence(is_ally=True), TRUSTED_ALLY, "the user chose them as an ally"),
    (
        Evidence(met_in_person=4, known_days=900, is_ally=True),
        TRUSTED_ALLY,
        "an ally stays an ally",
    ),
]


@pytest.mark.parametrize(("evidence", "level", "why"), CASES, ids=[case[2] for case in CASES])
def test_the_level_rule(evidence, level, why):
    assert assess(evidence).level == level, why


def test_points_are_capped_per_kind_and_time_counts_once():
    assert score(Evidence(met_in_person=100)) == 12
    assert score(Evidence(calls=100, messages=100)) == 6 + 3
    assert score(Evidence(known_days=29)) == 0
    assert score(Evidence(known_days=30)) == 1
    assert score(Evidence(known_days=90)) == 2
    assert score(Evidence(known_days=4000)) == 3


REASON_CASES = [
    (Evidence(met_in_person=1), ["Met in person once", "Known since today"]),
    (
        Evidence(met_in_person=3, calls=1, messages=2, known_days=45),
        ["Met in person 3 times", "1 call", "2 messages", "Known for 6 weeks"],
    ),
    (Evidence(calls=2, known_days=3), ["Only met online so far", "2 calls", "Known for 3 days"]),
    (
        Evidence(
            met_in_person=1, follow_ups_done=1, conversations=2, introductions=1, known_days=400
        ),
        [
            "Met in person once",
            "Followed up once",
            "2 conversations noted",
            "1 introduction between you",
            "Known for 13 months",
        ],
    ),
    (
        Evidence(is_ally=True, known_days=800),
        ["You chose them as one of your trusted allies", "Known for 2 years"],
    ),
]


@pytest.mark.parametrize(("evidence", "expected"), REASON_CASES)
def test_the_reasons_are_plain_sentences(evidence, expected):
    assert assess(evidence).reasons == expected


def test_what_would_deepen_it_is_said_plainly():
    online = assess(Evidence(calls=3, messages=3, known_days=400))
    assert online.level == GETTING_TO_KNOW
    assert any("Meet in person at least once" in step for step in online.next_steps)
    new = assess(Evidence(met_in_person=4, conversations=2, known_days=10))
    assert any("at least two months" in step for step in new.next_steps)
    assert assess(Evidence(met_in_person=1)).next_steps == [
        "Meet again, call or follow up to get to know them."
    ]
    assert assess(Evidence(met_in_person=4, conversations=2, known_days=60)).next_steps == []


@pytest.mark.parametrize(
    ("days", "text"),
    [(0, "since today"), (1, "for a day"), (13, "for 13 days"), (14, "for 2 weeks"),
     (60, "for 8 weeks"), (61, "for 2 months"), (365, "for 12 months"), (729, "for 24 months"),
     (730, "for 2 years")],
)  # fmt: skip
def test_known_for(days, text):
    assert known_for(days) == text


def test_at_least_orders_the_levels():
    ally = assess(Evidence(is_ally=True))
    assert ally.at_least(KNOW_WELL) and ally.label == "Trusted ally"
    assert not assess(Evidence(met_in_person=2)).at_least(KNOW_WELL)
