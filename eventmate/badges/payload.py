"""Classify and read the text a QR code or badge scan produced."""

import re
from urllib.parse import urlunsplit

from ..urls import split_url
from .mecard import mebkm_url, parse_bizcard, parse_mecard
from .model import NOT_TEXT, CardData, ParsedPayload, PayloadError, has_contact
from .vcard_read import parse_vcard_text

MAX_PAYLOAD_BYTES = 2953  # the most a QR code can hold (version 40-L, byte mode)

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_CARD_FORMATS = {"MECARD:": ("mecard", parse_mecard), "BIZCARD:": ("bizcard", parse_bizcard)}


def parse_payload(text: str) -> ParsedPayload:
    """Tell what a scan holds and read it; raise PayloadError if it is not usable.

    Kinds, by the text without surrounding whitespace (prefixes in any case):
    "BEGIN:VCARD" is a vCard (the first card with a name, e-mail or phone is used),
    "MECARD:" and "BIZCARD:" are contact cards, "MEBKM:" (a bookmark) is a "url", a
    single http(s) URL is a "url", and anything else is "text". A URL needs its
    http:// or https://: "www.example.com" stays text, since a bare name may just as
    well be a file or a version number, and linking a guess is unsafe. A bookmark's
    URL is a link by definition, so there "http://" is added when no scheme is given.
    """
    _check(text)
    body = text.strip()
    upper = body[:16].upper()
    if upper.startswith("BEGIN:VCARD"):
        cards = parse_vcard_text(text)
        return ParsedPayload("vcard", text, _usable(cards[0] if cards else CardData()))
    for prefix, (kind, read) in _CARD_FORMATS.items():
        if upper.startswith(prefix):
            return ParsedPayload(kind, text, _usable(read(body[len(prefix) :])))
    if upper.startswith("MEBKM:"):
        url = mebkm_url(body[len("MEBKM:") :])
        url = _http_url(url if _SCHEME.match(url) else f"http://{url}")
    else:
        url = _http_url(body)
    return ParsedPayload("url", text, url=url) if url else ParsedPayload("text", text)


def _check(text: str) -> None:
    if not text.strip():
        raise PayloadError("The scanned code is empty. Scan it again, or type the details.")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_PAYLOAD_BYTES:
        raise PayloadError(
            f"The scanned data is {size} bytes, larger than any QR code can hold "
            f"({MAX_PAYLOAD_BYTES} bytes). Paste only what the code says."
        )
    if NOT_TEXT.search(text):
        raise PayloadError(
            "The scanned code holds binary data, not text we can read. "
            "Try another code on the badge, or type the details."
        )


def _usable(card: CardData) -> CardData:
    if not has_contact(card):
        raise PayloadError(
            "The scanned contact card could not be read, or has no name, company, "
            "e-mail address or phone number. Scan it again, or type the details."
        )
    return card


def _http_url(candidate: str) -> str:
    """The candidate as an http(s) URL with scheme and host in lower case, else ""."""
    if not candidate or any(char.isspace() for char in candidate):
        return ""
    parts = split_url(candidate)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    userinfo, at, host_port = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=userinfo + at + host_port.lower()))
