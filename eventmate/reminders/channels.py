"""Which way a user's morning digest goes: by push to their devices, by email, both or neither.

The rules as SQL, for the planner (who is due, which deliveries to write), and the one change
the email itself can make (its unsubscribe link).
"""

import sqlalchemy as sa

from ..models import MAX_EMAIL_BOUNCES, PushSubscription, ReminderChannel, User

C = ReminderChannel


def has_device():
    """Uncorrelated, so computed once per query (see planning.py)."""
    return User.id.in_(sa.select(PushSubscription.user_id))


def wants_push():
    """Push is on and the choice includes it (AUTO does, on a device with push)."""
    return sa.and_(User.push_enabled.is_(True), User.reminder_channel.in_([C.AUTO, C.PUSH, C.BOTH]))


def wants_email():
    """The choice includes email (AUTO does while no device has push), the address is proven
    and has not been refused for good."""
    chosen = sa.or_(
        User.reminder_channel.in_([C.EMAIL, C.BOTH]),
        sa.and_(User.reminder_channel == C.AUTO, ~has_device()),
    )
    return sa.and_(chosen, email_allowed())


def email_allowed():
    return sa.and_(User.email_verified_at.is_not(None), User.email_bounces < MAX_EMAIL_BOUNCES)


def gets_a_digest():
    return sa.or_(sa.and_(wants_push(), has_device()), wants_email())


def pushes_allowed(channel: str) -> bool:
    """`push_enabled` follows the choice (one control, not two): choosing email only or no
    reminders also stops the prompt pushes about introductions."""
    return channel not in (C.EMAIL, C.NONE)


def without_email(channel: str) -> str:
    """The choice once email is taken out of it (the email's unsubscribe link): AUTO becomes
    PUSH, so a device added later still gets the digest and no email ever comes back."""
    return {C.AUTO: C.PUSH, C.BOTH: C.PUSH, C.EMAIL: C.NONE}.get(channel, channel)


def with_push(channel: str) -> str:
    """The choice once this device asks for reminders ("Remind me" on the ask card): email
    only becomes both, none becomes push."""
    return {C.EMAIL: C.BOTH, C.NONE: C.PUSH}.get(channel, channel)
