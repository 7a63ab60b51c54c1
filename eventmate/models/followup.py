"""Follow-ups: the next message a user means to send someone they met."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

FOLLOW_UP_STATES = ("open", "done", "dismissed")


class FollowUp(db.Model):
    __tablename__ = "follow_ups"
    __table_args__ = (
        # The dispatcher and the inbox look for open follow-ups that are due.
        sa.Index("ix_follow_ups_state_due_at", "state", "due_at"),
        # One user's inbox sections, a page at a time, and their counts.
        sa.Index("ix_follow_ups_owner_state_due", "owner_id", "state", "due_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(sa.String(12), default="open")  # FOLLOW_UP_STATES
    reason: Mapped[str] = mapped_column(sa.String(20), default="new_contact")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contact = relationship("Contact")
