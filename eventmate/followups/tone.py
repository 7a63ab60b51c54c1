"""The tone coach: what makes a first follow-up land badly, with a reason and a softer way.

The rules are data in static/js/tone-rules.json, read here and by static/js/tone-coach.js in the
browser; both engines follow the same steps, and tests run one table of examples through both.

1. Normalise per character: decompose, drop accents, lower-case, straighten quotes and dashes,
   make every space a plain space. Each normalised character remembers the original one it came
   from, so a finding can quote the user's own words.
2. Match each phrase rule's patterns (ASCII regexes; `{name}` stands for the rules' fragment of
   that name) against the normalised text; the first pattern of a rule that matches gives its
   finding. "first_contact" rules apply only to someone never spoken to.
3. A pattern's `rewrite` is the softer wording that replaces the matched words: `{1}` is the
   user's own text of group 1 (lower-cased "Send" when it no longer starts the sentence); it
   starts with a capital when the match starts a sentence; one that ends in "?" also takes the
   ".", "!" or "?" right after the match.
4. Count words about the sender (I, me, my) against words about the reader (you, your).
5. Count words.
"""

import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from pathlib import Path

RULES_PATH = Path(__file__).resolve().parents[2] / "static" / "js" / "tone-rules.json"
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'"}
QUOTES |= {"\u00b4": "'", "`": "'", "\u2032": "'"}
QUOTES |= {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'}
QUOTES |= {"\u00ab": '"', "\u00bb": '"', "\u2039": '"', "\u203a": '"'}
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
# Spaces are listed rather than left to each language's idea of whitespace.
SPACES = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(code) for code in range(0x2000, 0x200B))
)
LINE_BREAKS = frozenset("\n\v\f\r\u2028\u2029")
SENTENCE_ENDS = frozenset(".!?\u2026")
OPENERS = frozenset(" \"'(")  # normalised characters that may stand before a sentence's first word
WORD = re.compile(r"[a-z']+")
FRAGMENT = re.compile(r"\{([a-z_]+)\}")
GROUP = re.compile(r"\{(\d)\}")


@dataclass(frozen=True)
class Finding:
    """`match` quotes the user's words; `rewrite` replaces characters `start` to `end` (code
    points of the draft); all four are None for findings about the whole draft."""

    id: str
    reason: str
    softer: str
    match: str | None = None
    rewrite: str | None = None
    start: int | None = None
    end: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@cache
def load_rules() -> dict:
    return json.loads(RULES_PATH.read_text(encoding="utf-8"))


def expand(pattern: str, fragments: dict) -> str:
    """The pattern with each `{name}` replaced by that fragment, itself expanded."""
    return FRAGMENT.sub(lambda found: expand(fragments[found.group(1)], fragments), pattern)


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.ASCII)


@lru_cache(maxsize=4096)  # bounded: the server sees every user's characters
def _normal_char(char: str) -> str:
    if char in SPACES:
        return " "
    if char in QUOTES:
        return QUOTES[char]
    if char in DASHES:
        return "-"
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


def _original_span(text: str, origin: list[int], start: int, end: int) -> tuple[int, int]:
    """Where the normalised characters start to end came from in the original text."""
    first, last = origin[start], origin[end - 1] + 1
    while last < len(text) and not _normal_char(text[last]):
        last += 1  # a trailing accent written as its own character
    return first, last


def starts_sentence(text: str, index: int) -> bool:
    """Whether the character at `index` begins a sentence or a line."""
    before = index - 1
    while before >= 0 and _normal_char(text[before]) in OPENERS:
        if text[before] in LINE_BREAKS:
            return True
        before -= 1
    return before < 0 or text[before] in SENTENCE_ENDS


def _rewrite(template: str, found: re.Match, text: str, origin: list[int], start: int) -> str:
    def group(number: re.Match) -> str:
        first, last = found.span(int(number.group(1)))
        if last <= first:
            return ""
        first, last = _original_span(text, origin, first, last)
        words = text[first:last]
        if first == start and number.start() > 0 and re.match("[A-Z][a-z]", words):
            words = words[0].lower() + words[1:]  # "Send me" moves into the sentence
        return words

    words = GROUP.sub(group, template)
    if starts_sentence(text, start) and re.match("[a-z]", words):
        words = words[0].upper() + words[1:]
    return words


def _phrase_finding(rule: dict, fragments: dict, text: str, normal: str, origin: list[int]):
    for pattern in rule["patterns"]:
        found = _compiled(expand(pattern["find"], fragments)).search(normal)
        if not found or found.end() <= found.start():
            continue
        start, end = _original_span(text, origin, found.start(), found.end())
        quoted = text[start:end]
        rewrite = None
        if "rewrite" in pattern:
            rewrite = _rewrite(pattern["rewrite"], found, text, origin, start)
            if rewrite.endswith("?") and end < len(text) and text[end] in ".!?":
                end += 1
        return Finding(rule["id"], rule["reason"], rule["softer"], quoted, rewrite, start, end)
    return None


def check_tone(text: str, *, first_contact: bool = False, rules: dict | None = None) -> list:
    """Findings for a draft, in rule order; an empty list when it reads well."""
    rules = rules or load_rules()
    normal, origin = normalise(text)
    findings = []
    for rule in rules["phrases"]:
        if rule["when"] == "first_contact" and not first_contact:
            continue
        finding = _phrase_finding(rule, rules["fragments"], text, normal, origin)
        if finding:
            findings.append(finding)
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
