"""Reviewing shared details, called as plain functions (no HTTP).

Every sequence of up to three owner actions — accept (keeping the note or not), merge (taking
theirs or keeping mine), dismiss — is checked against a small reference model, and after each
step: nothing reached the owner's contacts before they accepted or merged, and a replayed step
changed nothing.
"""

import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventmate.database import begin_write
from eventmate.events.service import create_event
from eventmate.extensions import db
from eventmate.models import Contact, FollowUp, Meeting, ReviewState, SharedDetails
from eventmate.relationships.evidence import evidence_for
from eventmate.shared_details import review
from eventmate.shared_details.service import MERGE_FIELDS, looks_like, merge_choices, receive
from tests.factories import make_contact, make_user
from tests.state_machines import explore_in_savepoints

SHARED_AT = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
REVIEWED_AT = SHARED_AT + timedelta(days=2)  # two days later: the shared time is kept
THEIRS = {
    "name": "Carla Souza",
    "email": "carla@example.org",
    "phone": "+351 912 345 678",
    "company": "Harbour Labs",
    "url": "https://carla.example",
    "note": "Met at the coffee bar",
}
MINE = {
    "full_name": "Carla S.",
    "emails": ["CARLA@example.org"],
    "phones": [],
    "company": "",
    "urls": [],
    "notes": "Mine",
}
STEPS = ("accept", "accept, no note", "merge theirs", "merge mine, no note", "dismiss")


def start():
    """Ana has Carla as a contact she typed in; a visitor shares Carla's details on her card
    while Ana's conference runs."""
    ana = make_user("Ana Ribeiro")
    event = create_event(ana, name="DevConf", timezone="Europe/Lisbon")
    fields = {name: value for name, value in MINE.items() if name != "full_name"}
    carla = make_contact(ana, MINE["full_name"], **fields)
    shared = receive(ana, **THEIRS, now=SHARED_AT)
    db.session.commit()
    return ana, event, carla, shared


@dataclass
class Reference:
    """What should happen, independent of the implementation."""

    state: str = "pending"
    new_contact_notes: str | None = None  # the new contact's notes, once accepted
    mine: dict = field(default_factory=lambda: dict(MINE))

    def step(self, name: str) -> bool:
        """Apply a step; whether it should be refused (the review is closed)."""
        action = name.split()[0].rstrip(",")
        target = {"accept": "accepted", "merge": "merged", "dismiss": "dismissed"}[action]
        if self.state != "pending":
            return self.state != target  # the same step again is a replay, anything else closed
        self.state = target
        keep_note = "no note" not in name
        if action == "accept":
            self.new_contact_notes = THEIRS["note"] if keep_note else ""
        elif action == "merge":
            if "theirs" in name:
                self.mine = self.mine | {
                    "full_name": THEIRS["name"],
                    "phones": [THEIRS["phone"]],  # the email was the same: nothing to choose
                    "company": THEIRS["company"],
                    "urls": [THEIRS["url"]],
                }
            if keep_note:
                self.mine = self.mine | {"notes": f"Mine\n\n{THEIRS['note']}"}
        return False


def run_step(name: str, shared: SharedDetails, carla: Contact) -> tuple[bool, int | None]:
    """Refused?, and the id of the contact the step returned."""
    keep_note = "no note" not in name
    try:
        if name.startswith("accept"):
            contact = review.accept(shared, keep_note=keep_note, now=REVIEWED_AT)
        elif name.startswith("merge"):
            take = set(MERGE_FIELDS) if "theirs" in name else set()
            contact = review.merge(shared, carla, take=take, keep_note=keep_note, now=REVIEWED_AT)
        else:
            contact = review.dismiss(shared, now=REVIEWED_AT)
    except review.ReviewError:
        return True, None
    return False, contact.id if contact is not None else None


def check(ana, event, carla, shared, model: Reference, path) -> None:
    assert shared.state == model.state, path
    contacts = db.session.scalars(
        sa.select(Contact).where(Contact.owner_id == ana.id).order_by(Contact.id)
    ).all()
    mine = {name: getattr(carla, name) for name in MINE}
    assert mine == model.mine, path
    new = [contact for contact in contacts if contact.id != carla.id]
    reviewed = model.state in ("accepted", "merged")
    if model.state == "accepted":
        [contact] = new
        assert (contact.full_name, contact.emails, contact.phones, contact.notes) == (
            THEIRS["name"],
            [THEIRS["email"]],
            [THEIRS["phone"]],
            model.new_contact_notes,
        ), path
        assert (contact.company, contact.urls) == (THEIRS["company"], [THEIRS["url"]]), path
        assert contact.source == "shared_back" and contact.created_at == SHARED_AT, path
        assert shared.contact_id == contact.id, path
    else:
        assert new == [], path
    # Evidence of knowing someone: a meeting and a follow-up only once accepted or merged,
    # at the time they shared, noted at the event running then.
    meetings = db.session.execute(
        sa.select(Meeting.contact_id, Meeting.kind, Meeting.met_at, Meeting.event_id)
        .join(Contact)
        .where(Contact.owner_id == ana.id)
    ).all()
    expected_contact = shared.contact_id if reviewed else None
    assert meetings == (
        [(expected_contact, "shared_back", SHARED_AT, event.id)] if reviewed else []
    ), path
    follow_ups = db.session.scalars(sa.select(FollowUp).where(FollowUp.owner_id == ana.id)).all()
    assert [f.contact_id for f in follow_ups] == ([expected_contact] if reviewed else []), path
    assert evidence_for(carla, now=REVIEWED_AT).messages == int(model.state == "merged"), path
    if model.state == "dismissed":  # a stranger's details are not kept once dismissed
        kept = (shared.full_name, shared.email, shared.phone, shared.company, shared.url)
        assert (*kept, shared.note) == ("",) * 6, path


