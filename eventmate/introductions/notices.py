"""What an introduction tells people by push, as it happens (the dispatcher sends it within
seconds; at night, in the person's morning).

- asked: each side on EventMate, "Carla would like to introduce you to Ben", opening their
  answer page in the app. It says no more than that page does before an answer — who
  introduces, and the other's first name; not the why (a lock screen is not private), and
  never the consent link (the page is reached logged in).
- connected: when both said yes, each side on EventMate ("You're now connected with Ben"),
  and the introducer ("Ana and Ben are now connected").
- declined: the introducer alone; nobody else hears of it.
- a side answering, a decline, a withdrawal or the connection stops the request pushes not
  sent yet: they would ask a question that is no longer open.

One tag per introduction, used as the push's Topic too: a newer message about it replaces an
undelivered or displayed older one, and never the morning digest. The caller commits.
"""

from datetime import datetime

from flask import current_app

from ..models import Introduction, IntroductionSide
from ..reminders.messages import cancel_unsent, message_row, queue_message
from .service import first_name

KIND = "introduction"


def path_for(endpoint: str, **values) -> str:
    """A path on this site, built without a request (the dispatcher and CLI have none)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def tag(intro: Introduction) -> str:
    return f"eventmate-intro-{intro.id}"  # ≤ 32 URL-safe characters, as a Topic must be


def request_key(side: IntroductionSide) -> str:
    return f"introduction:{side.introduction_id}:{side.position}:request"


def _introducer(intro: Introduction) -> str:
    return first_name(intro.introducer.display_name) if intro.introducer else "Someone"


def _send(intro: Introduction, user, key: str, title: str, body: str, url: str, now) -> None:
    row = message_row(
        user.id,
        kind=KIND,
        dedupe_key=key,
        title=title,
        body=body,
        url=url,
        tag=tag(intro),
        created_at=now,
        introduction_id=intro.id,
    )
    queue_message(user, row, now=now)


def asked(intro: Introduction, *, now: datetime) -> None:
    """Each side on EventMate is asked for their consent."""
    for side in intro.sides:
        if not side.is_member or side.user is None:
            continue
        other = first_name(intro.other(side).name)
        _send(
            intro,
            side.user,
            request_key(side),
            f"{_introducer(intro)} would like to introduce you to {other}",
            "Open to see why, and to answer yes or no.",
            path_for("introductions.request_detail", side_id=side.id),
            now,
        )


def answered(side: IntroductionSide) -> None:
    """This side answered: its own request needs no push any more."""
    cancel_unsent(introduction_id=side.introduction_id, dedupe_keys=[request_key(side)])


def connected(intro: Introduction, *, now: datetime) -> None:
    """Both said yes: each side on EventMate and the introducer hear of it."""
    cancel_unsent(introduction_id=intro.id)
    introducer = _introducer(intro)
    for side in intro.sides:
        if not side.is_member or side.user is None or side.received_contact_id is None:
            continue
        other = first_name(intro.other(side).name)
        _send(
            intro,
            side.user,
            f"introduction:{intro.id}:{side.position}:connected",
            f"You're now connected with {other}",
            f"{introducer} introduced you. {other}'s card is in your contacts, with a reminder "
            "to follow up tomorrow morning.",
            path_for("contacts.detail", contact_id=side.received_contact_id),
            now,
        )
    a, b = (first_name(side.name) for side in intro.sides)
    _send(
        intro,
        intro.introducer,
        f"introduction:{intro.id}:outcome",
        f"{a} and {b} are now connected",
        "Both said yes to your introduction. Thank you for bringing them together.",
        path_for("introductions.detail", intro_id=intro.id),
        now,
    )


def declined(side: IntroductionSide, *, now: datetime) -> None:
    """One side said no: the introducer alone is told (the reason stays on the page)."""
    intro = side.introduction
    cancel_unsent(introduction_id=intro.id)
    note = " Open to read their note." if side.decline_reason else ""
    _send(
        intro,
        intro.introducer,
        f"introduction:{intro.id}:outcome",
        f"{first_name(side.name)} said no thanks to meeting {first_name(intro.other(side).name)}",
        f"Nobody else was told.{note}",
        path_for("introductions.detail", intro_id=intro.id),
        now,
    )


def withdrawn(intro: Introduction) -> None:
    """The introducer withdrew it: requests not sent yet stay unsent."""
    cancel_unsent(introduction_id=intro.id)
