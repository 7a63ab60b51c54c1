"""The ways to send a drafted follow-up from the phone, each a link the phone's own app opens.

Text messages use `sms:NUMBER?&body=…`: iOS reads the body after `&`, Android after `?`, and
both ignore the empty parameter they don't use. WhatsApp's `https://wa.me/<digits>` needs the
number with its country code, so it is offered only for numbers written internationally
(`+351 …` or `00351 …`): a local number would open a chat with a stranger abroad.
"""

from dataclasses import dataclass
from urllib.parse import quote

from ..urls import split_url
from .drafts import EMAIL, mailto_link

LINKEDIN_HOSTS = ("linkedin.com", "lnkd.in")
MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15  # E.164


@dataclass(frozen=True)
class Channel:
    kind: str  # "email", "sms", "whatsapp", "linkedin"
    label: str
    href: str  # the link as drafted; the page rebuilds it from `base` after an edit
    base: str  # the address part: "mailto:ana@example.org", "sms:+351912345678", …


def dialable(phone: str) -> str | None:
    """The number as a phone dials it ("+351912345678", "912345678"), or None."""
    text = phone.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        return None
    if text.startswith("00"):
        return "+" + digits[2:]
    return ("+" if text.startswith("+") else "") + digits


def international_digits(phone: str) -> str | None:
    """The digits wa.me wants (country code first), only for an international number."""
    number = dialable(phone)
    return number[1:] if number and number.startswith("+") else None


def is_linkedin(url: str) -> bool:
    parts = split_url(url.strip())
    if parts is None or parts.scheme.lower() not in ("http", "https"):
        return False
    host = (parts.hostname or "").lower()
    return any(host == name or host.endswith("." + name) for name in LINKEDIN_HOSTS)


def message_href(kind: str, base: str, subject: str, body: str) -> str:
    """The channel's link carrying the message (static/js/inbox.js builds the same)."""
    if kind == "sms":
        return f"{base}?&body={quote(body, safe='')}"
    if kind == "whatsapp":
        return f"{base}?text={quote(body, safe='')}"
    return base  # LinkedIn: the message goes by the clipboard


def channels_for(
    *, emails: list[str], phones: list[str], urls: list[str], subject: str, body: str
) -> tuple[Channel, ...]:
    """Email, Text, WhatsApp and LinkedIn, each when the contact has what it needs."""
    found = []
    email = next((e.strip() for e in emails if EMAIL.match(e.strip())), None)
    mailto = mailto_link(email, subject, body) if email else None
    if mailto:
        found.append(Channel("email", "Email", mailto, mailto.split("?", 1)[0]))
    number = next(filter(None, map(dialable, phones)), None)
    if number:
        base = f"sms:{number}"
        found.append(Channel("sms", "Text", message_href("sms", base, subject, body), base))
    digits = next(filter(None, map(international_digits, phones)), None)
    if digits:
        base = f"https://wa.me/{digits}"
        href = message_href("whatsapp", base, subject, body)
        found.append(Channel("whatsapp", "WhatsApp", href, base))
    linkedin = next((url.strip() for url in urls if is_linkedin(url)), None)
    if linkedin:
        found.append(Channel("linkedin", "LinkedIn", linkedin, linkedin))
    return tuple(found)
