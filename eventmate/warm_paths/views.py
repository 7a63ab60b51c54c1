"""Warm-path pages: how you know a contact, "who do I know at …?", asking for an introduction
and answering such an ask. Thin views over `service`, `asks` and the introductions."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..followups.channels import channels_for
from ..followups.tone import check_tone
from ..i18n import _
from ..ids import database_id
from ..introductions import service as introductions
from ..introductions.views import expiry_days, private
from ..models import AskState, ContactTie, IntroductionAsk
from ..models.base import utcnow
from ..relationships.ties import Tie, parse_history
from ..relationships.views import back_to, own_contact
from . import asks
from .matching import clean_term
from .service import known_companies, links_of, who_i_know_at

bp = Blueprint("warm", __name__)


@bp.app_template_global("asks_received")
def asks_received_global() -> list[IntroductionAsk]:
    """For Home: asks for an introduction waiting for my answer."""
    return asks.asks_received(current_user)


@bp.app_template_global("tie_choices")
def tie_choices() -> list[Tie]:
    return list(Tie)


@bp.post("/contacts/<int:contact_id>/history")
@login_required
def history(contact_id: int):
    """How you know them beyond events, and where they worked before."""
    contact = own_contact(contact_id)
    ties, past, errors = parse_history(
        request.form.getlist("ties"), request.form.get("past_companies", "")
    )
    if errors:
        for message in errors.values():
            flash(message, "error")
        return back_to(contact)
    kept = {tie.kind: tie for tie in contact.ties}  # a tie kept stays the same row
    contact.ties = [kept.get(tie) or ContactTie(kind=tie) for tie in ties]
    contact.past_companies = "\n".join(past)
    db.session.commit()
    flash(_("Saved how you know %(name)s.", name=contact.display_name), "success")
    return back_to(contact)


@bp.get("/warm-paths")
@login_required
def index():
    company = clean_term(request.args.get("company", ""))
    paths = who_i_know_at(current_user, company, now=utcnow()) if company else None
    return render_template(
        "warm/index.html",
        company=company,
        paths=paths,
        companies=[] if company else known_companies(current_user),
    )


# Asking for an introduction ------------------------------------------------------------------


def ask_context(contact, data: asks.AskInput, *, errors=None) -> dict:
    now = utcnow()
    familiarity = introductions.familiarity_with(contact, now=now)
    return {
        "templates": asks.draft_templates(current_user, contact),
        "findings": check_tone(data.message),
        "contact": contact,
        "familiarity": familiarity,
        "data": data,
        "errors": errors or {},
        "connector": asks.connector_of(contact),
        "links": links_of(contact, data.company) if data.company else [],
        "app_problem": asks.ask_problem(current_user, contact, data.company, now=now)
        if data.company
        else None,
    }


@bp.get("/warm-paths/ask/<int:contact_id>")
@login_required
def ask(contact_id: int):
    contact = own_contact(contact_id)
    if contact.needs_identifying:
        abort(404)
    company = clean_term(request.args.get("company", ""))[: asks.MAX_COMPANY]
    topic = " ".join(request.args.get("topic", "").split())[: asks.MAX_TOPIC]
    _subject, message = asks.draft(current_user, contact, company or "…", topic)
    data = asks.AskInput(company=company, topic=topic, message=message)
    return render_template("warm/ask.html", **ask_context(contact, data))


@bp.post("/warm-paths/ask/<int:contact_id>")
@login_required
def send_ask(contact_id: int):
    """`how=channel`: the message with the inbox's channels; `how=app`: a request in EventMate."""
    contact = own_contact(contact_id)
    if contact.needs_identifying:
        abort(404)
    now = utcnow()
    barely = introductions.familiarity_with(contact, now=now).barely_known
    data, errors = asks.parse_ask(request.form, barely_known=barely)
    how = request.form.get("how")
    if how not in ("channel", "app"):
        errors["how"] = _("Choose how to send it.")
    if errors:
        return render_template("warm/ask.html", **ask_context(contact, data, errors=errors)), 422
    if how == "app":
        try:
            sent = asks.create_ask(current_user, contact, data, now=now)
        except asks.AskRefused as refused:
            db.session.rollback()
            errors = {"how": str(refused)}
            page = render_template("warm/ask.html", **ask_context(contact, data, errors=errors))
            return page, 422
        db.session.commit()
        flash(
            _("Asked %(name)s. You'll see their answer here.", name=contact.display_name), "success"
        )
        return redirect(url_for("warm.ask_detail", ask_id=sent.id))
    subject, _draft = asks.draft(current_user, contact, data.company, data.topic)
    channels = channels_for(
        emails=list(contact.emails or ()),
        phones=list(contact.phones or ()),
        urls=list(contact.urls or ()),
        subject=subject,
        body=data.message,
    )
    return render_template(
        "warm/send.html", contact=contact, data=data, subject=subject, channels=channels
    )


