"""Template filters that need the current user's time zone or guard links."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user


def localdate(moment: datetime) -> str:
    """'23 Nov 2026, 10:05' in the viewer's time zone."""
    zone = ZoneInfo(current_user.timezone if current_user.is_authenticated else "UTC")
    return moment.astimezone(zone).strftime("%-d %b %Y, %H:%M")


def event_dates(event) -> str:
    """'23–25 Nov 2026', '30 Nov – 2 Dec 2026' or '23 Nov 2026'; '' for an undated event."""
    start, end = event.starts_on or event.ends_on, event.last_day
    if start is None:
        return ""
    if end == start:
        return start.strftime("%-d %b %Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.strftime('%-d %b %Y')}"
    first = start.strftime("%-d %b" if start.year == end.year else "%-d %b %Y")
    return f"{first} – {end.strftime('%-d %b %Y')}"


def is_web_url(value: str) -> bool:
    """Only http(s) links become clickable: a scanned `javascript:` URL must stay text."""
    return value.lower().startswith(("http://", "https://"))


def init_app(app: Flask) -> None:
    app.add_template_filter(localdate)
    app.add_template_filter(is_web_url)
    app.add_template_filter(event_dates)
