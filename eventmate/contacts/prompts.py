"""Conversation prompts: questions worth asking someone you just met.

The built-in ones come from the contact's event (its creator's choice, by default the usual
ones for its kind: events/questions.py); the user's own questions always join them. The deeper
"do they know somebody who works there?" joins once the user knows someone beyond a first
meeting: a first meeting's questions stay curious."""

import sqlalchemy as sa

from ..events.questions import (
    DEFAULT_KIND,
    KNOWS_SOMEONE,
    OWN_PREFIX,
    Prompt,
    builtin_prompts,
    chosen_keys,
)
from ..extensions import db
from ..models import Contact, CustomPrompt, Event, User

MAX_CUSTOM_PROMPTS = 10


def own_prompts(user: User) -> list[Prompt]:
    custom = db.session.scalars(
        sa.select(CustomPrompt).where(CustomPrompt.owner_id == user.id).order_by(CustomPrompt.id)
    )
    return [Prompt(f"{OWN_PREFIX}{prompt.id}", prompt.question) for prompt in custom]


def event_prompts(event: Event) -> list[Prompt]:
    return builtin_prompts(chosen_keys(event.kind, event.prompt_keys))


def prompts_for(user: User, event: Event | None = None) -> list[Prompt]:
    """The event's questions, then the user's own. Without an event: the usual questions of
    the kind of the user's current event (what they are at these days), else a conference's."""
    if event is not None:
        builtin = event_prompts(event)
    else:
        kind = user.current_event.kind if user.current_event else DEFAULT_KIND
        builtin = builtin_prompts(chosen_keys(kind, None))
    return [*builtin, *own_prompts(user)]


def beyond_first_meeting(contact: Contact) -> bool:
    """Known from before (a tie such as former colleague), or met, called or written to more
    than once."""
    return bool(contact.ties) or len(contact.meetings) > 1


def prompts_for_contact(user: User, contact: Contact, *, moving_to: Event | None = None):
    """The questions a contact's capture asks and accepts: those of its event (and of the event
    this save moves it to), the user's own, then any it holds an answer to that these no longer
    include, as they were asked: an answer never loses its question."""
    # By id, not `contact.event`: loading the relationship here would leave it stale once the
    # save sets `event_id`.
    event = db.session.get(Event, contact.event_id) if contact.event_id else None
    prompts = prompts_for(user, event)
    if moving_to is not None and moving_to.id != contact.event_id:
        prompts += [p for p in event_prompts(moving_to) if p not in prompts]
    if beyond_first_meeting(contact):
        prompts.append(KNOWS_SOMEONE)
    asked = {prompt.key for prompt in prompts}
    earlier = [
        Prompt(answer.prompt_key, answer.question)
        for answer in contact.answers
        if answer.answer and answer.prompt_key not in asked
    ]
    return [*prompts, *earlier]
