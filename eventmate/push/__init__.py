"""Web Push with VAPID: devices subscribe here, the reminder dispatcher sends through here.

- `endpoints`: which push endpoints we may POST to (no request forgery into private networks)
- `vapid`: the server's key pair and contact subject
- `subscriptions` + `views`: storing and removing a user's devices
- `transport` + `sender`: one push out through pywebpush, and what the answer means

Logging out on a browser stops its reminders for that account: the log-out form carries the
browser's push endpoint (static/js/push.js adds it), and `forget_this_browser` removes that
device when the account logging out holds it. Otherwise the next person on a shared phone
would see the previous account's reminders, with the names of its contacts.
"""

from flask import Flask, has_request_context, request
from flask_login import current_user, user_logged_out

from ..extensions import db
from .vapid import configured_subject


def _devices():
    from .subscriptions import devices_of

    return devices_of(current_user) if current_user.is_authenticated else []


def forget_this_browser(app: Flask, user) -> None:
    """On log-out (Flask-Login's signal): forget the device the log-out form names."""
    from .subscriptions import unsubscribe

    endpoint = request.form.get("push_endpoint") if has_request_context() else None
    if endpoint and getattr(user, "is_authenticated", False) and unsubscribe(user, endpoint):
        db.session.commit()


def init_app(app: Flask) -> None:
    from .views import bp

    user_logged_out.connect(forget_this_browser, app)

    configured_subject(app.config)  # a bad VAPID_SUBJECT stops the app at start, not at 9 am
    app.register_blueprint(bp)
    app.add_template_global(_devices, "push_devices")
