"""Gathering the evidence for one contact from the database, for the level rule."""

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Contact, FollowUp, Introduction, IntroductionSide, Meeting
from .levels import Assessment, Evidence, assess

# Meeting kinds that were not a meeting in person: online touches, and the rows the follow-up
# inbox adds when one is marked done (counted as follow-ups done instead). Every other kind
# (exchange, scan, a logged meeting) happened face to face.
NOT_IN_PERSON = frozenset({"call", "message", "shared_back", "follow_up"})


def known_since(contact: Contact) -> datetime:
    """When the user first met them: the earliest meeting, else when the contact was made."""
    moments = [meeting.met_at for meeting in contact.meetings]
    return min([contact.created_at, *moments])


def last_touch(contact: Contact) -> datetime:
    """The last time the user was in touch: a meeting, a call, a message or a follow-up done."""
    return last_touches([contact])[contact.id]


def last_touches(contacts: list[Contact]) -> dict[int, datetime]:
    """`last_touch` of each contact (by id), in two queries however many they are."""
    ids = [contact.id for contact in contacts]
    if not ids:
        return {}
    met = dict(
        db.session.execute(
            sa.select(Meeting.contact_id, sa.func.max(Meeting.met_at))
            .where(Meeting.contact_id.in_(ids))
            .group_by(Meeting.contact_id)
        ).all()
    )
    done = dict(
        db.session.execute(
            sa.select(FollowUp.contact_id, sa.func.max(FollowUp.done_at))
            .where(FollowUp.contact_id.in_(ids), FollowUp.state == "done")
            .group_by(FollowUp.contact_id)
        ).all()
    )
    return {
        contact.id: max(
            moment
            for moment in (contact.created_at, met.get(contact.id), done.get(contact.id))
            if moment is not None
        )
        for contact in contacts
    }


def _introductions_between(contact: Contact) -> int:
    """Completed introductions that involved both of us: I introduced them, they introduced
    me, or someone introduced us to each other."""
    completed = Introduction.state == "completed"
    mine = sa.select(sa.func.count()).select_from(IntroductionSide).join(Introduction)
    count = db.session.scalar(
        mine.where(
            completed,
            sa.or_(
                sa.and_(
                    Introduction.introducer_id == contact.owner_id,
                    IntroductionSide.contact_id == contact.id,
                ),
                IntroductionSide.received_contact_id == contact.id,
            ),
        )
    )
    if contact.linked_user_id is not None:
        count += db.session.scalar(
            mine.where(
                completed,
                Introduction.introducer_id == contact.linked_user_id,
                IntroductionSide.user_id == contact.owner_id,
            )
        )
    return count


def evidence_for(contact: Contact, *, now: datetime) -> Evidence:
    in_person = sum(1 for m in contact.meetings if m.kind not in NOT_IN_PERSON)
    if not in_person and contact.met_face_to_face:
        in_person = 1  # the user ticked "met face to face" without a recorded meeting
    follow_ups_done = db.session.scalar(
        sa.select(sa.func.count()).where(
            FollowUp.contact_id == contact.id, FollowUp.state == "done"
        )
    )
    conversations = int(bool(contact.notes.strip())) + sum(
        1 for answer in contact.answers if answer.answer.strip()
    )
    return Evidence(
        met_in_person=in_person,
        calls=sum(1 for m in contact.meetings if m.kind == "call"),
        messages=sum(1 for m in contact.meetings if m.kind in ("message", "shared_back")),
        follow_ups_done=follow_ups_done,
        conversations=conversations,
        introductions=_introductions_between(contact),
        known_days=max(0, (now - known_since(contact)).days),
        is_ally=contact.is_ally,
        ties=contact.tie_kinds,
    )


def assess_contact(contact: Contact, *, now: datetime) -> Assessment:
    return assess(evidence_for(contact, now=now))
