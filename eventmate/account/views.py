"""Profile, my own prompts, export and account deletion."""

from collections.abc import Iterable

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from ..auth import code_pages, verification
from ..auth.accounts import normalise_email
from ..auth.forms import CodeForm, EmailChangeForm
from ..auth.passwords import verify_password
from ..auth.sessions import end_session
from ..auth.verification import Outcome, Resend
from ..contacts.prompts import own_prompts
from ..extensions import db, limiter
from ..flashes import not_saved
from ..followups.service import reschedule_for_settings
from ..models import Purpose
from ..models.base import utcnow
from ..reminders.channels import pushes_allowed
from ..timezones import timezone_names
from .export import contacts_csv, contacts_vcf, data_json, delete_account
from .forms import CardDetailsForm, DeleteAccountForm, RemindersForm

bp = Blueprint("account", __name__, url_prefix="/account")
CARD_FIELDS = (
    "display_name", "headline", "phone", "website", "bio",
    "public_headline", "public_email", "public_phone", "public_website", "public_bio",
)  # fmt: skip
REMINDER_FIELDS = ("reminder_channel", "reminder_hour", "timezone", "quiet_days", "locale")


def download(body: Iterable[str], mimetype: str, filename: str) -> Response:
    """An export, sent while it is written (the request stays open for the generator)."""
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/")
@login_required
def profile():
    """A short page leading to My card, Reminders, and Account & data."""
    return render_template("account/profile.html")


def save_form(form, fields: tuple[str, ...]) -> bool:
    """Copy a valid form's fields onto the user; False (with the form's errors) otherwise."""
    if form.validate_on_submit():
        for name in fields:
            setattr(current_user, name, form[name].data)
        return True
    if form.errors:
        not_saved()
    return False


@bp.route("/card", methods=["GET", "POST"])
@login_required
def card_details():
    form = CardDetailsForm(obj=current_user)
    if save_form(form, CARD_FIELDS):
        db.session.commit()
        flash("Your card is saved.", "success")
        return redirect(url_for("account.card_details"))
    return render_template("account/card.html", form=form), 422 if form.errors else 200


@bp.route("/reminders", methods=["GET", "POST"])
@login_required
def reminders():
    form = RemindersForm(obj=current_user)
    old_zone, old_hour = current_user.timezone, current_user.reminder_hour
    if save_form(form, REMINDER_FIELDS):
        current_user.push_enabled = pushes_allowed(current_user.reminder_channel)
        reschedule_for_settings(current_user, old_zone=old_zone, old_hour=old_hour, now=utcnow())
        db.session.commit()
        flash("Reminders saved.", "success")
        return redirect(url_for("account.reminders"))
    return render_template(
        "account/reminders.html", form=form, timezones=timezone_names()
    ), 422 if form.errors else 200


@bp.get("/data")
@login_required
def data():
    return render_template("account/data.html", prompts=own_prompts(current_user))


def per_account() -> str:
    return f"user:{current_user.id}"


@bp.route("/email", methods=["GET", "POST"])
@login_required
@limiter.limit("5 per hour", key_func=per_account, methods=["POST"])
def change_email():
    """Step 1 of 2: the current password, then a code to the new address (it answers the same
    whether or not the new address has an account)."""
    form = EmailChangeForm(email=request.args.get("email", ""))
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors.append("That password is not right.")
        elif email == current_user.email and current_user.email_verified_at:
            form.email.errors.append("That is already your email.")
        else:
            started = verification.start_email_change(current_user, email=email, now=utcnow())
            if not started.mailed:
                flash(code_pages.NOT_MAILED, "error")
            ticket = started.verification.ticket
            return redirect(url_for("account.confirm_email_change", ticket=ticket), 303)
    return render_template("account/email.html", form=form), 422 if form.errors else 200


def own_pending(ticket: str):
    pending = verification.pending(ticket, Purpose.EMAIL_CHANGE)
    if pending is None or pending.user_id != current_user.id:
        abort(404)
    return pending


@bp.route("/email/confirm/<ticket>", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", key_func=per_account, methods=["POST"])
def confirm_email_change(ticket: str):
    """Step 2 of 2: the code sent to the new address; the old address is told."""
    pending = own_pending(ticket)
    form = CodeForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        outcome = verification.check_code(pending, form.code.data, now=utcnow())
        if outcome is Outcome.PROVEN:
            if verification.complete_email_change(pending):
                flash(f"Your email is now {current_user.email}.", "success")
            else:
                flash("That email has an account now, so yours stays as it was.", "error")
            return redirect(url_for("account.data"))
        if outcome is Outcome.EXPIRED:
            flash(code_pages.EXPIRED, "error")
            return redirect(url_for("account.change_email"))
        code_pages.show_outcome(form, outcome)
    if not verification.is_live(pending, utcnow()):
        flash(code_pages.EXPIRED, "error")
        return redirect(url_for("account.change_email"))
    return render_template(
        "auth/confirm_code.html",
        form=form,
        email=pending.email,
        heading="Confirm your new email",
        resend_url=url_for("account.resend_email_code", ticket=ticket),
        back_url=url_for("account.change_email"),
    ), 422 if form.errors else 200


@bp.post("/email/confirm/<ticket>/resend")
@login_required
@limiter.limit("10 per hour", key_func=per_account)
def resend_email_code(ticket: str):
    pending = own_pending(ticket)
    result = verification.resend(pending, now=utcnow())
    code_pages.flash_resend(result, pending.email)
    if result is Resend.NO_MORE:
        return redirect(url_for("account.change_email"))
    return redirect(url_for("account.confirm_email_change", ticket=ticket), 303)


@bp.get("/export/contacts.vcf")
@login_required
def export_vcf():
    return download(contacts_vcf(current_user), "text/vcard", "eventmate-contacts.vcf")


@bp.get("/export/contacts.csv")
@login_required
def export_csv():
    return download(contacts_csv(current_user), "text/csv", "eventmate-contacts.csv")


@bp.get("/export/data.json")
@login_required
def export_json():
    return download(data_json(current_user), "application/json", "eventmate-data.json")


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            user = current_user._get_current_object()
            end_session(user)
            delete_account(user)
            db.session.commit()
            flash("Your account and everything in it are deleted.", "info")
            return redirect(url_for("home.index"))
        form.password.errors.append("That password is not right.")
    return render_template("account/delete.html", form=form), 422 if form.errors else 200