def review_steps(ana, event, carla, shared):
    """The step-taker for `explore_in_savepoints`: a replay returns what the first step
    returned."""

    def take_step(step: str, model: Reference, path: tuple[str, ...]) -> Reference:
        after = replace(model, mine=dict(model.mine))
        first_result = shared.contact_id
        expected_refusal = after.step(step)
        refused, returned = run_step(step, shared, carla)
        assert refused == expected_refusal, path
        if not refused and after.state != "dismissed":
            assert returned == shared.contact_id, path
            if model.state != "pending":
                assert returned == first_result, path
        db.session.expire_all()
        check(ana, event, carla, shared, after, path)
        return after

    return take_step


def test_every_sequence_of_review_steps_matches_the_reference(app):
    with app.app_context():
        ana, event, carla, shared = start()
        check(ana, event, carla, shared, Reference(), ())
        take_step = review_steps(ana, event, carla, shared)
        assert explore_in_savepoints(STEPS, Reference(), take_step) == 5 + 25 + 125


def test_merging_elsewhere_is_refused(app):
    with app.app_context():
        _ana, _event, _carla, shared = start()
        ben = make_user("Ben Okafor")
        bens = make_contact(ben, "Carla Souza")
        with pytest.raises(PermissionError):
            review.merge(shared, bens, take={"name"}, keep_note=True, now=REVIEWED_AT)
        assert shared.state == ReviewState.PENDING


def test_what_it_looks_like_email_first_then_phone_then_name(app):
    with app.app_context():
        ana = make_user("Ana Ribeiro")
        by_name = make_contact(ana, "carla   SOUZA")
        by_phone = make_contact(ana, "C.", phones=["912345678"])
        shared = receive(ana, **THEIRS, now=SHARED_AT)
        db.session.flush()
        assert (looks_like(shared).contact, looks_like(shared).reason) == (
            by_phone,
            "the same phone",
        )
        by_email = make_contact(ana, "Someone", emails=["x@example.org", "Carla@Example.org"])
        assert looks_like(shared).contact == by_email
        db.session.delete(by_email)
        db.session.delete(by_phone)
        assert looks_like(shared).contact == by_name
        assert merge_choices(by_name, shared)[0].key == "email"  # the name is the same
        db.session.delete(by_name)
        assert looks_like(shared) is None
        other = make_user("Ben Okafor")
        make_contact(other, "Carla Souza", emails=["carla@example.org"])
        assert looks_like(shared) is None  # only the owner's own contacts


def test_the_same_details_sent_twice_wait_once(app):
    with app.app_context():
        ana = make_user("Ana Ribeiro")
        first = receive(ana, **THEIRS, now=SHARED_AT)
        db.session.flush()
        assert receive(ana, **THEIRS, now=REVIEWED_AT) is first
        other = receive(ana, **(THEIRS | {"note": "Another note"}), now=REVIEWED_AT)
        assert other is not first
        review.dismiss(first, now=REVIEWED_AT)
        assert receive(ana, **THEIRS, now=REVIEWED_AT) not in (first, other)


def test_two_taps_at_the_same_moment_make_one_contact(app):
    """Accepting on two phones at once: the row lock makes the second a replay."""
    with app.app_context():
        ana = make_user("Ana Ribeiro")
        receive(ana, **THEIRS, now=SHARED_AT)
        db.session.commit()
        shared_id = db.session.scalars(sa.select(SharedDetails.id)).one()
        db.session.remove()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def tap():
        with app.app_context():
            try:
                shared = db.session.get(SharedDetails, shared_id)
                db.session.commit()  # end the read, as a request starts fresh
                barrier.wait(timeout=10)
                begin_write()
                contact = review.accept(shared, keep_note=True, now=REVIEWED_AT)
                db.session.commit()
                results.append(contact.id)
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        [contact_id] = db.session.scalars(sa.select(Contact.id)).all()
        assert results == [contact_id, contact_id]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 1
