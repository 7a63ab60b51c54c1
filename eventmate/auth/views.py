"""Sign-up, login and logout pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import reshows_expired_form
from ..extensions import limiter
from ..urls import split_url
from . import accounts
from .forms import LoginForm, RegisterForm
from .sessions import end_session, start_session

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no `//evil` or `/\\evil` tricks, and no
    line break or other control character (a redirect's header can't hold one)."""
    if not target:
        return url_for("home.index")
    parts = split_url(target)
    if (
        parts is None
        or not target.isprintable()
        or parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
    ):
        return url_for("home.index")
    return target


@bp.route("/register", methods=["GET", "POST"])
@reshows_expired_form
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = accounts.register(
            email=form.email.data,
            password=form.password.data,
            display_name=form.display_name.data,
            timezone=form.timezone.data,
        )
        if user is None:
            form.email.errors.append("An account with this email already exists. Log in instead?")
        else:
            start_session(user, remember=False)
            flash("Welcome! This is your card — show it to people you meet.", "success")
            return redirect(url_for("cards.my_card"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@reshows_expired_form
@limiter.limit("20 per 15 minutes", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            start_session(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append("That email and password don't match an account.")
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    end_session(current_user)
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
