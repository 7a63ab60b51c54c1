"""All tables, importable from one place (Alembic and the app need every model loaded)."""

from .contact import (
    Contact,
    ContactTag,
    CustomPrompt,
    Meeting,
    PromptAnswer,
    ReviewKeep,
    Tag,
)
from .event import Event, EventMembership
from .followup import FollowUp
from .idempotency import ClientRequest
from .introduction import Introduction, IntroductionSide
from .password_reset import PasswordReset
from .push import PushDelivery, PushMessage, PushSubscription
from .shared import ReviewState, SharedDetails
from .user import MAX_EMAIL_BOUNCES, LoginSession, ReminderChannel, User
from .verification import EmailVerification, Purpose
from .warm import AskState, ContactTie, IntroductionAsk, Tie

__all__ = [
    "MAX_EMAIL_BOUNCES",
    "AskState",
    "ClientRequest",
    "Contact",
    "ContactTag",
    "ContactTie",
    "CustomPrompt",
    "EmailVerification",
    "Event",
    "EventMembership",
    "FollowUp",
    "Introduction",
    "IntroductionAsk",
    "IntroductionSide",
    "LoginSession",
    "Meeting",
    "PasswordReset",
    "PromptAnswer",
    "Purpose",
    "PushDelivery",
    "PushMessage",
    "PushSubscription",
    "ReminderChannel",
    "ReviewKeep",
    "ReviewState",
    "SharedDetails",
    "Tag",
    "Tie",
    "User",
]
