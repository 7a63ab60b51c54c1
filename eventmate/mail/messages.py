"""Messages: plain text with an HTML alternative, both rendered from templates/mail/."""

from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template

from .transport import send, sender_domain


def compose(*, to: str, subject: str, text: str, html: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender_domain(sender))
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send_templated(template: str, *, to: str, subject: str, **context) -> None:
    """Render `mail/<template>.txt` and `.html` with `context` and send them to `to`."""
    config = current_app.config
    message = compose(
        to=to,
        subject=subject,
        text=render_template(f"mail/{template}.txt", subject=subject, **context),
        html=render_template(f"mail/{template}.html", subject=subject, **context),
        sender=config["MAIL_FROM"],
    )
    send(message, config["SMTP_URL"])
