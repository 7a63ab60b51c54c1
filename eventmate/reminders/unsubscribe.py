"""The morning email's unsubscribe link: a token signed with the app's secret key, naming the
account and the address it was sent to (never a bare user id). It works without logging in,
from the email (RFC 8058 one-click POST) or from the page it opens; a token for an address
the account no longer has unsubscribes nobody."""

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..models import User
from .channels import without_email

SALT = "eventmate-unsubscribe"
MAX_TOKEN = 200


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(user_id: int, email: str) -> str:
    return _serializer().dumps([user_id, email])


def user_of(token: str) -> User | None:
    """The account this token was made for, if the address is still its own."""
    if len(token) > MAX_TOKEN:
        return None
    try:
        user_id, email = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(email, str):
        return None
    return db.session.scalar(sa.select(User).where(User.id == user_id, User.email == email))


def unsubscribe(user: User) -> None:
    """No more reminder emails; push stays as chosen. The caller commits."""
    user.reminder_channel = without_email(user.reminder_channel)
