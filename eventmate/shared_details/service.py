"""Receiving details a visitor shared back, and finding the contact they look like.

Plain functions; the callers commit. Receiving changes no contact: the owner reviews each
one first (review.py).
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..events.service import running_event
from ..extensions import db
from ..ids import is_database_id
from ..models import Contact, ReviewState, SharedDetails, User

# Chosen one by one; the note is kept or left out.
MERGE_FIELDS = ("name", "email", "phone", "company", "url")


def one_line(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def receive(
    owner: User,
    *,
    name: str,
    email: str,
    phone: str,
    note: str,
    now: datetime,
    company: str = "",
    url: str = "",
) -> SharedDetails:
    """Keep what a visitor shared for the owner to review, with the event running now. `url`
    is an http(s) link the form checked.

    The same details sent again while the first are still waiting (a double tap, a reload)
    are kept once."""
    fields = {
        "full_name": one_line(name, 120),
        "email": email.strip()[:254],
        "phone": one_line(phone, 40),
        "company": one_line(company, 120),
        "url": url.strip()[:300],
        "note": note.strip()[:500],
    }
    waiting = db.session.scalar(
        sa.select(SharedDetails)
        .where(
            SharedDetails.owner_id == owner.id,
            SharedDetails.state == ReviewState.PENDING,
            *(getattr(SharedDetails, name) == value for name, value in fields.items()),
        )
        .limit(1)
    )
    if waiting is not None:
        return waiting
    event = running_event(owner, now)
    shared = SharedDetails(
        owner_id=owner.id, shared_at=now, event_id=event.id if event else None, **fields
    )
    db.session.add(shared)
    return shared


def waiting_for(owner: User) -> list[SharedDetails]:
    """Details still waiting for the owner's review, the newest first."""
    return list(
        db.session.scalars(
            sa.select(SharedDetails)
            .where(SharedDetails.owner_id == owner.id, SharedDetails.state == ReviewState.PENDING)
            .order_by(SharedDetails.shared_at.desc(), SharedDetails.id.desc())
        )
    )


def shared_of(owner: User, shared_id: int) -> SharedDetails | None:
    """The row when this user owns it; None otherwise (the view answers 404)."""
    if not is_database_id(shared_id):
        return None
    shared = db.session.get(SharedDetails, shared_id)
    return shared if shared is not None and shared.owner_id == owner.id else None


def shared_json(owner: User) -> list[dict]:
    """Every share-back the owner received, for the data export."""
    rows = db.session.scalars(
        sa.select(SharedDetails)
        .where(SharedDetails.owner_id == owner.id)
        .order_by(SharedDetails.shared_at, SharedDetails.id)
    )
    return [
        {
            "state": shared.state,
            "name": shared.full_name,
            "email": shared.email,
            "phone": shared.phone,
            "company": shared.company,
            "url": shared.url,
            "note": shared.note,
            "shared_at": shared.shared_at.isoformat(),
            "event": shared.event.name if shared.event else None,
            "reviewed_at": shared.reviewed_at.isoformat() if shared.reviewed_at else None,
            "contact_id": shared.contact_id,
        }
        for shared in rows
    ]


# What it looks like --------------------------------------------------------------------------


def folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def phone_digits(phone: str) -> str:
    """The last nine digits: "+351 912 345 678" and "912345678" are the same phone."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-9:] if len(digits) >= 7 else ""


def same_email(emails: list[str], email: str) -> bool:
    return bool(email) and folded(email) in {folded(each) for each in emails}


def same_url(urls: list[str], url: str) -> bool:
    """The same link, whatever the letters' case or a trailing slash."""
    key = folded(url).rstrip("/")
    return bool(key) and key in {folded(each).rstrip("/") for each in urls}


def same_phone(phones: list[str], phone: str) -> bool:
    digits = phone_digits(phone)
    return bool(digits) and digits in {phone_digits(each) for each in phones}


@dataclass(frozen=True)
class Match:
    contact: Contact
    reason: str  # "the same email", "the same phone", "the same name"


def looks_like(shared: SharedDetails) -> Match | None:
    """The owner's contact these details look like: the same email first, then the same
    phone, then the same name (the oldest contact when several do)."""
    rows = db.session.execute(
        sa.select(Contact.id, Contact.emails, Contact.phones, Contact.full_name)
        .where(Contact.owner_id == shared.owner_id)
        .order_by(Contact.id)
    ).all()
    tests = (
        ("the same email", lambda row: same_email(row.emails, shared.email)),
        ("the same phone", lambda row: same_phone(row.phones, shared.phone)),
        ("the same name", lambda row: folded(row.full_name) == folded(shared.full_name) != ""),
    )
    for reason, test in tests:
        found = next((row for row in rows if test(row)), None)
        if found is not None:
            return Match(db.session.get(Contact, found.id), reason)
    return None


@dataclass(frozen=True)
class FieldChoice:
    """One field where their details differ from the contact's: keep mine or take theirs."""

    key: str  # one of MERGE_FIELDS
    label: str
    mine: str
    theirs: str

    @property
    def default(self) -> str:
        return "mine" if self.mine else "theirs"


def merge_choices(contact: Contact, shared: SharedDetails) -> list[FieldChoice]:
    """The fields the owner chooses between; a field theirs adds nothing to is left out."""
    choices = []
    if shared.full_name and folded(shared.full_name) != folded(contact.full_name):
        choices.append(FieldChoice("name", "Name", contact.full_name, shared.full_name))
    if shared.email and not same_email(contact.emails, shared.email):
        choices.append(FieldChoice("email", "Email", next(iter(contact.emails), ""), shared.email))
    if shared.phone and not same_phone(contact.phones, shared.phone):
        choices.append(FieldChoice("phone", "Phone", next(iter(contact.phones), ""), shared.phone))
    if shared.company and folded(shared.company) != folded(contact.company):
        choices.append(FieldChoice("company", "Company", contact.company, shared.company))
    if shared.url and not same_url(contact.urls, shared.url):
        choices.append(FieldChoice("url", "Link", next(iter(contact.urls), ""), shared.url))
    return choices


def _first(value: str, values: list[str]) -> list[str]:
    """`value` as the main one, the others kept after it."""
    return [value, *(each for each in values if folded(each) != folded(value))][:10]


def take_theirs(contact: Contact, shared: SharedDetails, keys: set[str]) -> None:
    """Their value for each chosen field: a name or company replaces mine, an email, phone or
    link becomes the main one and mine stay after it."""
    for choice in merge_choices(contact, shared):
        if choice.key not in keys:
            continue
        if choice.key == "name":
            contact.full_name = shared.full_name
        elif choice.key == "company":
            contact.company = shared.company
        elif choice.key == "email":
            contact.emails = _first(shared.email, list(contact.emails))
        elif choice.key == "phone":
            contact.phones = _first(shared.phone, list(contact.phones))
        else:
            contact.urls = _first(shared.url, list(contact.urls))


def add_note(contact: Contact, note: str) -> None:
    if note.strip():
        contact.notes = "\n\n".join(filter(None, [contact.notes, note.strip()]))[:5000]
