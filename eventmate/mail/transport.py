"""SMTP transport: `smtp://` (STARTTLS when it has credentials), `smtps://` (implicit TLS),
`smtp://127.0.0.1:port` (plain, for tests and local trials)."""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
PLAIN_HOSTS = ("127.0.0.1", "localhost", "::1")


class MailError(Exception):
    """The message could not be handed to the SMTP server. `code`: the server's reply code
    (0 when it gave none); `permanent`: it refused the address or the message for good
    (5xx), which sending again will not change."""

    def __init__(self, text: str, *, code: int = 0, permanent: bool = False):
        super().__init__(text)
        self.code = code
        self.permanent = permanent


def refusal(error: Exception) -> tuple[int, bool]:
    """The reply code of a failed send, and whether it refused the recipient or the message
    for good: a 5xx to RCPT TO (every recipient) or to DATA. A 5xx to our login or sender
    is our configuration, not the address: it is retried like a 4xx or a lost connection."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        code = min(codes, default=0)
        return code, bool(codes) and code >= 500
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code, error.smtp_code >= 500
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code, False
    return 0, False


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str = ""
    password: str = ""

    @classmethod
    def from_url(cls, url: str) -> "SmtpSettings":
        """`smtp://user:pass@host:587` → STARTTLS; `smtps://host:465` → TLS from the start;
        `smtp://127.0.0.1:port` without credentials → plain (a server on this machine)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(
                "SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465"
            )
        implicit_tls = parts.scheme == "smtps"
        plain = not implicit_tls and not parts.username and parts.hostname in PLAIN_HOSTS
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit_tls else 587),
            implicit_tls=implicit_tls,
            starttls=not implicit_tls and not plain,
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
        )


def sender_domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "localhost"


def send(message: EmailMessage, smtp_url: str) -> None:
    """Hand `message` to the server of `smtp_url`, or log it whole when there is none."""
    if not smtp_url:
        logger.warning(
            "No SMTP_URL set, so this email was not sent:\nTo: %s\nSubject: %s\n\n%s",
            message["To"],
            message["Subject"],
            message.get_body(("plain",)).get_content(),
        )
        return
    settings = SmtpSettings.from_url(smtp_url)
    try:
        with connect(settings, helo=sender_domain(message["From"])) as client:
            if settings.username:
                client.login(settings.username, settings.password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        code, permanent = refusal(error)
        text = f"mail to {message['To']} not sent: {error!r}"
        raise MailError(text, code=code, permanent=permanent) from error


def connect(settings: SmtpSettings, *, helo: str) -> smtplib.SMTP:
    """A connection that has said EHLO (and STARTTLS when the settings want it).

    EHLO names the sender's domain: smtplib's default would look up this machine's name."""
    context = ssl.create_default_context()
    if settings.implicit_tls:
        client = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            local_hostname=helo,
            timeout=TIMEOUT_SECONDS,
            context=context,
        )
    else:
        client = smtplib.SMTP(
            settings.host, settings.port, local_hostname=helo, timeout=TIMEOUT_SECONDS
        )
    try:
        client.ehlo()
        if settings.starttls:
            client.starttls(context=context)
            client.ehlo()
    except BaseException:
        client.close()
        raise
    return client
