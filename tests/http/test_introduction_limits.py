"""Limits on introductions, over HTTP: at most DAILY_LIMIT started by one introducer in any 24
hours, and at most PENDING_PER_PERSON waiting for answers that involve one person (the same
contact of the introducer, or the same EventMate user whoever introduces them). A refusal says
why in a sentence and writes nothing."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from eventmate.contacts.service import linked_contact
from eventmate.extensions import db
from eventmate.introductions import consent
from eventmate.introductions.service import DAILY_LIMIT, PENDING_PER_PERSON, create_introduction
from eventmate.models import Contact, Introduction, IntroductionSide, PushMessage, User
from tests.factories import make_contact, make_user

from .helpers import count, visible_text

CARA = "cara@example.org"
LISBON = ZoneInfo("Europe/Lisbon")  # Cara's time zone (the accounts fixture's)


@pytest.fixture
def cara(make_client, accounts):
    client = make_client()
    accounts.register(client, email=CARA, name="Cara Mendes")
    return client


def user(email=CARA) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def people(app, *names, owner=CARA) -> list[int]:
    """Contacts Cara typed in, with an email each (so they can be introduced)."""
    with app.app_context():
        ids = [
            make_contact(user(owner), name, emails=[f"{name.lower()}@example.com"]).id
            for name in names
        ]
        db.session.commit()
        return ids


def introduce(client, a: int, b: int):
    return client.post(
        "/introductions/new",
        data={
            "a": a,
            "b": b,
            "why_a": "You both run community meetups.",
            "why_b": "You both run community meetups.",
            "confirm": "yes",
        },
    )


def started_directly(app, introducer_email, a: int, b: int, *, withdraw=False, now=None):
    """An introduction made without HTTP (for the ones before the limit)."""
    with app.app_context():
        owner = user(introducer_email)
        moment = now or datetime.now(UTC)
        intro = create_introduction(
            owner,
            db.session.get(Contact, a),
            db.session.get(Contact, b),
            why_a="You both run community meetups.",
            why_b="You both run community meetups.",
            confirmed=True,
            now=moment,
        )
        if withdraw:
            consent.withdraw(intro, by=owner, now=moment)
        db.session.commit()
        return intro.id


def written(app) -> tuple[int, int, int]:
    return count(app, Introduction), count(app, IntroductionSide), count(app, PushMessage)


def withdraw_all(app):
    with app.app_context():
        for intro in db.session.scalars(
            sa.select(Introduction).where(Introduction.state == "pending")
        ):
            consent.withdraw(intro, by=intro.introducer, now=datetime.now(UTC))
        db.session.commit()


def test_an_introducer_may_start_ten_a_day_and_is_told_when_the_next_one_can_go(app, cara):
    ana, ben = people(app, "Ana", "Ben")
    earliest = datetime.now(UTC) - timedelta(hours=20)
    for made in range(DAILY_LIMIT - 1):  # withdrawn ones count too: no create-withdraw loop
        started_directly(app, CARA, ana, ben, withdraw=True, now=earliest + timedelta(minutes=made))
    assert introduce(cara, ana, ben).status_code == 302  # the tenth: at the limit
    withdraw_all(app)
    before = written(app)
    refused = introduce(cara, ana, ben)
    assert refused.status_code == 422
    text = visible_text(refused)
    assert "You've started 10 introductions in the last 24 hours, the most for one day." in text
    next_slot = (earliest + timedelta(hours=24)).astimezone(LISBON).strftime("%H:%M")
    assert "You can make the next one " in text and next_slot in text
    assert written(app) == before
    # The page to start one says so before anything is typed.
    assert "the most for one day" in visible_text(cara.get(f"/introductions/new?a={ana}&b={ben}"))
    # 24 hours after the first one, there is room for one more.
    with app.app_context():
        first = db.session.scalars(sa.select(Introduction).order_by(Introduction.id)).first()
        first.created_at = datetime.now(UTC) - timedelta(hours=24, minutes=1)
        db.session.commit()
    assert introduce(cara, ana, ben).status_code == 302


def test_one_contact_waits_for_at_most_three_of_my_introductions(app, cara):
    ana, *others = people(app, "Ana", "Ben", "Dan", "Eve", "Fay")
    for other in others[: PENDING_PER_PERSON - 1]:
        started_directly(app, CARA, ana, other)
    assert introduce(cara, ana, others[2]).status_code == 302  # the third: at the cap
    before = written(app)
    refused = introduce(cara, ana, others[3])
    assert refused.status_code == 422
    assert (
        "Ana already has 3 of your introductions waiting for an answer. "
        "Wait for one, or withdraw one, first."
    ) in visible_text(refused)
    assert written(app) == before
    # Either side counts: Fay introduced to Ana is refused the same way.
    assert introduce(cara, others[3], ana).status_code == 422
    # Someone else is fine, and a withdrawn or expired one makes room.
    assert introduce(cara, others[0], others[3]).status_code == 302
    with app.app_context():
        [waiting] = [
            intro
            for intro in db.session.scalars(sa.select(Introduction))
            if {side.contact_id for side in intro.sides} == {ana, others[0]}
        ]
        waiting.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    assert introduce(cara, ana, others[3]).status_code == 302


def test_one_eventmate_user_waits_for_at_most_three_whoever_introduces_them(app, cara):
    """Ben is on EventMate: introductions of him by Dario and Elif count towards Cara's too, and
    Cara is told so without a word about theirs."""
    with app.app_context():
        ben = make_user("Ben Okafor")
        ben_id = ben.id
        introducers = {}
        for name in ("Dario", "Elif", "Cara"):
            owner = user() if name == "Cara" else make_user(name)
            bens, _ = linked_contact(owner, ben)
            friends = [
                make_contact(owner, f"{name}'s friend {n}", emails=[f"{name}{n}@example.com"])
                for n in range(2)
            ]
            db.session.flush()
            introducers[name] = (owner.email, bens.id, [friend.id for friend in friends])
        db.session.commit()
    dario, elif_, mine = introducers["Dario"], introducers["Elif"], introducers["Cara"]
    started_directly(app, dario[0], dario[1], dario[2][0])
    started_directly(app, dario[0], dario[1], dario[2][1])
    started_directly(app, elif_[0], elif_[1], elif_[2][0])
    before = written(app)
    refused = introduce(cara, mine[1], mine[2][0])
    assert refused.status_code == 422
    text = visible_text(refused)
    assert "Ben Okafor has enough introductions waiting for an answer just now." in text
    assert "Dario" not in text and "Elif" not in text
    assert written(app) == before
    assert introduce(cara, mine[2][0], mine[2][1]).status_code == 302  # others are fine
    # Once Ben answers one, there is room again.
    with app.app_context():
        side = db.session.scalars(
            sa.select(IntroductionSide).where(IntroductionSide.user_id == ben_id)
        ).first()
        consent.decline(side, now=datetime.now(UTC))
        db.session.commit()
    assert introduce(cara, mine[1], mine[2][0]).status_code == 302
