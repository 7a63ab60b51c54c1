"""Making an introduction: who may be introduced, the warning, the consent links, the email.

Plain functions; the views call them and commit.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Contact, Introduction, IntroductionSide, User
from ..relationships.evidence import assess_contact
from ..relationships.levels import KNOW_WELL, Assessment

EXPIRY_DAYS = 14
# Limits, so that nobody is flooded with requests: introductions one user may start in any
# 24 hours, and introductions waiting for answers that involve one person (the same contact
# of the introducer, or the same EventMate user, whoever introduces them).
DAILY_LIMIT = 10
PENDING_PER_PERSON = 3
MIN_WHY, MAX_WHY = 3, 300
MAX_REASON = 300
DAY = timedelta(hours=24)
TOKEN_PATTERN = re.compile(r"^([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{32})$")


class IntroductionRefused(ValueError):
    """Sentences for the user, by form field ("a", "b", "why_a", "why_b", "confirm", "pair")."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def first_name(name: str) -> str:
    return (name.split() or ["them"])[0]


def refusal(contact: Contact) -> str | None:
    """Why this contact cannot be introduced, or None."""
    name = contact.display_name
    if contact.needs_identifying or not contact.full_name.strip():
        whose = "their" if contact.needs_identifying else f"{name}'s"  # not "Someone to identify's"
        return f"Add {whose} name first: people deserve to know who they are meeting."
    if contact.do_not_introduce:
        return f"You noted that {name} doesn't want to be introduced."
    if contact.linked_user is not None and contact.linked_user.no_introductions:
        return f"{name} asked not to be introduced to anyone on EventMate."
    return None


def open_between(owner: User, a: Contact, b: Contact, *, now: datetime) -> Introduction | None:
    """An introduction of these two by this user that is still waiting for answers."""
    from .consent import status

    candidates = db.session.scalars(
        sa.select(Introduction)
        .where(
            Introduction.introducer_id == owner.id,
            Introduction.state == "pending",
            Introduction.id.in_(
                sa.select(IntroductionSide.introduction_id).where(
                    IntroductionSide.contact_id == a.id
                )
            ),
            Introduction.id.in_(
                sa.select(IntroductionSide.introduction_id).where(
                    IntroductionSide.contact_id == b.id
                )
            ),
        )
        .options(selectinload(Introduction.sides))
    )
    return next((intro for intro in candidates if status(intro, now) == "pending"), None)


def _next_slot(owner: User, made: list[datetime], now: datetime) -> str:
    """When the oldest introduction of the last 24 hours leaves the window, in the owner's
    words: "at 14:30" or "tomorrow at 14:30"."""
    zone = ZoneInfo(owner.timezone)
    moment = (min(made) + DAY).astimezone(zone)
    day = "" if moment.date() == now.astimezone(zone).date() else "tomorrow "
    return f"{day}at {moment:%H:%M}"


def daily_limit_problem(owner: User, *, now: datetime) -> str | None:
    made = list(
        db.session.scalars(
            sa.select(Introduction.created_at).where(
                Introduction.introducer_id == owner.id, Introduction.created_at > now - DAY
            )
        )
    )
    if len(made) < DAILY_LIMIT:
        return None
    return (
        f"You've started {DAILY_LIMIT} introductions in the last 24 hours, the most for one "
        f"day. You can make the next one {_next_slot(owner, made, now)}."
    )


def waiting_involving(contact: Contact, *, now: datetime) -> list[Introduction]:
    """Open introductions involving this person: made by the owner with this contact, or, for
    an EventMate user, by anyone with them."""
    from .consent import status

    person = IntroductionSide.contact_id == contact.id
    if contact.linked_user_id is not None:
        person = sa.or_(person, IntroductionSide.user_id == contact.linked_user_id)
    candidates = db.session.scalars(
        sa.select(Introduction)
        .where(
            Introduction.state == "pending",
            Introduction.expires_at > now,
            Introduction.id.in_(sa.select(IntroductionSide.introduction_id).where(person)),
        )
        .options(selectinload(Introduction.sides))
    )
    return [intro for intro in candidates if status(intro, now) == "pending"]


def pending_cap_problem(owner: User, contact: Contact, *, now: datetime) -> str | None:
    waiting = waiting_involving(contact, now=now)
    if len(waiting) < PENDING_PER_PERSON:
        return None
    name = contact.display_name
    if all(intro.introducer_id == owner.id for intro in waiting):
        return (
            f"{name} already has {len(waiting)} of your introductions waiting for an answer. "
            "Wait for one, or withdraw one, first."
        )
    # Others' introductions count too, but say nothing about them.
    return f"{name} has enough introductions waiting for an answer just now. Try again later."


