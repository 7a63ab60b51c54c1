"""Role models: people whose way of working the user wants to learn, over a lunch.

Marking someone a role model notes what the user wants to learn from them. "Invite to lunch"
turns their open follow-up (or a new one) into a lunch invitation in the inbox: a drafted
message that asks about them and proposes a day, never a favour. Once the invitation is sent
(the follow-up marked done) and nothing has happened within LUNCH_NUDGE_DAYS (no meeting in
person since), one reminder follow-up comes (`plan_lunch_reminders`, called by the inbox and
the dispatcher like the allies' keep-in-touch). Logging the lunch records a meeting in person,
closes what is still open about it, and keeps what the user learned as an answer that later
drafts recall ("learned").
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..database import begin_write
from ..extensions import db
from ..followups.service import open_follow_up
from ..models import Contact, FollowUp, PromptAnswer, User
from .allies import ally_count, lock_circle, plan_keep_in_touch, plan_per_owner
from .evidence import NOT_IN_PERSON
from .touches import Touch, log_touch

LUNCH_REASON = "role_model_lunch"
LUNCH_REMINDER_REASON = "lunch_reminder"
LUNCH_REASONS = (LUNCH_REASON, LUNCH_REMINDER_REASON)
LUNCH_NUDGE_DAYS = 30
NOT_MET_DAYS = 182  # "not met in six months"
MAX_LEARN_FROM = 200
MAX_LEARNED = 300
LEARNED_KEY = "learned"
LEARNED_QUESTION = "What I learned from them"


class RoleModelError(ValueError):
    """A sentence for the user."""


def parse_learn_from(value) -> str:
    """What the user wants to learn, on one line; RoleModelError when empty or too long."""
    text = " ".join(str(value or "").split())
    if not text:
        raise RoleModelError(
            "Note what you'd like to learn from them, e.g. how they built their team."
        )
    if len(text) > MAX_LEARN_FROM:
        raise RoleModelError(f"Keep it under {MAX_LEARN_FROM} characters.")
    return text


def parse_learned(value) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > MAX_LEARNED:
        raise RoleModelError(f"Keep what you learned under {MAX_LEARNED} characters.")
    return text


def mark_role_model(contact: Contact, learn_from: str, *, now: datetime) -> None:
    """A role model (or a new note of what to learn); the caller commits."""
    contact.learn_from = learn_from
    if contact.role_model_since is None:
        contact.role_model_since = now


def _open_lunches(contact: Contact) -> list[FollowUp]:
    return list(
        db.session.scalars(
            sa.select(FollowUp).where(
                FollowUp.contact_id == contact.id,
                FollowUp.reason.in_(LUNCH_REASONS),
                FollowUp.state == "open",
            )
        )
    )


def unmark_role_model(contact: Contact) -> None:
    """No longer a role model: a lunch invitation not sent yet goes too."""
    contact.role_model_since = None
    contact.learn_from = ""
    for follow_up in _open_lunches(contact):
        follow_up.state = "dismissed"


def invite_to_lunch(owner: User, contact: Contact, *, now: datetime) -> FollowUp:
    """The open follow-up, made a lunch invitation due now (one open follow-up per contact:
    a pending one takes the lunch's draft instead of a second one appearing)."""
    current = open_follow_up(contact)
    if current is None:
        current = FollowUp(owner_id=owner.id, contact_id=contact.id, due_at=now, created_at=now)
        db.session.add(current)
    if current.reason not in LUNCH_REASONS:
        current.reason = LUNCH_REASON
    current.due_at = min(current.due_at or now, now)
    db.session.flush()
    return current


def last_met_in_person(contact: Contact) -> datetime | None:
    moments = [m.met_at for m in contact.meetings if m.kind not in NOT_IN_PERSON]
    return max(moments, default=None)


def role_models_of(owner: User) -> list[Contact]:
    """The owner's role models, archived ones left out, longest-standing first."""
    return list(
        db.session.scalars(
            sa.select(Contact)
            .where(
                Contact.owner_id == owner.id,
                Contact.role_model_since.is_not(None),
                Contact.archived_at.is_(None),
            )
            .options(selectinload(Contact.meetings))
            .order_by(Contact.role_model_since, Contact.id)
        )
    )


@dataclass(frozen=True)
class NotMet:
    contact: Contact
    last_met: datetime | None  # None: never met in person


def not_met_lately(owner: User, *, now: datetime) -> list[NotMet]:
    """Role models not met in person for six months (or ever), longest ago first."""
    cutoff = now - timedelta(days=NOT_MET_DAYS)
    found = [NotMet(c, last_met_in_person(c)) for c in role_models_of(owner)]
    stale = [item for item in found if item.last_met is None or item.last_met < cutoff]
    return sorted(stale, key=lambda item: (item.last_met is not None, item.last_met or now))


def _latest_invitation_sent(contact: Contact) -> FollowUp | None:
    return db.session.scalar(
        sa.select(FollowUp)
        .where(
            FollowUp.contact_id == contact.id,
            FollowUp.reason.in_(LUNCH_REASONS),
            FollowUp.state == "done",
        )
        .order_by(FollowUp.done_at.desc(), FollowUp.id.desc())
        .limit(1)
    )


def lunch_reminder_due(contact: Contact, *, now: datetime) -> bool:
    """An invitation went out at least LUNCH_NUDGE_DAYS ago, no meeting in person since, no
    follow-up open, and no reminder about this invitation yet (one per invitation)."""
    sent = _latest_invitation_sent(contact)
    if sent is None or sent.done_at is None or sent.reason == LUNCH_REMINDER_REASON:
        return False
    if now < sent.done_at + timedelta(days=LUNCH_NUDGE_DAYS):
        return False
    met = last_met_in_person(contact)
    if met is not None and met >= sent.done_at:
        return False
    if open_follow_up(contact) is not None:
        return False
    reminded = sa.exists().where(
        FollowUp.contact_id == contact.id,
        FollowUp.reason == LUNCH_REMINDER_REASON,
        FollowUp.created_at >= sent.done_at,
    )
    return not db.session.scalar(sa.select(reminded))


def plan_lunch_reminders(owner: User, *, now: datetime) -> list[FollowUp]:
    """Create the lunch reminders due now; the caller commits."""
    created = []
    for contact in role_models_of(owner):
        if lunch_reminder_due(contact, now=now):
            reminder = FollowUp(
                owner_id=owner.id,
                contact_id=contact.id,
                due_at=now,
                reason=LUNCH_REMINDER_REASON,
                created_at=now,
            )
            db.session.add(reminder)
            created.append(reminder)
    db.session.flush()
    return created


def has_role_models(owner: User) -> bool:
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    Contact.owner_id == owner.id, Contact.role_model_since.is_not(None)
                )
            )
        )
    )


