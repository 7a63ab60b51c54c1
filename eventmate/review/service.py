"""What the monthly review shows, and its one-tap answers.

The review looks at the network as a portfolio: people not in touch for a long time, grouped by
how well the user knows them (relationships/levels.py); allies due a keep-in-touch; role models
not met in six months; introductions the user made lately and whether they connected; and
follow-ups that never happened. Each item (a contact, or an introduction) can be reached out to
(a drafted message in the inbox), archived, or kept as it is: "keep as is" takes it out of
reviews for KEEP_DAYS. A contact shows once, in the first section that names them.

The month's summary counts, in the user's time zone, the calendar month just ended against the
one before: new people, follow-ups sent, introductions made.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..followups.service import open_follow_up
from ..ids import is_database_id
from ..introductions.consent import status
from ..introductions.service import introductions_made
from ..models import Contact, FollowUp, Introduction, ReviewKeep, User
from ..relationships import levels
from ..relationships.allies import KEEP_IN_TOUCH_REASON, allies_of, next_reminder
from ..relationships.evidence import assess_contact, last_touch
from ..relationships.role_models import invite_to_lunch, not_met_lately

STALE_DAYS = 120  # "not in touch for a long time": about four months
ALLY_NOTICE = timedelta(days=7)  # allies whose reminder comes within a week
LATE_FOLLOW_UP_DAYS = 14
INTRODUCTIONS_DAYS = 90
KEEP_DAYS = 90
MAX_PER_GROUP = 8
MAX_ASSESSED = 120
STALE_GROUPS = (levels.KNOW_WELL, levels.GETTING_TO_KNOW, levels.JUST_MET)
ITEM_KINDS = ("contact", "introduction")


@dataclass(frozen=True)
class Item:
    """One line of the review: a contact (or an introduction, with the contact to ask)."""

    key: str  # "contact:7" or "introduction:3": what "keep as is" remembers
    contact: Contact
    since: datetime | None = None  # last in touch / last met / due
    introduction: Introduction | None = None
    state: str = ""  # an introduction's status


@dataclass(frozen=True)
class Month:
    first: date
    new_people: int
    follow_ups_sent: int
    introductions_made: int


@dataclass
class Review:
    stale: list[tuple[str, list[Item]]] = field(default_factory=list)  # (level label, items)
    allies: list[Item] = field(default_factory=list)
    role_models: list[Item] = field(default_factory=list)
    introductions: list[Item] = field(default_factory=list)
    missed: list[Item] = field(default_factory=list)
    month: Month | None = None
    before: Month | None = None

    @property
    def is_empty(self) -> bool:
        sections = (self.allies, self.role_models, self.introductions, self.missed)
        return not any(sections) and not any(items for _, items in self.stale)


def contact_key(contact: Contact) -> str:
    return f"contact:{contact.id}"


def _kept(owner: User, now: datetime) -> set[str]:
    return set(
        db.session.scalars(
            sa.select(ReviewKeep.item).where(
                ReviewKeep.owner_id == owner.id, ReviewKeep.until > now
            )
        )
    )


def _active_contacts(owner: User) -> list[Contact]:
    return list(
        db.session.scalars(
            sa.select(Contact)
            .where(Contact.owner_id == owner.id, Contact.archived_at.is_(None))
            .options(selectinload(Contact.meetings), selectinload(Contact.answers))
            .order_by(Contact.id)
        )
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(first: date) -> date:
    return month_start(first - timedelta(days=1))


def _month_counts(owner: User, first: date) -> Month:
    zone = ZoneInfo(owner.timezone)
    nxt = month_start(first + timedelta(days=32))
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(nxt, time(), zone)

    def count(model, column, *where):
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(model)
            .where(*where, column >= start, column < end)
        )

    return Month(
        first,
        new_people=count(Contact, Contact.created_at, Contact.owner_id == owner.id),
        follow_ups_sent=count(
            FollowUp, FollowUp.done_at, FollowUp.owner_id == owner.id, FollowUp.state == "done"
        ),
        introductions_made=count(
            Introduction, Introduction.created_at, Introduction.introducer_id == owner.id
        ),
    )


def monthly_review(owner: User, *, now: datetime) -> Review:
    review = Review()
    kept = _kept(owner, now)
    shown: set[int] = set()

    def take(contact: Contact, key: str | None = None) -> bool:
        if contact.id in shown or (key or contact_key(contact)) in kept or contact.archived_at:
            return False
        shown.add(contact.id)
        return True

    for ally in allies_of(owner):
        due = next_reminder(owner, ally)
        if due is not None and due <= now + ALLY_NOTICE and take(ally):
            review.allies.append(Item(contact_key(ally), ally, last_touch(ally)))
    for item in not_met_lately(owner, now=now):
        if take(item.contact):
            review.role_models.append(Item(contact_key(item.contact), item.contact, item.last_met))
    late = db.session.scalars(
        sa.select(FollowUp)
        .where(
            FollowUp.owner_id == owner.id,
            FollowUp.state == "open",
            FollowUp.due_at < now - timedelta(days=LATE_FOLLOW_UP_DAYS),
        )
        .options(selectinload(FollowUp.contact))
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    for follow_up in late:
        if take(follow_up.contact):
            review.missed.append(
                Item(contact_key(follow_up.contact), follow_up.contact, follow_up.due_at)
            )
    review.introductions = _introductions(owner, now=now, kept=kept)
    review.stale = _stale_groups(owner, now=now, take=take)
    this_month = month_start(now.astimezone(ZoneInfo(owner.timezone)).date())
    review.month = _month_counts(owner, previous_month(this_month))
    review.before = _month_counts(owner, previous_month(review.month.first))
    return review


def _introductions(owner: User, *, now: datetime, kept: set[str]) -> list[Item]:
    since = now - timedelta(days=INTRODUCTIONS_DAYS)
    found = []
    for intro in introductions_made(owner):
        key = f"introduction:{intro.id}"
        if intro.created_at < since or key in kept:
            continue
        side = next((s for s in intro.sides if s.contact_id is not None), None)
        contact = db.session.get(Contact, side.contact_id) if side else None
        if contact is not None and contact.archived_at is None:
            found.append(Item(key, contact, intro.created_at, intro, status(intro, now)))
    return found


def _last_follow_ups(owner: User) -> dict[int, datetime]:
    """contact id → the last follow-up done, in one query (`last_touch` asks per contact)."""
    rows = db.session.execute(
        sa.select(FollowUp.contact_id, sa.func.max(FollowUp.done_at))
        .where(FollowUp.owner_id == owner.id, FollowUp.state == "done")
        .group_by(FollowUp.contact_id)
    )
    return {contact_id: done_at for contact_id, done_at in rows if done_at is not None}


def _stale_groups(owner: User, *, now: datetime, take) -> list[tuple[str, list[Item]]]:
    """The longest out of touch first, each assessed (a few queries each) only until every
    group is full or MAX_ASSESSED were looked at: a monthly look needs the oldest few."""
    cutoff = now - timedelta(days=STALE_DAYS)
    groups: dict[str, list[Item]] = {level: [] for level in STALE_GROUPS}
    done = _last_follow_ups(owner)
    candidates = []
    for contact in _active_contacts(owner):
        moments = [contact.created_at, *(m.met_at for m in contact.meetings)]
        touched = max([*moments, done[contact.id]] if contact.id in done else moments)
        if touched < cutoff and not contact.is_ally:
            candidates.append((touched, contact))
    candidates.sort(key=lambda pair: (pair[0], pair[1].id))
    for touched, contact in candidates[:MAX_ASSESSED]:
        if all(len(group) >= MAX_PER_GROUP for group in groups.values()):
            break
        group = groups.get(assess_contact(contact, now=now).level)
        if group is not None and len(group) < MAX_PER_GROUP and take(contact):
            group.append(Item(contact_key(contact), contact, touched))
    return [(levels.LABELS[level], items) for level, items in groups.items() if items]


# --- the one-tap answers ----------------------------------------------------------------------


def parse_item(value) -> tuple[str, int] | None:
    """("contact", 7) from "contact:7"; None for anything else."""
    kind, _, number = str(value or "").partition(":")
    if kind not in ITEM_KINDS or not number.isdigit() or len(number) > 12:
        return None
    return (kind, int(number)) if is_database_id(int(number)) else None


def keep_as_is(owner: User, item: str, *, now: datetime) -> None:
    """Out of reviews for KEEP_DAYS (the caller checked the item is the owner's, and commits)."""
    until = now + timedelta(days=KEEP_DAYS)
    found = db.session.scalar(
        sa.select(ReviewKeep).where(ReviewKeep.owner_id == owner.id, ReviewKeep.item == item)
    )
    if found is None:
        db.session.add(ReviewKeep(owner_id=owner.id, item=item, until=until))
    else:
        found.until = until


def reach_out(owner: User, contact: Contact, *, now: datetime) -> FollowUp:
    """A drafted message due now: a role model's lunch invitation, else the open follow-up
    (any reason), else a new "catching up" one. The caller commits."""
    if contact.is_role_model:
        return invite_to_lunch(owner, contact, now=now)
    current = open_follow_up(contact)
    if current is None:
        current = FollowUp(
            owner_id=owner.id,
            contact_id=contact.id,
            due_at=now,
            reason=KEEP_IN_TOUCH_REASON,
            created_at=now,
        )
        db.session.add(current)
    current.due_at = min(current.due_at, now)
    db.session.flush()
    return current
