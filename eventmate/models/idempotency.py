"""Client-generated ids of offline-capable writes, so that a retried request is applied once."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class ClientRequest(db.Model):
    __tablename__ = "client_requests"

    # Scoped to the user: another user's id never collides with or reveals this one.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    fingerprint: Mapped[str] = mapped_column(sa.String(64))  # sha256 of the request's content
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="CASCADE"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the first request was answered (JSON): a resend gets it without loading anything.
    answer: Mapped[dict | None] = mapped_column(sa.JSON)

    contact = relationship("Contact")
