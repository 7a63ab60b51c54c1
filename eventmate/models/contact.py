"""A user's contacts and what they remember about them."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import HasPhoto, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .warm import ContactTie

# How a contact came to be.
# "card_to_check": read from a photo of a paper card; the user has not confirmed the fields yet.
# "paper_card": read from a paper card, fields confirmed by the user.
SOURCES = (
    "exchange", "badge", "shared_back", "to_identify", "manual", "introduction", "card_to_check",
    "paper_card",
)  # fmt: skip
# The most trusted allies a user keeps: a small circle of time-tested relationships.
MAX_ALLIES = 12
KEEP_IN_TOUCH_DAYS = 60


class Contact(HasPhoto, db.Model):
    __tablename__ = "contacts"
    __table_args__ = (
        # One contact per EventMate user in an owner's list, even under concurrent scans.
        sa.UniqueConstraint("owner_id", "linked_user_id", name="uq_contacts_owner_linked_user"),
        # Same for a badge or shared-back card: keyed by email, else by the raw payload's hash.
        sa.UniqueConstraint("owner_id", "dedupe_key", name="uq_contacts_owner_dedupe_key"),
        # People, newest first, a page at a time (contacts/search.py).
        sa.Index("ix_contacts_owner_created", "owner_id", "created_at", "id"),
        # An event's new people, counted for its progress (home, giving back).
        sa.Index("ix_contacts_owner_event", "owner_id", "event_id"),
        # The trusted allies (at most twelve) among thousands of contacts.
        sa.Index("ix_contacts_owner_ally", "owner_id", "is_ally"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    linked_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(sa.String(20))
    full_name: Mapped[str] = mapped_column(sa.String(120), default="")
    title: Mapped[str] = mapped_column(sa.String(120), default="")
    company: Mapped[str] = mapped_column(sa.String(120), default="")
    emails: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    phones: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    urls: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    raw_payload: Mapped[str] = mapped_column(sa.Text, default="")
    # A card to check: the fields read from its photo with their confidence (`CardFields.as_json`),
    # until the user confirms them (eventmate/paper_cards/checking.py).
    card_fields: Mapped[dict | None] = mapped_column(sa.JSON)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(300))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Where they worked before, one company a line: "who came from Globex" needs it.
    past_companies: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    met_face_to_face: Mapped[bool] = mapped_column(default=False)
    # Set by the owner: never suggest or accept an introduction to this person.
    do_not_introduce: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # One of the owner's trusted allies (at most MAX_ALLIES), reminded to keep in touch.
    is_ally: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    ally_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    keep_in_touch_days: Mapped[int] = mapped_column(
        default=KEEP_IN_TOUCH_DAYS, server_default=str(KEEP_IN_TOUCH_DAYS)
    )
    # A role model: someone whose way of working the user wants to learn (`learn_from`), over
    # a lunch they invite them to (relationships/role_models.py). None: not a role model.
    role_model_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    learn_from: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    # Archived from the monthly review: out of People, search, digests and the phone's offline
    # copy unless asked for; still in exports; restorable.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event = relationship("Event")
    linked_user = relationship("User", foreign_keys=[linked_user_id])
    # By the casefolded key: "hiring" before "Lisbon", on SQLite and PostgreSQL alike.
    tags: Mapped[list["Tag"]] = relationship(secondary="contact_tags", order_by="Tag.key")
    meetings: Mapped[list["Meeting"]] = relationship(
        back_populates="contact",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Meeting.met_at",
    )
    answers: Mapped[list["PromptAnswer"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    ties: Mapped[list["ContactTie"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ContactTie.kind"
    )

    @property
    def display_name(self) -> str:
        return self.full_name or self.company or "Someone to identify"

    @property
    def is_role_model(self) -> bool:
        return self.role_model_since is not None

    @property
    def tie_kinds(self) -> tuple[str, ...]:
        return tuple(tie.kind for tie in self.ties)

    @property
    def past_company_list(self) -> list[str]:
        return [line.strip() for line in self.past_companies.splitlines() if line.strip()]

    @property
    def needs_identifying(self) -> bool:
        return self.source == "to_identify"

    @property
    def needs_checking(self) -> bool:
        return self.source == "card_to_check"


class Meeting(db.Model):
    """One time we met: a scan, a card exchange or a meeting the user logged."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    # exchange, scan, shared_back; or logged by the user: meeting, call, message
    kind: Mapped[str] = mapped_column(sa.String(20))
    met_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"))
    # The event's name as the meeting happened: the other side of an exchange may not be a member.
    event_name: Mapped[str] = mapped_column(sa.String(120), default="")
    face_to_face: Mapped[bool] = mapped_column(default=True)

    contact: Mapped[Contact] = relationship(back_populates="meetings")


class Tag(db.Model):
    __tablename__ = "tags"
    __table_args__ = (sa.UniqueConstraint("owner_id", "key", name="uq_tags_owner_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(40))  # casefolded name: "AI" and "ai" are one tag
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContactTag(db.Model):
    __tablename__ = "contact_tags"

    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CustomPrompt(db.Model):
    """A conversation prompt the user added to the built-in ones."""

    __tablename__ = "custom_prompts"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PromptAnswer(db.Model):
    """What a contact answered to one prompt; keeps the question as it was asked."""

    __tablename__ = "prompt_answers"
    __table_args__ = (
        sa.UniqueConstraint("contact_id", "prompt_key", name="uq_prompt_answers_contact_prompt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    prompt_key: Mapped[str] = mapped_column(sa.String(40))  # "enjoy", … or "custom-<id>"
    question: Mapped[str] = mapped_column(sa.String(200))
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReviewKeep(db.Model):
    """ "Keep as is" in the monthly review: the item (`contact:7`, `introduction:3`,
    `follow_up:12`) stays out of reviews until `until`."""

    __tablename__ = "review_keeps"
    __table_args__ = (sa.UniqueConstraint("owner_id", "item", name="uq_review_keeps_owner_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(sa.String(40))
    until: Mapped[datetime] = mapped_column(UTCDateTime)
