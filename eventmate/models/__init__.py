"""All tables, importable from one place (Alembic and the app need every model loaded)."""

from .contact import Contact, ContactTag, CustomPrompt, Meeting, PromptAnswer, Tag
from .event import Event, EventMembership
from .followup import FollowUp
from .idempotency import ClientRequest
from .introduction import Introduction, IntroductionSide
from .push import PushDelivery, PushMessage, PushSubscription
from .shared import ReviewState, SharedDetails
from .user import LoginSession, User

__all__ = [
    "ClientRequest",
    "Contact",
    "ContactTag",
    "CustomPrompt",
    "Event",
    "EventMembership",
    "FollowUp",
    "Introduction",
    "IntroductionSide",
    "LoginSession",
    "Meeting",
    "PromptAnswer",
    "PushDelivery",
    "PushMessage",
    "PushSubscription",
    "ReviewState",
    "SharedDetails",
    "Tag",
    "User",
]
