"""The tone coach: what makes a first follow-up land badly, with a reason and a softer way.

The rules are data in static/js/tone-rules.json, read here and by static/js/tone-coach.js in the
browser; both engines follow the same steps, and tests run one table of examples through both.

1. Normalise per character: decompose, drop accents, lower-case, straighten quotes, make every
   space a plain space. Each normalised character remembers the original one it came from, so a
   finding can quote the user's own words.
2. Match each phrase rule's patterns (ASCII regexes) against the normalised text; the first
   match of a rule is its finding. "first_contact" rules apply only to someone never spoken to.
3. Count words about the sender (I, me, my) against words about the reader (you, your).
4. Count words.
"""

import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

RULES_PATH = Path(__file__).resolve().parents[2] / "static" / "js" / "tone-rules.json"
QUOTES = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"}
QUOTES |= {"\u201c": '"', "\u201d": '"', "\u201e": '"'}
# Spaces are listed rather than left to each language's idea of whitespace.
SPACES = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(code) for code in range(0x2000, 0x200B))
)
WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class Finding:
    id: str
    reason: str
    softer: str
    match: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@cache
def load_rules() -> dict:
    return json.loads(RULES_PATH.read_text(encoding="utf-8"))


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.ASCII)


def _normal_char(char: str) -> str:
    if char in SPACES:
        return " "
    if char in QUOTES:
        return QUOTES[char]
    stripped = "".join(c for c in unicodedata.normalize("NFD", char) if not _mark(c))
    return "".join(c for c in stripped.lower() if not _mark(c))


def _mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def normalise(text: str) -> tuple[str, list[int]]:
    """The text as the rules see it, and for each of its characters the original's index."""
    parts, origin = [], []
    for index, char in enumerate(text):
        normal = _normal_char(char)
        parts.append(normal)
        origin.extend([index] * len(normal))
    return "".join(parts), origin


def check_tone(text: str, *, first_contact: bool = False, rules: dict | None = None) -> list:
    """Findings for a draft, in rule order; an empty list when it reads well."""
    rules = rules or load_rules()
    normal, origin = normalise(text)
    findings = []
    for rule in rules["phrases"]:
        if rule["when"] == "first_contact" and not first_contact:
            continue
        for pattern in rule["patterns"]:
            found = _compiled(pattern).search(normal)
            if found and found.end() > found.start():
                start, end = origin[found.start()], origin[found.end() - 1] + 1
                while end < len(text) and not _normal_char(text[end]):
                    end += 1  # a trailing accent written as its own character
                quoted = text[start:end]
                findings.append(Finding(rule["id"], rule["reason"], rule["softer"], quoted))
                break
    limits = rules["limits"]
    words = [word.strip("'") for word in WORD.findall(normal)]
    about_me = sum(word in rules["self_words"] for word in words)
    about_you = sum(word in rules["other_words"] for word in words)
    if about_me >= limits["self_min"] and about_me > limits["self_ratio"] * about_you:
        rule = rules["self_focus"]
        findings.append(Finding(rule["id"], rule["reason"], rule["softer"]))
    if len([word for word in normal.split(" ") if word]) > limits["max_words"]:
        rule = rules["length"]
        reason = rule["reason"].replace("{max_words}", str(limits["max_words"]))
        findings.append(Finding(rule["id"], reason, rule["softer"]))
    return findings


def never_spoken(contact) -> bool:
    """Someone the user has not met face to face (as they noted it) nor written to yet."""
    if contact.met_face_to_face:
        return False
    return not any(meeting.kind == "follow_up" for meeting in contact.meetings)
