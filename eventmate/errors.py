"""One set of error pages: JSON under /api, HTML elsewhere."""

from flask import (
    Flask,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db, login_manager

MESSAGES = {
    400: "That request didn't make sense to us.",
    401: "Please log in again.",
    403: "You can't do that.",
    404: "There's nothing here, or it isn't yours.",
    405: "That action isn't available here.",
    409: "That id was already used for another change.",
    410: "This is no longer available.",
    413: "That is too large to send.",
    429: "Too many tries in a short time. Wait a few minutes and try again.",
    500: "Something went wrong on our side. Nothing you entered was lost; try again.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None):
    message = message or MESSAGES.get(status, "Something went wrong.")
    if wants_json():
        return jsonify(error=message), status
    return render_template("errors/error.html", status=status, message=message), status


def reshows_expired_form(view):
    """Mark a visitor's form view (login, sign-up, share-back): when its CSRF token is stale
    (the tab was open for hours, the browser dropped the session cookie), the visitor gets the
    same form back with what they typed and a fresh token, instead of an error page.

    Only for a view that changes nothing unless its FlaskForm validates: the form checks the
    token again, fails on the stale one and renders itself with `form.csrf_token.errors`
    (`csrf_field` in templates/_forms.html says so)."""
    view.reshows_expired_form = True
    return view


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        # Logged in, pages fetch a fresh token before sending (static/js/forms.js).
        view = app.view_functions.get(request.endpoint or "")
        if getattr(view, "reshows_expired_form", False) and not current_user.is_authenticated:
            try:
                response = make_response(view(**(request.view_args or {})))
            except HTTPException as exc:  # the card was rotated meanwhile, a rate limit
                return http_error(exc)
            response.status_code = 400  # refused all the same: nothing was done
            return response
        message = "Your form expired or came from elsewhere. Reload and try again."
        if wants_json():  # not the request's fault: the page fetches a token and sends again
            return jsonify(error=message, csrf=True), 400
        return error_response(400, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:  # a view built its own page (e.g. "card no longer valid")
            return error.response
        return error_response(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        if app.testing:
            raise error
        app.logger.exception("Unhandled error", exc_info=error)
        return error_response(500)

    @login_manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            return error_response(401)
        flash("Please log in to continue.", "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
