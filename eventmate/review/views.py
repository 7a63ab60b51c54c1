"""The monthly review page and its one-tap answers; archiving and restoring a contact."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..contacts.service import get_own
from ..extensions import db
from ..followups.links import inbox_link
from ..introductions.service import introduction_of
from ..models import Contact
from ..models.base import utcnow
from . import archive, service

bp = Blueprint("review", __name__)


@bp.get("/review")
@login_required
def index():
    review = service.monthly_review(current_user, now=utcnow())
    return render_template("review/index.html", review=review, keep_days=service.KEEP_DAYS)


def back(contact: Contact):
    """Back to the review when the answer came from it, else to the contact's page."""
    if request.form.get("back") == "review":
        return redirect(url_for("review.index"))
    return redirect(url_for("contacts.detail", contact_id=contact.id))


@bp.post("/review/keep")
@login_required
def keep():
    parsed = service.parse_item(request.form.get("item"))
    if parsed is None:
        abort(404)
    kind, number = parsed
    found = get_own(Contact, number) if kind == "contact" else introduction_of(current_user, number)
    if found is None:
        abort(404)
    service.keep_as_is(current_user, f"{kind}:{number}", now=utcnow())
    db.session.commit()
    flash(f"Kept as it is; out of your reviews for {service.KEEP_DAYS} days.", "info")
    return redirect(url_for("review.index"))


@bp.post("/review/<int:contact_id>/reach-out")
@login_required
def reach_out(contact_id: int):
    """Reach out: the drafted message in the inbox."""
    contact = get_own(Contact, contact_id)
    follow_up = service.reach_out(current_user, contact, now=utcnow())
    db.session.commit()
    return redirect(inbox_link(follow_up.id))


@bp.post("/contacts/<int:contact_id>/archive")
@login_required
def archive_contact(contact_id: int):
    contact = get_own(Contact, contact_id)
    if archive.archive(current_user, contact, now=utcnow()):
        db.session.commit()
        flash(
            f"Archived {contact.display_name}: hidden from your lists and reminders. "
            "Find them under People → Archived people.",
            "info",
        )
    return back(contact)


@bp.post("/contacts/<int:contact_id>/restore")
@login_required
def restore(contact_id: int):
    contact = get_own(Contact, contact_id)
    if archive.restore(contact):
        db.session.commit()
        flash(f"{contact.display_name} is back in your lists.", "success")
    return back(contact)
