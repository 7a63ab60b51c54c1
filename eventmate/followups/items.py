"""What the inbox shows for one follow-up: the person, what we noted, the drafted message."""

from dataclasses import dataclass
from datetime import datetime

from ..models import Contact, Event, FollowUp, User
from ..urls import split_url
from . import drafts, planning, tone
from .digest import where_we_met

LINKEDIN_HOSTS = ("linkedin.com", "www.linkedin.com", "lnkd.in")


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class InboxItem:
    follow_up: FollowUp
    contact: Contact
    draft: drafts.Draft
    mailto: str | None
    email: str | None
    links: tuple[Link, ...]
    findings: tuple[tone.Finding, ...]
    first_contact: bool
    event_name: str
    met_at: datetime | None
    answers: tuple[tuple[str, str], ...]  # (question, answer)


def web_links(urls: list[str]) -> tuple[Link, ...]:
    """The contact's http(s) links, LinkedIn named as such; anything else is not a link."""
    links = []
    for url in urls:
        url = url.strip()
        parts = split_url(url)
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            continue
        host = parts.hostname or ""
        if host.endswith(LINKEDIN_HOSTS) or host in LINKEDIN_HOSTS:
            label = "LinkedIn"
        else:
            label = host.removeprefix("www.")
        links.append(Link(label, url))
    return tuple(links[:4])


def _event_ongoing(event: Event | None, now: datetime) -> bool:
    """A dated event not over yet: "see you around" still makes sense in a draft."""
    return event is not None and event.last_day is not None and not event.is_over(now)


def draft_facts(
    contact: Contact, user: User, now: datetime, reason: str = "new_contact"
) -> drafts.DraftFacts:
    place = where_we_met(contact)
    today = planning.local_day(now, user.timezone)
    return drafts.DraftFacts(
        first_name=drafts.first_name(contact.full_name),
        sender_name=drafts.first_name(user.display_name),
        event_name=place.event_name,
        met_on=planning.local_day(place.met_at or contact.created_at, user.timezone),
        today=today,
        event_ongoing=_event_ongoing(contact.event, now),
        face_to_face=contact.met_face_to_face,
        company=contact.company,
        title=contact.title,
        tags=tuple(tag.name for tag in contact.tags),
        answers=tuple((answer.prompt_key, answer.answer) for answer in contact.answers),
        notes=contact.notes,
        reason=reason,
    )


def inbox_item(follow_up: FollowUp, user: User, now: datetime) -> InboxItem:
    contact = follow_up.contact
    draft = drafts.compose_draft(draft_facts(contact, user, now, follow_up.reason))
    email = next((e for e in contact.emails if drafts.EMAIL.match(e.strip())), None)
    mailto = drafts.mailto_link(email, draft.subject, draft.body) if email else None
    first_contact = tone.never_spoken(contact)
    place = where_we_met(contact)
    return InboxItem(
        follow_up=follow_up,
        contact=contact,
        draft=draft,
        mailto=mailto,
        email=email if mailto else None,
        links=web_links(contact.urls),
        findings=tuple(tone.check_tone(draft.body, first_contact=first_contact)),
        first_contact=first_contact,
        event_name=place.event_name,
        met_at=place.met_at,
        answers=tuple(
            (answer.question, answer.answer) for answer in contact.answers if answer.answer.strip()
        ),
    )
