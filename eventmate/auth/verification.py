"""Proving an email address with a 6-digit code, for sign-up and for an account's new email.

The same steps whether or not the address already has an account, so that nothing a visitor
sees (answer, page, timing: the password is hashed and one email sent either way) tells them
which: a new address gets a code, a taken one gets a notice to its owner and a row that no
code opens. Codes are random, stored as an HMAC only, expire after 30 minutes, allow a few
wrong tries, work once, and a new one can be asked for a few times.
"""

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..mail import MailError, send_templated
from ..models import EmailVerification, Purpose, User
from ..models.base import utcnow
from .accounts import create_account
from .passwords import hash_password, verify_password

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=30)
MAX_ATTEMPTS = 5  # wrong codes before the current one stops working
MAX_SENDS = 5  # the first email and four new codes
RESEND_AFTER = timedelta(seconds=30)
TICKET = re.compile(r"[0-9a-f]{32}")


class Outcome(StrEnum):
    PROVEN = "proven"
    WRONG = "wrong"
    TOO_MANY = "too_many"  # a new code is needed
    EXPIRED = "expired"  # start again


class Resend(StrEnum):
    SENT = "sent"
    NOT_MAILED = "not_mailed"  # the SMTP server refused or did not answer
    TOO_SOON = "too_soon"
    NO_MORE = "no_more"  # start again


