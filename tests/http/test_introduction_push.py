"""Introductions by push: each transition of the double opt-in writes the right message for
the right person, the dispatcher sends it to the fake push service at once (not the next
morning), and no push says anything about one side to the other before both said yes."""

# ruff: noqa: F811 -- pytest fixtures imported from other test modules, used as arguments

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import Contact, PushDelivery, PushMessage, User
from eventmate.models.base import utcnow
from eventmate.reminders.dispatch import Dispatcher, Settings

from ..push_service import add_device
from .test_introductions import (  # noqa: F401 -- fixtures
    ANA,
    BEN,
    CARA,
    WHY_ANA,
    WHY_BEN,
    cara,
    circle,
    side_id,
    started,
)


def phones(app, service) -> dict[str, dict]:
    """A subscribed phone each for Ana, Ben and Cara."""
    found = {}
    with app.app_context():
        for email in (ANA, BEN, CARA):
            user = db.session.scalar(sa.select(User).where(User.email == email))
            found[email] = service.subscribe()
            add_device(user, found[email])
        db.session.commit()
    return found


def send_now(app):
    """A sending pass of the dispatcher (no digests planned): what `reminders run` does every
    few seconds. Its clock is a day ahead, so that a message written at night is sent too."""
    moment = utcnow() + timedelta(days=1)
    with app.app_context():
        dispatcher = Dispatcher(settings=Settings(threads=2), clock=lambda: moment)
        return dispatcher.run_once(plan=False)


def inbox(service, phone) -> list[dict]:
    return [push.message for push in service.to(phone["endpoint"])]


def contact_of(app, owner_email, linked_email) -> int:
    with app.app_context():
        owner, other = (
            db.session.scalar(sa.select(User.id).where(User.email == email))
            for email in (owner_email, linked_email)
        )
        return db.session.scalar(
            sa.select(Contact.id).where(Contact.owner_id == owner, Contact.linked_user_id == other)
        )


def answer(client, app, intro_id, position, choice, reason=""):
    url = f"/introductions/requests/{side_id(app, intro_id, position)}"
    response = client.post(url, data={"choice": choice, "reason": reason})
    assert response.status_code == 303, response.text[:2000]


def test_each_side_is_asked_at_once_and_told_no_more_than_the_answer_page_shows(
    push_app, push_service, ana, ben, cara, circle
):
    devices = phones(push_app, push_service)
    intro = started(push_app, cara, *circle)
    tally = send_now(push_app)
    assert (tally.planned, tally.sent) == (0, 2)
    [to_ana] = inbox(push_service, devices[ANA])
    [to_ben] = inbox(push_service, devices[BEN])
    assert inbox(push_service, devices[CARA]) == []
    assert to_ana == {
        "title": "Cara would like to introduce you to Ben",
        "body": "Open to see why, and to answer yes or no.",
        "url": f"/introductions/requests/{side_id(push_app, intro, 'a')}",
        "tag": f"eventmate-intro-{intro}",
    }
    assert to_ben["title"] == "Cara would like to introduce you to Ana"
    assert to_ben["url"] == f"/introductions/requests/{side_id(push_app, intro, 'b')}"
    # The Topic is the introduction's, so it never replaces the morning digest.
    [push] = push_service.to(devices[ANA]["endpoint"])
    assert push.headers["topic"] == f"eventmate-intro-{intro}" != "eventmate-digest"
    assert push_service.problems == []
    # What the push names, the page it opens shows before any answer; nothing more: not the
    # why (lock screens are not private), not Ben's surname or details, no secret link.
    page = ana.get(to_ana["url"])
    assert page.status_code == 200
    for word in ("Cara", "Ben"):
        assert word in page.text
    text = push.plaintext.decode()
    for secret in (WHY_ANA, WHY_BEN, "Okafor", BEN, "/i/"):
        assert secret not in text


