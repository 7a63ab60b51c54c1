"""Drafting the first follow-up message from what the user noted about someone.

A draft does four things, in this order, and stays short:
1. says where and when we met;
2. recalls the conversation through something they said (a prompt answer, else a line of the
   notes), turned towards them ("she built" becomes "you built"), and opens with curiosity
   about them;
3. offers something useful, from their tags (a good read, an introduction when one comes to
   mind), phrased as an offer they can ignore;
4. asks for nothing: no reply needed.
The user edits it before sending; the tone coach checks the result.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

MAX_RECALL_WORDS = 25
# Prompt answers worth recalling, best first, with how to recall them and a curious question.
# "who_they_know" is left out: recalling their network in a first message hints at a favour.
RECALL = {
    "enjoy": (
        "I've been thinking about what you enjoy most in your work: {}.",
        "How did you first get into it?",
    ),
    "success": (
        "I keep coming back to what you said about how you got where you are: {}.",
        "I'd love to hear how it all started.",
    ),
    "custom": ("I keep thinking about what you told me: {}.", "How is it going?"),
    "notes": ("It was good to hear that {}.", "How is it going?"),
    "advice": ("Thank you for your advice: {}. It stuck with me.", "How did you learn that one?"),
    "learned": (
        "I've been putting what I learned from you to work: {}.",
        "How have things moved on for you since?",
    ),
    "in_my_shoes": (
        "Thanks for the pointer on where you'd work in my shoes: {}.",
        "What makes them stand out for you?",
    ),
}
RECALL_ORDER = ("learned", "enjoy", "success", "custom", "notes", "advice", "in_my_shoes")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Tags about the user's own agenda make no offer to the other person.
AGENDA_TAGS = _words(
    "hiring job jobs recruiter recruiting referral lead leads sales investor investors vip "
    "follow up follow-up todo to do client prospect"
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class DraftFacts:
    """What a draft is built from, as plain values."""

    first_name: str = ""
    sender_name: str = ""
    event_name: str = ""
    met_on: date | None = None
    today: date | None = None
    event_ongoing: bool = False
    face_to_face: bool = True
    company: str = ""
    title: str = ""
    tags: tuple[str, ...] = ()
    answers: tuple[tuple[str, str], ...] = ()  # (prompt key, answer)
    notes: str = ""
    # Why the follow-up exists: "new_contact", "planned", "introduction", "keep_in_touch", or
    # a role model's "role_model_lunch" / "lunch_reminder".
    reason: str = "new_contact"
    learn_from: str = ""  # a role model: what the user wants to learn from them


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    recalled: str = ""  # the words of theirs the draft recalls, if any
    offer_tags: tuple[str, ...] = field(default_factory=tuple)


# --- turning a note about them into words to them -------------------------------------------

PAIRS = {
    "she is": "you are", "he is": "you are", "they are": "you are",
    "she was": "you were", "he was": "you were", "they were": "you were",
    "she has": "you have", "he has": "you have", "she does": "you do", "he does": "you do",
    "she isn't": "you aren't", "he isn't": "you aren't", "she wasn't": "you weren't",
    "he wasn't": "you weren't", "she hasn't": "you haven't", "he hasn't": "you haven't",
    "she doesn't": "you don't", "he doesn't": "you don't",
    "she's": "you're", "he's": "you're", "they're": "you're", "they've": "you've",
    "she'd": "you'd", "he'd": "you'd", "they'd": "you'd", "she'll": "you'll", "he'll": "you'll",
    "they'll": "you'll",
}  # fmt: skip
WORDS = {
    "she": "you", "he": "you", "they": "you", "him": "you", "them": "you",
    "his": "your", "their": "your", "hers": "yours", "theirs": "yours",
    "herself": "yourself", "himself": "yourself", "themselves": "yourself", "themself": "yourself",
}  # fmt: skip
ADVERBS = _words("always never also really still often usually just now once recently")
# "her" is "your" before a noun ("her team"), else "you" ("told her about").
OBJECT_FOLLOWERS = _words("about to for with and or but at in on from that this when if so")
# A note that starts with one of these reads naturally after "that you're …".
STATE_WORDS = _words(
    "curious interested excited keen passionate looking working building moving starting "
    "writing researching learning planning thinking new based leading running"
)
TOKEN = re.compile(r"[A-Za-z’']+|[^A-Za-z’']+")


def _base_form(verb: str) -> str:
    """'runs' → 'run', 'tries' → 'try', 'watches' → 'watch', 'goes' → 'go'."""
    lower = verb.lower()
    if len(lower) <= 3 or not lower.endswith("s") or lower.endswith("ss"):
        return verb
    if lower.endswith("ies"):
        return verb[:-3] + "y"
    if lower.endswith(("ches", "shes", "xes", "zes", "sses", "oes")):
        return verb[:-2]
    return verb[:-1]


def _match_case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def to_second_person(note: str) -> str:
    """A note about someone ("she runs a team") as words to them ("you run a team")."""
    tokens = TOKEN.findall(note)
    words = [i for i, token in enumerate(tokens) if token[0].isalpha() or token[0] in "’'"]
    out = list(tokens)
    done: set[int] = set()
    for position, index in enumerate(words):
        if index in done:
            continue
        word = tokens[index].replace("’", "'")
        lower = word.lower()
        after = words[position + 1 : position + 3]
        next_word = tokens[after[0]].lower() if after else ""
        spaced = bool(after) and after[0] == index + 2 and tokens[index + 1].isspace()
        if spaced and f"{lower} {next_word}" in PAIRS:
            out[index] = _match_case(PAIRS[f"{lower} {next_word}"], word)
            out[index + 1] = out[after[0]] = ""
            done.add(after[0])
        elif lower in PAIRS:
            out[index] = _match_case(PAIRS[lower], word)
        elif lower == "her":
            own = next_word and next_word not in OBJECT_FOLLOWERS and after[0] == index + 2
            out[index] = _match_case("your" if own else "you", word)
        elif lower in WORDS:
            out[index] = _match_case(WORDS[lower], word)
            if lower in ("she", "he") and after:
                verb = after[1] if next_word in ADVERBS and len(after) > 1 else after[0]
                out[verb] = _base_form(tokens[verb])
                done.add(verb)
    return "".join(out)


def _clip_words(text: str, limit: int) -> str:
    words = text.split()
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]).rstrip(",;:—-") + "…"


def _fragment(text: str) -> str:
    """One answer as a clause inside a sentence: trimmed, first letter lowered when safe."""
    text = " ".join(text.split()).strip().rstrip(".!;:,").strip("\"'“”")
    text = _clip_words(text, MAX_RECALL_WORDS)
    first = text.split(" ", 1)[0]
    lowerable = first[1:].islower() or (len(first) == 1 and first != "I")
    if first[:1].isupper() and lowerable and (first.lower().endswith("ing") or _common(first)):
        text = text[:1].lower() + text[1:]
    return text


COMMON_STARTS = _words(
    "a an the to that when how what always never just keep say ask start find learn trust focus "
    "don't do be make get talk take stay build ship listen write read try hire work you your "
    "my our it its this these those some most more less every each not"
)


def _common(word: str) -> bool:
    return word.lower().replace("’", "'") in COMMON_STARTS


def note_line(notes: str) -> str:
    """A line of the notes fit to recall to them, or "" when none reads well.

    Lines about the meeting itself ("Met at the coffee line") are skipped; a line that starts
    with a verb ("Runs a research team") or a state ("Curious about …") becomes "you run …" or
    "you're curious …"; a line in the third person is turned to the second.
    """
    for line in re.split(r"[.;!?\n]+", notes or ""):
        line = " ".join(line.split())
        if not line or len(line.split()) < 2:
            continue
        first = line.split(" ", 1)[0].lower()
        if first in ("met", "at", "saw", "spoke", "talked", "chatted", "bumped"):
            continue
        if first in ("she", "he", "they", "she's", "he's", "they're"):
            return _fragment(to_second_person(line))
        if first in STATE_WORDS:
            return "you're " + _fragment(line[:1].lower() + line[1:])
        if first.endswith("s") and not first.endswith("ss") and first.isalpha() and len(first) > 3:
            rest = line.split(" ", 1)[1]
            return f"you {_base_form(first)} " + _fragment(to_second_person(rest))
    return ""


# --- the draft --------------------------------------------------------------------------------


def _when(met_on: date | None, today: date | None) -> str:
    if met_on is None or today is None:
        return ""
    days = (today - met_on).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {met_on.strftime('%A')}"
    if days < 14:
        return "last week"
    return ""


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def offer_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(tag for tag in tags if tag.casefold() not in AGENDA_TAGS)[:2]


def _recall(facts: DraftFacts) -> tuple[str, str, str]:
    """(sentence recalling them, curious question, the words recalled) from the best answer."""
    answers = {}
    for key, answer in facts.answers:
        if answer.strip():
            answers.setdefault("custom" if key.startswith("custom-") else key, answer)
    notes = note_line(facts.notes)
    if notes:
        answers["notes"] = notes
    for key in RECALL_ORDER:
        if key in answers:
            said = answers[key] if key == "notes" else _fragment(to_second_person(answers[key]))
            if said:
                sentence, question = RECALL[key]
                return sentence.format(said), question, said
    if facts.company:
        return "", f"What are you working on at {facts.company} these days?", ""
    if offer_tags(facts.tags):
        topic = offer_tags(facts.tags)[0]
        return "", f"What are you working on in {topic} these days?", ""
    return "", "What are you working on these days?", ""


LUNCH_WEEKDAYS = (1, 3)  # Tuesday, Thursday: mid-week lunches are the easiest to fit in
LUNCH_NOTICE_DAYS = 5


def lunch_day(today: date) -> date:
    """The lunch a draft proposes: the first Tuesday or Thursday at least five days ahead, so
    the other person has time to fit it in."""
    day = today + timedelta(days=LUNCH_NOTICE_DAYS)
    while day.weekday() not in LUNCH_WEEKDAYS:
        day += timedelta(days=1)
    return day


def compose_lunch_invitation(facts: DraftFacts) -> Draft:
    """A role model's lunch invitation: curious about them, a concrete day, no favour asked.
    The reminder a month later says the same more lightly."""
    topic = _fragment(to_second_person(facts.learn_from)) if facts.learn_from else ""
    about = f"{topic}" if topic else "how you work"
    day = lunch_day(facts.today or date.today())
    when = f"{day:%A} {day.day} {day:%B}"
    greeting = f"Hi {facts.first_name}," if facts.first_name else "Hi,"
    if facts.reason == "lunch_reminder":
        subject = "Still up for lunch?"
        middle = (
            f"I'd still love to hear about {about} over lunch. Would {when}, around 12:30, "
            "suit you? If this is a busy stretch, another time is just as good."
        )
    else:
        subject = "Lunch one day soon?"
        middle = (
            f"I've long admired {about}, and I'd love to hear the story behind it: what "
            f"worked, and what surprised you along the way. Would lunch on {when}, around "
            "12:30, suit you? My treat, and any other day is fine too."
        )
    close = "No agenda beyond that; hope the week is treating you well."
    sign = f"Best,\n{facts.sender_name}" if facts.sender_name else "Best,"
    return Draft(subject=subject, body="\n\n".join((greeting, middle, close, sign)), recalled=topic)


def compose_draft(facts: DraftFacts) -> Draft:
    if facts.reason in ("role_model_lunch", "lunch_reminder"):
        return compose_lunch_invitation(facts)
    at = f" at {facts.event_name}" if facts.event_name else ""
    when = _when(facts.met_on, facts.today)
    when = f" {when}" if when else ""
    if facts.reason == "keep_in_touch":
        subject = "Catching up"
        opening = "It's been a while, and you came to mind."
    elif facts.reason == "introduction":
        subject = "Glad to be introduced"
        opening = "I'm glad we were introduced."
    elif facts.face_to_face:
        subject = f"Great to meet you{at}"
        opening = f"It was great to meet you{at}{when}."
    else:
        subject = f"Nice to connect{at}"
        opening = f"Thanks for sharing your details{at}{when}."
    recall, question, recalled = _recall(facts)
    tags = offer_tags(facts.tags)
    if tags:
        offer = (
            f"If it's useful, I'm happy to send you a good read on {_join(list(tags))}, "
            "or an introduction if someone I know comes to mind."
        )
    else:
        offer = "Happy to share anything useful from my side, too."
    if facts.event_ongoing and facts.event_name:
        close = f"No need to reply — enjoy the rest of {facts.event_name}!"
    else:
        close = "No need to reply; hope the week is treating you well."
    greeting = f"Hi {facts.first_name}," if facts.first_name else "Hi,"
    middle = " ".join(part for part in (opening, recall, question) if part)
    sign = f"Best,\n{facts.sender_name}" if facts.sender_name else "Best,"
    body = "\n\n".join((greeting, middle, offer, close, sign))
    return Draft(subject=subject, body=body, recalled=recalled, offer_tags=tags)


def first_name(full_name: str) -> str:
    words = full_name.split()
    return words[0] if words else ""


def mailto_link(email: str, subject: str, body: str) -> str | None:
    """A mailto: URL with the subject and body encoded (RFC 6068), or None for a bad address."""
    email = email.strip()
    if not EMAIL.match(email) or any(char in email for char in "?&#%<>\"'"):
        return None
    encoded = quote(body.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")
    return f"mailto:{quote(email, safe='@+')}?subject={quote(subject, safe='')}&body={encoded}"
