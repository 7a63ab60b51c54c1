"""Events people attend, and each user's membership with their goal of new people."""

import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

# Each kind of event, as the form names it; its usual questions are in events/questions.py.
EVENT_KINDS = {
    "conference": "Conference",
    "alumni": "Alumni evening",
    "job_fair": "Job fair",
    "meetup": "Meetup",
    "association": "Association evening",
    "other": "Other",
}
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud at a door


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(20), default="conference")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # The built-in questions asked at capture, chosen by the creator; None: the kind's usual.
    prompt_keys: Mapped[list[str] | None] = mapped_column(sa.JSON)
    place: Mapped[str] = mapped_column(sa.String(120), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    join_code: Mapped[str] = mapped_column(sa.String(16), unique=True, default=new_join_code)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list["EventMembership"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def kind_label(self) -> str:
        return EVENT_KINDS.get(self.kind, self.kind.capitalize())

    @property
    def last_day(self) -> date | None:
        """The end date, or the start date of a one-day event; None for an undated one."""
        return self.ends_on or self.starts_on

    def is_over(self, moment: datetime) -> bool:
        """Whether `moment` is after the event's last day in its own time zone (an event
        without dates never ends)."""
        last = self.last_day
        return last is not None and moment.astimezone(ZoneInfo(self.timezone)).date() > last


class EventMembership(db.Model):
    __tablename__ = "event_memberships"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    goal: Mapped[int] = mapped_column(default=1)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="memberships")
