"""Rows a test needs, made directly (in the style of CTFd's gen_* helpers): HTTP stays for the
behaviour under test. Call inside an app context; the caller commits."""

import secrets

from eventmate.extensions import db
from eventmate.models import Contact, User


def make_user(name: str, *, timezone: str = "Europe/Lisbon") -> User:
    user = User(
        email=f"{secrets.token_hex(6)}@example.org",
        password_hash="not-a-real-hash",
        display_name=name,
        timezone=timezone,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_contact(owner: User, name: str, **fields) -> Contact:
    """A contact the owner typed in (no meeting, no follow-up yet)."""
    contact = Contact(owner_id=owner.id, source="manual", full_name=name, **fields)
    db.session.add(contact)
    db.session.flush()
    return contact