def test_one_yes_tells_nobody_and_both_yes_connect_everyone(
    push_app, push_service, ana, ben, cara, circle
):
    devices = phones(push_app, push_service)
    intro = started(push_app, cara, *circle)
    send_now(push_app)
    answer(ana, push_app, intro, "a", "accept")
    assert send_now(push_app).sent == 0  # Ben and Cara hear nothing of Ana's yes
    answer(ben, push_app, intro, "b", "accept")
    assert send_now(push_app).sent == 3
    [_, to_ana] = inbox(push_service, devices[ANA])
    [_, to_ben] = inbox(push_service, devices[BEN])
    [to_cara] = inbox(push_service, devices[CARA])
    assert to_ana["title"] == "You're now connected with Ben"
    assert to_ana["url"] == f"/contacts/{contact_of(push_app, ANA, BEN)}"
    assert to_ben["title"] == "You're now connected with Ana"
    assert to_ben["url"] == f"/contacts/{contact_of(push_app, BEN, ANA)}"
    assert to_cara["title"] == "Ana and Ben are now connected"
    assert to_cara["url"] == f"/introductions/{intro}"
    assert {to_ana["tag"], to_ben["tag"], to_cara["tag"]} == {f"eventmate-intro-{intro}"}
    assert ana.get(to_ana["url"]).status_code == 200


def test_a_decline_tells_the_introducer_alone_and_keeps_the_reason_off_the_lock_screen(
    push_app, push_service, ana, ben, cara, circle
):
    devices = phones(push_app, push_service)
    intro = started(push_app, cara, *circle)
    send_now(push_app)
    answer(ana, push_app, intro, "a", "accept")
    answer(ben, push_app, intro, "b", "decline", reason="Swamped until March")
    assert send_now(push_app).sent == 1
    [to_cara] = inbox(push_service, devices[CARA])
    assert to_cara["title"] == "Ben said no thanks to meeting Ana"
    assert to_cara["body"] == "Nobody else was told. Open to read their note."
    assert to_cara["url"] == f"/introductions/{intro}"
    assert "Swamped" not in str(to_cara)
    assert len(inbox(push_service, devices[ANA])) == 1  # only the request
    assert len(inbox(push_service, devices[BEN])) == 1


def test_a_withdrawn_introduction_sends_no_request_still_waiting(
    push_app, push_service, ana, ben, cara, circle
):
    devices = phones(push_app, push_service)
    intro = started(push_app, cara, *circle)
    assert cara.post(f"/introductions/{intro}/withdraw").status_code == 302
    tally = send_now(push_app)
    assert (tally.sent, tally.dropped) == (0, 0)
    assert all(inbox(push_service, phone) == [] for phone in devices.values())
    with push_app.app_context():
        states = db.session.scalars(sa.select(PushDelivery.state)).all()
        assert states == ["cancelled", "cancelled"]


def test_answering_before_the_push_went_out_stops_only_ones_own_request(
    push_app, push_service, ana, ben, cara, circle
):
    devices = phones(push_app, push_service)
    intro = started(push_app, cara, *circle)
    answer(ana, push_app, intro, "a", "accept")  # through the inbox, before any push went out
    assert send_now(push_app).sent == 1
    assert inbox(push_service, devices[ANA]) == []
    [to_ben] = inbox(push_service, devices[BEN])
    assert to_ben["title"] == "Cara would like to introduce you to Ana"


def test_push_turned_off_or_no_device_writes_nothing(
    push_app, push_service, ana, ben, cara, circle
):
    with push_app.app_context():
        ana_user = db.session.scalar(sa.select(User).where(User.email == ANA))
        add_device(ana_user, push_service.subscribe())
        ana_user.push_enabled = False
        db.session.commit()
    started(push_app, cara, *circle)  # Ben has no device at all
    with push_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PushMessage)) == 0


def test_a_request_written_at_night_waits_for_the_morning(
    push_app, push_service, ana, ben, cara, circle
):
    from eventmate.introductions import notices
    from eventmate.models import Introduction

    phones(push_app, push_service)
    intro_id = started(push_app, cara, *circle)
    night = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # Ana and Ben live on UTC, wake at 9
    with push_app.app_context():
        db.session.execute(sa.delete(PushMessage))
        db.session.execute(sa.update(User).values(timezone="UTC", reminder_hour=9))
        notices.asked(db.session.get(Introduction, intro_id), now=night)
        db.session.commit()
        waits = set(db.session.scalars(sa.select(PushDelivery.next_attempt_at)))
    assert waits == {datetime(2026, 11, 25, 9, 0, tzinfo=UTC)}


def test_an_introductions_tag_is_a_valid_topic_for_any_id():
    import re

    from eventmate.introductions.notices import tag
    from eventmate.models import Introduction

    assert re.fullmatch(r"[A-Za-z0-9_-]{1,32}", tag(Introduction(id=2**31 - 1)))
