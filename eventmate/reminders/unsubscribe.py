"""The morning email's unsubscribe link: a token signed with the app's secret key, naming the
account and a digest of the address it was sent to (never a bare user id; no readable
address in URLs that access logs keep). It works without logging in,
from the email (RFC 8058 one-click POST) or from the page it opens; a token for an address
the account no longer has unsubscribes nobody."""

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..models import User
from .channels import without_email

SALT = "eventmate-unsubscribe"
MAX_TOKEN = 200


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def token_for(user_id: int, email: str) -> str:
    return _serializer().dumps([user_id, _address_digest(email)])


def user_of(token: str) -> User | None:
    """The account this token was made for, if the address is still its own."""
    if len(token) > MAX_TOKEN:
        return None
    try:
        user_id, digest = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(digest, str):
        return None
    user = db.session.get(User, user_id)
    if user is None or not hmac.compare_digest(_address_digest(user.email), digest):
        return None
    return user


def unsubscribe(user: User) -> None:
    """No more reminder emails; push stays as chosen. The caller commits."""
    user.reminder_channel = without_email(user.reminder_channel)
