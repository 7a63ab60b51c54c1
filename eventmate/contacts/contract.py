"""The capture contract: what a capture holds, its limits and how a tag is named and keyed.

One definition, as data in static/js/capture-contract.json: read here (the contact form and
`POST /api/captures`) and by the phone (static/js/capture-contract.js), so a limit or a tag rule
can't differ between the two. Tags: "#AI " is named "AI"; "AI", "ai" and "Ai" are one tag, by
the casefolded key. JavaScript has no casefold: `toLowerCase` plus the `fold` table (the
characters where the two differ) gives the same key, checked in tests/unit/test_capture_contract.py.
"""

import json
import re
import sys
from pathlib import Path

CONTRACT_PATH = Path(__file__).resolve().parents[2] / "static" / "js" / "capture-contract.json"
CONTRACT = json.loads(CONTRACT_PATH.read_text(encoding="utf-8"))

TEXT_LIMITS: dict[str, int] = CONTRACT["text_fields"]
LIST_FIELDS: tuple[str, ...] = tuple(CONTRACT["list_fields"])
MAX_LIST_ITEMS: int = CONTRACT["list_max_items"]
MAX_LIST_ITEM: int = CONTRACT["list_item_max"]
MAX_NOTES: int = CONTRACT["notes_max"]
MAX_ANSWER: int = CONTRACT["answer_max"]
MAX_TAGS: int = CONTRACT["tags"]["max_per_contact"]
MAX_TAG_LENGTH: int = CONTRACT["tags"]["max_length"]
TAG_SEPARATOR: str = CONTRACT["tags"]["separator"]
FOLLOW_UP_FIELDS: tuple[str, ...] = tuple(CONTRACT["follow_up_fields"])
ANSWER_PREFIX: str = CONTRACT["answer_prefix"]

_SPACES = re.compile(f"[{re.escape(CONTRACT['tags']['whitespace'])}]+")


def tag_name(text: str) -> str:
    """A tag as it is kept: spaces collapsed, no leading "#"; "" for no tag."""
    return " ".join(part for part in _SPACES.split(text) if part).lstrip("#")


def tag_key(name: str) -> str:
    """What makes two tags one (the `Tag.key` column)."""
    return name.casefold()


def fold_table() -> dict[str, str]:
    """The characters whose casefold differs from their lowercase: the JSON's `tags.fold`."""
    characters = (chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000)
    return {c: c.casefold() for c in characters if c.casefold() != c.lower()}


def form_values(form) -> dict:
    """The contact form's fields (a MultiDict) as the plain values `parse_capture` reads."""
    event_id = form.get("event_id", type=int)  # checked against the own events
    return {
        **{name: form.get(name, "") for name in TEXT_LIMITS},
        **{name: form.get(name, "").splitlines() for name in LIST_FIELDS},
        "tags": [*form.getlist("tags"), *form.get("new_tags", "").split(TAG_SEPARATOR)],
        "notes": form.get("notes", ""),
        "face_to_face": form.get("face_to_face") == "on",
        "event_id": event_id or None,
        "answers": {
            key.removeprefix(ANSWER_PREFIX): value
            for key, value in form.items()
            if key.startswith(ANSWER_PREFIX)
        },
    }