@dataclass(frozen=True)
class Started:
    verification: EmailVerification
    mailed: bool  # False: the SMTP server refused or did not answer


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(ticket: str, code: str) -> str:
    """HMAC of the code under the app's secret key and the row's ticket: a stolen table
    alone does not give the codes away (a million SHA-256s would)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{ticket}:{code}".encode(), hashlib.sha256).hexdigest()


def address_taken(email: str, *, other_than: User | None = None) -> bool:
    query = sa.select(User.id).where(User.email == email)
    if other_than is not None:
        query = query.where(User.id != other_than.id)
    return db.session.scalar(query) is not None


def forget_expired(now: datetime) -> None:
    """Housekeeping, done whenever a verification starts."""
    db.session.execute(sa.delete(EmailVerification).where(EmailVerification.expires_at <= now))


def start_sign_up(
    *, email: str, password: str, display_name: str, timezone: str, now: datetime
) -> Started:
    """A pending sign-up for `email` (normalised), and its email: a code, or a notice to the
    owner when the address already has an account."""
    verification = EmailVerification(
        purpose=Purpose.SIGN_UP,
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),  # hashed either way: the same time taken
        timezone=timezone,
    )
    return _start(verification, taken=address_taken(email), now=now)


def start_email_change(user: User, *, email: str, now: datetime) -> Started:
    verification = EmailVerification(purpose=Purpose.EMAIL_CHANGE, email=email, user=user)
    return _start(verification, taken=address_taken(email, other_than=user), now=now)


def _start(verification: EmailVerification, *, taken: bool, now: datetime) -> Started:
    forget_expired(now)
    verification.ticket = secrets.token_hex(16)
    verification.sent_at = verification.created_at = now
    verification.expires_at = now + CODE_LIFETIME
    db.session.add(verification)
    mailed = _mail(verification, taken=taken)
    db.session.commit()
    return Started(verification, mailed)


def _mail(verification: EmailVerification, *, taken: bool) -> bool:
    """Give the row a fresh code and email it, or email the owner of a taken address."""
    try:
        if taken:
            verification.code_hash = None
            send_templated(
                "address_in_use",
                to=verification.email,
                subject="Someone tried to use your email on EventMate",
                purpose=verification.purpose,
                login_url=url_for("auth.login", _external=True),
            )
        else:
            code = new_code()
            verification.code_hash = code_digest(verification.ticket, code)
            send_templated(
                "code",
                to=verification.email,
                subject=f"{code} is your EventMate code",
                code=code,
                purpose=verification.purpose,
                link=confirm_url(verification, code=code),
                minutes=int(CODE_LIFETIME.total_seconds() // 60),
            )
    except MailError:
        logger.exception("verification email not sent")
        return False
    return True


def confirm_url(verification: EmailVerification, **params) -> str:
    endpoint = (
        "auth.confirm_sign_up"
        if verification.purpose == Purpose.SIGN_UP
        else "account.confirm_email_change"
    )
    return url_for(endpoint, ticket=verification.ticket, _external=True, **params)


def pending(ticket: str, purpose: Purpose) -> EmailVerification | None:
    if not TICKET.fullmatch(ticket):  # anything else is no ticket of ours (and never reaches SQL)
        return None
    return db.session.scalar(
        sa.select(EmailVerification).where(
            EmailVerification.ticket == ticket, EmailVerification.purpose == purpose
        )
    )


def is_live(verification: EmailVerification | None, now: datetime) -> bool:
    return verification is not None and verification.expires_at > now


def check_code(
    verification: EmailVerification, code: str, *, now: datetime, password: str | None = None
) -> Outcome:
    """Compare `code` (and, from another browser, the sign-up's password); a wrong answer
    counts against the current code. Commits the count."""
    if not is_live(verification, now):
        return Outcome.EXPIRED
    if verification.attempts >= MAX_ATTEMPTS:
        return Outcome.TOO_MANY
    right = verification.code_hash is not None and hmac.compare_digest(
        verification.code_hash, code_digest(verification.ticket, code)
    )
    if password is not None:  # checked even after a wrong code: the same time either way
        right = verify_password(verification.password_hash, password) and right
    if right:
        return Outcome.PROVEN
    verification.attempts += 1
    db.session.commit()
    return Outcome.TOO_MANY if verification.attempts >= MAX_ATTEMPTS else Outcome.WRONG


def resend(verification: EmailVerification, *, now: datetime) -> Resend:
    """A new code (the old one stops working) and a fresh 30 minutes, within limits."""
    if not is_live(verification, now) or verification.sends >= MAX_SENDS:
        return Resend.NO_MORE
    if now - verification.sent_at < RESEND_AFTER:
        return Resend.TOO_SOON
    verification.sends += 1
    verification.attempts = 0
    verification.sent_at = now
    verification.expires_at = now + CODE_LIFETIME
    mailed = _mail(verification, taken=verification.code_hash is None)
    db.session.commit()
    return Resend.SENT if mailed else Resend.NOT_MAILED


def finish(verification: EmailVerification) -> None:
    """A proven code works once: this row and every other pending one for the address go."""
    db.session.execute(
        sa.delete(EmailVerification).where(
            EmailVerification.email == verification.email,
            EmailVerification.purpose == verification.purpose,
        )
    )


def complete_sign_up(verification: EmailVerification) -> User | None:
    """The new account, or None when the address got one since the code was sent."""
    details = {
        "email": verification.email,
        "password_hash": verification.password_hash,
        "display_name": verification.display_name,
        "timezone": verification.timezone,
    }
    finish(verification)  # committed with the new account
    user = create_account(**details)
    if user is None:
        finish(verification)
        db.session.commit()
    return user


def complete_email_change(verification: EmailVerification) -> bool:
    """Move the account to the proven address and tell the old one; False when the address
    got an account since the code was sent."""
    user, old_email = verification.user, verification.user.email
    user.email = verification.email
    user.email_verified_at = utcnow()
    user.email_bounces = 0  # a new address starts clean
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        finish(verification)
        db.session.commit()
        return False
    finish(verification)
    db.session.commit()
    if old_email == user.email:  # the address was only confirmed
        return True
    try:
        send_templated(
            "email_changed",
            to=old_email,
            subject="Your EventMate email was changed",
            new_email=user.email,
            login_url=url_for("auth.login", _external=True),
        )
    except MailError:
        logger.exception("email change notice not sent")
    return True
