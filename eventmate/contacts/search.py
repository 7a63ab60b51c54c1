"""Finding my contacts by name, company, tag or note text, filtered by event and tag."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload, undefer

from ..extensions import db
from ..models import Contact, ContactTag, PromptAnswer, Tag, User

MAX_QUERY_LENGTH = 100


def is_archived():
    return Contact.archived_at.is_not(None)


def _like(text: str) -> str:
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
        pattern = _like(word.casefold())
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
                    for column in (Contact.full_name, Contact.company, Contact.title, Contact.notes)
                ),
                Contact.id.in_(tagged),
                Contact.id.in_(answered),
            )
        )
    return list(db.session.scalars(statement))
