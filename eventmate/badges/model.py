"""Data types shared by every reader and writer in this package."""

from collections.abc import Iterable
from dataclasses import dataclass, field


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

    Values are trimmed, blanks and duplicates dropped (first one wins), several notes
    joined by a line break, and the full name falls back to the company so that every
    card has something to show in a list.
    """
    company = company.strip()
    return CardData(
        full_name=full_name.strip() or company,
        title=title.strip(),
        company=company,
        emails=_unique(emails),
        phones=_unique(phones),
        urls=_unique(urls),
        note="\n".join(_unique(notes)),
    )


def has_contact(card: CardData) -> bool:
    """True when the card names someone or gives a way to reach them."""
    return bool(card.full_name or card.emails or card.phones)


def _unique(values: Iterable[str]) -> list[str]:
    stripped = (value.strip() for value in values)
    return list(dict.fromkeys(value for value in stripped if value))
