"""When follow-ups are due: the next morning of the local day we met, across zones and DST."""

from datetime import UTC, date, datetime

import pytest

from eventmate.followups import planning
from eventmate.followups.planning import Choice, Venue


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


TOKYO_CONF = Venue("Asia/Tokyo", date(2026, 11, 24), date(2026, 11, 26))

# (case, met at (UTC), user's zone, reminder hour, event venue, due (UTC))
CASES = [
    ("Paris afternoon", utc(2026, 11, 24, 14), "Europe/Paris", 9, None, utc(2026, 11, 25, 8)),
    ("Paris 00:30 counts as that day", utc(2026, 11, 23, 23, 30), "Europe/Paris", 9, None,
     utc(2026, 11, 25, 8)),
    ("Paris 23:59 the day before", utc(2026, 11, 23, 22, 59), "Europe/Paris", 9, None,
     utc(2026, 11, 24, 8)),
    ("Paris: morning after spring-forward", utc(2026, 3, 28, 17), "Europe/Paris", 9, None,
     utc(2026, 3, 29, 7)),
    ("Paris: 02:00 skipped, moves to 03:00", utc(2026, 3, 28, 17), "Europe/Paris", 2, None,
     utc(2026, 3, 29, 1)),
    ("Paris: met 01:30 on the spring-forward night", utc(2026, 3, 29, 0, 30), "Europe/Paris", 9,
     None, utc(2026, 3, 30, 7)),
    ("Paris: morning after fall-back", utc(2026, 10, 24, 15), "Europe/Paris", 9, None,
     utc(2026, 10, 25, 8)),
    ("Paris: 02:00 happens twice, first one", utc(2026, 10, 24, 15), "Europe/Paris", 2, None,
     utc(2026, 10, 25, 0)),
    ("New York evening is the next UTC day", utc(2026, 3, 8, 1), "America/New_York", 9, None,
     utc(2026, 3, 8, 13)),
    ("New York: 02:00 skipped", utc(2026, 3, 7, 20), "America/New_York", 2, None,
     utc(2026, 3, 8, 7)),
    ("New York: morning after fall-back", utc(2026, 10, 31, 18), "America/New_York", 9, None,
     utc(2026, 11, 1, 14)),
    ("New York: 01:00 twice, first one", utc(2026, 10, 31, 18), "America/New_York", 1, None,
     utc(2026, 11, 1, 5)),
    ("Tokyo 00:30", utc(2026, 11, 23, 15, 30), "Asia/Tokyo", 9, None, utc(2026, 11, 25, 0)),
    ("Auckland 00:30, a UTC day behind", utc(2026, 11, 23, 11, 30), "Pacific/Auckland", 9, None,
     utc(2026, 11, 24, 20)),
    ("Auckland: morning after DST ends", utc(2026, 4, 4, 0), "Pacific/Auckland", 9, None,
     utc(2026, 4, 4, 21)),
    ("Auckland: 02:00 twice as DST ends", utc(2026, 4, 4, 0), "Pacific/Auckland", 2, None,
     utc(2026, 4, 4, 13)),
    ("Auckland: 02:00 skipped as DST starts", utc(2026, 9, 26, 0), "Pacific/Auckland", 2, None,
     utc(2026, 9, 26, 14)),
    ("midnight reminder hour", utc(2026, 11, 24, 14), "Europe/Lisbon", 0, None,
     utc(2026, 11, 25, 0)),
    ("at a Tokyo event, Tokyo's morning", utc(2026, 11, 24, 9), "Europe/Lisbon", 9, TOKYO_CONF,
     utc(2026, 11, 25, 0)),
    ("at a Tokyo event after midnight there", utc(2026, 11, 24, 15, 30), "Europe/Lisbon", 9,
     TOKYO_CONF, utc(2026, 11, 26, 0)),
    ("the morning after the event's last day", utc(2026, 11, 26, 9), "Europe/Lisbon", 9,
     TOKYO_CONF, utc(2026, 11, 27, 0)),
    ("a stale current event far away: home", utc(2026, 12, 10, 14), "Europe/Lisbon", 9,
     TOKYO_CONF, utc(2026, 12, 11, 9)),
    ("an event without dates in New York", utc(2026, 11, 24, 23), "Europe/Paris", 9,
     Venue("America/New_York"), utc(2026, 11, 25, 14)),
    ("an event in the user's own zone", utc(2026, 11, 23, 23, 30), "Europe/Paris", 9,
     Venue("Europe/Paris", date(2026, 11, 24), date(2026, 11, 24)), utc(2026, 11, 25, 8)),
]  # fmt: skip


