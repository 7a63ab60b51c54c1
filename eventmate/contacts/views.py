"""Contact pages: the list with search and filters, and the capture screen."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..downloads import vcard_download
from ..events.service import event_names, my_events
from ..extensions import db
from ..flashes import not_saved
from ..followups.links import inbox_link
from ..followups.service import (
    apply_choice,
    choice_from_form,
    choice_view,
    follow_up_for,
    open_follow_up,
    user_today,
)
from ..ids import database_id
from ..models import Contact, CustomPrompt
from ..models.base import utcnow
from ..review.archive import archived_count
from .capture import apply_capture, parse_capture, prompts_about, recent_tags
from .card_check import card_region, confirm_card, fields_to_check, parse_check
from .card_check import form_values as check_values
from .contract import CONTRACT, form_values
from .prompts import MAX_CUSTOM_PROMPTS
from .search import people_page, why_matched
from .serialize import contact_vcard
from .service import cards_to_check, get_own
from .wording import about, cue, meeting_sentence

bp = Blueprint("contacts", __name__, url_prefix="/contacts")
bp.add_app_template_global(meeting_sentence)
bp.add_app_template_global(about, "contact_about")
bp.add_app_template_global(cue, "contact_cue")


@bp.app_template_global()
def capture_contract() -> dict:
    """The capture contract's limits, for the form's maxlength attributes."""
    return CONTRACT


def int_arg(name: str) -> int | None:
    return request.args.get(name, type=database_id)


@bp.get("/")
@login_required
def index():
    """People, newest first, a page at a time: "More people" (or scrolling, with
    static/js/more.js) asks for the next page after the last row shown."""
    query = request.args.get("q", "")
    event_id, tag_id, after = int_arg("event"), int_arg("tag"), int_arg("after")
    archived = request.args.get("archived") == "1"  # archived people only when asked
    page = people_page(
        current_user, query, event_id=event_id, tag_id=tag_id, after=after, archived=archived
    )
    filters = {"q": query or None, "event": event_id, "tag": tag_id, "archived": archived or None}
    return render_template(
        "contacts/index.html",
        contacts=page.items,
        more_url=url_for("contacts.index", **filters, after=page.after) if page.after else None,
        later_page=after is not None,
        to_check=cards_to_check(current_user),
        matches={contact.id: why_matched(contact, query) for contact in page.items},
        query=query,
        event_id=event_id,
        tag_id=tag_id,
        archived=archived,
        archived_count=archived_count(current_user),
        events=event_names(current_user),
        tags=recent_tags(current_user, limit=50),
    )


def own_contact_with_notes(contact_id: int) -> Contact:
    """The current user's contact with its tags and answers loaded; 404 for anyone else's."""
    contact = db.session.get(
        Contact,
        contact_id,
        options=[selectinload(Contact.tags), selectinload(Contact.answers)],
    )
    if contact is None or contact.owner_id != current_user.id:
        abort(404)
    return contact


@bp.get("/<int:contact_id>")
@login_required
def detail(contact_id: int):
    """A contact's page reads first: who, where you met, tags, what they said; Edit changes it."""
    contact = own_contact_with_notes(contact_id)
    planned = open_follow_up(contact)
    return render_template(
        "contacts/detail.html",
        contact=contact,
        follow_up=choice_view(current_user, contact, utcnow()),
        follow_up_link=inbox_link(planned.id) if planned else None,
    )


