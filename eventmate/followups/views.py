"""The follow-up inbox, its actions, the calendar feed and its settings."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BaseConverter

from ..cards.links import base_url
from ..extensions import db
from ..ids import database_id
from ..locales import day_text, time_text
from ..models.base import utcnow
from ..relationships.role_models import plan_reminders_now
from . import digest, service
from .feed import follow_ups_calendar, user_for_token
from .items import inbox_item

bp = Blueprint("inbox", __name__)


class FeedTokenConverter(BaseConverter):
    regex = r"[A-Za-z0-9_-]{32,64}"


@bp.record_once
def register_converter(state):
    state.app.url_map.converters["feed_token"] = FeedTokenConverter


@bp.app_context_processor
def follow_up_counts():
    """`inbox_due_count()` and `inbox_digest()` for the badge and banner, queried on use."""

    def inbox_due_count() -> int:
        if not current_user.is_authenticated:
            return 0
        return digest.due_count(current_user, utcnow())

    def inbox_digest():
        if not current_user.is_authenticated:
            return None
        return digest.banner_summary(current_user, utcnow())

    return {"inbox_due_count": inbox_due_count, "inbox_digest": inbox_digest}


@bp.app_template_filter()
def due_day(moment: datetime) -> str:
    """'today', 'tomorrow', 'yesterday' or 'Thu 27 Nov', in the viewer's time zone."""
    zone = ZoneInfo(current_user.timezone if current_user.is_authenticated else "UTC")
    day = moment.astimezone(zone).date()
    today = utcnow().astimezone(zone).date()
    names = {today: "today", today + timedelta(days=1): "tomorrow"}
    names[today - timedelta(days=1)] = "yesterday"
    return names.get(day, day_text(day, "MMMEd"))


bp.add_app_template_filter(time_text, "local_time")


def own_or_404(follow_up_id: int):
    found = service.own_follow_up(current_user, follow_up_id)
    if found is None:
        abort(404)
    return found


def back_to_inbox():
    return redirect(url_for("inbox.index"))


def more_link(section: service.Section, *, whole_inbox: bool) -> str | None:
    """The section's next page; on the whole inbox, its first when the page had no room left
    for it (or only for the follow-up opened from a contact's page)."""
    if section.after:
        return url_for("inbox.index", section=section.key, after=section.after)
    if whole_inbox and section.count > len(section.items):
        return url_for("inbox.index", section=section.key)
    return None


@bp.get("/inbox")
@login_required
def index():
    """Each section a page at a time: drafts are composed only for the follow-ups shown.
    `?section=overdue&after=<id>` is a section's next page ("More", which static/js/more.js
    loads in place)."""
    now = utcnow()
    only = request.args.get("section")
    only = only if only in service.SECTIONS else None
    after = request.args.get("after", type=database_id) if only else None
    opened = request.args.get("open", type=database_id)  # "Follow up" on a contact's page
    if only is None:
        plan_reminders_now(current_user, now=now)  # allies' keep-in-touch, role models' lunches
    found = service.inbox(current_user, now, only=only, after=after, pinned=opened)
    sections = [
        (
            section,
            [inbox_item(follow_up, current_user, now) for follow_up in section.items],
            more_link(section, whole_inbox=only is None),
        )
        for key, section in found.sections.items()
        if only in (None, key)
    ]
    return render_template(
        "inbox/index.html",
        sections=sections,
        only=only,
        done=found.done,
        empty=found.is_empty,
        snooze_days=service.SNOOZE_DAYS,
        opened=opened,
    )


@bp.post("/inbox/<int:follow_up_id>/done")
@login_required
def done(follow_up_id: int):
    follow_up = own_or_404(follow_up_id)
    name = follow_up.contact.display_name
    if service.mark_done(follow_up, utcnow()):
        db.session.commit()
        flash(f"Done: you followed up with {name}.", "success")
    else:
        flash(f"Your follow-up with {name} was already closed.", "info")
    return back_to_inbox()


@bp.post("/inbox/<int:follow_up_id>/snooze")
@login_required
def snooze(follow_up_id: int):
    follow_up = own_or_404(follow_up_id)
    days = request.form.get("days", type=int)
    if days not in service.SNOOZE_DAYS:
        abort(400)
    if service.snooze(follow_up, days, utcnow()):
        db.session.commit()
        when = due_day(follow_up.due_at)
        flash(f"We'll remind you about {follow_up.contact.display_name} {when}.", "success")
    else:
        flash("That follow-up is already closed.", "info")
    return back_to_inbox()


@bp.post("/inbox/<int:follow_up_id>/dismiss")
@login_required
def dismiss(follow_up_id: int):
    follow_up = own_or_404(follow_up_id)
    if service.dismiss(follow_up):
        db.session.commit()
        flash(f"No follow-up with {follow_up.contact.display_name}.", "info")
    return back_to_inbox()


@bp.post("/inbox/<int:follow_up_id>/reopen")
@login_required
def reopen(follow_up_id: int):
    follow_up = own_or_404(follow_up_id)
    if service.reopen(follow_up, utcnow()):
        db.session.commit()
        flash(f"{follow_up.contact.display_name} is back in your inbox.", "success")
    return back_to_inbox()


# --- the calendar feed ------------------------------------------------------------------------


def feed_url(token: str) -> str:
    return base_url() + url_for("inbox.feed", token=token)


@bp.app_context_processor
def feed_link():
    return {"follow_up_feed_url": feed_url}


@bp.post("/inbox/calendar")
@login_required
def rotate_feed():
    had_feed = current_user.ics_token is not None
    service.rotate_feed(current_user)
    db.session.commit()
    if had_feed:
        flash("Your calendar feed has a new address; the old one no longer works.", "success")
    else:
        flash("Your calendar feed is on. Add its address to your calendar app.", "success")
    return redirect(url_for("account.reminders", _anchor="calendar"))


@bp.post("/inbox/calendar/off")
@login_required
def revoke_feed():
    service.revoke_feed(current_user)
    db.session.commit()
    flash("Your calendar feed is off; its address no longer works.", "info")
    return redirect(url_for("account.reminders", _anchor="calendar"))


@bp.get("/ics/<feed_token:token>.ics")
def feed(token: str):
    user = user_for_token(token)
    if user is None:
        abort(404)
    body = follow_ups_calendar(
        user,
        now=utcnow(),
        inbox_url=base_url() + url_for("inbox.index"),
        host=request.host.split(":")[0],
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'inline; filename="eventmate-follow-ups.ics"',
            "Cache-Control": "private, no-store",
        },
    )
