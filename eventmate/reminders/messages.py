"""Writing push messages and their deliveries, for the dispatcher to claim and send.

The morning digests (planning.py) and the prompt messages other areas write as things happen
(an introduction asks for consent, has an outcome) share this: one message row per user and
`dedupe_key` — written once however often it is asked for — and one pending delivery per
device of the user. The caller commits.
"""

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import PushDelivery, PushMessage, PushSubscription, User
from ..models.push import EMAIL, PUSH
from .channels import wants_email
from .mornings import Clock, awake_at

MAX_TITLE, MAX_BODY, MAX_URL = 200, 1000, 200


def message_row(
    user_id: int,
    *,
    kind: str,
    dedupe_key: str,
    title: str,
    body: str,
    url: str,
    tag: str,
    created_at: datetime,
    follow_up_count: int = 0,
    introduction_id: int | None = None,
) -> dict:
    """One row for `insert_messages`, its texts cut to the columns' sizes."""
    return {
        "user_id": user_id,
        "kind": kind,
        "dedupe_key": dedupe_key,
        "introduction_id": introduction_id,
        "title": title[:MAX_TITLE],
        "body": body[:MAX_BODY],
        "url": url[:MAX_URL],
        "tag": tag,
        "follow_up_count": follow_up_count,
        "created_at": created_at,
    }


def insert_messages(rows: list[dict]) -> list[int]:
    """Insert, skipping any (user, dedupe key) written before or by another dispatcher at the
    same moment; the new ids."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = PushMessage.__table__
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
        .returning(table.c.id)
    )
    return list(db.session.scalars(statement, rows))


COLUMNS = ["message_id", "subscription_id", "channel", "state", "attempts", "recovered"]


def _delivery_values(subscription_id, channel: str, not_before: datetime) -> tuple:
    return (
        PushMessage.id,
        subscription_id,
        sa.literal(channel),
        sa.literal("pending"),
        sa.literal(0),
        sa.false(),
        sa.literal(not_before, PushDelivery.next_attempt_at.type),
    )


def insert_deliveries(message_ids: list[int], *, not_before: datetime, only_if=None) -> None:
    """One pending delivery per device of each message's user, sent from `not_before`;
    `only_if`: a condition on the user (a digest: that they want it by push)."""
    select = sa.select(*_delivery_values(PushSubscription.id, PUSH, not_before)).join(
        PushSubscription, PushSubscription.user_id == PushMessage.user_id
    )
    if only_if is not None:
        select = select.join(User, User.id == PushMessage.user_id).where(only_if)
    columns = [*COLUMNS, "next_attempt_at"]
    db.session.execute(
        sa.insert(PushDelivery).from_select(columns, select.where(PushMessage.id.in_(message_ids)))
    )


def insert_email_deliveries(message_ids: list[int], *, not_before: datetime) -> None:
    """One pending email delivery for each message whose user wants it by email."""
    select = (
        sa.select(*_delivery_values(sa.null(), EMAIL, not_before))
        .join(User, User.id == PushMessage.user_id)
        .where(PushMessage.id.in_(message_ids), wants_email())
    )
    columns = [*COLUMNS, "next_attempt_at"]
    db.session.execute(sa.insert(PushDelivery).from_select(columns, select))


def clock_of(user: User) -> Clock:
    event = user.current_event
    return Clock(
        user.timezone,
        user.reminder_hour,
        user.quiet_days,
        event.timezone if event else None,
        event.starts_on if event else None,
        event.ends_on if event else None,
    )


def has_device(user: User) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(PushSubscription.user_id == user.id)))


def queue_message(user: User, row: dict, *, now: datetime) -> bool:
    """A prompt message (a `message_row` of `user`'s) for each of the user's devices, sent by
    the dispatcher's next pass (or, at night, in the user's morning). False when not written:
    push is off, no device, or a message with this key exists already."""
    if not user.push_enabled or not has_device(user):
        return False
    ids = insert_messages([row])
    if ids:
        insert_deliveries(ids, not_before=awake_at(clock_of(user), now))
    return bool(ids)


def cancel_unsent(*, introduction_id: int, dedupe_keys: list[str] | None = None) -> None:
    """Stop messages about an introduction that are no longer true (all of them, or those
    with these keys) from going out: their pending deliveries become `cancelled`. One being
    sent at this moment still arrives."""
    messages = sa.select(PushMessage.id).where(PushMessage.introduction_id == introduction_id)
    if dedupe_keys is not None:
        messages = messages.where(PushMessage.dedupe_key.in_(dedupe_keys))
    db.session.execute(
        sa.update(PushDelivery)
        .where(PushDelivery.message_id.in_(messages), PushDelivery.state == "pending")
        .values(state="cancelled")
    )
