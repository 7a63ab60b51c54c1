"""Rows a test needs, made directly (in the style of CTFd's gen_* helpers): HTTP stays for the
behaviour under test. Call inside an app context; the caller commits."""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import (
    Contact,
    ContactTag,
    Event,
    EventMembership,
    FollowUp,
    Meeting,
    PromptAnswer,
    Tag,
    User,
)


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


def add_network(owner: User, count: int, *, now: datetime, first: int = 0) -> list[int]:
    """`count` more contacts for the owner, written in bulk, with what every page shows of
    them: two tags, an answer, two meetings, an open follow-up (overdue, due today and
    upcoming in turn), an event per ten and two trusted allies. Every third pair shares its
    creation time, so that lists must order ties by id. Their ids, oldest first."""
    event_ids = []
    for number in range(first // 10, (first + count + 9) // 10):
        event = Event(created_by_id=owner.id, name=f"Summit {number}", starts_on=now.date())
        db.session.add(event)
        db.session.flush()
        db.session.add(EventMembership(event_id=event.id, user_id=owner.id, goal=5))
        event_ids.append(event.id)
    tags = []
    for name in ("ai", "fintech"):
        tag = db.session.scalar(sa.select(Tag).where(Tag.owner_id == owner.id, Tag.key == name))
        tag = tag or Tag(owner_id=owner.id, name=name, key=name)
        db.session.add(tag)
        tags.append(tag)
    db.session.flush()
    rows = []
    for number in range(first, first + count):
        created = now - timedelta(hours=(first + count - number) // 2 * 2)
        rows.append(
            {
                "owner_id": owner.id,
                "source": "scan",
                "full_name": f"Person {number:03d} Lima",
                "company": "Acme" if number % 2 else "Globex",
                "title": "CTO",
                "emails": [f"p{number}@example.org"],
                "phones": [],
                "urls": [],
                "notes": "Met at the coffee break",
                "met_face_to_face": True,
                "is_ally": number < 2,
                "ally_since": created if number < 2 else None,
                "event_id": event_ids[(number - first) // 10],
                "created_at": created,
                "updated_at": created,
            }
        )
    db.session.execute(sa.insert(Contact), rows)
    ids = list(
        db.session.scalars(
            sa.select(Contact.id)
            .where(
                Contact.owner_id == owner.id, Contact.full_name.in_([r["full_name"] for r in rows])
            )
            .order_by(Contact.created_at, Contact.id)
        )
    )
    due = (-timedelta(days=3), timedelta(0), timedelta(days=3))
    for table, values in (
        (ContactTag, [{"contact_id": i, "tag_id": t.id} for i in ids for t in tags]),
        (
            PromptAnswer,
            [
                {"contact_id": i, "prompt_key": "enjoy", "question": "Enjoys?", "answer": "Maps"}
                for i in ids
            ],
        ),
        (
            Meeting,
            [
                {
                    "contact_id": i,
                    "kind": "scan",
                    "met_at": now - timedelta(days=d),
                    "event_name": "",
                }
                for i in ids
                for d in (1, 30)
            ],
        ),
        (
            FollowUp,
            [
                {"owner_id": owner.id, "contact_id": i, "due_at": now + due[n % 3], "state": "open"}
                for n, i in enumerate(ids)
            ],
        ),
    ):
        db.session.execute(sa.insert(table), values)
    return ids
