"""The short "KEY:value;" formats phones put in QR codes: MECARD, BIZCARD and MEBKM.

Each takes the text after its "MECARD:" (etc.) prefix. Fields end with ";", the record
with ";;", and a backslash escapes the next character (";", ":", ",", "\\"). Fields we do
not keep (ADR, BDAY, NICKNAME, SOUND; BIZCARD's A) are ignored.
"""

import re

from .model import CardData, make_card

_FIELD = re.compile(r"(?:\\.|[^\\;])+", re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)
_LAST_FIRST = re.compile(r"((?:\\.|[^\\,])*),(.*)", re.S)

_Fields = list[tuple[str, str]]


def parse_mecard(body: str) -> CardData:
    """NTT DoCoMo's MECARD; N is "Last,First" (shown as "First Last") or one name."""
    fields = _fields(body)
    return make_card(
        full_name=_mecard_name(_first_raw(fields, "N")),
        title=_first(fields, "TITLE"),  # not in the spec, but common
        company=_first(fields, "ORG"),
        emails=_all(fields, "EMAIL"),
        phones=_all(fields, "TEL", "TEL-AV"),
        urls=_all(fields, "URL"),
        notes=_all(fields, "NOTE"),
    )


def parse_bizcard(body: str) -> CardData:
    """BIZCARD: N first name, X last name, T title, C company, E e-mail, B/M/F phones."""
    fields = _fields(body)
    return make_card(
        full_name=f"{_first(fields, 'N')} {_first(fields, 'X')}",
        title=_first(fields, "T"),
        company=_first(fields, "C"),
        emails=_all(fields, "E"),
        phones=_all(fields, "B", "M", "F"),
    )


def mebkm_url(body: str) -> str:
    """The URL of a MEBKM bookmark, as written ("" when there is none)."""
    return _first(_fields(body), "URL")


def _fields(body: str) -> _Fields:
    """(KEY, still-escaped value) pairs in order; pieces without a ":" are skipped."""
    pairs = (field.partition(":") for field in _FIELD.findall(body))
    return [(key.strip().upper(), value) for key, colon, value in pairs if colon]


def _unescape(value: str) -> str:
    return _ESCAPE.sub(r"\1", value).strip()


def _first_raw(fields: _Fields, key: str) -> str:
    return next((value for k, value in fields if k == key), "")


def _first(fields: _Fields, key: str) -> str:
    return _unescape(_first_raw(fields, key))


def _all(fields: _Fields, *keys: str) -> list[str]:
    return [_unescape(value) for key, value in fields if key in keys]


def _mecard_name(raw: str) -> str:
    match = _LAST_FIRST.fullmatch(raw)
    if match is None:
        return _unescape(raw)
    last, first = (_unescape(part) for part in match.groups())
    return f"{first} {last}".strip()
