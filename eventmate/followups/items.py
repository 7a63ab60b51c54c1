"""What the inbox shows for one follow-up: the person, what we noted, the drafted message."""

from dataclasses import dataclass
from datetime import datetime

from ..models import Contact, Event, FollowUp, User
from . import drafts, planning, tone
from .channels import Channel, channels_for
from .digest import where_we_met

MAX_SAID = 140


@dataclass(frozen=True)
class InboxItem:
    follow_up: FollowUp
    contact: Contact
    draft: drafts.Draft
    channels: tuple[Channel, ...]
    said: str  # one line of what they said, to bring them back to mind
    findings: tuple[tone.Finding, ...]
    first_contact: bool
    event_name: str
    met_at: datetime | None
    answers: tuple[tuple[str, str], ...]  # (question, answer)


def first_said(contact: Contact) -> str:
    """Their first noted answer, else the first line of the notes, on one line."""
    said = next((a.answer for a in contact.answers if a.answer.strip()), "")
    said = said or next((line for line in contact.notes.splitlines() if line.strip()), "")
    said = " ".join(said.split())
    return said if len(said) <= MAX_SAID else said[: MAX_SAID - 1].rstrip() + "…"


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
        learn_from=contact.learn_from if contact.is_role_model else "",
    )


def inbox_item(follow_up: FollowUp, user: User, now: datetime) -> InboxItem:
    contact = follow_up.contact
    draft = drafts.compose_draft(draft_facts(contact, user, now, follow_up.reason))
    first_contact = tone.never_spoken(contact)
    place = where_we_met(contact)
    return InboxItem(
        follow_up=follow_up,
        contact=contact,
        draft=draft,
        channels=channels_for(
            emails=contact.emails,
            phones=contact.phones,
            urls=contact.urls,
            subject=draft.subject,
            body=draft.body,
        ),
        said=first_said(contact),
        findings=tuple(tone.check_tone(draft.body, first_contact=first_contact)),
        first_contact=first_contact,
        event_name=place.event_name,
        met_at=place.met_at,
        answers=tuple(
            (answer.question, answer.answer) for answer in contact.answers if answer.answer.strip()
        ),
    )