def plan_reminders_now(owner: User, *, now: datetime) -> int:
    """For a page that reads (the inbox): the allies' keep-in-touch and the role models' lunch
    reminders, planned in a short write transaction of its own and committed. Nothing is
    written for a user with neither allies nor role models."""
    if not ally_count(owner) and not has_role_models(owner):
        return 0
    db.session.commit()
    begin_write()
    created = plan_keep_in_touch(owner, now=now)  # locks the owner's row
    created += plan_lunch_reminders(owner, now=now)
    db.session.commit()
    return len(created)


def plan_all_lunch_reminders(*, now: datetime) -> int:
    """For the dispatcher, before it plans the digests (`plan_per_owner`). Two dispatchers at
    once: the owner's row lock (SQLite's write lock) serialises them, and the second finds
    the reminder the first wrote."""

    def plan(owner: User) -> list:
        lock_circle(owner)
        return plan_lunch_reminders(owner, now=now)

    return plan_per_owner(Contact.role_model_since.is_not(None), plan)


def log_lunch(owner: User, contact: Contact, *, on: date, learned: str, now: datetime) -> None:
    """The lunch happened: a meeting in person on `on`, what was learned kept for later
    drafts, and open lunch follow-ups closed (raises touches.NotesFull; the caller commits)."""
    note = f"lunch; learned: {learned}" if learned else "lunch"
    log_touch(owner, contact, Touch("meeting", on, note), now=now)
    if learned:
        answer = next((a for a in contact.answers if a.prompt_key == LEARNED_KEY), None)
        if answer is None:
            answer = PromptAnswer(prompt_key=LEARNED_KEY, question=LEARNED_QUESTION)
            contact.answers.append(answer)
        answer.answer = learned
    for follow_up in _open_lunches(contact):
        follow_up.state = "done"
        follow_up.done_at = now
