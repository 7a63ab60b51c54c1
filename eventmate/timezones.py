"""IANA time zone helpers."""

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def timezone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def is_valid_timezone(name: str) -> bool:
    return name in timezone_names()


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar day `moment` falls on for someone living in `timezone`."""
    return moment.astimezone(ZoneInfo(timezone)).date()
