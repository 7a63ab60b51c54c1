"""Finding my contacts by name, company (now or before), email, website, tag or note text,
filtered by event and tag; and why each one matched, for the list to say."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload, undefer

from ..extensions import db
from ..models import Contact, ContactTag, PromptAnswer, Tag, User

MAX_QUERY_LENGTH = 100


def is_archived():
    return Contact.archived_at.is_not(None)


def like_pattern(text: str) -> str:
    """`%text%` for LIKE … ESCAPE '\\', with the text's own wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_contacts(
    owner: User,
    query: str = "",
    *,
    event_id: int | None = None,
    tag_id: int | None = None,
    changed_since: datetime | None = None,
    photos: bool = False,
    archived: bool | None = False,
) -> list[Contact]:
    """`photos`: load the photos' bytes too, in the same query (an export). `archived`: False
    leaves archived contacts out (every list and search unless asked), True lists only them,
    None all (an export)."""
    statement = (
        sa.select(Contact)
        .where(Contact.owner_id == owner.id)
        .options(
            selectinload(Contact.tags),
            selectinload(Contact.ties),
            selectinload(Contact.event),
            selectinload(Contact.answers),
            selectinload(Contact.meetings),
        )
        .order_by(Contact.created_at.desc(), Contact.id.desc())
    )
    if archived is not None:
        statement = statement.where(is_archived() if archived else ~is_archived())
    if changed_since is not None:
        statement = statement.where(Contact.updated_at > changed_since)
    if photos:
        statement = statement.options(undefer(Contact.photo))
    if event_id is not None:
        statement = statement.where(Contact.event_id == event_id)
    if tag_id is not None:
        statement = statement.where(
            Contact.id.in_(sa.select(ContactTag.contact_id).where(ContactTag.tag_id == tag_id))
        )
    words = query.strip()[:MAX_QUERY_LENGTH].split()
    for word in words:
        pattern = like_pattern(word.casefold())
        tagged = (
            sa.select(ContactTag.contact_id)
            .join(Tag)
            .where(Tag.owner_id == owner.id, Tag.key.like(pattern, escape="\\"))
        )
        answered = sa.select(PromptAnswer.contact_id).where(
            sa.func.lower(PromptAnswer.answer).like(pattern, escape="\\")
        )
        statement = statement.where(
            sa.or_(
                *(
                    sa.func.lower(column).like(pattern, escape="\\")
                    for column in (
                        Contact.full_name,
                        Contact.company,
                        Contact.title,
                        Contact.notes,
                        Contact.past_companies,
                        # The lists' JSON text: "globex" finds ana@globex.example.
                        sa.cast(Contact.emails, sa.Text),
                        sa.cast(Contact.urls, sa.Text),
                    )
                ),
                Contact.id.in_(tagged),
                Contact.id.in_(answered),
            )
        )
    return list(db.session.scalars(statement))


@dataclass(frozen=True)
class Match:
    """Why a contact is in the results, when it isn't their name (templates word `field`)."""

    field: str  # company, title, email, website, past, tag, notes, answer
    detail: str


def why_matched(contact: Contact, query: str) -> list[Match]:
    """What the query's words found besides the name: "Email ana@globex.example"."""
    words = [word.casefold() for word in query.strip()[:MAX_QUERY_LENGTH].split()]
    if not words:
        return []
    fields = [
        ("company", [contact.company]),
        ("title", [contact.title]),
        ("email", list(contact.emails or ())),
        ("website", list(contact.urls or ())),
        ("past", contact.past_company_list),
        ("tag", [tag.name for tag in contact.tags]),
        ("answer", [answer.answer for answer in contact.answers]),
        ("notes", [contact.notes]),
    ]
    found: dict[tuple[str, str], Match] = {}
    for word in words:
        if word in contact.full_name.casefold():
            continue
        for name, values in fields:
            value = next((v for v in values if word in v.casefold()), None)
            if value is not None:
                detail = "" if name in ("answer", "notes") else value
                found.setdefault((name, detail), Match(name, detail))
                break
    return list(found.values())
