"""When a follow-up is due: pure functions, no database.

The rule: a follow-up is due on the morning after the day two people met, at the user's
reminder hour. "The day they met" is the local calendar day of the meeting, so someone met at
00:30 on the 24th is followed up on the morning of the 25th, not a few hours later.

Which clock is "local"? The user's own time zone (their profile), except while they are away
at an event held in another zone: someone who meets people at a conference in Tokyo wakes up in
Tokyo, so the meeting day and the next morning are taken in the event's zone. We take "away at
the event" to mean the meeting's day in the event's zone falls within the event's dates (a day
of travel either side allowed; an event without dates counts as the meeting day only), and the
due day is still within that window. Outside it (a stale current event, a follow-up planned for
next week, after the user flew home) the user's own zone applies.

Local times that do not exist (the hour skipped when clocks go forward) move forward by the
gap; local times that happen twice (when clocks go back) take the first occurrence.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The follow-up choices of the capture screen, in the order they are offered.
CHOICES = ("tomorrow", "3days", "week", "date", "none")
CHOICE_DAYS = {"tomorrow": 1, "3days": 3, "week": 7}
TRAVEL_MARGIN = timedelta(days=1)
MAX_DAYS_AHEAD = 366


@dataclass(frozen=True)
class Venue:
    """Where and when an event happens, as far as planning cares."""

    timezone: str
    starts_on: date | None = None
    ends_on: date | None = None

    @classmethod
    def of(cls, event) -> "Venue | None":
        if event is None:
            return None
        return cls(event.timezone or "UTC", event.starts_on, event.ends_on)


def local_morning(day: date, hour: int, zone: str) -> datetime:
    """`hour`:00 on `day` in `zone`, as an aware UTC datetime.

    fold=0 gives the first of two repeated wall-clock times, and for a wall-clock time inside a
    spring-forward gap the offset in force before the jump, which lands after the gap.
    """
    local = datetime.combine(day, time(hour), ZoneInfo(zone)).replace(fold=0)
    return local.astimezone(UTC)


def local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def _away_window(met_at: datetime, home_zone: str, venue: Venue | None) -> tuple[date, date] | None:
    """The days the user spends at the venue around the meeting, or None when at home."""
    if venue is None or venue.timezone == home_zone:
        return None
    met_day = local_day(met_at, venue.timezone)
    first = venue.starts_on or venue.ends_on or met_day
    last = venue.ends_on or venue.starts_on or met_day
    first, last = min(first, last) - TRAVEL_MARGIN, max(first, last) + TRAVEL_MARGIN
    return (first, last) if first <= met_day <= last else None


def meeting_zone(met_at: datetime, home_zone: str, venue: Venue | None) -> str:
    """The zone whose calendar tells which day the meeting happened on."""
    return venue.timezone if _away_window(met_at, home_zone, venue) else home_zone


def due_on_day(
    day: date, *, met_at: datetime, home_zone: str, hour: int, venue: Venue | None
) -> datetime:
    """The reminder on `day`: at the venue while the user is away there, else at home."""
    window = _away_window(met_at, home_zone, venue)
    zone = venue.timezone if window and window[0] <= day <= window[1] else home_zone
    return local_morning(day, hour, zone)


def plan_due(
    met_at: datetime,
    *,
    home_zone: str,
    hour: int,
    venue: Venue | None = None,
    days: int = 1,
    now: datetime | None = None,
) -> datetime:
    """When to follow up with someone met at `met_at`: `days` mornings after the later of the
    meeting's local day and today (so a choice made a week later still lies ahead)."""
    zone = meeting_zone(met_at, home_zone, venue)
    base = local_day(met_at, zone)
    if now is not None:
        base = max(base, local_day(now, zone))
    return due_on_day(
        base + timedelta(days=days), met_at=met_at, home_zone=home_zone, hour=hour, venue=venue
    )


@dataclass(frozen=True)
class Choice:
    """The follow-up choice of a capture form: one of CHOICES, with a date for "date"."""

    name: str
    on: date | None = None


def parse_choice(
    value: str, on: str, *, today: date, late_is_today: bool = False
) -> tuple[Choice | None, str | None]:
    """The form's choice, None when the field was not sent (keep what is planned), or an error.

    `today` is the user's local date: a chosen date must not be in the past nor over a year away.
    With `late_is_today`, a past date means today: the phone chose it offline and synced it
    only after that day, and refusing it would also refuse the notes sent with it.
    """
    value = (value or "").strip()
    if not value or value == "keep":
        return None, None
    if value not in CHOICES:
        return None, "Choose when to follow up."
    if value != "date":
        return Choice(value), None
    try:
        day = date.fromisoformat((on or "").strip())
    except ValueError:
        return None, "Pick the day you'd like to follow up."
    if day < today and late_is_today:
        day = today
    if day < today:
        return None, "Pick today or a later day."
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        return None, "Pick a day within the next year."
    return Choice("date", day), None


def due_for_choice(
    choice: Choice, *, met_at: datetime, home_zone: str, hour: int, venue: Venue | None, now
) -> datetime | None:
    """The due time a choice means; None for "none"."""
    if choice.name == "none":
        return None
    if choice.name == "date":
        return due_on_day(choice.on, met_at=met_at, home_zone=home_zone, hour=hour, venue=venue)
    days = CHOICE_DAYS[choice.name]
    return plan_due(met_at, home_zone=home_zone, hour=hour, venue=venue, days=days, now=now)


def choice_for(
    due_at: datetime | None,
    *,
    met_at: datetime,
    home_zone: str,
    hour: int,
    venue: Venue | None,
    now: datetime,
) -> Choice:
    """Which choice describes an open follow-up due at `due_at` (None: nothing planned)."""
    if due_at is None:
        return Choice("none")
    for name in CHOICE_DAYS:
        planned = plan_due(
            met_at, home_zone=home_zone, hour=hour, venue=venue, days=CHOICE_DAYS[name], now=now
        )
        if planned == due_at:
            return Choice(name)
    window = _away_window(met_at, home_zone, venue)
    zone = home_zone
    if window and window[0] <= local_day(due_at, venue.timezone) <= window[1]:
        zone = venue.timezone
    return Choice("date", local_day(due_at, zone))


def snoozed_due(
    due_at: datetime, *, days: int, now: datetime, home_zone: str, hour: int
) -> datetime:
    """`days` mornings after the later of today and the planned day, in the user's zone."""
    base = max(local_day(now, home_zone), local_day(due_at, home_zone))
    return local_morning(base + timedelta(days=days), hour, home_zone)


def moved_for_settings(
    due_at: datetime, *, old_zone: str, new_zone: str, new_hour: int
) -> datetime:
    """A planned follow-up after the user changed their zone or hour: same day, new morning."""
    return local_morning(local_day(due_at, old_zone), new_hour, new_zone)


def is_quiet(day: date, quiet_days: str) -> bool:
    """Whether `day` is one of the user's quiet days (ISO weekday digits, "67" = weekend)."""
    return str(day.isoweekday()) in (quiet_days or "")


def next_active_day(day: date, quiet_days: str) -> date:
    """`day`, or the first day after it that is not a quiet day (all seven quiet: `day`)."""
    for offset in range(7):
        candidate = day + timedelta(days=offset)
        if not is_quiet(candidate, quiet_days):
            return candidate
    return day
