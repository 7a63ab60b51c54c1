"""Web Push with VAPID: devices subscribe here, the reminder dispatcher sends through here.

- `endpoints`: which push endpoints we may POST to (no request forgery into private networks)
- `vapid`: the server's key pair and contact subject
- `subscriptions` + `views`: storing and removing a user's devices
- `transport` + `sender`: one push out through pywebpush, and what the answer means
"""

from flask import Flask
from flask_login import current_user

from .vapid import configured_subject


def _devices():
    from .subscriptions import devices_of

    return devices_of(current_user) if current_user.is_authenticated else []


def init_app(app: Flask) -> None:
    from .views import bp

    configured_subject(app.config)  # a bad VAPID_SUBJECT stops the app at start, not at 9 am
    app.register_blueprint(bp)
    app.add_template_global(_devices, "push_devices")
