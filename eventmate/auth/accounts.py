"""Creating and authenticating accounts."""

from functools import cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import User
from ..models.base import utcnow
from .passwords import hash_password, verify_password


@cache
def _dummy_hash(method: str) -> str:
    """Checked against when the email is unknown, so both paths take the same time."""
    return hash_password("timing-equaliser-not-a-password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_account(
    *, email: str, password_hash: str, display_name: str, timezone: str
) -> User | None:
    """The new user, its address proven by the code; None when the email is taken (it was
    free when the code was sent)."""
    user = User(
        email=normalise_email(email),
        password_hash=password_hash,
        display_name=display_name.strip(),
        timezone=timezone,
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        verify_password(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    return user if verify_password(user.password_hash, password) else None
