"""Forgotten passwords: an emailed link that sets a new one.

Asking answers the same whatever the address: an account's owner gets a link, any other
address a note saying it has no account, so both paths hash, write and send about the same.
The link's token (256 random bits) is only in the email; the row keeps its SHA-256 (a hash
that fast is enough for a random secret). It works once, for an hour, and using it ends every
login session of the account and every other link.
"""

import hashlib
import logging
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import url_for

from ..extensions import db
from ..mail import MailError, send_templated
from ..models import LoginSession, PasswordReset, User
from .passwords import hash_password

logger = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(hours=1)
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(email: str, *, now: datetime) -> None:
    """Email a reset link to the account with this (normalised) address, or a note to an
    address without one. A refused or unanswered send is logged, never shown: the page
    says the same either way."""
    db.session.execute(sa.delete(PasswordReset).where(PasswordReset.expires_at <= now))
    user = db.session.scalar(sa.select(User).where(User.email == email))
    try:
        if user is None:
            db.session.commit()
            send_templated(
                "no_account",
                to=email,
                subject="About your EventMate password",
                register_url=url_for("auth.register", _external=True),
            )
            return
        token = secrets.token_urlsafe(32)
        db.session.add(
            PasswordReset(
                user_id=user.id,
                token_hash=token_hash(token),
                expires_at=now + LINK_LIFETIME,
                created_at=now,
            )
        )
        db.session.commit()
        send_templated(
            "password_reset",
            to=email,
            subject="Set a new EventMate password",
            link=url_for("auth.reset_password", token=token, _external=True),
            minutes=int(LINK_LIFETIME.total_seconds() // 60),
        )
    except MailError:
        logger.exception("password reset email not sent")


def live_reset(token: str, *, now: datetime) -> PasswordReset | None:
    """The unused, unexpired reset this link's token opens."""
    if not TOKEN.fullmatch(token):
        return None
    return db.session.scalar(
        sa.select(PasswordReset).where(
            PasswordReset.token_hash == token_hash(token), PasswordReset.expires_at > now
        )
    )


def complete_reset(reset: PasswordReset, password: str) -> User:
    """Set the new password; the account's login sessions and reset links all end. The
    caller starts a fresh session for this browser if it wants one."""
    user = reset.user
    user.password_hash = hash_password(password)
    db.session.execute(sa.delete(PasswordReset).where(PasswordReset.user_id == user.id))
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.commit()
    return user
