"""The reminder email's unsubscribe link: no login and no CSRF token (mail services POST to
it by themselves, RFC 8058); the signed token is the proof. No rate limit either: a big mail
service posts for many users from few addresses, and a token can't be guessed."""

from flask import Blueprint, abort, render_template, request

from ..extensions import csrf, db
from .unsubscribe import unsubscribe, user_of

bp = Blueprint("reminders", __name__)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe_email(token: str):
    """GET: a page with one button (a link checker or preview opening the URL changes
    nothing). POST: unsubscribed, from that button or from the mail service's one-click."""
    user = user_of(token)
    if user is None:
        abort(404)
    if request.method == "POST":
        unsubscribe(user)
        db.session.commit()
        return render_template("reminders/unsubscribed.html", email=user.email)
    return render_template("reminders/unsubscribe.html", email=user.email)
