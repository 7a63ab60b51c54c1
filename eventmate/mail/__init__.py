"""Email: one message at a time, through the SMTP server named by `SMTP_URL`.

Without `SMTP_URL` nothing is sent: the whole message is logged at WARNING instead, so a
laptop with no mail setup still shows where a code or notice would have gone.
"""

from flask import Flask

from .messages import compose, send_templated
from .transport import MailError, SmtpSettings, send

__all__ = ["MailError", "SmtpSettings", "compose", "init_app", "send", "send_templated"]


def init_app(app: Flask) -> None:
    """A mistyped `SMTP_URL` stops the app at start, not at the first sign-up."""
    if app.config["SMTP_URL"]:
        SmtpSettings.from_url(app.config["SMTP_URL"])
