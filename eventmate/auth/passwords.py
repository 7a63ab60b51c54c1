"""Password policy (ASVS level 2: length, common-password check) and hashing."""

import re
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn score 0-4: 4 is "very unguessable" (10^10 guesses or more), which a stolen hash
# still resists; 3 let through a word with a year and symbols ("Summer2024!!").
MIN_STRENGTH = 4
ZXCVBN_MAX_INPUT = 72  # zxcvbn refuses longer input; 72 characters already rate "very strong"
APP_NAME = "EventMate"


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """A sentence saying what is wrong with the password, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters — a short sentence works well."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.casefold() in _common_passwords():
        return "That password is on the list of most common passwords. Pick another."
    result = zxcvbn(password[:ZXCVBN_MAX_INPUT], user_inputs=guessable_words(user_inputs))
    if result["score"] < MIN_STRENGTH:
        return f"{_weakness(password, result)} Try a few unrelated words together."
    return None


def guessable_words(user_inputs: tuple[str, ...]) -> list[str]:
    """What a guesser tries first for this account: the app's name, and each input (email,
    display name) whole and in its parts ("ana.ribeiro@example.org": "ana", "ribeiro", …)."""
    words = [APP_NAME.casefold()]
    for value in filter(None, user_inputs):
        parts = [part for part in re.split(r"[\W_]+", value) if part]
        words += [value, value.partition("@")[0], "".join(parts)]
        words += [part for part in parts if len(part) >= 3]
    return [word[:ZXCVBN_MAX_INPUT] for word in words]


def _weakness(password: str, result: dict) -> str:
    """Why zxcvbn rates the password weak, as a sentence."""
    matches = result["sequence"]
    if any(match.get("dictionary_name") == "user_inputs" for match in matches):
        return "It uses the app's name, your name or your email, which are guessed first."
    if result["feedback"].get("warning"):
        return result["feedback"]["warning"].rstrip(".") + "."
    if any(match["pattern"] == "dictionary" for match in matches) and re.search(r"\d", password):
        return "A word with a year, numbers or symbols added is among the first guesses."
    return "It is too easy to guess."


def hash_password(password: str) -> str:
    """scrypt by default; tests lower its cost through `PASSWORD_HASH_METHOD`."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
