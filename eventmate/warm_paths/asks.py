"""Asking a contact for an introduction: the drafted message, the warning before asking
someone who barely knows you, and the in-app request for a contact on EventMate.

In the app, the connector answers with the existing double opt-in introduction
(introductions/service.py): they pick the person, each side says yes first, and nobody's
details move before both did. Sending the request shows the connector the asker's name, their
public card and the message — the ask form says so before it is sent. Plain functions; the
views commit.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..contacts.service import linked_contact
from ..extensions import db
from ..i18n import _
from ..introductions import service as introductions
from ..models import AskState, Contact, Introduction, IntroductionAsk, User

MAX_COMPANY, MAX_TOPIC, MAX_MESSAGE = 120, 200, 2000
MIN_MESSAGE = 10
MIN_REASON, MAX_REASON = 3, 300
DAILY_LIMIT = 10  # asks one user may send in the app in any 24 hours
DAY = timedelta(hours=24)


@dataclass
class AskInput:
    company: str = ""
    topic: str = ""
    message: str = ""
    reason: str = ""


def draft(asker: User, contact: Contact, company: str, topic: str) -> tuple[str, str]:
    """A short, easy-to-refuse message: it asks whether they know someone, not for a favour."""
    name = introductions.first_name(contact.display_name)
    about = _(" about %(topic)s", topic=topic) if topic else ""
    subject = _("Do you know someone at %(company)s?", company=company)
    body = _(
        "Hi %(name)s,\n\n"
        "I hope you're well. I'm curious about %(company)s and would love to hear how things "
        "look from the inside. Do you know someone there I could talk to%(about)s?\n\n"
        "No worries at all if nobody comes to mind, or if now isn't a good time.\n\n"
        "Thanks,\n%(me)s",
        name=name,
        company=company,
        about=about,
        me=asker.display_name,
    )
    return subject, body


COMPANY_SLOT, TOPIC_SLOT = "[[company]]", "[[topic]]"


def draft_templates(asker: User, contact: Contact) -> dict[str, str]:
    """The draft with slots for the company and the topic, without and with a topic: the ask
    form's script (static/js/ask-draft.js) fills them as the user types, in these words."""
    return {
        "plain": draft(asker, contact, COMPANY_SLOT, "")[1],
        "topic": draft(asker, contact, COMPANY_SLOT, TOPIC_SLOT)[1],
    }


def why_for_person(ask: IntroductionAsk) -> str:
    """A start for the connector's "why should they meet" to the person at the company."""
    if not ask.topic:
        return ""
    return _(
        "%(name)s would like to talk with you about %(topic)s.",
        name=introductions.first_name(ask.asker.display_name),
        topic=ask.topic,
    )[: introductions.MAX_WHY]


def _text(value, limit: int) -> str:
    return (value if isinstance(value, str) else "").strip()[: limit + 1]


def parse_ask(form, *, barely_known: bool) -> tuple[AskInput, dict[str, str]]:
    """The ask form's values; errors map a field to a sentence."""
    data = AskInput(
        company=" ".join(_text(form.get("company"), MAX_COMPANY).split()),
        topic=" ".join(_text(form.get("topic"), MAX_TOPIC).split()),
        message=_text(form.get("message"), MAX_MESSAGE).replace("\r\n", "\n"),
        reason=" ".join(_text(form.get("reason"), MAX_REASON).split()),
    )
    errors = {}
    if not data.company:
        errors["company"] = _("Which company are you curious about?")
    elif len(data.company) > MAX_COMPANY:
        errors["company"] = _("Keep the company under %(n)s characters.", n=MAX_COMPANY)
    if len(data.topic) > MAX_TOPIC:
        errors["topic"] = _("Keep it under %(n)s characters.", n=MAX_TOPIC)
    if len(data.message) < MIN_MESSAGE:
        errors["message"] = _("Write the message you'd like to send, in a sentence or two.")
    elif len(data.message) > MAX_MESSAGE:
        errors["message"] = _("Keep the message under %(n)s characters.", n=MAX_MESSAGE)
    if barely_known and len(data.reason) < MIN_REASON:
        errors["reason"] = _("Say in a few words why you're asking anyway.")
    elif len(data.reason) > MAX_REASON:
        errors["reason"] = _("Keep it under %(n)s characters.", n=MAX_REASON)
    return data, errors


def connector_of(contact: Contact) -> User | None:
    """The EventMate account behind a contact: only they can get an in-app request."""
    return contact.linked_user if contact.linked_user_id is not None else None


def ask_problem(asker: User, contact: Contact, company: str, *, now: datetime) -> str | None:
    """Why this ask can't be sent in the app, or None."""
    connector = connector_of(contact)
    if connector is None:
        return _(
            "%(name)s isn't on EventMate: send the message your way.", name=contact.display_name
        )
    waiting = db.session.scalar(
        sa.select(sa.func.count()).where(
            IntroductionAsk.asker_id == asker.id,
            IntroductionAsk.connector_id == connector.id,
            IntroductionAsk.state == AskState.ASKED,
            sa.func.lower(IntroductionAsk.company) == company.casefold(),
        )
    )
    if waiting:
        return _(
            "You already asked %(name)s about %(company)s; give them time to answer.",
            name=contact.display_name,
            company=company,
        )
    sent = db.session.scalar(
        sa.select(sa.func.count()).where(
            IntroductionAsk.asker_id == asker.id, IntroductionAsk.created_at > now - DAY
        )
    )
    if sent >= DAILY_LIMIT:
        return _("You've sent %(n)s asks in the last 24 hours; try again tomorrow.", n=DAILY_LIMIT)
    return None


