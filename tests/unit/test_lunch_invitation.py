"""The role model's lunch invitation: about them, a concrete day, no favour; it passes the
tone coach, first contact or not."""

from datetime import date

import pytest

from eventmate.followups.drafts import DraftFacts, compose_draft, lunch_day
from eventmate.followups.tone import check_tone


@pytest.mark.parametrize(
    ("today", "proposed"),
    [
        (date(2026, 12, 6), date(2026, 12, 15)),  # Sunday → Friday 11th is no lunch day
        (date(2026, 12, 3), date(2026, 12, 8)),  # Thursday → Tuesday after next weekend
        (date(2026, 12, 5), date(2026, 12, 10)),  # Saturday → Thursday
    ],
)
def test_the_proposed_day_is_a_tuesday_or_thursday_at_least_five_days_ahead(today, proposed):
    assert lunch_day(today) == proposed
    assert proposed.weekday() in (1, 3) and (proposed - today).days >= 5


@pytest.mark.parametrize("reason", ["role_model_lunch", "lunch_reminder"])
@pytest.mark.parametrize("first_contact", [True, False])
def test_the_invitation_asks_about_them_and_passes_the_tone_coach(reason, first_contact):
    facts = DraftFacts(
        first_name="Rita",
        sender_name="Sam",
        today=date(2026, 12, 6),
        reason=reason,
        learn_from="How she built her alumni network",
    )
    draft = compose_draft(facts)
    assert draft.body.startswith("Hi Rita,")
    assert "how you built your alumni network" in draft.body
    assert "Tuesday 15 December, around 12:30" in draft.body
    assert check_tone(draft.body, first_contact=first_contact) == []
    assert draft.body.rstrip().endswith("Best,\nSam")


def test_without_a_topic_it_still_reads():
    draft = compose_draft(DraftFacts(today=date(2026, 12, 6), reason="role_model_lunch"))
    assert "I've long admired how you work" in draft.body and draft.body.startswith("Hi,")


def test_what_was_learned_is_recalled_first_in_later_messages():
    facts = DraftFacts(
        first_name="Rita",
        today=date(2026, 12, 6),
        reason="keep_in_touch",
        answers=(("enjoy", "Mentoring"), ("learned", "She hosts a dinner every quarter")),
    )
    body = compose_draft(facts).body
    assert "putting what I learned from you to work: you host a dinner every quarter" in body
