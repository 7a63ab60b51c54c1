"""The built-in conversation questions, and the set each kind of event starts with.

Every answer is stored with its question's key and text, so a key, once used, keeps its
meaning and stays in the catalogue: old answers keep their question. Pure data and functions.
"""

from dataclasses import dataclass

OWN_PREFIX = "custom-"  # the key of a question of the user's own: "custom-<CustomPrompt.id>"


@dataclass(frozen=True)
class Prompt:
    key: str
    question: str

    @property
    def own(self) -> bool:
        """One of the user's own questions, asked whatever the event."""
        return self.key.startswith(OWN_PREFIX)


BUILTIN_PROMPTS = (
    Prompt("enjoy", "What do they enjoy most about their work?"),
    Prompt("success", "What led to their success?"),
    Prompt("advice", "Their advice for someone in my position"),
    Prompt("in_my_shoes", "Who would they work for in my shoes?"),
    Prompt("who_they_know", "Whom do they know there?"),
    Prompt("working_on", "What are they working on now?"),
    Prompt("talk", "Which talk or idea stayed with them?"),
    Prompt("since_school", "What changed for them since school?"),
    Prompt("path", "How did they get from school to here?"),
    Prompt("classmates", "Whom from our year do they still see?"),
    Prompt("team_needs", "Whom is their team looking for?"),
    Prompt("first_year", "What was their first year there like?"),
    Prompt("brought_them", "What brought them here?"),
    Prompt("recommend", "What would they have me read or try?"),
    Prompt("why_joined", "Why did they join?"),
    Prompt("meet_next", "Whom here should I meet?"),
)
BUILTIN = {prompt.key: prompt for prompt in BUILTIN_PROMPTS}
# The deeper question waits for a deeper relationship: asked only about someone the user knows
# beyond a first meeting (contacts/prompts.py), never chosen for an event's first meetings.
KNOWS_SOMEONE = Prompt("knows_someone", "Do they know somebody who works where I'm curious about?")

# What each kind of event asks by default, in the order the chips show.
KIND_QUESTIONS = {
    "conference": ("enjoy", "working_on", "talk", "success", "advice"),
    "alumni": ("since_school", "path", "enjoy", "classmates", "advice"),
    "job_fair": ("enjoy", "first_year", "team_needs", "in_my_shoes", "who_they_know", "advice"),
    "meetup": ("brought_them", "working_on", "enjoy", "recommend", "meet_next"),
    "association": ("why_joined", "enjoy", "success", "advice", "meet_next"),
    "other": ("enjoy", "success", "advice", "working_on"),
}
DEFAULT_KIND = "conference"


def kind_keys(kind: str) -> tuple[str, ...]:
    """The kind's usual questions ("other"'s for a kind this version doesn't know)."""
    return KIND_QUESTIONS.get(kind, KIND_QUESTIONS["other"])


def in_kind_order(keys, kind: str) -> list[str]:
    """Known built-in keys, the kind's own first in its order, then the rest as catalogued."""
    wanted = set(keys)
    usual = kind_keys(kind)
    rest = (prompt.key for prompt in BUILTIN_PROMPTS if prompt.key not in usual)
    return [key for key in (*usual, *rest) if key in wanted]


def chosen_keys(kind: str, prompt_keys: list[str] | None) -> list[str]:
    """An event's questions: its creator's choice, or None for the kind's usual ones."""
    return in_kind_order(prompt_keys, kind) if prompt_keys else list(kind_keys(kind))


def choice_to_store(kind: str, ticked: list[str], preset_for: str) -> list[str] | None:
    """What the event keeps of the ticked questions. None ("the kind's usual ones", which follow
    the kind if it changes later) when the ticks are the usual ones of the kind, or the presets
    of the kind the form showed, untouched (the kind changed without the page's script)."""
    if set(ticked) in (set(kind_keys(kind)), set(KIND_QUESTIONS.get(preset_for, ()))):
        return None
    return in_kind_order(ticked, kind)


def builtin_prompts(keys) -> list[Prompt]:
    return [BUILTIN[key] for key in keys if key in BUILTIN]
