"""How dates and times are written for the viewer: their locale's format (Babel), in their
time zone.

The locale is the one chosen on the reminders settings page, else the browser's first
language Babel knows (Accept-Language), else DEFAULT ("23 Nov 2026, 10:05", the format the
app always had). The interface itself is not translated: only the way dates read changes.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_interval, format_skeleton, format_time
from flask import has_request_context, request
from flask_login import current_user

DEFAULT = "en_GB"
# Offered on the settings page: a short list of common ones (any locale Babel knows works
# from the browser's languages).
CHOICES = (
    "en_GB", "en_US", "en_IE", "en_AU", "en_IN", "de_DE", "es_ES", "fr_FR", "it_IT", "nl_NL",
    "pl_PL", "pt_PT", "pt_BR", "sv_SE", "ja_JP", "zh_Hans_CN",
)  # fmt: skip
MAX_TAG = 20


def parse_locale(tag: str | None) -> Locale | None:
    """A Babel locale from "pt-PT", "pt_PT" or "de"; None for anything Babel doesn't know."""
    tag = (tag or "").strip()
    if not tag or len(tag) > MAX_TAG or tag == "*":
        return None
    try:
        return Locale.parse(tag, sep="-" if "-" in tag else "_")
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def is_valid_choice(tag: str) -> bool:
    return tag == "" or tag in CHOICES


def choice_label(tag: str) -> str:
    """ "Português (Portugal) · 23/11/2026": each locale named in its own language, with a
    sample date."""
    locale = Locale.parse(tag)
    sample = format_skeleton("yMd", date(2026, 11, 23), locale=locale)
    name = locale.get_display_name(locale)
    return f"{name[:1].upper()}{name[1:]} · {sample}"


def viewer_locale() -> Locale:
    """The current viewer's locale (outside a request: DEFAULT)."""
    if has_request_context():
        if current_user.is_authenticated and current_user.locale:
            found = parse_locale(current_user.locale)
            if found is not None:
                return found
        for tag, _quality in request.accept_languages:
            found = parse_locale(tag)
            if found is not None:
                return found
    return Locale.parse(DEFAULT)


def viewer_zone() -> ZoneInfo:
    authenticated = has_request_context() and current_user.is_authenticated
    return ZoneInfo(current_user.timezone if authenticated else "UTC")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(viewer_zone())


def moment_text(moment: datetime) -> str:
    """Date and time: '23 Nov 2026, 10:05' (en_GB), 'Nov 23, 2026, 10:05 AM' (en_US)."""
    locale = viewer_locale()
    local = _local(moment)
    day = format_skeleton("yMMMd", local, locale=locale)
    clock = format_time(local, "short", locale=locale)
    return locale.datetime_formats["medium"].format(clock, day)


def day_text(value: date | datetime, skeleton: str = "yMMMd") -> str:
    """A day, as a Babel skeleton says: 'yMMMd' '23 Nov 2026', 'MMMd' '23 Nov', 'MMMEd'
    'Mon 23 Nov', 'yMMMM' 'November 2026'. A datetime is taken in the viewer's zone."""
    if isinstance(value, datetime):
        value = _local(value)
    return format_skeleton(skeleton, value, locale=viewer_locale())


def time_text(moment: datetime) -> str:
    """'10:05' (en_GB), '10:05 AM' (en_US)."""
    return format_time(_local(moment), "short", locale=viewer_locale())


def range_text(start: date, end: date) -> str:
    """'23–25 Nov 2026', '30 Nov – 2 Dec 2026' in en_GB; each locale its own way."""
    if start == end:
        return day_text(start)
    return format_interval(start, end, "yMMMd", locale=viewer_locale())
