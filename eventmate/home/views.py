"""The home screen: progress at the current event (how it went, once it is over) and the
people met lately."""

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..events.service import membership, progress
from ..extensions import db
from ..models import Contact
from ..models.base import utcnow

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    event = current_user.current_event
    member = membership(current_user, event.id) if event else None
    recent = db.session.scalars(
        sa.select(Contact)
        .where(Contact.owner_id == current_user.id, Contact.archived_at.is_(None))
        .options(  # what each row shows
            selectinload(Contact.tags), selectinload(Contact.answers), selectinload(Contact.event)
        )
        .order_by(Contact.created_at.desc(), Contact.id.desc())
        .limit(5)
    )
    return render_template(
        "home/index.html",
        event=event,
        progress=progress(current_user, event, member) if member else None,
        event_over=event is not None and event.is_over(utcnow()),
        recent=list(recent),
    )
