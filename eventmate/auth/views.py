"""Sign-up, login, logout and forgotten-password pages."""

import hashlib

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from ..errors import reshows_expired_form
from ..extensions import limiter
from ..models import Purpose
from ..models.base import utcnow
from ..urls import split_url
from . import accounts, code_pages, resets, throttle, verification
from .forms import CodeForm, ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from .sessions import end_session, start_session
from .verification import Outcome, Resend

bp = Blueprint("auth", __name__)
SIGN_UP_TICKET = "sign_up_ticket"  # in the session of the browser that started the sign-up


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
    """Step 1 of 2: the same answer for a new and a taken email, a page asking for the code."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        started = verification.start_sign_up(
            email=accounts.normalise_email(form.email.data),
            password=form.password.data,
            display_name=form.display_name.data,
            timezone=form.timezone.data,
            now=utcnow(),
        )
        ticket = started.verification.ticket
        session[SIGN_UP_TICKET] = ticket
        if not started.mailed:
            flash(code_pages.NOT_MAILED, "error")
        return redirect(url_for("auth.confirm_sign_up", ticket=ticket), 303)
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/register/confirm/<ticket>", methods=["GET", "POST"])
@reshows_expired_form
@limiter.limit("30 per hour", methods=["POST"])
def confirm_sign_up(ticket: str):
    """Step 2 of 2: the code (typed in this tab, or filled in by the email's link)."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    pending = verification.pending(ticket, Purpose.SIGN_UP)
    if not verification.is_live(pending, utcnow()):
        flash(code_pages.EXPIRED, "error")
        return redirect(url_for("auth.register"))
    form = CodeForm(
        code=request.args.get("code", ""), needs_password=session.get(SIGN_UP_TICKET) != ticket
    )
    if form.validate_on_submit():
        password = form.password.data if form.needs_password else None
        outcome = verification.check_code(pending, form.code.data, now=utcnow(), password=password)
        if outcome is Outcome.EXPIRED:
            flash(code_pages.EXPIRED, "error")
            return redirect(url_for("auth.register"))
        if outcome is Outcome.PROVEN:
            return signed_up(pending)
        code_pages.show_outcome(form, outcome)
    return render_template(
        "auth/confirm_code.html",
        form=form,
        email=pending.email,
        heading="Check your email",
        resend_url=url_for("auth.resend_sign_up_code", ticket=ticket),
        back_url=url_for("auth.register"),
    ), 400 if form.errors else 200


def signed_up(pending):
    user = verification.complete_sign_up(pending)
    session.pop(SIGN_UP_TICKET, None)
    if user is None:  # the address got an account since; the code proved it is theirs
        flash("This email has an account now. Log in with it.", "info")
        return redirect(url_for("auth.login"))
    start_session(user, remember=False)
    flash("Welcome! This is your card — show it to people you meet.", "success")
    return redirect(url_for("cards.my_card"))


@bp.post("/register/confirm/<ticket>/resend")
@limiter.limit("10 per hour")
def resend_sign_up_code(ticket: str):
    pending = verification.pending(ticket, Purpose.SIGN_UP)
    if not verification.is_live(pending, utcnow()):
        flash(code_pages.EXPIRED, "error")
        return redirect(url_for("auth.register"))
    result = verification.resend(pending, now=utcnow())
    code_pages.flash_resend(result, pending.email)
    if result is Resend.NO_MORE:
        return redirect(url_for("auth.register"))
    return redirect(url_for("auth.confirm_sign_up", ticket=ticket), 303)


@bp.route("/login", methods=["GET", "POST"])
@reshows_expired_form
@limiter.limit("20 per 15 minutes", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        wait = throttle.seconds_to_wait(form.email.data)
        if wait:
            form.password.errors.append(throttle.wait_sentence(wait))
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(wait)}
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            throttle.forget_failures(form.email.data)
            start_session(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        throttle.record_failure(form.email.data)
        form.password.errors.append("That email and password don't match an account.")
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    end_session(current_user)
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


def per_address() -> str:
    """The address asked about (hashed: limiter keys may be logged), whatever the client."""
    typed = accounts.normalise_email(request.form.get("email", ""))[:254]
    return "forgot:" + hashlib.sha256(typed.encode()).hexdigest()[:32]


@bp.route("/password/forgot", methods=["GET", "POST"])
@reshows_expired_form
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", key_func=per_address, methods=["POST"])
def forgot_password():
    """The same page after asking, whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = accounts.normalise_email(form.email.data)
        resets.request_reset(email, now=utcnow())
        return render_template("auth/forgot_sent.html", email=email)
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@reshows_expired_form
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token: str):
    """Opening the link changes nothing (mail scanners open links); the form does."""
    reset = resets.live_reset(token, now=utcnow())
    if reset is None:
        flash("That link has expired or was used already. Ask for a new one.", "error")
        return redirect(url_for("auth.forgot_password"))
    user = reset.user
    form = ResetPasswordForm(user_inputs=(user.email, user.display_name))
    if form.validate_on_submit():
        resets.complete_reset(reset, form.password.data)
        throttle.forget_failures(user.email)
        start_session(user, remember=False)
        flash("Your new password is set. You're logged in here and out everywhere else.", "success")
        return redirect(url_for("home.index"))
    return render_template(
        "auth/reset.html", form=form, email=user.email
    ), 400 if form.errors else 200
