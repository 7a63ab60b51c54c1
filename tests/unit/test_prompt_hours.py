"""When a prompt push (an introduction, not a reminder) may sound: at once during the user's
day, else at their next reminder hour; quiet days do not hold it back."""

from datetime import UTC, date, datetime

import pytest

from eventmate.reminders.mornings import Clock, awake_at


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


LISBON = Clock("Europe/Lisbon", 9)


@pytest.mark.parametrize(
    ("clock", "now", "sent_at"),
    [
        (LISBON, "2026-11-24 09:00", "2026-11-24 09:00"),  # the reminder hour: at once
        (LISBON, "2026-11-24 21:59", "2026-11-24 21:59"),
        (LISBON, "2026-11-24 22:00", "2026-11-25 09:00"),  # night: the next morning
        (LISBON, "2026-11-25 03:00", "2026-11-25 09:00"),
        (Clock("Europe/Lisbon", 9, quiet_days="2"), "2026-11-24 10:00", "2026-11-24 10:00"),
        (Clock("Asia/Tokyo", 8), "2026-11-24 14:00", "2026-11-24 23:00"),  # 23:00 in Tokyo
        # Away at an event in Tokyo: its night counts.
        (
            Clock("Europe/Lisbon", 9, "", "Asia/Tokyo", date(2026, 11, 24), date(2026, 11, 25)),
            "2026-11-24 14:00",
            "2026-11-25 00:00",
        ),
        # The night before clocks go forward in Lisbon (29 March 2026): 9:00 is UTC+1.
        (LISBON, "2026-03-28 23:00", "2026-03-29 08:00"),
    ],
)
def test_awake_at(clock, now, sent_at):
    assert awake_at(clock, utc(now)) == utc(sent_at)
