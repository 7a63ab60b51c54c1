"""Introductions one user makes between two of their contacts, each side asked first.

An introduction has two sides, "a" and "b". Each side answers for itself through a consent
link (or in the app, for an EventMate user); only when both said yes does each get the other's
card. The link's secret is never stored: only its SHA-256, next to a random selector that finds
the row (`<selector>.<verifier>` in the URL).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

# Stored states; "expired" is derived from `expires_at` while still pending.
INTRODUCTION_STATES = ("pending", "completed", "declined", "withdrawn")
ANSWERS = ("pending", "accepted", "declined")
POSITIONS = ("a", "b")


class Introduction(db.Model):
    __tablename__ = "introductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    introducer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(sa.String(12), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # completed, declined…
    # The introducer has seen the outcome (both said yes, or one declined).
    outcome_seen: Mapped[bool] = mapped_column(default=False)

    introducer = relationship("User")
    sides: Mapped[list["IntroductionSide"]] = relationship(
        back_populates="introduction",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="IntroductionSide.position",
    )

    def side(self, position: str) -> "IntroductionSide":
        return next(side for side in self.sides if side.position == position)

    def other(self, side: "IntroductionSide") -> "IntroductionSide":
        return next(other for other in self.sides if other.position != side.position)


class IntroductionSide(db.Model):
    """One person being introduced: who they are to the introducer, and their answer."""

    __tablename__ = "introduction_sides"
    __table_args__ = (
        sa.UniqueConstraint(
            "introduction_id", "position", name="uq_introduction_sides_introduction_position"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        sa.ForeignKey("introductions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[str] = mapped_column(sa.String(1))  # "a" or "b"
    # The introducer's contact for this person; NULL once they deleted it (the introduction
    # then stops where it is).
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    # Set when this person is on EventMate: they answer in the app, logged in as themselves.
    is_member: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))  # as the introducer knows them
    # Why this person should meet the other side, written by the introducer for them.
    why: Mapped[str] = mapped_column(sa.String(300))
    answer: Mapped[str] = mapped_column(sa.String(10), default="pending")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str] = mapped_column(sa.String(300), default="")  # introducer only
    link_selector: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    link_hash: Mapped[str | None] = mapped_column(sa.String(64))
    link_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The contact this person received for the other side once both said yes.
    received_contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL")
    )

    introduction: Mapped[Introduction] = relationship(back_populates="sides")
    contact = relationship("Contact", foreign_keys=[contact_id])
    user = relationship("User", foreign_keys=[user_id])
