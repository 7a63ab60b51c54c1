"""Introduction pages: making one, following it, answering one, and giving back."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from ..badges import card_to_vcard
from ..cards.links import base_url
from ..contacts.search import search_contacts
from ..extensions import db, limiter
from ..models import Contact, IntroductionSide
from ..models.base import utcnow
from ..relationships.views import own_contact
from . import consent, service
from .connect import card_of
from .giving_back import giving_back_summary

bp = Blueprint("introductions", __name__)
# The pages also carry <meta name="referrer" content="no-referrer">: Talisman sets the
# Referrer-Policy header for every response, and the link must never leave in a Referer.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def private(body, status: int = 200) -> Response:
    """A page holding a consent link or someone's answer: never cached nor indexed."""
    response = current_app.make_response((body, status))
    response.headers.update(PRIVATE_HEADERS)
    return response


@bp.app_template_global("introductions_home")
def home_panel() -> dict:
    """For the home page: introductions waiting for my answer, and outcomes of mine."""
    return {
        "requests": service.requests_for(current_user, now=utcnow()),
        "outcomes": service.unseen_outcomes(current_user),
    }


@bp.app_template_global("introduction_requests")
def requests_panel() -> list[IntroductionSide]:
    """For the follow-up inbox: introductions waiting for my answer."""
    return service.requests_for(current_user, now=utcnow())


def own_introduction(intro_id: int):
    intro = service.introduction_of(current_user, intro_id)
    if intro is None:
        abort(404)
    return intro


# Making an introduction ---------------------------------------------------------------------


def expiry_days() -> int:
    return int(current_app.config.get("INTRODUCTION_EXPIRY_DAYS", service.EXPIRY_DAYS))


def render_new(a: Contact | None, b: Contact | None, *, errors=None, form=None, status=200):
    now = utcnow()
    context = {
        "a": a,
        "b": b,
        "errors": errors or {},
        "form": form or {},
        "expiry_days": expiry_days(),
    }
    if a is not None and b is not None:
        problems = service.pair_problems(current_user, a, b, now=now)
        context |= {
            "problems": problems,
            "familiarity": [] if problems else service.familiarity(a, b, now=now),
        }
        template = "introductions/new.html"
    else:
        people = [c for c in search_contacts(current_user) if not c.needs_identifying]
        context["people"] = [(c, service.refusal(c)) for c in people]
        template = "introductions/choose.html"
    return render_template(template, **context), status


@bp.get("/introductions/new")
@login_required
def new():
    a_id = request.args.get("a", type=int)
    b_id = request.args.get("b", type=int)
    a = own_contact(a_id) if a_id is not None else None
    b = own_contact(b_id) if b_id is not None else None
    if a is None and b is not None:
        a, b = b, None
    return render_new(a, b)


@bp.post("/introductions/new")
@login_required
def create():
    a = own_contact(request.form.get("a", type=int))
    b = own_contact(request.form.get("b", type=int))
    try:
        intro = service.create_introduction(
            current_user,
            a,
            b,
            why_a=request.form.get("why_a", ""),
            why_b=request.form.get("why_b", ""),
            confirmed=request.form.get("confirm") == "yes",
            now=utcnow(),
            expiry_days=expiry_days(),
        )
    except service.IntroductionRefused as refused:
        db.session.rollback()
        return render_new(a, b, errors=refused.errors, form=request.form, status=422)
    db.session.commit()
    flash(
        f"Introduction started. Nobody sees anything until {a.display_name} and "
        f"{b.display_name} both say yes.",
        "success",
    )
    return redirect(url_for("introductions.detail", intro_id=intro.id))


# Following it, as the introducer ------------------------------------------------------------


@bp.get("/introductions/<int:intro_id>")
@login_required
def detail(intro_id: int):
    intro = own_introduction(intro_id)
    return private(
        render_template(
            "introductions/detail.html", intro=intro, state=consent.status(intro, utcnow())
        )
    )


@bp.post("/introductions/<int:intro_id>/link/<any(a, b):position>")
@login_required
def make_link(intro_id: int, position: str):
    intro = own_introduction(intro_id)
    now = utcnow()
    if consent.status(intro, now) != consent.OPEN:
        flash("This introduction is no longer open, so there is no link to send.", "info")
        return redirect(url_for("introductions.detail", intro_id=intro.id))
    side = intro.side(position)
    replaced = side.link_hash is not None
    token = service.issue_link(side, now=now)
    db.session.commit()
    link = base_url() + url_for("introductions.consent_link", token=token)
    subject, body = service.draft_email(side, link)
    return private(
        render_template(
            "introductions/send.html",
            intro=intro,
            side=side,
            link=link,
            mailto=service.mailto(side, link),
            subject=subject,
            body=body,
            replaced=replaced,
        )
    )


