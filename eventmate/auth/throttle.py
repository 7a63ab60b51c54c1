"""Failed logins per account, from whatever address they come: a few free tries, then a wait
that doubles with each further failure, up to 15 minutes.

Kept in the rate limiter's storage (`RATELIMIT_STORAGE_URI`): with Redis it is shared by every
worker and machine, like the per-address limits, and its keys expire by themselves. It is keyed
by a hash of the email as typed (normalised), whether or not an account has it, so the answer
never tells whether one exists. During a wait the password is not checked at all.
"""

import hashlib
import math
import time

from flask import current_app

from ..extensions import limiter
from .accounts import normalise_email

FREE_TRIES = 5
FIRST_WAIT = 60  # seconds, after the 5th failure in a row
LONGEST_WAIT = 15 * 60
FORGET_AFTER = 24 * 3600  # a day after the first failure, the count starts again


def wait_after(failures: int) -> int:
    """Seconds to wait after this many failures in a row: 0 for the free tries, then
    1, 2, 4, 8 minutes and 15 minutes from the 9th failure on."""
    if failures < FREE_TRIES:
        return 0
    return min(FIRST_WAIT * 2 ** (failures - FREE_TRIES), LONGEST_WAIT)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _keys(email: str) -> tuple[str, str]:
    digest = hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return f"{prefix}/login-failures/{digest}", f"{prefix}/login-turn/{digest}"


def seconds_to_wait(email: str) -> int:
    """0 when this login attempt may check its password, else how long to wait.

    After the free tries, the first attempt once the wait is over takes the turn (an atomic
    increment, so two at once can't both have it) and holds it for the wait that follows should
    it fail too."""
    if not _enabled():
        return 0
    failures_key, turn_key = _keys(email)
    storage = limiter.storage
    failures = storage.get(failures_key)
    if failures < FREE_TRIES:
        return 0
    if storage.incr(turn_key, wait_after(failures + 1)) == 1:
        return 0
    return max(1, math.ceil(storage.get_expiry(turn_key) - time.time()))


def record_failure(email: str) -> None:
    if not _enabled():
        return
    failures_key, turn_key = _keys(email)
    if limiter.storage.incr(failures_key, FORGET_AFTER) == FREE_TRIES:
        limiter.storage.incr(turn_key, wait_after(FREE_TRIES))  # the first wait starts now


def forget_failures(email: str) -> None:
    """After a successful login the count starts again."""
    if not _enabled():
        return
    for key in _keys(email):
        limiter.storage.clear(key)


def wait_sentence(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    when = "in 1 minute" if minutes == 1 else f"in {minutes} minutes"
    return (
        "Too many wrong passwords for this email, so we didn't check this one. "
        f"For the account's safety, try again {when}."
    )
