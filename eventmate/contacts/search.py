"""Finding my contacts by name, company (now or before), email, website, tag or note text,
filtered by event and tag; and why each one matched, for the list to say."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload, undefer

from ..extensions import db
from ..models import Contact, ContactTag, PromptAnswer, Tag, User
from ..pagination import Page, keyset_page

MAX_QUERY_LENGTH = 100
PAGE_SIZE = 50
NEWEST_FIRST = (Contact.created_at.desc(), Contact.id.desc())
# What the API's contact_json shows of a contact besides its own columns.
FULL = (Contact.tags, Contact.ties, Contact.event, Contact.answers, Contact.meetings)


def is_archived():
    return Contact.archived_at.is_not(None)


def like_pattern(text: str) -> str:
    """`%text%` for LIKE … ESCAPE '\\', with the text's own wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching(
    owner: User,
    query: str = "",
    *,
    event_id: int | None = None,
    tag_id: int | None = None,
    archived: bool | None = False,
) -> sa.Select:
    """The owner's contacts that match, newest first, with nothing loaded beside them;
    `archived` as in `search_contacts`.

    Tags and answers are looked up per candidate row (EXISTS), so that a page of matches
    stops reading once it is full instead of scanning every answer first."""
    statement = sa.select(Contact).where(Contact.owner_id == owner.id).order_by(*NEWEST_FIRST)
    if archived is not None:
        statement = statement.where(is_archived() if archived else ~is_archived())
    if event_id is not None:
        statement = statement.where(Contact.event_id == event_id)
    if tag_id is not None:
        statement = statement.where(
            sa.exists().where(ContactTag.contact_id == Contact.id, ContactTag.tag_id == tag_id)
        )
    for word in query.strip()[:MAX_QUERY_LENGTH].split():
        pattern = like_pattern(word.casefold())
        tagged = (
            sa.exists()
            .where(ContactTag.contact_id == Contact.id, ContactTag.tag_id == Tag.id)
            .where(Tag.owner_id == owner.id, Tag.key.like(pattern, escape="\\"))
        )
        answered = sa.exists().where(
            PromptAnswer.contact_id == Contact.id,
            sa.func.lower(PromptAnswer.answer).like(pattern, escape="\\"),
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
                tagged,
                answered,
            )
        )
    return statement


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
    """Every match with what the API shows of it; `photos`: the photos' bytes too. `archived`:
    False leaves archived contacts out (every list and search unless asked), True lists only
    them, None all (an export)."""
    statement = matching(owner, query, event_id=event_id, tag_id=tag_id, archived=archived)
    statement = _in_full(statement, photos)
    if changed_since is not None:
        statement = statement.where(Contact.updated_at > changed_since)
    return list(db.session.scalars(statement))


def _in_full(statement: sa.Select, photos: bool, related=FULL) -> sa.Select:
    statement = statement.options(*(selectinload(relation) for relation in related))
    return statement.options(undefer(Contact.photo)) if photos else statement


def each_contact(
    owner: User, *, photos: bool = False, related=FULL, batch: int = 200
) -> Iterator[Contact]:
    """Every contact, newest first, with the `related` collections loaded (only those an
    export writes), read `batch` at a time (a server-side cursor on PostgreSQL): memory stays
    that of one batch."""
    statement = matching(owner, archived=None)  # exports keep archived contacts
    statement = _in_full(statement, photos, related).execution_options(yield_per=batch)
    yield from db.session.scalars(statement)


def after_contact(owner: User, contact_id: int):
    """Newer-first rows past this contact; none at all when it is not the owner's."""
    anchor = (
        sa.select(Contact.created_at)
        .where(Contact.id == contact_id, Contact.owner_id == owner.id)
        .scalar_subquery()
    )
    return sa.or_(
        Contact.created_at < anchor,
        sa.and_(Contact.created_at == anchor, Contact.id < contact_id),
    )


def people_page(
    owner: User,
    query: str = "",
    *,
    event_id: int | None = None,
    tag_id: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
    archived: bool = False,
) -> Page[Contact]:
    """A page of the People list, with what each row shows (event, tags, answers) loaded."""
    statement = matching(owner, query, event_id=event_id, tag_id=tag_id, archived=archived)
    statement = statement.options(
        selectinload(Contact.tags), selectinload(Contact.event), selectinload(Contact.answers)
    )
    if after is not None:
        statement = statement.where(after_contact(owner, after))
    return keyset_page(statement, size)


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
