"""Data types shared by every reader and writer in this package."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

# C0 and C1 controls except tab, LF and CR, and lone surrogates: not readable text (and NUL
# can't be stored). In a scan's raw text they are signs of binary data; in a decoded value
# (quoted-printable "=00", a UTF-7 or unicode_escape CHARSET) they are dropped.
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
_CARRIAGE_RETURN = re.compile(r"\r\n?")


@dataclass
class CardData:
    """Contact details as read from a vCard, MECARD or BIZCARD.

    Postal addresses are not kept: a scanned badge is for reaching someone, and
    addresses are rare on badges and awkward to edit on a phone.
    """

    full_name: str = ""
    title: str = ""
    company: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class ParsedPayload:
    """What one QR code or badge held.

    kind is "vcard", "mecard" or "bizcard" (card is set), "url" (url is set) or "text".
    raw is the payload exactly as received, so nothing the code held is lost.
    """

    kind: str
    raw: str
    card: CardData | None = None
    url: str = ""

    def details(self) -> CardData | None:
        """What the scan tells about the person: the card, or a URL's link (a profile page,
        say), so that the contact can be opened from it while they are still unidentified."""
        if self.card is not None or not self.url:
            return self.card
        return CardData(urls=[self.url])


class PayloadError(ValueError):
    """Raised with a human sentence (shown to the user as-is) for input that is not usable."""


def make_card(
    *,
    full_name: str = "",
    title: str = "",
    company: str = "",
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    urls: Iterable[str] = (),
    notes: Iterable[str] = (),
) -> CardData:
    """Build a CardData the same way for every format.

    Values lose what is not readable text (NOT_TEXT), are trimmed, blanks and duplicates
    dropped (first one wins), and tel: URIs (vCard 4.0) turned into phone numbers. Line
    breaks become a space, except in the note, where they become "\\n" and also join
    several notes. The full name falls back to the company, so that every card has
    something to show in a list.
    """
    company = _one_line(company)
    return CardData(
        full_name=_one_line(full_name) or company,
        title=_one_line(title),
        company=company,
        emails=_unique(map(_one_line, emails)),
        phones=_unique(_phone(_one_line(phone)) for phone in phones),
        urls=_unique(map(_one_line, urls)),
        note="\n".join(
            _unique(_CARRIAGE_RETURN.sub("\n", _readable(note)).strip() for note in notes)
        ),
    )


def has_contact(card: CardData) -> bool:
    """True when the card names someone or gives a way to reach them."""
    return bool(card.full_name or card.emails or card.phones)


def _readable(value: str) -> str:
    return NOT_TEXT.sub("", value)


def _one_line(value: str) -> str:
    return _LINE_BREAK.sub(" ", _readable(value)).strip()


def _phone(value: str) -> str:
    """The number of a tel: URI, keeping an extension as " ext. 102"; else the value.

    Other URIs (e.g. sip:) are kept whole: they are still a way to call someone.
    """
    if not value.lower().startswith("tel:"):
        return value
    number, *params = _readable(unquote(value[4:])).split(";")
    ext = next((param[4:] for param in params if param.lower().startswith("ext=")), "")
    return f"{number.strip()} ext. {ext.strip()}" if ext.strip() else number.strip()


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))
