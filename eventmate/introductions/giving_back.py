"""Giving back, in numbers: introductions made and how they went, follow-ups done, and new
people met at each event against the goal set for it."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from ..events.service import Progress, event_count, my_events, progress_of_events
from ..extensions import db
from ..models import FollowUp, Introduction, IntroductionSide, User
from ..models.contact import MAX_ALLIES
from ..relationships.allies import ally_count
from ..relationships.role_models import NotMet, not_met_lately, role_models_of
from .consent import status
from .service import introductions_made, requests_for

EVENTS_SHOWN = 10


@dataclass
class GivingBack:
    made: int = 0
    accepted: int = 0
    pending: int = 0
    declined: int = 0
    closed: int = 0  # withdrawn or expired
    follow_ups_done: int = 0
    allies: int = 0
    max_allies: int = MAX_ALLIES
    introductions: list[tuple[Introduction, str]] = field(default_factory=list)
    events: list[Progress] = field(default_factory=list)  # the latest EVENTS_SHOWN
    event_count: int = 0
    requests: list[IntroductionSide] = field(default_factory=list)
    role_models: int = 0
    role_models_not_met: list[NotMet] = field(default_factory=list)  # in six months


def giving_back_summary(user: User, *, now: datetime) -> GivingBack:
    summary = GivingBack()
    for intro in introductions_made(user):
        state = status(intro, now)
        summary.introductions.append((intro, state))
        summary.made += 1
        if state == "completed":
            summary.accepted += 1
        elif state == "pending":
            summary.pending += 1
        elif state == "declined":
            summary.declined += 1
        else:
            summary.closed += 1
    summary.follow_ups_done = db.session.scalar(
        sa.select(sa.func.count()).where(FollowUp.owner_id == user.id, FollowUp.state == "done")
    )
    summary.allies = ally_count(user)
    summary.events = progress_of_events(user, my_events(user, limit=EVENTS_SHOWN), now=now)
    summary.event_count = event_count(user)
    summary.requests = requests_for(user, now=now)
    summary.role_models = len(role_models_of(user))
    summary.role_models_not_met = not_met_lately(user, now=now)
    return summary
