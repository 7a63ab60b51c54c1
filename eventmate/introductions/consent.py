"""The double opt-in, as a small state machine of plain functions.

An introduction is `pending` until one of:

    both sides accept            → completed   (each gets the other's card; introducer told)
    either side declines         → declined    (the introducer is told, and nobody else)
    the introducer withdraws     → withdrawn
    `expires_at` passes          → expired     (derived, never stored)
    the introducer deletes one of the two contacts, or an EventMate side deletes their
    account                      → withdrawn   (derived: there is nobody left to connect)

Each side answers once: pending → accepted | declined. Answering a closed introduction, or
answering twice, raises ConsentError; the page then shows the side its final state. While
pending, nothing about one side (not even whether they answered) reaches the other.

Callers lock first (`lock`), so two answers at the same moment cannot both miss that the
other side said yes. Each transition also writes its push messages (notices.py).
"""

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Introduction, IntroductionSide, User
from . import notices
from .service import MAX_REASON, clean_text

OPEN = "pending"


class ConsentError(ValueError):
    """`code` is "closed" (not open any more) or "answered" (this side already answered)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def status(intro: Introduction, now: datetime) -> str:
    """pending, completed, declined, withdrawn or expired."""
    if intro.state != OPEN:
        return intro.state
    for side in intro.sides:
        if side.contact_id is None or (side.is_member and side.user_id is None):
            return "withdrawn"
    return "expired" if now >= intro.expires_at else OPEN


def lock(intro: Introduction) -> Introduction:
    """Re-read the introduction and its sides under a row lock (SQLite: BEGIN IMMEDIATE)."""
    db.session.execute(
        sa.select(Introduction)
        .where(Introduction.id == intro.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    db.session.execute(
        sa.select(IntroductionSide)
        .where(IntroductionSide.introduction_id == intro.id)
        .execution_options(populate_existing=True)
    ).all()
    return intro


def _require_answerable(side: IntroductionSide, now: datetime) -> None:
    if status(side.introduction, now) != OPEN:
        raise ConsentError("closed", "This introduction is no longer open.")
    if side.answer != "pending":
        raise ConsentError("answered", "You already answered this introduction.")


def accept(side: IntroductionSide, *, now: datetime) -> str:
    """This side says yes. Returns the introduction's status: completed when the other side
    had said yes already."""
    intro = lock(side.introduction)
    _require_answerable(side, now)
    side.answer, side.answered_at = "accepted", now
    notices.answered(side)
    if intro.other(side).answer == "accepted":
        from .connect import connect

        intro.state, intro.closed_at, intro.outcome_seen = "completed", now, False
        connect(intro, now=now)
        notices.connected(intro, now=now)
    db.session.flush()
    return status(intro, now)


def decline(side: IntroductionSide, *, reason: str = "", now: datetime) -> str:
    """This side says no; the reason, if any, is for the introducer alone."""
    intro = lock(side.introduction)
    _require_answerable(side, now)
    side.answer, side.answered_at = "declined", now
    side.decline_reason = clean_text(reason, limit=MAX_REASON)[:MAX_REASON]
    intro.state, intro.closed_at, intro.outcome_seen = "declined", now, False
    db.session.flush()
    notices.declined(side, now=now)
    return intro.state


def withdraw(intro: Introduction, *, by: User, now: datetime) -> None:
    if intro.introducer_id != by.id:
        raise PermissionError("only the introducer can withdraw an introduction")
    lock(intro)
    if status(intro, now) != OPEN:
        raise ConsentError("closed", "This introduction is no longer open.")
    intro.state, intro.closed_at, intro.outcome_seen = "withdrawn", now, True
    db.session.flush()
    notices.withdrawn(intro)


def answer(side: IntroductionSide, *, choice: str, reason: str, now: datetime) -> str:
    """The form's answer: "accept" or "decline"."""
    if choice == "accept":
        return accept(side, now=now)
    if choice == "decline":
        return decline(side, reason=reason, now=now)
    raise ValueError("choose accept or decline")
