"""What the user notes about a contact: details, tags, face to face, event, notes, answers."""

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..extensions import db
from ..models import Contact, PromptAnswer, Tag, User
from ..models.base import utcnow
from .prompts import Prompt

MAX_TAGS = 20
MAX_TAG_LENGTH = 40
MAX_NOTES = 5000
MAX_ANSWER = 2000
MAX_LIST_ITEMS = 10
TEXT_LIMITS = {"full_name": 120, "title": 120, "company": 120}
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class CaptureInput:
    full_name: str = ""
    title: str = ""
    company: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    face_to_face: bool = True
    event_id: int | None = None
    answers: dict[str, str] = field(default_factory=dict)


def _clean_tags(names: list[str], errors: dict) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.split()).lstrip("#")
        if not cleaned:
            continue
        if len(cleaned) > MAX_TAG_LENGTH:
            errors["tags"] = f"Keep each tag under {MAX_TAG_LENGTH} characters."
        seen.setdefault(cleaned.casefold(), cleaned)
    if len(seen) > MAX_TAGS:
        errors["tags"] = f"Use at most {MAX_TAGS} tags per person."
    return list(seen.values())


def _clean_list(values: list[str], name: str, errors: dict, *, check=None) -> list[str]:
    cleaned = [value.strip() for value in values if value.strip()]
    if len(cleaned) > MAX_LIST_ITEMS or any(len(value) > 300 for value in cleaned):
        errors[name] = f"At most {MAX_LIST_ITEMS} entries of 300 characters each."
    elif check and not all(check(value) for value in cleaned):
        errors[name] = "One of these doesn't look right; check it."
    return cleaned


def parse_capture(
    data: dict, *, prompts: list[Prompt], event_ids: set[int]
) -> tuple[CaptureInput, dict[str, str]]:
    """Validate the plain values of a capture form; errors map field name to a sentence.

    `prompts`: the questions whose answers are accepted (`prompts_for_contact`)."""
    errors: dict[str, str] = {}
    capture = CaptureInput()
    for name, limit in TEXT_LIMITS.items():
        value = str(data.get(name, "")).strip()
        if len(value) > limit:
            errors[name] = f"Keep this under {limit} characters."
        setattr(capture, name, value)
    capture.emails = _clean_list(
        data.get("emails", []), "emails", errors, check=EMAIL_PATTERN.match
    )
    capture.phones = _clean_list(data.get("phones", []), "phones", errors)
    capture.urls = _clean_list(data.get("urls", []), "urls", errors)
    capture.tags = _clean_tags(data.get("tags", []), errors)
    capture.notes = str(data.get("notes", ""))
    if len(capture.notes) > MAX_NOTES:
        errors["notes"] = f"Notes can hold {MAX_NOTES:,} characters; this is longer."
    capture.face_to_face = bool(data.get("face_to_face"))
    event_id = data.get("event_id")
    if event_id is not None and event_id not in event_ids:
        errors["event_id"] = "Choose one of your events."
    capture.event_id = event_id
    known = {prompt.key for prompt in prompts}
    for key, answer in data.get("answers", {}).items():
        if key not in known and not answer.strip():
            continue  # an empty box for a question no longer asked: nothing to keep
        if key not in known:
            errors["answers"] = "One of the questions no longer exists; reload the page."
        elif len(answer) > MAX_ANSWER:
            errors[f"answer-{key}"] = f"Keep answers under {MAX_ANSWER:,} characters."
        else:
            capture.answers[key] = answer.strip()
    return capture, errors


def recent_tags(owner: User, limit: int = 12) -> list[Tag]:
    return list(
        db.session.scalars(
            sa.select(Tag)
            .where(Tag.owner_id == owner.id)
            .order_by(Tag.last_used_at.desc(), Tag.name)
            .limit(limit)
        )
    )


def tags_named(owner: User, names: list[str]) -> list[Tag]:
    """The owner's tags with these names, creating the missing ones ("AI" and "ai" are one)."""
    keys = {name.casefold(): name for name in names}
    existing = {
        tag.key: tag
        for tag in db.session.scalars(
            sa.select(Tag).where(Tag.owner_id == owner.id, Tag.key.in_(list(keys)))
        )
    }
    now = utcnow()
    tags = []
    for key, name in keys.items():
        tag = existing.get(key) or Tag(owner_id=owner.id, name=name, key=key)
        tag.last_used_at = now
        db.session.add(tag)
        tags.append(tag)
    return tags


def apply_capture(owner: User, contact: Contact, capture: CaptureInput, prompts: list[Prompt]):
    """Write a validated capture onto the contact (the caller commits)."""
    for name in ("full_name", "title", "company", "emails", "phones", "urls", "notes"):
        setattr(contact, name, getattr(capture, name))
    if contact.needs_identifying and (capture.full_name or capture.emails or capture.company):
        contact.source = "badge" if contact.raw_payload else "manual"
    contact.met_face_to_face = capture.face_to_face
    contact.event_id = capture.event_id
    contact.tags = tags_named(owner, capture.tags)
    questions = {prompt.key: prompt.question for prompt in prompts}
    answers = {answer.prompt_key: answer for answer in contact.answers}
    for key, text in capture.answers.items():
        if key in answers:
            answers[key].answer = text
        elif text:
            contact.answers.append(
                PromptAnswer(prompt_key=key, question=questions[key], answer=text)
            )
