"""Details shared with you: the list, the review page, and accepting, merging or dismissing."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import ReviewState
from ..models.base import utcnow
from ..relationships.views import own_contact
from . import review, service

bp = Blueprint("shared", __name__, url_prefix="/shared")


@bp.app_template_global("shared_waiting")
def shared_waiting() -> list:
    """For home, the inbox and People: details waiting for the owner's review."""
    return service.waiting_for(current_user) if current_user.is_authenticated else []


def own_shared(shared_id: int):
    shared = service.shared_of(current_user, shared_id)
    if shared is None:
        abort(404)
    return shared


def keeps_note() -> bool:
    return request.form.get("keep_note") == "yes"


def after_review():
    """The next one waiting, else home."""
    waiting = service.waiting_for(current_user)
    if waiting:
        return redirect(url_for("shared.detail", shared_id=waiting[0].id))
    return redirect(url_for("home.index"))


@bp.get("/")
@login_required
def index():
    return render_template("shared/index.html", waiting=service.waiting_for(current_user))


@bp.get("/<int:shared_id>")
@login_required
def detail(shared_id: int):
    shared = own_shared(shared_id)
    match = service.looks_like(shared) if shared.state == ReviewState.PENDING else None
    choices = service.merge_choices(match.contact, shared) if match else []
    return render_template("shared/review.html", shared=shared, match=match, choices=choices)


def closed(shared):
    flash("You already dealt with these details.", "info")
    return redirect(url_for("shared.detail", shared_id=shared.id))


def accept(shared):
    contact = review.accept(shared, keep_note=keeps_note(), now=utcnow())
    db.session.commit()
    if contact is None:
        return closed(shared)
    flash(f"Added {contact.display_name} to your contacts.", "success")
    return redirect(url_for("contacts.detail", contact_id=contact.id))


def merge(shared):
    contact = own_contact(request.form.get("contact_id", type=int))
    take = {key for key in service.MERGE_FIELDS if request.form.get(key) == "theirs"}
    merged = review.merge(shared, contact, take=take, keep_note=keeps_note(), now=utcnow())
    db.session.commit()
    if merged is None:
        return closed(shared)
    flash(f"Updated {merged.display_name} with what you chose.", "success")
    return redirect(url_for("contacts.detail", contact_id=merged.id))


def dismiss(shared):
    review.dismiss(shared, now=utcnow())
    db.session.commit()
    flash("Dismissed. Nothing was added to your contacts.", "info")
    return after_review()


DECISIONS = {"accept": accept, "merge": merge, "dismiss": dismiss}


@bp.post("/<int:shared_id>")
@login_required
def decide(shared_id: int):
    """The review form's button: accept, merge or dismiss (one form, so one fresh token)."""
    shared = own_shared(shared_id)
    decision = DECISIONS.get(request.form.get("decision", ""))
    if decision is None:
        abort(400)
    try:
        return decision(shared)
    except review.ReviewError:
        db.session.rollback()
        return closed(shared)
