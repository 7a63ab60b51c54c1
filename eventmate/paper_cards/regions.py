"""Which country's phone numbering to assume for a number printed without its country code."""

from functools import cache
from importlib.resources import files


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone name → ISO 3166 country code, from the `zone.tab` the tzdata package ships."""
    countries = {}
    for line in files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone, *_comment = line.split("\t")
            countries[zone] = country
    return countries


def region_for_timezone(timezone: str | None) -> str | None:
    """The country a time zone belongs to ("Europe/London" → "GB"); None for "UTC" and such."""
    return _zone_countries().get(timezone or "")


def phone_region(*timezones: str | None) -> str | None:
    """The first of the time zones (the event's, then the user's) that names a country."""
    return next(filter(None, map(region_for_timezone, timezones)), None)
