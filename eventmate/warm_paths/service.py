"""Who do I know at a company: the people there or who came from there, best known first,
and the people who might know someone there (a note or an answer names the company)."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..contacts.search import like_pattern
from ..extensions import db
from ..models import Contact, PromptAnswer, User
from ..relationships.evidence import assess_contact
from ..relationships.levels import LEVELS, Assessment
from .matching import Link, clean_term, company_links, mention, needles

MAX_COMPANY_CHIPS = 12


@dataclass(frozen=True)
class Path:
    """A contact who leads to the company: how (`links`) or what you noted (`said`)."""

    contact: Contact
    assessment: Assessment
    links: tuple[Link, ...] = ()
    said: str = ""

    @property
    def rank(self) -> tuple:
        return (-LEVELS.index(self.assessment.level), -self.assessment.score)


@dataclass(frozen=True)
class WarmPaths:
    company: str
    people: list[Path]  # there, or came from there
    connectors: list[Path]  # might know someone there


def links_of(contact: Contact, term: str) -> list[Link]:
    return company_links(
        company=contact.company,
        emails=list(contact.emails or ()),
        urls=list(contact.urls or ()),
        past=contact.past_company_list,
        term=term,
    )


def noted_mention(contact: Contact, term: str) -> str | None:
    """What the user noted about them that names the company: notes first, then answers."""
    for text in (contact.notes, *(answer.answer for answer in contact.answers)):
        found = mention(text, term)
        if found:
            return found
    return None


def _could_lead_to(term: str):
    """A WHERE clause keeping the contacts whose fields contain one of the term's `needles`:
    the exact rules then run on a few rows, not on the whole address book. Everything, for a
    name with letters beyond ASCII (SQLite's lower() and the JSON columns' escapes would miss
    them)."""
    found = needles(term)
    if not all(needle.isascii() for needle in found):
        return sa.true()
    patterns = [like_pattern(needle) for needle in found]
    texts = (
        Contact.company,
        Contact.past_companies,
        Contact.notes,
        sa.cast(Contact.emails, sa.Text),
        sa.cast(Contact.urls, sa.Text),
    )
    answered = sa.select(PromptAnswer.contact_id).where(
        sa.or_(*(sa.func.lower(PromptAnswer.answer).like(p, escape="\\") for p in patterns))
    )
    return sa.or_(
        *(sa.func.lower(text).like(p, escape="\\") for text in texts for p in patterns),
        Contact.id.in_(answered),
    )


def _candidates(owner: User, term: str) -> list[Contact]:
    return list(
        db.session.scalars(
            sa.select(Contact)
            .where(
                Contact.owner_id == owner.id,
                Contact.source != "to_identify",
                _could_lead_to(term),
            )
            .options(
                selectinload(Contact.ties),
                selectinload(Contact.answers),
                selectinload(Contact.meetings),
                selectinload(Contact.linked_user),
            )
        )
    )


def _ranked(paths: list[Path]) -> list[Path]:
    return sorted(paths, key=lambda path: (*path.rank, path.contact.display_name.casefold()))


def who_i_know_at(owner: User, company: str, *, now: datetime) -> WarmPaths:
    term = clean_term(company)
    people, connectors = [], []
    if needles(term):
        for contact in _candidates(owner, term):
            links = links_of(contact, term)
            said = None if links else noted_mention(contact, term)
            if links or said:
                path = Path(contact, assess_contact(contact, now=now), tuple(links), said or "")
                (people if links else connectors).append(path)
    return WarmPaths(term, _ranked(people), _ranked(connectors))


def known_companies(owner: User, *, limit: int = MAX_COMPANY_CHIPS) -> list[str]:
    """The companies the user's contacts work at or came from, most people first: one tap
    asks "who do I know there?"."""
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    rows = db.session.execute(
        sa.select(Contact.company, Contact.past_companies).where(Contact.owner_id == owner.id)
    )
    for company, past in rows:
        for name in (company, *past.splitlines()):
            name = clean_term(name)
            if name:
                key = name.casefold()
                counts[key] += 1
                spelled.setdefault(key, name)
    ranked = sorted(counts, key=lambda key: (-counts[key], key))
    return [spelled[key] for key in ranked[:limit]]
