"""Event pages: my events, create, join by code, current event, goal and summary."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..flashes import not_saved
from ..models.base import utcnow
from ..timezones import timezone_names
from . import service
from .forms import GOAL_MESSAGE, EventDetailsForm, EventForm, GoalForm, JoinForm

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


EVENTS_PAGE = 20


def render_events(form: EventForm, status: int = 200):
    """A page of the user's events, latest first (`?page=2`: More events, by offset: a user
    joins a few events a year, not thousands)."""
    number = min(max(request.args.get("page", 1, type=int), 1), 10_000)
    events = service.my_events(
        current_user, limit=EVENTS_PAGE + 1, offset=(number - 1) * EVENTS_PAGE
    )
    more = len(events) > EVENTS_PAGE
    page = render_template(
        "events/index.html",
        events=events[:EVENTS_PAGE],
        more_url=url_for("events.index", page=number + 1) if more else None,
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
        not_saved()
        return render_events(form, status=422)
    event = service.create_event(current_user, **form.details())
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
        is_over=member.event.is_over(utcnow()),
    )


def my_created_event_or_404(event_id: int):
    """Only whoever created an event changes what it is; to anyone else it isn't there."""
    event = my_membership_or_404(event_id).event
    if event.created_by_id != current_user.id:
        abort(404)
    return event


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    event = my_created_event_or_404(event_id)
    form = EventDetailsForm(obj=event, event=event)
    if form.validate_on_submit():
        for name, value in form.details().items():
            setattr(event, name, value)
        db.session.commit()
        flash(f"Saved {event.name}.", "success")
        return redirect(url_for("events.detail", event_id=event.id))
    status = 200
    if form.is_submitted():
        not_saved()
        status = 422
    page = render_template("events/edit.html", event=event, form=form, timezones=timezone_names())
    return page, status


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
