"""Event pages: my events, create, join by code, current event, goal and summary."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models.base import utcnow
from ..timezones import timezone_names
from . import service
from .forms import GOAL_MESSAGE, EventForm, GoalForm, JoinForm

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.app_context_processor
def event_helpers():
    """`running_event()` for pages that say where a scan will be noted, queried on use."""

    def viewer_running_event():
        if not current_user.is_authenticated:
            return None
        return service.running_event(current_user, utcnow())

    return {"running_event": viewer_running_event}


def my_membership_or_404(event_id: int):
    member = service.membership(current_user, event_id)
    if member is None:
        abort(404)
    return member


def render_events(form: EventForm, status: int = 200):
    page = render_template(
        "events/index.html",
        events=service.my_events(current_user),
        form=form,
        join_form=JoinForm(),
        timezones=timezone_names(),
    )
    return page, status


@bp.get("/")
@login_required
def index():
    return render_events(EventForm(timezone=current_user.timezone))


@bp.post("/")
@login_required
def create():
    form = EventForm()
    if not form.validate_on_submit():
        # The page opens at its top, and the marked field may be far below.
        flash("Not saved yet: check what's marked below.", "error")
        return render_events(form, status=422)
    fields = {
        name: form[name].data for name in ("name", "kind", "starts_on", "ends_on", "timezone")
    }
    event = service.create_event(current_user, place=form.place.data or "", **fields)
    service.membership(current_user, event.id).goal = form.goal.data
    db.session.commit()
    flash(f"{event.name} is your current event: scans now attach to it.", "success")
    return redirect(url_for("events.detail", event_id=event.id))


@bp.post("/join")
@login_required
def join():
    form = JoinForm()
    event = service.join_by_code(current_user, form.code.data or "") if form.validate() else None
    if event is None:
        flash("No event has that code. Check it with the organiser.", "error")
        return redirect(url_for("events.index"))
    db.session.commit()
    flash(f"You joined {event.name}; it is your current event.", "success")
    return redirect(url_for("events.detail", event_id=event.id))


@bp.get("/<int:event_id>")
@login_required
def detail(event_id: int):
    member = my_membership_or_404(event_id)
    progress = service.progress(current_user, member.event, member)
    return render_template(
        "events/detail.html",
        event=member.event,
        progress=progress,
        goal_form=GoalForm(goal=member.goal),
        is_current=current_user.current_event_id == event_id,
    )


@bp.post("/<int:event_id>/current")
@login_required
def make_current(event_id: int):
    member = my_membership_or_404(event_id)
    current_user.current_event_id = member.event_id
    db.session.commit()
    flash(f"Scans now attach to {member.event.name}.", "success")
    return redirect(url_for("home.index"))


@bp.post("/<int:event_id>/goal")
@login_required
def set_goal(event_id: int):
    member = my_membership_or_404(event_id)
    form = GoalForm()
    if form.validate_on_submit():
        member.goal = form.goal.data
        db.session.commit()
        people = "person" if member.goal == 1 else "people"
        flash(f"Goal set: {member.goal} new {people}.", "success")
    else:
        flash(GOAL_MESSAGE, "error")
    return redirect(url_for("events.detail", event_id=event_id))
