"""Details a visitor shared back on a user's public card, waiting for the owner's review.

Nothing a visitor sends touches the owner's contacts: it waits here until the owner accepts
it as a new contact, merges it into one they have, or dismisses it.
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class ReviewState(StrEnum):
    PENDING = "pending"  # waiting for the owner
    ACCEPTED = "accepted"  # became a new contact
    MERGED = "merged"  # folded into a contact the owner had
    DISMISSED = "dismissed"  # left out; nothing was added


class SharedDetails(db.Model):
    __tablename__ = "shared_details"
    __table_args__ = (
        sa.CheckConstraint(
            "state IN ({})".format(", ".join(f"'{state}'" for state in ReviewState)),
            name="state_known",
        ),
        sa.Index("ix_shared_details_owner_state", "owner_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(sa.String(10), default=ReviewState.PENDING)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    company: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    url: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")  # http(s)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The owner's event running when it was shared: noted there once accepted.
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The contact it became or was merged into.
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL")
    )

    event = relationship("Event")
    contact = relationship("Contact")
