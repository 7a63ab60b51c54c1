"""Checking a paper card's fields: what the photo said, the user's corrections, then confirmed.

A card photo makes a contact "card to check" (`scanning/card_photos.py`) that keeps the fields
read, each with the OCR's confidence (`Contact.card_fields`). The check screen shows the fields
as they are on the contact now, marks those read with little confidence, and confirming saves
the user's values and makes the contact an ordinary one ("paper_card"). The card's address has
no column of its own: it is a line of the notes, written and found by `address_note`.
"""

import re
from dataclasses import dataclass, field

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from ..models import Contact, User
from ..paper_cards.fields import phone_number
from ..paper_cards.regions import phone_region
from .contract import MAX_LIST_ITEM, MAX_LIST_ITEMS, TEXT_LIMITS

# Below this the screen asks the user to look at the field (a name not spelled by the email,
# a company guessed from the largest letters: see paper_cards/fields.py).
UNSURE_BELOW = 0.7
ADDRESS_PREFIX = "Address on the card: "
MAX_ADDRESS = 300
_WEBSITE = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}(:\d+)?(/\S*)?$")


def address_note(address: str) -> str:
    return f"{ADDRESS_PREFIX}{address}"


def _notes_address(notes: str) -> str:
    line = next((ln for ln in notes.splitlines() if ln.startswith(ADDRESS_PREFIX)), "")
    return line.removeprefix(ADDRESS_PREFIX)


def _with_address(notes: str, address: str) -> str:
    """The notes with the card's address line replaced (or added, or removed when empty)."""
    lines = [line for line in notes.splitlines() if not line.startswith(ADDRESS_PREFIX)]
    return "\n".join(filter(None, [address_note(address) if address else "", *lines]))


@dataclass
class CheckedCard:
    full_name: str = ""
    title: str = ""
    company: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    website: str = ""
    address: str = ""


@dataclass(frozen=True)
class ShownField:
    """One input of the check screen: its value and whether the user should look at it."""

    value: str
    unsure: bool = False
    missing: bool = False  # nothing was read for it
    kind: str = ""  # a phone's: "mobile", "fax" or ""


def card_region(contact: Contact, owner: User) -> str | None:
    """How phones typed without a country code are read: as the card photo's were."""
    event = contact.event
    return phone_region(event.timezone if event else None, owner.timezone)


def readable_phone(number: str) -> str:
    """ "+447911123456" as "+44 7911 123456"; a local number as printed."""
    if not number.startswith("+"):
        return number
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def fields_to_check(contact: Contact) -> dict:
    """The check screen's fields from the contact, each marked unsure by what the photo said:
    single fields as a ShownField, emails and phones as lists of them."""
    read = contact.card_fields or {}

    def entry(key: str, value: str) -> dict:
        found = read.get(key)
        entries = found if isinstance(found, list) else [found]
        return next((e for e in entries if e and e.get("value") == value), {})

    def shown(key: str, value: str, printed: str | None = None) -> ShownField:
        said = entry(key, value)
        unsure = said.get("confidence", 1) < UNSURE_BELOW
        return ShownField(printed or value, unsure, not value, said.get("kind", ""))

    website = contact.urls[0] if contact.urls else ""
    return {
        "full_name": shown("name", contact.full_name),
        "title": shown("title", contact.title),
        "company": shown("company", contact.company),
        "emails": [shown("emails", email) for email in contact.emails],
        "phones": [shown("phones", phone, readable_phone(phone)) for phone in contact.phones],
        "website": shown("website", website),
        "address": shown("address", _notes_address(contact.notes)),
    }


def form_values(form) -> dict:
    """The check form (a MultiDict) as plain values: one input per email and per phone."""
    return {
        **{name: form.get(name, "") for name in (*TEXT_LIMITS, "website", "address")},
        "emails": form.getlist("emails"),
        "phones": form.getlist("phones"),
    }


def _limited(values: list[str], name: str, errors: dict) -> list[str]:
    cleaned = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    if len(cleaned) > MAX_LIST_ITEMS or any(len(value) > MAX_LIST_ITEM for value in cleaned):
        errors[name] = f"At most {MAX_LIST_ITEMS} entries of {MAX_LIST_ITEM} characters each."
        return []
    return cleaned


def _emails(values: list[str], errors: dict) -> list[str]:
    emails = []
    for value in _limited(values, "emails", errors):
        try:
            emails.append(validate_email(value, check_deliverability=False).normalized)
        except EmailNotValidError:
            errors["emails"] = f"“{value}” isn't an email address: check it against the card."
    return emails


def _phones(values: list[str], region: str | None, errors: dict) -> list[str]:
    phones = []
    for value in _limited(values, "phones", errors):
        number = phone_number(value, region)
        if not number:
            errors["phones"] = f"“{value}” isn't a phone number: check it against the card."
        phones.append(number)
    return phones


def parse_check(values: dict, region: str | None) -> tuple[CheckedCard, dict[str, str]]:
    """Validate the check form; errors map a field to a sentence saying what to fix."""
    errors: dict[str, str] = {}
    card = CheckedCard()
    for name, limit in TEXT_LIMITS.items():
        value = " ".join(str(values.get(name, "")).split())
        if len(value) > limit:
            errors[name] = f"Keep this under {limit} characters."
        setattr(card, name, value)
    if not (card.full_name or card.company or "full_name" in errors):
        errors["full_name"] = "Type the name on the card (or at least the company's)."
    card.emails = _emails(values.get("emails", []), errors)
    card.phones = _phones(values.get("phones", []), region, errors)
    card.website = str(values.get("website", "")).strip()
    if len(card.website) > MAX_LIST_ITEM or (card.website and not _WEBSITE.match(card.website)):
        errors["website"] = "That isn't a web address: write it as on the card (www.example.com)."
    card.address = " ".join(str(values.get("address", "")).split())
    if len(card.address) > MAX_ADDRESS:
        errors["address"] = f"Keep the address under {MAX_ADDRESS} characters."
    return card, errors


def confirm_card(contact: Contact, card: CheckedCard) -> None:
    """Save the checked fields; the contact is no longer a card to check (the caller commits).
    Websites after the first (none from a card photo, maybe some typed since) are kept."""
    contact.full_name = card.full_name
    contact.title = card.title
    contact.company = card.company
    contact.emails = card.emails
    contact.phones = card.phones
    others = [url for url in contact.urls[1:] if url != card.website]
    contact.urls = ([card.website] if card.website else []) + others
    contact.notes = _with_address(contact.notes, card.address)
    contact.source = "paper_card"
    contact.card_fields = None