@pytest.mark.parametrize(("met_at", "zone", "hour", "venue", "due"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_due_the_next_morning(met_at, zone, hour, venue, due):
    assert planning.plan_due(met_at, home_zone=zone, hour=hour, venue=venue) == due


def test_local_morning_gap_and_fold_directly():
    # Paris, 29 March 2026: 02:00–03:00 does not exist; 25 October: 02:00–03:00 happens twice.
    assert planning.local_morning(date(2026, 3, 29), 2, "Europe/Paris") == utc(2026, 3, 29, 1)
    assert planning.local_morning(date(2026, 10, 25), 2, "Europe/Paris") == utc(2026, 10, 25, 0)
    assert planning.local_morning(date(2026, 3, 29), 3, "Europe/Paris") == utc(2026, 3, 29, 1)


def test_choices_count_from_today_when_made_later():
    met = utc(2026, 11, 2, 10)
    now = utc(2026, 11, 10, 12)
    common = {"home_zone": "Europe/Lisbon", "hour": 9, "venue": None}
    assert planning.plan_due(met, **common, days=1, now=now) == utc(2026, 11, 11, 9)
    assert planning.plan_due(met, **common, days=3, now=now) == utc(2026, 11, 13, 9)
    assert planning.plan_due(met, **common, days=7, now=now) == utc(2026, 11, 17, 9)


def test_next_week_from_an_event_abroad_is_a_morning_at_home():
    met = utc(2026, 11, 24, 9)  # Tokyo, during the conference
    common = {"met_at": met, "home_zone": "Europe/Lisbon", "hour": 9, "venue": TOKYO_CONF}
    assert planning.due_for_choice(Choice("week"), **common, now=met) == utc(2026, 12, 1, 9)
    assert planning.due_for_choice(Choice("3days"), **common, now=met) == utc(2026, 11, 27, 0)
    on = Choice("date", date(2026, 11, 26))
    assert planning.due_for_choice(on, **common, now=met) == utc(2026, 11, 26, 0)
    assert planning.due_for_choice(Choice("none"), **common, now=met) is None


CHOICES = [Choice("tomorrow"), Choice("3days"), Choice("week"), Choice("date", date(2026, 12, 24))]


@pytest.mark.parametrize("choice", CHOICES)
def test_a_planned_time_reads_back_as_its_choice(choice):
    met, now = utc(2026, 11, 24, 9), utc(2026, 11, 24, 10)
    for venue in (None, TOKYO_CONF):
        common = {"met_at": met, "home_zone": "Europe/Lisbon", "hour": 9, "venue": venue}
        due = planning.due_for_choice(choice, **common, now=now)
        assert planning.choice_for(due, **common, now=now) == choice


def test_nothing_planned_reads_as_none():
    common = {"met_at": utc(2026, 11, 24, 9), "home_zone": "UTC", "hour": 9, "venue": None}
    assert planning.choice_for(None, **common, now=utc(2026, 11, 24, 9)) == Choice("none")


TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("value", "on", "expected", "error"),
    [
        ("", "", None, None),
        ("keep", "", None, None),
        ("tomorrow", "", Choice("tomorrow"), None),
        ("none", "2026-12-01", Choice("none"), None),
        ("date", "2026-11-24", Choice("date", TODAY), None),
        ("date", "2027-11-25", Choice("date", date(2027, 11, 25)), None),
        ("date", "", None, "Pick the day you'd like to follow up."),
        ("date", "24/11/2026", None, "Pick the day you'd like to follow up."),
        ("date", "2026-11-23", None, "Pick today or a later day."),
        ("date", "2027-11-26", None, "Pick a day within the next year."),
        ("soon", "", None, "Choose when to follow up."),
    ],
)
def test_parse_choice(value, on, expected, error):
    assert planning.parse_choice(value, on, today=TODAY) == (expected, error)


def test_snooze_counts_mornings_from_today_or_the_planned_day():
    now = utc(2026, 11, 25, 10)  # Paris 11:00, overdue since 09:00
    common = {"now": now, "home_zone": "Europe/Paris", "hour": 9}
    assert planning.snoozed_due(utc(2026, 11, 25, 8), days=1, **common) == utc(2026, 11, 26, 8)
    assert planning.snoozed_due(utc(2026, 11, 20, 8), days=3, **common) == utc(2026, 11, 28, 8)
    assert planning.snoozed_due(utc(2026, 11, 30, 8), days=7, **common) == utc(2026, 12, 7, 8)


def test_settings_change_keeps_the_day_and_takes_the_new_morning():
    due = utc(2026, 11, 25, 8)  # 09:00 in Paris
    moved = planning.moved_for_settings(
        due, old_zone="Europe/Paris", new_zone="Asia/Tokyo", new_hour=7
    )
    assert moved == utc(2026, 11, 24, 22)  # 07:00 on the 25th in Tokyo


def test_quiet_days():
    friday = date(2026, 11, 27)
    assert not planning.is_quiet(friday, "67")
    assert planning.is_quiet(date(2026, 11, 28), "67")
    assert planning.next_active_day(date(2026, 11, 28), "67") == date(2026, 11, 30)
    assert planning.next_active_day(friday, "") == friday
    assert planning.next_active_day(friday, "1234567") == friday
