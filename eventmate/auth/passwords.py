"""Password policy (ASVS level 2: length, common-password check) and hashing."""

from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_STRENGTH = 3  # zxcvbn score 0-4: 3 is "safely unguessable" against online attacks
ZXCVBN_MAX_INPUT = 72  # zxcvbn refuses longer input; 72 characters already rate "very strong"


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
    inputs = [value[:ZXCVBN_MAX_INPUT] for value in user_inputs if value]
    result = zxcvbn(password[:ZXCVBN_MAX_INPUT], user_inputs=inputs)
    if result["score"] < MIN_STRENGTH:
        hint = result["feedback"].get("warning") or "It is too easy to guess."
        return f"{hint.rstrip('.')}. Try a few unrelated words together."
    return None


def hash_password(password: str) -> str:
    """scrypt by default; tests lower its cost through `PASSWORD_HASH_METHOD`."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
