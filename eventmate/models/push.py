"""Web Push: the devices a user subscribed, and the morning digests sent to them.

A digest is planned once per user per local date (the unique key makes that hold across
several dispatchers); each of the user's devices then gets one delivery, the unit of work a
dispatcher claims, sends and records.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

# A delivery's life: pending → sending (claimed) → sent | gone (device unsubscribed) | failed.
# A retry puts it back to pending with a later `next_attempt_at`.
DELIVERY_STATES = ("pending", "sending", "sent", "gone", "failed")


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


class ReminderDigest(db.Model):
    """The morning summary for one user and one local date, rendered when it was planned."""

    __tablename__ = "reminder_digests"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "local_date", name="uq_reminder_digests_user_local_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date]
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.String(1000))
    url: Mapped[str] = mapped_column(sa.String(200))
    follow_up_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderDelivery(db.Model):
    """One digest to one device: claimed, sent and recorded by a dispatcher."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        sa.UniqueConstraint(
            "digest_id", "subscription_id", name="uq_reminder_deliveries_digest_subscription"
        ),
        sa.Index("ix_reminder_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    digest_id: Mapped[int] = mapped_column(sa.ForeignKey("reminder_digests.id", ondelete="CASCADE"))
    # NULL once the device is gone (404/410 or removed by its owner): the row stays as a record.
    subscription_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)  # claims so far
    # Claimed again after a dispatcher stalled: it may have been sent already, so never a third.
    recovered: Mapped[bool] = mapped_column(default=False)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None]  # HTTP status of the last attempt; 0 for no answer
