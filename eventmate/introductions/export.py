"""A user's introductions, allies and introduction settings, for the data export."""

import sqlalchemy as sa

from ..extensions import db
from ..models import Contact, Introduction, IntroductionSide, User
from ..models.base import utcnow
from ..relationships.allies import allies_of
from .consent import status
from .service import introductions_made


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def introductions_json(user: User) -> dict:
    now = utcnow()
    made = [
        {
            "created_at": _when(intro.created_at),
            "expires_at": _when(intro.expires_at),
            "state": status(intro, now),
            "people": [
                {
                    "contact_id": side.contact_id,
                    "name": side.name,
                    "why": side.why,
                    "answer": side.answer,
                    "answered_at": _when(side.answered_at),
                    "decline_reason": side.decline_reason,
                }
                for side in intro.sides
            ],
        }
        for intro in introductions_made(user)
    ]
    asked = db.session.scalars(
        sa.select(IntroductionSide)
        .join(Introduction)
        .where(IntroductionSide.user_id == user.id)
        .order_by(Introduction.created_at)
    )
    asked_of_me = [
        {
            "introduced_by": side.introduction.introducer.display_name,
            "to": side.introduction.other(side).name,
            "why": side.why,
            "my_answer": side.answer,
            "answered_at": _when(side.answered_at),
            "my_reason": side.decline_reason,
            "state": status(side.introduction, now),
        }
        for side in asked
    ]
    not_introduced = db.session.scalars(
        sa.select(Contact).where(Contact.owner_id == user.id, Contact.do_not_introduce.is_(True))
    )
    return {
        "i_dont_want_to_be_introduced": user.no_introductions,
        "made": made,
        "asked_of_me": asked_of_me,
        "trusted_allies": [
            {
                "contact_id": ally.id,
                "name": ally.display_name,
                "since": _when(ally.ally_since),
                "keep_in_touch_days": ally.keep_in_touch_days,
            }
            for ally in allies_of(user)
        ],
        "contacts_not_to_introduce": [
            {"contact_id": contact.id, "name": contact.display_name} for contact in not_introduced
        ],
    }