def pair_problems(owner: User, a: Contact, b: Contact, *, now: datetime) -> dict[str, str]:
    """Refusals for this pair (empty when they may be introduced)."""
    problems = {}
    if a.id == b.id:
        return {"b": "Choose two different people."}
    if a.linked_user_id is not None and a.linked_user_id == b.linked_user_id:
        return {"b": "These two contacts are the same person."}
    for key, contact in (("a", a), ("b", b)):
        reason = refusal(contact)
        if reason:
            problems[key] = reason
    if not problems and open_between(owner, a, b, now=now):
        problems["pair"] = (
            f"You already introduced {a.display_name} and {b.display_name}; "
            "it's waiting for their answers."
        )
    if problems:
        return problems
    daily = daily_limit_problem(owner, now=now)
    if daily:
        return {"pair": daily}
    for key, contact in (("a", a), ("b", b)):
        capped = pending_cap_problem(owner, contact, now=now)
        if capped:
            problems[key] = capped
    return problems


@dataclass(frozen=True)
class Familiarity:
    """How well the introducer knows one side, and whether that is too little to vouch."""

    contact: Contact
    assessment: Assessment

    @property
    def barely_known(self) -> bool:
        return not self.assessment.at_least(KNOW_WELL)


def familiarity_with(contact: Contact, *, now: datetime) -> Familiarity:
    """How well the user knows one person: introducing them, or asking them for one."""
    return Familiarity(contact, assess_contact(contact, now=now))


def familiarity(a: Contact, b: Contact, *, now: datetime) -> list[Familiarity]:
    return [familiarity_with(c, now=now) for c in (a, b)]


def clean_text(value, *, limit: int) -> str:
    text = value if isinstance(value, str) else ""
    return " ".join(text.split())[: limit + 1]


def parse_whys(data: dict, a: Contact, b: Contact) -> tuple[dict[str, str], dict[str, str]]:
    whys, errors = {}, {}
    for key, person, other in (("why_a", a, b), ("why_b", b, a)):
        text = clean_text(data.get(key), limit=MAX_WHY)
        if len(text) < MIN_WHY:
            errors[key] = (
                f"Tell {first_name(person.display_name)} in a sentence why they should meet "
                f"{first_name(other.display_name)}."
            )
        elif len(text) > MAX_WHY:
            errors[key] = f"Keep it under {MAX_WHY} characters."
        whys[key] = text
    return whys, errors


def create_introduction(
    owner: User,
    a: Contact,
    b: Contact,
    *,
    why_a: str,
    why_b: str,
    confirmed: bool,
    now: datetime,
    expiry_days: int = EXPIRY_DAYS,
) -> Introduction:
    """Introduce two of the owner's contacts (the caller commits).

    Raises IntroductionRefused for a refused pair, a missing "why", or when the owner barely
    knows either side and did not confirm they still want to vouch for them. Sides on
    EventMate are asked by push too.
    """
    if a.owner_id != owner.id or b.owner_id != owner.id:
        raise PermissionError("both contacts must belong to the introducer")
    # One at a time per introducer, so a double tap cannot start the same introduction twice,
    # and per EventMate user introduced, so two introducers cannot both pass their cap.
    people = {owner.id, *(c.linked_user_id for c in (a, b) if c.linked_user_id is not None)}
    db.session.execute(
        sa.select(User.id).where(User.id.in_(people)).order_by(User.id).with_for_update()
    )
    errors = pair_problems(owner, a, b, now=now)
    whys, why_errors = parse_whys({"why_a": why_a, "why_b": why_b}, a, b)
    errors |= why_errors
    if not errors and not confirmed:
        barely = [f.contact.display_name for f in familiarity(a, b, now=now) if f.barely_known]
        if barely:
            errors["confirm"] = (
                f"You don't know {' or '.join(barely)} well yet. Tick the box to confirm you "
                "still want to put your name behind this introduction."
            )
    if errors:
        raise IntroductionRefused(errors)
    intro = Introduction(
        introducer_id=owner.id, created_at=now, expires_at=now + timedelta(days=expiry_days)
    )
    for position, contact, why in (("a", a, whys["why_a"]), ("b", b, whys["why_b"])):
        intro.sides.append(
            IntroductionSide(
                position=position,
                contact_id=contact.id,
                is_member=contact.linked_user_id is not None,
                user_id=contact.linked_user_id,
                name=contact.display_name[:120],
                why=why,
            )
        )
    db.session.add(intro)
    db.session.flush()
    from .notices import asked  # notices reads this module's helpers

    asked(intro, now=now)
    return intro


# Consent links -------------------------------------------------------------------------------


def _digest(verifier: str) -> str:
    return hashlib.sha256(verifier.encode()).hexdigest()


