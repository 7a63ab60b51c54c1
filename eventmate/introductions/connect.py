"""What happens when both sides said yes: each gets the other's card, and a follow-up.

An EventMate user receives the other side as a contact: linked like a card exchange (filled
from the other user's public card) when the other side is on EventMate too, else built from
what the introducer had noted — name, role, company, emails, phones, links; never the
introducer's notes. The contact is tagged "via <introducer>", the introducer's "why" goes
into its notes, and a follow-up is planned for the next morning. Someone not on EventMate
sees the other's card on their consent page instead (see `card_of`).
"""

from datetime import datetime

from ..badges import CardData
from ..cards.service import public_card
from ..contacts.capture import MAX_NOTES, tags_named
from ..contacts.service import card_contact, linked_contact
from ..extensions import db
from ..followups.planning import local_day
from ..followups.service import plan_for_new_contact
from ..models import Contact, Introduction, IntroductionSide, User

FOLLOW_UP_REASON = "introduction"


def card_of(side: IntroductionSide) -> CardData | None:
    """The card a side gets of the person they were introduced to (None: nothing left)."""
    if side.is_member:
        return public_card(side.user) if side.user is not None else None
    contact = side.contact
    if contact is None:
        return None
    return CardData(
        full_name=contact.full_name,
        title=contact.title,
        company=contact.company,
        emails=list(contact.emails),
        phones=list(contact.phones),
        urls=list(contact.urls),
    )


def _contact_from_introducer(owner: User, other: IntroductionSide) -> Contact:
    card = card_of(other) or CardData(full_name=other.name)
    # Same email, same person; without one, the person of this introduction.
    key = None if card.emails else f"introduction:{other.introduction_id}:{other.position}"
    contact, _ = card_contact(owner, card, raw="", source="introduction", key=key)
    return contact


def _note_introducer(owner: User, contact: Contact, intro: Introduction, why: str, now) -> None:
    introducer = intro.introducer.display_name
    tag_name = f"via {introducer}"[:40].strip()
    for tag in tags_named(owner, [tag_name]):
        if tag not in contact.tags:
            contact.tags.append(tag)
    day = local_day(now, owner.timezone).strftime("%-d %b %Y")
    line = f"Introduced by {introducer} on {day}: {why}"
    notes = "\n".join(filter(None, [contact.notes.rstrip(), line]))
    if len(notes) <= MAX_NOTES:
        contact.notes = notes


def connect(intro: Introduction, *, now: datetime) -> None:
    """Give each EventMate side the other's card and a follow-up (the caller commits)."""
    members = [side for side in intro.sides if side.is_member and side.user is not None]
    # Lowest user id first, as card exchanges do: no deadlock with a concurrent exchange.
    for side in sorted(members, key=lambda side: side.user_id):
        owner, other = side.user, intro.other(side)
        if other.is_member and other.user is not None:
            contact, _ = linked_contact(owner, other.user)
        else:
            contact = _contact_from_introducer(owner, other)
        _note_introducer(owner, contact, intro, side.why, now)
        db.session.flush()
        side.received_contact_id = contact.id
        # A follow-up the next morning, planned as the inbox plans one for someone just met;
        # someone the user already had a follow-up planned with keeps that one.
        plan_for_new_contact(contact, met_at=now, event=None, reason=FOLLOW_UP_REASON)
