"""Template filters: dates in the viewer's locale and time zone (locales.py), guarded links."""

from flask import Flask

from .locales import day_text, moment_text, range_text, time_text, viewer_locale

localdate = moment_text  # '23 Nov 2026, 10:05' in the viewer's locale and time zone


def event_dates(event) -> str:
    """'23–25 Nov 2026', '30 Nov – 2 Dec 2026' or '23 Nov 2026'; '' for an undated event."""
    start, end = event.starts_on or event.ends_on, event.last_day
    if start is None:
        return ""
    return range_text(start, end)


def is_web_url(value: str) -> bool:
    """Only http(s) links become clickable: a scanned `javascript:` URL must stay text."""
    return value.lower().startswith(("http://", "https://"))


def viewer_locale_tag() -> str:
    """'en-GB': the viewer's date locale for the page's scripts (<html data-locale>)."""
    return str(viewer_locale()).replace("_", "-")


def init_app(app: Flask) -> None:
    app.add_template_global(viewer_locale_tag)
    app.add_template_filter(localdate, "localdate")
    app.add_template_filter(day_text, "localday")
    app.add_template_filter(time_text, "localtime")
    app.add_template_filter(is_web_url)
    app.add_template_filter(event_dates)
