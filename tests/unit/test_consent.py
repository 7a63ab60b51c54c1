"""The double opt-in state machine, called as plain functions (no HTTP).

Every sequence of up to three steps — either side accepting or declining, the introducer
withdrawing, the clock passing the expiry — is checked against a small reference model, and
after each step: nobody got anyone's details unless both said yes.
"""

import secrets
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventmate.contacts.service import linked_contact
from eventmate.database import begin_write
from eventmate.extensions import db
from eventmate.introductions import consent
from eventmate.introductions.service import create_introduction, issue_link, side_for_token
from eventmate.models import Contact, FollowUp, Introduction, IntroductionSide, User
from tests.state_machines import explore_in_savepoints

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
STEPS = ("a accepts", "a declines", "b accepts", "b declines", "withdraw", "expire")


def make_user(name: str) -> User:
    user = User(
        email=f"{secrets.token_hex(6)}@example.org",
        password_hash="not-a-real-hash",
        display_name=name,
        timezone="Europe/Lisbon",
        public_email=True,
    )
    db.session.add(user)
    db.session.flush()
    return user


def start_introduction(*, a_member=True, b_member=True):
    """Cara introduces Ana to Ben; either may be on EventMate or only in Cara's contacts."""
    cara = make_user("Cara Introducer")
    people = {}
    for position, member, name in (("a", a_member, "Ana Side"), ("b", b_member, "Ben Side")):
        if member:
            user = make_user(name)
            contact, _ = linked_contact(cara, user)
        else:
            user = None
            contact = Contact(
                owner_id=cara.id,
                source="manual",
                full_name=name,
                company="Tideway",
                emails=[f"{position}-{secrets.token_hex(3)}@example.com"],
                notes="Cara's private note",
            )
            db.session.add(contact)
            db.session.flush()
        people[position] = (user, contact)
    intro = create_introduction(
        cara,
        people["a"][1],
        people["b"][1],
        why_a="Ben runs the Porto meetup you asked about.",
        why_b="Ana is hiring designers for her team.",
        confirmed=True,
        now=START,
    )
    db.session.commit()
    return cara, intro, people


def received(user: User | None, other: User | None, other_name: str) -> list[Contact]:
    """The contacts `user` has for the other side (by link or by name)."""
    if user is None:
        return []
    criteria = [Contact.owner_id == user.id]
    if other is not None:
        criteria.append(Contact.linked_user_id == other.id)
    else:
        criteria.append(Contact.full_name == other_name)
    return list(db.session.scalars(sa.select(Contact).where(*criteria)))


class Reference:
    """What should happen, independent of the implementation."""

    def __init__(self, state="pending", answers=None):
        self.state = state
        self.answers = dict(answers or {"a": "pending", "b": "pending"})

    def copy(self) -> "Reference":
        return Reference(self.state, self.answers)

    def step(self, name: str) -> str | None:
        """Apply a step; the ConsentError code it should raise, if any."""
        if name == "expire":
            if self.state == "pending":
                self.state = "expired"
            return None
        if name == "withdraw":
            if self.state != "pending":
                return "closed"
            self.state = "withdrawn"
            return None
        position, verb = name.split()
        if self.state != "pending":
            return "closed"
        if self.answers[position] != "pending":
            return "answered"
        if verb == "declines":
            self.answers[position] = "declined"
            self.state = "declined"
        else:
            self.answers[position] = "accepted"
            if all(answer == "accepted" for answer in self.answers.values()):
                self.state = "completed"
        return None


def run_step(name: str, cara: User, intro: Introduction, now: datetime) -> str | None:
    try:
        if name == "withdraw":
            consent.withdraw(intro, by=cara, now=now)
        elif name != "expire":
            position, verb = name.split()
            side = intro.side(position)
            if verb == "accepts":
                consent.accept(side, now=now)
            else:
                consent.decline(side, reason="Not the right time", now=now)
    except consent.ConsentError as error:
        return error.code
    return None


def check(intro, ids, model, now, path) -> None:
    """The implementation agrees with the model, and nobody has anyone's details unless both
    said yes: not a contact, not a follow-up."""
    assert consent.status(intro, now) == model.state, path
    assert {side.position: side.answer for side in intro.sides} == model.answers, path
    connected = model.state == "completed"
    ana_id, ben_id = ids
    contacts = db.session.execute(
        sa.select(Contact.owner_id, Contact.linked_user_id).where(
            Contact.owner_id.in_(ids), Contact.linked_user_id.in_(ids)
        )
    ).all()
    assert sorted(contacts) == ([(ana_id, ben_id), (ben_id, ana_id)] if connected else []), path
    follow_ups = db.session.scalar(
        sa.select(sa.func.count()).where(
            FollowUp.owner_id.in_(ids), FollowUp.reason == "introduction"
        )
    )
    assert follow_ups == (2 if connected else 0), path


def answer_steps(cara, intro, ids):
    """The step-taker for `explore_in_savepoints`; its state is (reference, now)."""

    def take_step(step: str, state, path: tuple[str, ...]):
        model, now = state
        after = model.copy()
        step_now = intro.expires_at + timedelta(minutes=1) if step == "expire" else now
        expected_error = after.step(step)
        assert run_step(step, cara, intro, step_now) == expected_error, path
        db.session.expire_all()
        check(intro, ids, after, step_now, path)
        return after, step_now

    return take_step