class AskRefused(ValueError):
    pass


def create_ask(asker: User, contact: Contact, data: AskInput, *, now: datetime) -> IntroductionAsk:
    """Send the ask in the app (the caller validated `data` and commits)."""
    if contact.owner_id != asker.id:
        raise PermissionError("the contact must be the asker's")
    db.session.execute(sa.select(User.id).where(User.id == asker.id).with_for_update())
    problem = ask_problem(asker, contact, data.company, now=now)
    if problem:
        raise AskRefused(problem)
    ask = IntroductionAsk(
        asker_id=asker.id,
        contact_id=contact.id,
        connector_id=contact.linked_user_id,
        company=data.company,
        topic=data.topic,
        message=data.message,
        override_reason=data.reason,
        state=AskState.ASKED,
        created_at=now,
    )
    db.session.add(ask)
    db.session.flush()
    return ask


# Reading -------------------------------------------------------------------------------------


def visible_ask(user: User, ask_id: int) -> IntroductionAsk | None:
    """The ask when this user sent or received it; None for anyone else (the view: 404)."""
    ask = db.session.get(IntroductionAsk, ask_id)
    if ask is None or user.id not in (ask.asker_id, ask.connector_id):
        return None
    return ask


def asks_received(user: User) -> list[IntroductionAsk]:
    return list(
        db.session.scalars(
            sa.select(IntroductionAsk)
            .where(IntroductionAsk.connector_id == user.id, IntroductionAsk.state == AskState.ASKED)
            .order_by(IntroductionAsk.created_at.desc())
        )
    )


def asks_sent(user: User, contact: Contact | None = None) -> list[IntroductionAsk]:
    statement = sa.select(IntroductionAsk).where(IntroductionAsk.asker_id == user.id)
    if contact is not None:
        statement = statement.where(IntroductionAsk.contact_id == contact.id)
    return list(db.session.scalars(statement.order_by(IntroductionAsk.created_at.desc())))


def my_side(ask: IntroductionAsk):
    """The asker's side of the introduction the connector made, for its answer page."""
    intro: Introduction | None = ask.introduction
    if intro is None:
        return None
    return next((side for side in intro.sides if side.user_id == ask.asker_id), None)


def barely_known_sides(
    connector: User, ask: IntroductionAsk, person: Contact, *, now: datetime
) -> list[str]:
    """Names the connector barely knows among the asker and the person, for the same warning
    an introduction gives (an asker not in their contacts yet counts as barely known)."""
    asker_contact = db.session.scalar(
        sa.select(Contact).where(
            Contact.owner_id == connector.id, Contact.linked_user_id == ask.asker_id
        )
    )
    names = []
    for contact, name in ((asker_contact, ask.asker.display_name), (person, person.display_name)):
        if contact is None or introductions.familiarity_with(contact, now=now).barely_known:
            names.append(name)
    return names


# Answering, as the connector; withdrawing, as the asker ----------------------------------------


def _require_open(ask: IntroductionAsk) -> None:
    if ask.state != AskState.ASKED:
        raise AskRefused(_("This ask was already answered or withdrawn."))


def introduce(
    connector: User,
    ask: IntroductionAsk,
    person: Contact,
    *,
    why_a: str,
    why_b: str,
    confirmed: bool,
    now: datetime,
) -> Introduction:
    """Answer with an introduction of the asker to one of the connector's contacts.

    The connector's contact for the asker is found, or made from the asker's public card
    (what sending the ask agreed to show). Raises IntroductionRefused like any introduction.
    """
    if ask.connector_id != connector.id or person.owner_id != connector.id:
        raise PermissionError("only the connector answers, with one of their contacts")
    _require_open(ask)
    asker_contact, _created = linked_contact(connector, ask.asker)
    db.session.flush()
    intro = introductions.create_introduction(
        connector, asker_contact, person, why_a=why_a, why_b=why_b, confirmed=confirmed, now=now
    )
    ask.state, ask.introduction_id, ask.answered_at = AskState.INTRODUCED, intro.id, now
    return intro


def decline(connector: User, ask: IntroductionAsk, *, now: datetime) -> None:
    if ask.connector_id != connector.id:
        raise PermissionError("only the connector answers")
    _require_open(ask)
    ask.state, ask.answered_at = AskState.DECLINED, now


def withdraw(asker: User, ask: IntroductionAsk, *, now: datetime) -> None:
    if ask.asker_id != asker.id:
        raise PermissionError("only the asker withdraws")
    _require_open(ask)
    ask.state, ask.answered_at = AskState.WITHDRAWN, now