@bp.post("/introductions/<int:intro_id>/withdraw")
@login_required
def withdraw(intro_id: int):
    intro = own_introduction(intro_id)
    try:
        consent.withdraw(intro, by=current_user, now=utcnow())
    except consent.ConsentError as error:
        flash(str(error), "info")
    else:
        db.session.commit()
        flash("Withdrawn. Its links no longer work, and nobody was connected.", "info")
    return redirect(url_for("introductions.detail", intro_id=intro.id))


@bp.post("/introductions/<int:intro_id>/seen")
@login_required
def seen(intro_id: int):
    intro = own_introduction(intro_id)
    intro.outcome_seen = True
    db.session.commit()
    return redirect(url_for("home.index"))


# Answering one ------------------------------------------------------------------------------


def render_consent(
    side: IntroductionSide, *, action: str, token: str | None = None, errors=None, status=200
):
    intro = side.introduction
    now = utcnow()
    state = consent.status(intro, now)
    other = intro.other(side)
    context = {
        "side": side,
        "intro": intro,
        "other": other,
        "state": state,
        "action": action,
        "errors": errors or {},
        "card": None,
        "contact_url": None,
        "vcard_url": None,
    }
    if state == "completed":
        if side.is_member and side.received_contact_id:
            context["contact_url"] = url_for("contacts.detail", contact_id=side.received_contact_id)
        else:
            context["card"] = card_of(other)
            if context["card"] is not None and token is not None:
                context["vcard_url"] = url_for("introductions.consent_vcard", token=token)
    return private(render_template("introductions/consent.html", **context), status)


def handle_answer(side: IntroductionSide, action: str, token: str | None = None):
    choice = request.form.get("choice", "")
    reason = request.form.get("reason", "")
    errors = {}
    if choice not in ("accept", "decline"):
        errors["choice"] = "Choose yes or no."
    elif len(reason) > service.MAX_REASON:
        errors["reason"] = f"Keep it under {service.MAX_REASON} characters."
    if errors:
        return render_consent(side, action=action, token=token, errors=errors, status=422)
    try:
        consent.answer(side, choice=choice, reason=reason, now=utcnow())
    except consent.ConsentError:
        db.session.rollback()
        return render_consent(side, action=action, token=token, status=409)
    db.session.commit()
    return redirect(action, code=303)


def side_or_gone(token: str) -> IntroductionSide:
    side = service.side_for_token(token)
    if side is None:
        abort(private(render_template("introductions/invalid.html"), 404))
    if side.is_member:
        if not current_user.is_authenticated:
            flash("Log in to answer this introduction.", "info")
            abort(redirect(url_for("auth.login", next=request.path)))
        if current_user.id != side.user_id:
            abort(private(render_template("introductions/not_yours.html"), 403))
    return side


@bp.route("/i/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def consent_link(token: str):
    side = side_or_gone(token)
    action = url_for("introductions.consent_link", token=token)
    if request.method == "POST":
        return handle_answer(side, action, token)
    return render_consent(side, action=action, token=token)


@bp.get("/i/<token>/card.vcf")
def consent_vcard(token: str):
    side = side_or_gone(token)
    intro = side.introduction
    card = card_of(intro.other(side)) if consent.status(intro, utcnow()) == "completed" else None
    if card is None:
        abort(404)
    return Response(
        card_to_vcard(card, uid=f"urn:eventmate:introduction:{intro.id}:{side.position}"),
        mimetype="text/vcard",
        headers={"Content-Disposition": 'attachment; filename="contact.vcf"'} | PRIVATE_HEADERS,
    )


@bp.get("/introductions/requests")
@login_required
def requests():
    pending = service.requests_for(current_user, now=utcnow())
    return render_template("introductions/requests.html", pending=pending)


@bp.route("/introductions/requests/<int:side_id>", methods=["GET", "POST"])
@login_required
def request_detail(side_id: int):
    side = service.request_for(current_user, side_id)
    if side is None:
        abort(404)
    action = url_for("introductions.request_detail", side_id=side.id)
    if request.method == "POST":
        return handle_answer(side, action)
    return render_consent(side, action=action)


# Giving back --------------------------------------------------------------------------------


@bp.get("/giving-back")
@login_required
def giving_back():
    summary = giving_back_summary(current_user, now=utcnow())
    return render_template("giving_back/index.html", summary=summary)


@bp.post("/introductions/preferences")
@login_required
def preferences():
    current_user.no_introductions = request.form.get("no_introductions") == "on"
    db.session.commit()
    if current_user.no_introductions:
        flash("Done: nobody can introduce you to anyone on EventMate.", "success")
    else:
        flash("Done: people you know can introduce you again, always asking you first.", "success")
    return redirect(url_for("introductions.giving_back"))