def issue_link(side: IntroductionSide, *, now: datetime) -> str:
    """A new consent link token for this side; any earlier one stops working. Only the hash
    of its secret half is stored, so the token can be shown this once."""
    selector = secrets.token_urlsafe(9)  # 12 characters: finds the row
    verifier = secrets.token_urlsafe(24)  # 32 characters, 192 random bits: proves the link
    side.link_selector = selector
    side.link_hash = _digest(verifier)
    side.link_issued_at = now
    return f"{selector}.{verifier}"


def side_for_token(token: str) -> IntroductionSide | None:
    match = TOKEN_PATTERN.match(token or "")
    if match is None:
        return None
    selector, verifier = match.groups()
    side = db.session.scalar(
        sa.select(IntroductionSide).where(IntroductionSide.link_selector == selector)
    )
    expected = side.link_hash if side is not None and side.link_hash else _digest("")
    if not hmac.compare_digest(expected, _digest(verifier)) or side is None:
        return None
    return side


def email_of(side: IntroductionSide) -> str:
    contact = side.contact
    return contact.emails[0] if contact is not None and contact.emails else ""


def draft_email(side: IntroductionSide, link: str) -> tuple[str, str]:
    """Subject and body of the message the introducer sends from their own mail app."""
    intro = side.introduction
    other = intro.other(side)
    introducer = intro.introducer.display_name
    until = intro.expires_at.strftime("%-d %B")
    subject = f"Introduction: would you like to meet {other.name}?"
    body = (
        f"Hi {first_name(side.name)},\n\n"
        f"I'd like to introduce you to {other.name}. {side.why}\n\n"
        f"I haven't shared your details with {first_name(other.name)}. If you'd like to "
        "connect, say yes at the link below; once you both have, you'll each get the other's "
        "contact details. If you'd rather not, just decline: only I will know, and no "
        "reason needed.\n\n"
        f"{link}\n\n"
        f"The link works until {until}.\n\n"
        f"Warmly,\n{introducer}"
    )
    return subject, body


def mailto(side: IntroductionSide, link: str) -> str:
    subject, body = draft_email(side, link)
    return (
        f"mailto:{quote(email_of(side), safe='@')}"
        f"?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    )


# Reading -------------------------------------------------------------------------------------


def introductions_made(owner: User) -> list[Introduction]:
    return list(
        db.session.scalars(
            sa.select(Introduction)
            .where(Introduction.introducer_id == owner.id)
            .options(selectinload(Introduction.sides))
            .order_by(Introduction.created_at.desc(), Introduction.id.desc())
        )
    )


def introduction_of(owner: User, intro_id: int) -> Introduction | None:
    """The introduction when this user made it; None otherwise (the view answers 404)."""
    intro = db.session.get(Introduction, intro_id, options=[selectinload(Introduction.sides)])
    return intro if intro is not None and intro.introducer_id == owner.id else None


def requests_for(user: User, *, now: datetime) -> list[IntroductionSide]:
    """Introductions waiting for this user's answer."""
    from .consent import status

    sides = db.session.scalars(
        sa.select(IntroductionSide)
        .join(Introduction)
        .where(
            IntroductionSide.user_id == user.id,
            IntroductionSide.answer == "pending",
            Introduction.state == "pending",
            Introduction.expires_at > now,
        )
        .order_by(Introduction.created_at.desc())
    )
    return [side for side in sides if status(side.introduction, now) == "pending"]


def request_for(user: User, side_id: int) -> IntroductionSide | None:
    side = db.session.get(IntroductionSide, side_id)
    return side if side is not None and side.user_id == user.id else None


def involving(contact: Contact) -> list[tuple[Introduction, IntroductionSide]]:
    """Introductions the owner made of this contact, and the one that brought them (if any)."""
    rows = db.session.execute(
        sa.select(Introduction, IntroductionSide)
        .join(IntroductionSide)
        .where(
            sa.or_(
                sa.and_(
                    Introduction.introducer_id == contact.owner_id,
                    IntroductionSide.contact_id == contact.id,
                ),
                IntroductionSide.received_contact_id == contact.id,
            )
        )
        .order_by(Introduction.created_at.desc())
    )
    return [(intro, side) for intro, side in rows]


def unseen_outcomes(owner: User) -> list[Introduction]:
    """Introductions that completed or were declined since the introducer last looked."""
    return list(
        db.session.scalars(
            sa.select(Introduction)
            .where(
                Introduction.introducer_id == owner.id,
                Introduction.state.in_(("completed", "declined")),
                Introduction.outcome_seen.is_(False),
            )
            .options(selectinload(Introduction.sides))
            .order_by(Introduction.closed_at.desc())
        )
    )
