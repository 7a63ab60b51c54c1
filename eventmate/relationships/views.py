"""The relationship panel of a contact (level, log a touch, ally, don't introduce) and the
trusted allies page. Thin views over `levels`, `touches` and `allies`."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..followups.links import inbox_link
from ..ids import is_database_id
from ..models import Contact
from ..models.base import utcnow
from ..models.contact import MAX_ALLIES
from . import allies, role_models
from .evidence import last_touches
from .panel import relationship_panel
from .touches import TOUCH_KINDS, NotesFull, local_today, log_touch, parse_touch

bp = Blueprint("relationships", __name__)


@bp.app_template_global("relationship_panel")
def panel_global(contact: Contact) -> dict:
    return relationship_panel(current_user, contact, now=utcnow())


def own_contact(contact_id) -> Contact:
    """The current user's contact with this id (a form's value, maybe None or huge); 404 for
    anything else, so ids reveal nothing."""
    if not is_database_id(contact_id):
        abort(404)
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.owner_id != current_user.id:
        abort(404)
    return contact


def back_to(contact: Contact):
    return redirect(url_for("contacts.detail", contact_id=contact.id, _anchor="relationship"))


@bp.post("/contacts/<int:contact_id>/touches")
@login_required
def log(contact_id: int):
    contact = own_contact(contact_id)
    now = utcnow()
    touch, errors = parse_touch(request.form.to_dict(), today=local_today(current_user, now))
    if errors:
        for message in errors.values():
            flash(message, "error")
        return back_to(contact)
    try:
        log_touch(current_user, contact, touch, now=now)
    except NotesFull as error:
        db.session.rollback()
        flash(str(error), "error")
        return back_to(contact)
    if contact.is_ally:
        allies.plan_keep_in_touch(current_user, now=now)
    db.session.commit()
    what = TOUCH_KINDS[touch.kind].lower()
    flash(f"Logged: {what} with {contact.display_name}.", "success")
    return back_to(contact)


def render_full(contact: Contact, circle: list[Contact]):
    page = render_template(
        "allies/full.html", contact=contact, allies=circle, max_allies=MAX_ALLIES
    )
    return page, 409


@bp.post("/contacts/<int:contact_id>/ally")
@login_required
def mark(contact_id: int):
    contact = own_contact(contact_id)
    days = allies.parse_keep_in_touch(request.form.get("keep_in_touch_days", "60"))
    if days is None:
        flash("Choose how often you'd like to be in touch.", "error")
        return back_to(contact)
    now = utcnow()
    try:
        allies.mark_ally(current_user, contact, now=now, days=days)
    except allies.AllyLimitReached as full:
        db.session.rollback()
        return render_full(contact, full.allies)
    allies.plan_keep_in_touch(current_user, now=now)
    db.session.commit()
    flash(f"{contact.display_name} is one of your trusted allies now.", "success")
    return back_to(contact)


@bp.post("/contacts/<int:contact_id>/ally/remove")
@login_required
def unmark(contact_id: int):
    contact = own_contact(contact_id)
    allies.unmark_ally(current_user, contact)
    db.session.commit()
    flash(f"{contact.display_name} is no longer in your circle of allies.", "info")
    return back_to(contact)


@bp.post("/contacts/<int:contact_id>/ally/keep-in-touch")
@login_required
def keep_in_touch(contact_id: int):
    contact = own_contact(contact_id)
    days = allies.parse_keep_in_touch(request.form.get("keep_in_touch_days"))
    if days is None or not contact.is_ally:
        flash("Choose how often you'd like to be in touch.", "error")
        return back_to(contact)
    now = utcnow()
    allies.set_keep_in_touch(current_user, contact, days, now=now)
    allies.plan_keep_in_touch(current_user, now=now)
    db.session.commit()
    flash(f"You'll get a reminder if you haven't been in touch for {days} days.", "success")
    return back_to(contact)


@bp.post("/contacts/<int:contact_id>/introductions")
@login_required
def introductions_preference(contact_id: int):
    contact = own_contact(contact_id)
    contact.do_not_introduce = request.form.get("do_not_introduce") == "on"
    db.session.commit()
    if contact.do_not_introduce:
        flash(f"Noted: you won't introduce {contact.display_name} to anyone.", "success")
    else:
        flash(f"You can introduce {contact.display_name} again.", "success")
    return back_to(contact)


@bp.get("/allies")
@login_required
def ally_list():
    circle = allies.allies_of(current_user)
    touches = last_touches(circle)
    reminders = {
        ally.id: allies.next_reminder(current_user, ally, touched=touches[ally.id])
        for ally in circle
    }
    return render_template(
        "allies/index.html", allies=circle, reminders=reminders, max_allies=MAX_ALLIES
    )


@bp.post("/allies/swap")
@login_required
def swap():
    add = own_contact(request.form.get("add", type=int))
    remove_id = request.form.get("remove", type=int)
    if remove_id is None:
        flash("Choose who to swap out.", "error")
        return render_full(add, allies.allies_of(current_user))
    remove = own_contact(remove_id)
    now = utcnow()
    try:
        allies.swap_ally(current_user, add=add, remove=remove, now=now)
    except allies.AllyError as error:
        db.session.rollback()
        flash(str(error), "error")
        return render_full(add, allies.allies_of(current_user))
    except allies.AllyLimitReached as full:
        db.session.rollback()
        return render_full(add, full.allies)
    allies.plan_keep_in_touch(current_user, now=now)
    db.session.commit()
    flash(
        f"{add.display_name} joined your trusted allies in place of {remove.display_name}.",
        "success",
    )
    return back_to(add)


# --- role models ------------------------------------------------------------------------------


@bp.post("/contacts/<int:contact_id>/role-model")
@login_required
def role_model(contact_id: int):
    """Mark a role model, or change what to learn from them."""
    contact = own_contact(contact_id)
    try:
        learn_from = role_models.parse_learn_from(request.form.get("learn_from"))
    except role_models.RoleModelError as error:
        flash(str(error), "error")
        return back_to(contact)
    was = contact.is_role_model
    role_models.mark_role_model(contact, learn_from, now=utcnow())
    db.session.commit()
    if was:
        flash("Saved what you'd like to learn.", "success")
    else:
        flash(f"{contact.display_name} is one of your role models now.", "success")
    return back_to(contact)


@bp.post("/contacts/<int:contact_id>/role-model/remove")
@login_required
def role_model_remove(contact_id: int):
    contact = own_contact(contact_id)
    role_models.unmark_role_model(contact)
    db.session.commit()
    flash(f"{contact.display_name} is no longer on your list of role models.", "info")
    return back_to(contact)


@bp.post("/contacts/<int:contact_id>/role-model/lunch")
@login_required
def role_model_lunch(contact_id: int):
    """Invite to lunch: the drafted invitation in the inbox."""
    contact = own_contact(contact_id)
    if not contact.is_role_model:
        flash("Note what you'd like to learn from them first.", "error")
        return back_to(contact)
    follow_up = role_models.invite_to_lunch(current_user, contact, now=utcnow())
    db.session.commit()
    return redirect(inbox_link(follow_up.id))


@bp.post("/contacts/<int:contact_id>/role-model/lunch-log")
@login_required
def role_model_lunch_log(contact_id: int):
    """The lunch happened: a meeting in person, and what you learned."""
    contact = own_contact(contact_id)
    now = utcnow()
    form = request.form.to_dict() | {"kind": "meeting", "note": ""}
    touch, errors = parse_touch(form, today=local_today(current_user, now))
    try:
        learned = role_models.parse_learned(request.form.get("learned"))
    except role_models.RoleModelError as error:
        errors["learned"] = str(error)
    if errors:
        for message in errors.values():
            flash(message, "error")
        return back_to(contact)
    try:
        role_models.log_lunch(current_user, contact, on=touch.on, learned=learned, now=now)
    except NotesFull as error:
        db.session.rollback()
        flash(str(error), "error")
        return back_to(contact)
    if contact.is_ally:
        allies.plan_keep_in_touch(current_user, now=now)
    db.session.commit()
    flash(f"Logged your lunch with {contact.display_name}.", "success")
    return back_to(contact)
