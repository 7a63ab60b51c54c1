"""Notes, tags and prompt answers written on the phone, possibly offline, sent by the outbox.

`POST /api/captures` takes one capture about a contact, named by its server id or by the
client id of the scan that made it (the scan may have been queued in the same outbox):

    {"id": "<client UUID>", "contact_id": 12 | null, "scan_id": "<scan's UUID>" | null,
     "tags_add": ["AI"], "tags_remove": ["old"], "face_to_face": true,
     "notes": "…", "answers": {"enjoy": "…"},
     "fields": {"company": "…"},                       # full_name, title, company, emails,
                                                       # phones, urls (lists one per line)
     "event_id": 3 | null,                             # left out: the event stays as it is
     "follow_up": "date", "follow_up_on": "2026-12-01", "follow_up_initial": "tomorrow",
     "base": {"notes": "…", "answers": {…}, "fields": {…}}}   # what the phone showed before

Merge rules, chosen so that an edit made offline never loses text, neither the phone's nor what
was saved on the server meanwhile:
- tags are added and removed by name, never replaced as a set; face to face is set when given;
- a text (notes, each answer) replaces the server's when the server still holds the `base` the
  phone started from, or holds nothing, or the new text extends it; when the new text is already
  in it nothing changes; otherwise (edited on both sides) the new text is appended after a blank
  line. An empty text never erases a server text it didn't start from;
- a contact detail (name, title, company, emails, phones, websites) is set when the server still
  holds the base value or nothing; otherwise the server's value stays and the phone's is
  appended to the notes as "Company (noted offline): …";
- an answer is taken for a question of the contact's event (or of the event this capture moves
  it to), one of the user's own, or one it was answered on before (`prompts_for_contact`);
- the event (one of the user's, or null for none) and the follow-up (named as the contact form
  names its fields, read by `choice_from_form`) are set as the contact form sets them, when given.

Applied once per user and client id (`ClientRequest` of kind "capture"): a replay answers 200
with the contact as it is now; the same id with other content answers 409.
"""

import hashlib
import json
from dataclasses import dataclass, field

from ..contacts.capture import MAX_NOTES, MAX_TAGS, parse_capture, tags_named
from ..contacts.prompts import prompts_for_contact
from ..events.service import my_events
from ..extensions import db
from ..followups.service import apply_choice, choice_from_form, user_today
from ..idempotency import Answer, Applied, ClientWrite, ReusedClientId, apply_once
from ..models import ClientRequest, Contact, PromptAnswer, User
from ..models.base import utcnow
from .validation import UUID_PATTERN, InvalidRequest, client_id, optional_id, require_object

TEXT_FIELDS = ("full_name", "title", "company")
LIST_FIELDS = ("emails", "phones", "urls")
FOLLOW_UP_FIELDS = ("follow_up", "follow_up_on", "follow_up_initial")
FIELD_LABELS = {
    "full_name": "Name",
    "title": "Title",
    "company": "Company",
    "emails": "Emails",
    "phones": "Phones",
    "urls": "Websites",
}
MAX_TEXT = 10_000  # a type check only: the real limits are parse_capture's


class CaptureError(Exception):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class CaptureRequest:
    client_id: str
    fingerprint: str
    contact_id: int | None = None
    scan_id: str | None = None
    tags_add: list[str] = field(default_factory=list)
    tags_remove: list[str] = field(default_factory=list)
    face_to_face: bool | None = None
    notes: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    base: dict = field(default_factory=dict)
    sets_event: bool = False  # "event_id" was sent (null: no event)
    event_id: int | None = None
    follow_up: dict[str, str] = field(default_factory=dict)  # FOLLOW_UP_FIELDS, as texts


