"""Login sessions stored server-side, so that logging out really ends them."""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request, session
from flask_login import login_user, logout_user

from ..extensions import db
from ..models import LoginSession, User
from ..models.base import utcnow


def start_session(user: User, *, remember: bool) -> None:
    """A fresh session: the pre-login cookie's contents are discarded (no session fixation)."""
    session.clear()
    lifetime: timedelta = current_app.config["PERMANENT_SESSION_LIFETIME"]
    db.session.execute(  # housekeeping: this user's expired sessions
        sa.delete(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.expires_at <= utcnow()
        )
    )
    row = LoginSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        expires_at=utcnow() + lifetime,
        user_agent=request.user_agent.string[:200],
    )
    db.session.add(row)
    db.session.commit()
    user.active_session_id = row.id
    session.permanent = True
    login_user(user, remember=remember, duration=lifetime)


def end_session(user: User) -> None:
    if user.active_session_id:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.id == user.active_session_id))
        db.session.commit()
    logout_user()
    session.clear()


def load_user(session_id: str) -> User | None:
    """The user of a live login session, in one query: every signed-in request pays for it."""
    user = db.session.scalar(
        sa.select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.id == session_id, LoginSession.expires_at > utcnow())
    )
    if user is not None:
        user.active_session_id = session_id
    return user
