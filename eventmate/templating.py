"""Template filters that need the current user's time zone or guard links."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user


def localdate(moment: datetime) -> str:
    """'23 Nov 2026, 10:05' in the viewer's time zone."""
    zone = ZoneInfo(current_user.timezone if current_user.is_authenticated else "UTC")
    return moment.astimezone(zone).strftime("%-d %b %Y, %H:%M")


def is_web_url(value: str) -> bool:
    """Only http(s) links become clickable: a scanned `javascript:` URL must stay text."""
    return value.lower().startswith(("http://", "https://"))


def init_app(app: Flask) -> None:
    app.add_template_filter(localdate)
    app.add_template_filter(is_web_url)