def _text(value, name: str, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise InvalidRequest(f'"{name}" must be text.')
    return value


def _names(body: dict, name: str) -> list[str]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidRequest(f'"{name}" must be a list of tag names.')
    if len(value) > MAX_TAGS * 2:
        raise InvalidRequest(f"Use at most {MAX_TAGS} tags per person.")
    return value


def _texts(value, name: str, allowed: tuple[str, ...] | None = None, *, base=False) -> dict:
    """An object of texts (for a `base`, a text may be null: "the phone didn't know")."""
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > 50:
        raise InvalidRequest(f'"{name}" must be an object of texts.')
    for key, text in value.items():
        if allowed is not None and key not in allowed:
            raise InvalidRequest(f'"{name}" can only hold {", ".join(allowed)}.')
        _text(text, f"{name}.{key}", optional=base)
    return value


def capture_request(body) -> CaptureRequest:
    """Check the JSON's shape (400 with a sentence); content rules are checked when applied."""
    body = require_object(body)
    request_id = client_id(body)
    contact_id = optional_id(body, "contact_id")
    scan_id = body.get("scan_id")
    if scan_id is not None and (not isinstance(scan_id, str) or not UUID_PATTERN.match(scan_id)):
        raise InvalidRequest('"scan_id" must be the UUID of a scan made by the app, or null.')
    if (contact_id is None) == (scan_id is None):
        raise InvalidRequest('Name the contact: give either "contact_id" or "scan_id".')
    face_to_face = body.get("face_to_face")
    if face_to_face is not None and not isinstance(face_to_face, bool):
        raise InvalidRequest('"face_to_face" must be true, false or null.')
    base = body.get("base") or {}
    if not isinstance(base, dict):
        raise InvalidRequest('"base" must be an object.')
    content = {key: value for key, value in body.items() if key != "id"}
    return CaptureRequest(
        client_id=request_id,
        fingerprint=hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest(),
        contact_id=contact_id,
        scan_id=scan_id.lower() if scan_id else None,
        tags_add=_names(body, "tags_add"),
        tags_remove=_names(body, "tags_remove"),
        face_to_face=face_to_face,
        notes=_text(body.get("notes"), "notes"),
        answers=_texts(body.get("answers"), "answers"),
        fields=_texts(body.get("fields"), "fields", TEXT_FIELDS + LIST_FIELDS),
        base={
            "notes": _text(base.get("notes"), "base.notes"),
            "answers": _texts(base.get("answers"), "base.answers", base=True),
            "fields": _texts(base.get("fields"), "base.fields", base=True),
        },
        sets_event="event_id" in body,
        event_id=optional_id(body, "event_id"),
        follow_up={name: _text(body.get(name), name) or "" for name in FOLLOW_UP_FIELDS},
    )


def _as_shown(text: str | None) -> str | None:
    """A text as a phone's form shows it: a browser sends a textarea's line breaks as CRLF (so
    the contact form saves them) but shows and reads them back as LF, and so does the outbox."""
    return None if text is None else text.replace("\r\n", "\n")


def merge_text(current: str, new: str | None, base: str | None) -> str:
    """The text to keep when the phone sends `new`, having started from `base` (see module doc)."""
    current, new, base = _as_shown(current), _as_shown(new), _as_shown(base)
    if new is None or new == current:
        return current
    if base == current or not current.strip() or new.startswith(current):
        return new
    if not new.strip() or new in current:
        return current
    return f"{current.rstrip()}\n\n{new}"


def named_contact(
    user: User, contact_id: int | None, scan_id: str | None, *, of: str = "these notes belong to"
) -> Contact:
    """The user's contact named by its id, or by the client id of the scan that made it;
    CaptureError 404 otherwise (`of` says what the scan is for)."""
    if contact_id is not None:
        contact = db.session.get(Contact, contact_id)
        if contact is None or contact.owner_id != user.id:
            raise CaptureError("That contact doesn't exist or isn't yours.", status=404)
        return contact
    scan = db.session.get(ClientRequest, (user.id, scan_id))
    contact = db.session.get(Contact, scan.contact_id) if scan and scan.kind == "scan" else None
    if contact is None:
        raise CaptureError(
            f"The scan {of} was not recorded. Fix or discard that scan first.",
            status=404,
        )
    return contact


def _validated(user: User, contact: Contact, capture: CaptureRequest) -> tuple:
    """parse_capture's checks (lengths, tag count, known prompts, own event) on what was sent."""
    fields = {
        name: value.splitlines() if name in LIST_FIELDS else value
        for name, value in capture.fields.items()
    }
    events = {event.id: event for event, _ in my_events(user)} if capture.sets_event else {}
    moving_to = events.get(capture.event_id)
    prompts = prompts_for_contact(user, contact, moving_to=moving_to)
    cleaned, errors = parse_capture(
        {
            **fields,
            "tags": capture.tags_add,
            "notes": capture.notes or "",
            "answers": capture.answers,
            "event_id": capture.event_id,
        },
        prompts=prompts,
        event_ids=set(events),
    )
    if errors:
        raise CaptureError(next(iter(errors.values())))
    return cleaned, prompts


def _apply_fields(contact: Contact, cleaned, capture: CaptureRequest) -> list[str]:
    """Set contact details; returns lines for the notes when the server's value differs."""
    conflicts = []
    bases = capture.base["fields"]
    for name in capture.fields:
        value = getattr(cleaned, name)
        current = getattr(contact, name)
        shown = "\n".join(current) if name in LIST_FIELDS else current
        if value == current:
            continue
        if not current or bases.get(name) == shown:
            setattr(contact, name, value)
        else:
            text = ", ".join(value) if name in LIST_FIELDS else value
            conflicts.append(f"{FIELD_LABELS[name]} (noted offline): {text}")
    if contact.needs_identifying and (contact.full_name or contact.emails or contact.company):
        contact.source = "badge" if contact.raw_payload else "manual"
    return conflicts


def _apply(user: User, contact: Contact, capture: CaptureRequest) -> None:
    cleaned, prompts = _validated(user, contact, capture)
    now = utcnow()
    today = user_today(user, now)
    follow_up, problem = choice_from_form(capture.follow_up, today=today, late_is_today=True)
    if problem:
        raise CaptureError(problem)
    conflicts = _apply_fields(contact, cleaned, capture)
    removed = {" ".join(name.split()).lstrip("#").casefold() for name in capture.tags_remove}
    tags = {tag.key: tag for tag in contact.tags if tag.key not in removed}
    tags.update({tag.key: tag for tag in tags_named(user, cleaned.tags)})
    if len(tags) > MAX_TAGS:
        raise CaptureError(f"Use at most {MAX_TAGS} tags per person.")
    contact.tags = list(tags.values())
    if capture.face_to_face is not None:
        contact.met_face_to_face = capture.face_to_face
    if capture.sets_event:
        contact.event_id = cleaned.event_id
    notes = merge_text(contact.notes, capture.notes, capture.base["notes"])
    if conflicts:
        notes = "\n\n".join(part for part in (notes.rstrip(), *conflicts) if part)
    if len(notes) > MAX_NOTES:
        raise CaptureError(
            f"With what is already saved, the notes would pass {MAX_NOTES:,} characters. "
            "Shorten them."
        )
    contact.notes = notes
    questions = {prompt.key: prompt.question for prompt in prompts}
    saved = {answer.prompt_key: answer for answer in contact.answers}
    for key, text in cleaned.answers.items():
        base = capture.base["answers"].get(key)
        if key in saved:
            saved[key].answer = merge_text(saved[key].answer, text, base)
        elif text:
            contact.answers.append(
                PromptAnswer(prompt_key=key, question=questions[key], answer=text)
            )
    apply_choice(user, contact, follow_up, now)


def record_capture(user: User, capture: CaptureRequest, *, answer: Answer = None) -> Applied:
    """Apply a capture once and commit; raise CaptureError (nothing changed) when it can't be.

    `answer`: see `apply_once`."""
    write = ClientWrite(user.id, capture.client_id, "capture", capture.fingerprint)

    def apply() -> Contact:
        contact = named_contact(user, capture.contact_id, capture.scan_id)
        _apply(user, contact, capture)
        return contact

    try:
        return apply_once(write, apply, answer)
    except ReusedClientId:
        raise CaptureError(
            "This note's id was already used for different content.", status=409
        ) from None
