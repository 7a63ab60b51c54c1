"""Addresses waiting to be proven with an emailed code: a sign-up, or a new account email.

Nothing becomes an account (or replaces an account's email) until the code sent to the
address comes back. The code is never stored, only its HMAC; a row whose address already
belongs to an account has no code at all (`code_hash` is None), so no code works for it
while it looks like every other row from outside.
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class Purpose(StrEnum):
    SIGN_UP = "sign_up"
    EMAIL_CHANGE = "email_change"


class EmailVerification(db.Model):
    __tablename__ = "email_verifications"
    __table_args__ = (
        sa.CheckConstraint(
            sa.column("purpose").in_([purpose.value for purpose in Purpose]), name="purpose"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Names the row in the confirm page's URL (128 random bits); proves nothing by itself.
    ticket: Mapped[str] = mapped_column(sa.String(32), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(16))
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    code_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # A sign-up's account, created from these once the code comes back.
    display_name: Mapped[str] = mapped_column(sa.String(80), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    # An email change's account.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)  # wrong codes against the current one
    sends: Mapped[int] = mapped_column(default=1)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")
