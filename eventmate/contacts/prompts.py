"""Conversation prompts: questions worth asking someone you just met."""

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import CustomPrompt, User


@dataclass(frozen=True)
class Prompt:
    key: str
    question: str


BUILTIN_PROMPTS = (
    Prompt("enjoy", "What do they enjoy most about their work?"),
    Prompt("success", "What led to their success?"),
    Prompt("advice", "Their advice for someone in my position"),
    Prompt("in_my_shoes", "Who would they work for in my shoes?"),
    Prompt("who_they_know", "Whom do they know there?"),
)
MAX_CUSTOM_PROMPTS = 10


def prompts_for(user: User) -> list[Prompt]:
    custom = db.session.scalars(
        sa.select(CustomPrompt).where(CustomPrompt.owner_id == user.id).order_by(CustomPrompt.id)
    )
    return [*BUILTIN_PROMPTS, *(Prompt(f"custom-{p.id}", p.question) for p in custom)]
