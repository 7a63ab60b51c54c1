"""Profile, my own prompts, export and account deletion."""

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..auth.accounts import normalise_email
from ..auth.passwords import verify_password
from ..auth.sessions import end_session
from ..contacts.prompts import prompts_for
from ..extensions import db
from ..flashes import not_saved
from ..followups.service import reschedule_for_settings
from ..models import User
from ..models.base import utcnow
from ..timezones import timezone_names
from .export import contacts_csv, contacts_vcf, data_json, delete_account
from .forms import DeleteAccountForm, ProfileForm

bp = Blueprint("account", __name__, url_prefix="/account")
PROFILE_FIELDS = (
    "display_name", "headline", "email", "phone", "website", "bio", "timezone", "reminder_hour",
    "quiet_days", "push_enabled",
    "public_headline", "public_email", "public_phone", "public_website", "public_bio",
)  # fmt: skip


def download(body: str, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def email_taken(email: str) -> bool:
    other = db.session.scalar(
        sa.select(User.id).where(User.email == email, User.id != current_user.id)
    )
    return other is not None


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        form.email.data = normalise_email(form.email.data)
        if email_taken(form.email.data):
            form.email.errors.append("Another account uses this email.")
        else:
            old_zone, old_hour = current_user.timezone, current_user.reminder_hour
            for name in PROFILE_FIELDS:
                setattr(current_user, name, form[name].data)
            reschedule_for_settings(
                current_user, old_zone=old_zone, old_hour=old_hour, now=utcnow()
            )
            db.session.commit()
            flash("Profile saved.", "success")
            return redirect(url_for("account.profile"))
    if form.errors:
        not_saved()
    return render_template(
        "account/profile.html",
        form=form,
        prompts=prompts_for(current_user),
        timezones=timezone_names(),
    ), 422 if form.errors else 200


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
