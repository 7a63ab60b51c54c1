"""Web Push: the devices a user subscribed, and the messages sent to them.

A message is one notification for one user: the morning digest (planned once per user per
local date) or a prompt one about an introduction (a consent request, an outcome). Its
`dedupe_key` is unique per user, which makes "written once" hold across several dispatchers
and retried requests. Each of the user's devices then gets one delivery, the unit of work a
dispatcher claims, sends and records.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

# A delivery's life: pending → sending (claimed) → sent | gone (device unsubscribed) | failed,
# or pending → cancelled (no longer true, e.g. a withdrawn introduction's request).
# A retry puts it back to pending with a later `next_attempt_at`.
DELIVERY_STATES = ("pending", "sending", "sent", "gone", "failed", "cancelled")
MESSAGE_KINDS = ("digest", "introduction", "review")
# A delivery goes to one device by Web Push, or to the user's address by email (digests only).
PUSH, EMAIL = "push", "email"


class PushSubscription(db.Model):
    """One browser on one device, as `PushSubscription.toJSON()` described it."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(sa.String(2048), unique=True)
    p256dh: Mapped[str] = mapped_column(sa.String(100))  # base64url, 65-byte P-256 point
    auth: Mapped[str] = mapped_column(sa.String(40))  # base64url, 16 bytes
    label: Mapped[str] = mapped_column(sa.String(120), default="")  # "Chrome on Android"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failure_count: Mapped[int] = mapped_column(default=0)  # since the last success

    def info(self) -> dict:
        """What pywebpush calls `subscription_info`."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushMessage(db.Model):
    """One notification for one user, rendered when it was written."""

    __tablename__ = "push_messages"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "dedupe_key", name="uq_push_messages_user_dedupe_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))  # MESSAGE_KINDS
    # "digest:2026-11-24", "introduction:7:request"…: what makes it the same message twice.
    dedupe_key: Mapped[str] = mapped_column(sa.String(80))
    # The introduction it is about: its messages go when it does.
    introduction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("introductions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.String(1000))
    url: Mapped[str] = mapped_column(sa.String(200))
    # The push's Topic header and the notification's tag (≤ 32 URL-safe characters): a newer
    # message with the same tag replaces an older one, undelivered or on screen.
    tag: Mapped[str] = mapped_column(sa.String(32))
    follow_up_count: Mapped[int] = mapped_column(default=0)  # digests only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PushDelivery(db.Model):
    """One message to one device, or to the user's email address: claimed, sent and recorded
    by a dispatcher."""

    __tablename__ = "push_deliveries"
    __table_args__ = (
        sa.UniqueConstraint(
            "message_id", "subscription_id", name="uq_push_deliveries_message_subscription"
        ),
        sa.Index("ix_push_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
        sa.CheckConstraint(sa.column("channel").in_([PUSH, EMAIL]), name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("push_messages.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(sa.String(5), default=PUSH, server_default=PUSH)
    # NULL for email, and once the device is gone (404/410 or removed by its owner): the row
    # stays as a record.
    subscription_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)  # claims so far
    # Claimed again after a dispatcher stalled: it may have been sent already, so never a third.
    recovered: Mapped[bool] = mapped_column(default=False)
    # Not before: a retry's backoff, or the morning for a message written at night.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # HTTP status (SMTP reply code for email) of the last attempt; 0 for no answer
    last_status: Mapped[int | None]
