"""All tables, importable from one place (Alembic and the app need every model loaded)."""

from .contact import Contact, ContactTag, CustomPrompt, Meeting, PromptAnswer, Tag
from .event import Event, EventMembership
from .idempotency import ClientRequest
from .user import LoginSession, User

__all__ = [
    "ClientRequest",
    "Contact",
    "ContactTag",
    "CustomPrompt",
    "Event",
    "EventMembership",
    "LoginSession",
    "Meeting",
    "PromptAnswer",
    "Tag",
    "User",
]