# Following and answering an ask in the app ---------------------------------------------------


def visible_ask(ask_id: int) -> IntroductionAsk:
    found = asks.visible_ask(current_user, ask_id)
    if found is None:
        abort(404)
    return found


def connector_ask(ask_id: int) -> IntroductionAsk:
    found = visible_ask(ask_id)
    if found.connector_id != current_user.id:
        abort(404)
    return found


@bp.get("/asks/<int:ask_id>")
@login_required
def ask_detail(ask_id: int):
    found = visible_ask(ask_id)
    if found.connector_id == current_user.id:
        paths = who_i_know_at(current_user, found.company, now=utcnow())
        people = [
            path
            for path in paths.people + paths.connectors
            if path.contact.linked_user_id != found.asker_id
        ]
        return private(render_template("warm/received.html", ask=found, people=people))
    return private(render_template("warm/sent.html", ask=found, side=asks.my_side(found)))


def render_introduce(found: IntroductionAsk, person, *, errors=None, form=None, status=200):
    now = utcnow()
    return private(
        render_template(
            "warm/introduce.html",
            ask=found,
            person=person,
            barely=asks.barely_known_sides(current_user, found, person, now=now),
            errors=errors or {},
            form=form or {"why_b": asks.why_for_person(found)},
            expiry_days=expiry_days(),
        ),
        status,
    )


@bp.route("/asks/<int:ask_id>/introduce", methods=["GET", "POST"])
@login_required
def introduce(ask_id: int):
    found = connector_ask(ask_id)
    if found.state != AskState.ASKED:
        flash(_("This ask was already answered or withdrawn."), "info")
        return redirect(url_for("warm.ask_detail", ask_id=found.id))
    values = request.form if request.method == "POST" else request.args
    person = own_contact(values.get("person", type=database_id))
    if person.linked_user_id == found.asker_id or person.needs_identifying:
        abort(404)
    if request.method == "GET":
        return render_introduce(found, person)
    try:
        intro = asks.introduce(
            current_user,
            found,
            person,
            why_a=request.form.get("why_a", ""),
            why_b=request.form.get("why_b", ""),
            confirmed=request.form.get("confirm") == "yes",
            now=utcnow(),
        )
    except introductions.IntroductionRefused as refused:
        db.session.rollback()
        return render_introduce(found, person, errors=refused.errors, form=request.form, status=422)
    db.session.commit()
    flash(
        _(
            "Introduction started. Nobody sees anything until %(asker)s and %(person)s both "
            "say yes.",
            asker=found.asker.display_name,
            person=person.display_name,
        ),
        "success",
    )
    return redirect(url_for("introductions.detail", intro_id=intro.id))


@bp.post("/asks/<int:ask_id>/decline")
@login_required
def decline(ask_id: int):
    found = connector_ask(ask_id)
    try:
        asks.decline(current_user, found, now=utcnow())
    except asks.AskRefused as refused:
        flash(str(refused), "info")
        return redirect(url_for("warm.ask_detail", ask_id=found.id))
    db.session.commit()
    flash(
        _(
            "Thanks for answering. %(name)s will see you couldn't help.",
            name=found.asker.display_name,
        ),
        "info",
    )
    return redirect(url_for("home.index"))


@bp.post("/asks/<int:ask_id>/withdraw")
@login_required
def withdraw(ask_id: int):
    found = visible_ask(ask_id)
    if found.asker_id != current_user.id:
        abort(404)
    try:
        asks.withdraw(current_user, found, now=utcnow())
    except asks.AskRefused as refused:
        flash(str(refused), "info")
    else:
        db.session.commit()
        flash(_("Withdrawn: it no longer waits for an answer."), "info")
    return redirect(url_for("warm.ask_detail", ask_id=found.id))