@bp.post("/<int:contact_id>/follow-up")
@login_required
def follow_up(contact_id: int):
    """Follow up now: the drafted message in the inbox, planned for tomorrow if nothing was."""
    contact = get_own(Contact, contact_id)
    planned = follow_up_for(current_user, contact, utcnow())
    db.session.commit()
    return redirect(inbox_link(planned.id))


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit(contact_id: int):
    """The capture form: right after a scan (`?scanned=1`), and Edit on a contact's page."""
    contact = own_contact_with_notes(contact_id)
    prompts = prompts_about(current_user, contact)
    events = my_events(current_user)
    errors: dict[str, str] = {}
    now = utcnow()
    if request.method == "POST":
        event_ids = {event.id for event, _ in events}
        capture, errors = parse_capture(
            form_values(request.form), prompts=prompts, event_ids=event_ids
        )
        follow_up, problem = choice_from_form(request.form, today=user_today(current_user, now))
        if problem:
            errors["follow_up"] = problem
        if not errors:
            apply_capture(current_user, contact, capture, prompts)
            apply_choice(current_user, contact, follow_up, now)
            db.session.commit()
            flash(f"Saved what you noted about {contact.display_name}.", "success")
            return redirect(url_for("contacts.detail", contact_id=contact.id))
        db.session.rollback()
        not_saved()
    answers = {answer.prompt_key: answer.answer for answer in contact.answers}
    return render_template(
        "contacts/edit.html",
        contact=contact,
        prompts=prompts,
        answers=answers,
        events=events,
        selected_event=contact.event_id,
        recent=recent_tags(current_user),
        errors=errors,
        form=request.form if errors else None,
        follow_up=choice_view(current_user, contact, now),
    ), 422 if errors else 200


@bp.route("/<int:contact_id>/check", methods=["GET", "POST"])
@login_required
def check(contact_id: int):
    """A paper card's fields as read from its photo, to fix and confirm (`card_check.py`); then
    the capture, for what stood out."""
    contact = get_own(Contact, contact_id)
    if not contact.needs_checking:
        flash(f"{contact.display_name}'s card was checked already.", "info")
        return redirect(url_for("contacts.detail", contact_id=contact.id))
    errors: dict[str, str] = {}
    if request.method == "POST":
        region = card_region(contact, current_user)
        checked, errors = parse_check(check_values(request.form), region)
        if not errors:
            confirm_card(contact, checked)
            db.session.commit()
            flash(f"Saved {contact.display_name}'s details from the card.", "success")
            return redirect(url_for("contacts.edit", contact_id=contact.id, checked=1))
        not_saved()
    return render_template(
        "contacts/check.html",
        contact=contact,
        fields=fields_to_check(contact),
        errors=errors,
        form=request.form if errors else None,
    ), 422 if errors else 200


@bp.get("/<int:contact_id>.vcf")
@login_required
def vcard(contact_id: int):
    """Save to phone: this one contact as a vCard the phone adds to its address book."""
    contact = get_own(Contact, contact_id)
    return vcard_download(contact_vcard(contact), contact.display_name)


@bp.post("/<int:contact_id>/delete")
@login_required
def delete(contact_id: int):
    contact = get_own(Contact, contact_id)
    name = contact.display_name
    db.session.delete(contact)
    db.session.commit()
    flash(f"Deleted {name} from your contacts.", "info")
    return redirect(url_for("contacts.index"))


@bp.post("/prompts")
@login_required
def add_prompt():
    question = " ".join(request.form.get("question", "").split())
    back_to = request.form.get("back_to", type=database_id)
    destination = (
        url_for("contacts.edit", contact_id=get_own(Contact, back_to).id)
        if back_to
        else url_for("account.data", _anchor="questions")
    )
    count = db.session.scalar(
        sa.select(sa.func.count()).where(CustomPrompt.owner_id == current_user.id)
    )
    if not 3 <= len(question) <= 200:
        flash("Write a question of 3 to 200 characters.", "error")
    elif count >= MAX_CUSTOM_PROMPTS:
        flash(
            f"You can keep {MAX_CUSTOM_PROMPTS} questions of your own; remove one first.", "error"
        )
    else:
        db.session.add(CustomPrompt(owner_id=current_user.id, question=question))
        db.session.commit()
        flash("Added your question to every contact's prompts.", "success")
    return redirect(destination)


@bp.post("/prompts/<int:prompt_id>/delete")
@login_required
def delete_prompt(prompt_id: int):
    db.session.delete(get_own(CustomPrompt, prompt_id))
    db.session.commit()
    flash("Removed that question. Answers you already noted stay on each contact.", "info")
    return redirect(url_for("account.data", _anchor="questions"))
