"""The morning digest as an email: the push's title, text and link, in a plain text part and
an HTML one, with the headers mail services want from bulk mail (RFC 2369 / RFC 8058)."""

from email.message import EmailMessage
from urllib.parse import quote

from flask import current_app, render_template

from ..mail import compose
from ..mail.transport import sender_domain
from .payload import safe_path
from .unsubscribe import token_for

# The button of a reminder that leads elsewhere than the inbox.
ACTIONS = {"/review": "Open your monthly review"}


def site_url(path: str) -> str:
    """An absolute link for an email written away from any request (the dispatcher):
    `PUBLIC_BASE_URL`, else the `SERVER_NAME`, else this machine's development server."""
    config = current_app.config
    base = config["PUBLIC_BASE_URL"]
    if not base and config.get("SERVER_NAME"):
        base = f"{config['PREFERRED_URL_SCHEME']}://{config['SERVER_NAME']}"
    return (base or "http://localhost:5000").rstrip("/") + path


def digest_email(
    *, delivery_id: int, user_id: int, to: str, title: str, body: str, url: str
) -> EmailMessage:
    """The email of one delivery. Its Message-ID is the delivery's: should a dispatcher die
    between handing it over and recording it, the one retry is the same message, which mail
    services and clients show once."""
    config = current_app.config
    unsubscribe_url = site_url(f"/unsubscribe/{token_for(user_id, to)}")
    context = {
        "action": ACTIONS.get(safe_path(url), "Open your follow-ups"),
        "subject": title,
        "body": body,
        "link": site_url(safe_path(url)),
        "settings_url": site_url("/account/reminders#reminder-channel"),
        "unsubscribe_url": unsubscribe_url,
    }
    message = compose(
        to=to,
        subject=title,
        text=render_template("mail/digest.txt", **context),
        html=render_template("mail/digest.html", **context),
        sender=config["MAIL_FROM"],
    )
    message.replace_header(
        "Message-ID", f"<eventmate-delivery-{delivery_id}@{sender_domain(config['MAIL_FROM'])}>"
    )
    targets = [f"<{unsubscribe_url}>"]
    if config.get("UNSUBSCRIBE_MAILTO"):
        subject = quote(f"unsubscribe {to}")
        targets.append(f"<mailto:{config['UNSUBSCRIBE_MAILTO']}?subject={subject}>")
    message["List-Unsubscribe"] = ", ".join(targets)
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    return message