def test_every_sequence_of_answers_matches_the_reference(app):
    with app.app_context():
        cara, intro, people = start_introduction()
        ids = sorted(user.id for user, _ in people.values())
        check(intro, ids, Reference(), START, ())
        start = (Reference(), START + timedelta(hours=1))
        explored = explore_in_savepoints(STEPS, start, answer_steps(cara, intro, ids))
        assert explored == 6 + 36 + 216


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_both_accepting_in_either_order_connects_them(app, order):
    with app.app_context():
        _cara, intro, people = start_introduction()
        (ana, _), (ben, _) = people["a"], people["b"]
        first, second = (intro.side(p) for p in order)
        assert consent.accept(first, now=START) == "pending"
        assert consent.accept(second, now=START + timedelta(hours=2)) == "completed"
        db.session.commit()
        [ben_for_ana] = received(ana, ben, "")
        [ana_for_ben] = received(ben, ana, "")
        # Linked like an exchange, from the public card only.
        assert ben_for_ana.source == "exchange" and ben_for_ana.full_name == "Ben Side"
        assert ben_for_ana.emails == [ben.email]  # Ben shows his email on his card
        assert "via Cara Introducer" in [tag.name for tag in ben_for_ana.tags]
        assert "Introduced by Cara Introducer" in ben_for_ana.notes
        assert "Ben runs the Porto meetup" in ben_for_ana.notes  # the why Ana was given
        assert "Ana is hiring designers" in ana_for_ben.notes
        assert intro.side("a").received_contact_id == ben_for_ana.id
        assert intro.state == "completed" and intro.outcome_seen is False  # Cara is told
        follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.owner_id == ana.id))
        assert follow_up.contact_id == ben_for_ana.id and follow_up.state == "open"
        # The next morning at 9:00 in Lisbon (UTC+0 in November).
        assert follow_up.due_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_a_decline_tells_the_introducer_only(app):
    with app.app_context():
        _cara, intro, people = start_introduction()
        consent.accept(intro.side("a"), now=START)
        consent.decline(intro.side("b"), reason="  Too busy   this month ", now=START)
        db.session.commit()
        assert intro.state == "declined" and intro.outcome_seen is False
        assert intro.side("b").decline_reason == "Too busy this month"
        assert received(people["a"][0], people["b"][0], "") == []
        # Ana's own view of the introduction: closed, no reason, no decline.
        assert consent.status(intro, START) == "declined"
        with pytest.raises(consent.ConsentError) as error:
            consent.accept(intro.side("a"), now=START)
        assert error.value.code == "closed"


def test_a_non_member_side_gets_what_the_introducer_had_only_once_both_accept(app):
    with app.app_context():
        _cara, intro, people = start_introduction(a_member=True, b_member=False)
        ana, _ = people["a"]
        _, ben_contact = people["b"]
        consent.accept(intro.side("b"), now=START)
        db.session.commit()
        assert received(ana, None, "Ben Side") == []
        consent.accept(intro.side("a"), now=START)
        db.session.commit()
        [ben_for_ana] = received(ana, None, "Ben Side")
        assert ben_for_ana.source == "introduction"
        assert ben_for_ana.emails == ben_contact.emails
        assert ben_for_ana.company == "Tideway"
        assert "Cara's private note" not in ben_for_ana.notes  # never the introducer's notes
        # Only one FollowUp: the non-member has no account.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 1


def test_deleting_a_side_stops_the_introduction(app):
    with app.app_context():
        _cara, intro, people = start_introduction(b_member=False)
        db.session.delete(people["b"][1])
        db.session.commit()
        db.session.expire_all()
        assert consent.status(intro, START) == "withdrawn"
        with pytest.raises(consent.ConsentError):
            consent.accept(intro.side("a"), now=START)


def test_only_the_introducer_can_withdraw(app):
    with app.app_context():
        _cara, intro, people = start_introduction()
        with pytest.raises(PermissionError):
            consent.withdraw(intro, by=people["a"][0], now=START)


def test_links_are_random_stored_hashed_and_replaced(app):
    with app.app_context():
        _cara, intro, _people = start_introduction(b_member=False)
        side = intro.side("b")
        token = issue_link(side, now=START)
        db.session.commit()
        selector, verifier = token.split(".")
        assert len(verifier) == 32  # 24 random bytes: 192 bits
        stored = db.session.execute(
            sa.select(IntroductionSide.link_selector, IntroductionSide.link_hash)
        ).all()
        assert all(verifier not in (value or "") for row in stored for value in row)
        assert side_for_token(token) is side
        assert side_for_token(f"{selector}.{'A' * 32}") is None
        assert side_for_token("nonsense") is None
        newer = issue_link(side, now=START)
        db.session.commit()
        assert side_for_token(token) is None
        assert side_for_token(newer) is side


def test_both_accepting_at_the_same_moment_connects_them_once(app):
    """Two answers racing: the introduction row lock makes the second see the first."""
    with app.app_context():
        _cara, intro, people = start_introduction()
        intro_id = intro.id
        ids = sorted(user.id for user, _ in people.values())
        db.session.remove()
    barrier = threading.Barrier(2)
    errors = []

    def answer(position):
        with app.app_context():
            try:
                side = db.session.scalar(
                    sa.select(IntroductionSide).where(
                        IntroductionSide.introduction_id == intro_id,
                        IntroductionSide.position == position,
                    )
                )
                _ = side.introduction.sides
                db.session.commit()  # end the read, as a request starts fresh
                barrier.wait(timeout=10)
                begin_write()
                consent.accept(side, now=START)
                db.session.commit()
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=answer, args=(p,)) for p in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        intro = db.session.get(Introduction, intro_id)
        check(intro, ids, Reference("completed", {"a": "accepted", "b": "accepted"}), START, ())
