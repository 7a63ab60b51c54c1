"""How the user knows a contact beyond events, and asking a contact for an introduction.

A contact can hold several ties at once (a former colleague is often a friend too): one row
per tie, so each is a plain value the database checks, and "who are my former colleagues"
stays one indexed query.
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..relationships.ties import Tie
from .base import UTCDateTime, utcnow


class ContactTie(db.Model):
    __tablename__ = "contact_ties"
    __table_args__ = (
        sa.CheckConstraint(sa.column("kind").in_([tie.value for tie in Tie]), name="kind"),
    )

    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)


class AskState(StrEnum):
    """An introduction asked of a contact on EventMate: waiting, answered with an
    introduction, answered "I can't help this time", or taken back by the asker."""

    ASKED = "asked"
    INTRODUCED = "introduced"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class IntroductionAsk(db.Model):
    """ "Do you know someone at X I could talk to about Y?", sent in the app to a contact who
    is on EventMate. The connector answers with an ordinary double opt-in introduction."""

    __tablename__ = "introduction_asks"
    __table_args__ = (
        sa.CheckConstraint(
            sa.column("state").in_([state.value for state in AskState]), name="state"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asker_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The asker's contact for the connector (NULL once the asker deleted it).
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    connector_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    company: Mapped[str] = mapped_column(sa.String(120))
    topic: Mapped[str] = mapped_column(sa.String(200))
    message: Mapped[str] = mapped_column(sa.Text)
    # Why the asker went ahead though they barely know the connector (for the asker alone).
    override_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    state: Mapped[str] = mapped_column(sa.String(12), default=AskState.ASKED)
    introduction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("introductions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    asker = relationship("User", foreign_keys=[asker_id])
    connector = relationship("User", foreign_keys=[connector_id])
    contact = relationship("Contact")
    introduction = relationship("Introduction")
