"""Accounts, their public card settings and their login sessions."""

import secrets
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import HasPhoto, UTCDateTime, utcnow

# Profile fields a user may show on their public card, in display order.
CARD_FIELDS = ("headline", "email", "phone", "website", "bio")


class ReminderChannel(StrEnum):
    """How the morning digest reaches the user. AUTO, the default, follows their devices: push
    while a browser of theirs has push on, email otherwise (an iPhone without the home-screen
    app still hears about the morning, and moves to push by itself once it has it)."""

    AUTO = "auto"
    PUSH = "push"
    EMAIL = "email"
    BOTH = "both"
    NONE = "none"


# Permanent SMTP refusals (5xx) in a row after which no more email goes to the address.
MAX_EMAIL_BOUNCES = 3


def new_card_token() -> str:
    """160 random bits, URL-safe; carries no personal data."""
    return secrets.token_urlsafe(20)


class User(HasPhoto, UserMixin, db.Model):
    """An account. `get_id` names the login session, so ending it logs that browser out."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            sa.column("reminder_channel").in_([channel.value for channel in ReminderChannel]),
            name="reminder_channel",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(80))
    headline: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    bio: Mapped[str] = mapped_column(sa.String(500), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    # How dates and times are written ("pt_PT", "en_US"); "" follows the browser's languages.
    locale: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    reminder_hour: Mapped[int] = mapped_column(default=9)
    # ISO weekdays without reminders, e.g. "67" for Saturday and Sunday.
    quiet_days: Mapped[str] = mapped_column(sa.String(7), default="", server_default="")
    push_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    reminder_channel: Mapped[str] = mapped_column(
        sa.String(5), default=ReminderChannel.AUTO, server_default=ReminderChannel.AUTO.value
    )
    # When the address was proven (a code sent to it came back); None: never, so no digest
    # goes to it. A new address starts unproven and clean.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_bounces: Mapped[int] = mapped_column(default=0, server_default="0")
    # The secret of the user's iCalendar feed URL; None when the feed is off.
    ics_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # "I don't want to be introduced": other users' introductions to me are refused.
    no_introductions: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    public_headline: Mapped[bool] = mapped_column(default=True)
    public_email: Mapped[bool] = mapped_column(default=False)
    public_phone: Mapped[bool] = mapped_column(default=False)
    public_website: Mapped[bool] = mapped_column(default=True)
    public_bio: Mapped[bool] = mapped_column(default=True)
    card_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_card_token)
    current_event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    current_event = relationship("Event", foreign_keys=[current_event_id])

    # Set when the user is loaded through a login session; not a column.
    active_session_id = None

    def get_id(self) -> str | None:
        return self.active_session_id

    @property
    def email_refused(self) -> bool:
        """Its address refused our mail for good too often: no more email goes to it."""
        return self.email_bounces >= MAX_EMAIL_BOUNCES

    def public_fields(self) -> dict[str, str]:
        """The profile fields this user chose to show on their card, non-empty only."""
        return {
            name: getattr(self, name)
            for name in CARD_FIELDS
            if getattr(self, f"public_{name}") and getattr(self, name)
        }


class LoginSession(db.Model):
    """One signed-in browser. Deleting the row ends that session, even for a replayed cookie."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")

    user: Mapped[User] = relationship()
