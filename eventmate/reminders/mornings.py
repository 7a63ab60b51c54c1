"""When a user's morning has come: pure functions, no database.

"Local" is where the user wakes up: their own time zone, except while they are away at their
current event in another zone (its dates, a day of travel either side) — the same rule the
follow-up planner uses to put due times on the venue's mornings (followups/planning.py), so the
digest arrives at 9:00 in Tokyo for someone at a conference in Tokyo, not at 9:00 at home.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..followups.planning import TRAVEL_MARGIN, is_quiet, local_morning

NIGHT_FROM = 22  # local hour from which a prompt message waits for the morning


@dataclass(frozen=True)
class Clock:
    """What decides a user's morning."""

    home_zone: str
    reminder_hour: int
    quiet_days: str = ""
    event_zone: str | None = None  # the current event's, if any
    event_starts: date | None = None
    event_ends: date | None = None


def current_zone(clock: Clock, now: datetime) -> str:
    """The event's zone while the user is there, else their own."""
    home = clock.home_zone or "UTC"
    if not clock.event_zone or clock.event_zone == home:
        return home
    first = clock.event_starts or clock.event_ends
    last = clock.event_ends or clock.event_starts
    if first is None:  # an undated event says nothing about where the user is today
        return home
    first, last = min(first, last) - TRAVEL_MARGIN, max(first, last) + TRAVEL_MARGIN
    at_venue = now.astimezone(ZoneInfo(clock.event_zone)).date()
    return clock.event_zone if first <= at_venue <= last else home


def morning_of(clock: Clock, now: datetime) -> date | None:
    """The user's local date if, at `now`, its reminder hour has come and it is not a quiet
    day; else None. A reminder hour skipped by daylight saving counts as come at the jump."""
    local = now.astimezone(ZoneInfo(current_zone(clock, now)))
    if local.hour < clock.reminder_hour or is_quiet(local.date(), clock.quiet_days):
        return None
    return local.date()


def awake_at(clock: Clock, now: datetime) -> datetime:
    """When a prompt message (not a reminder) may sound on the user's phone: at once during
    their day — from their reminder hour until 22:00 local — else at their next reminder hour.
    Quiet days do not apply: they keep reminders away, not people waiting for an answer."""
    zone = current_zone(clock, now)
    local = now.astimezone(ZoneInfo(zone))
    if clock.reminder_hour <= local.hour < NIGHT_FROM:
        return now
    day = local.date() + timedelta(days=0 if local.hour < clock.reminder_hour else 1)
    return local_morning(day, clock.reminder_hour, zone)


def possible_dates(now: datetime) -> set[date]:
    """Every local date `now` falls on somewhere (UTC−12 to UTC+14)."""
    return {now.date() + timedelta(days=offset) for offset in (-1, 0, 1)}
