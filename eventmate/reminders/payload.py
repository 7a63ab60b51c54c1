"""What a push carries: the notification's text and where a tap leads. No secrets."""

import json

from ..push.sender import MAX_PAYLOAD_BYTES

# Push services keep one undelivered message per Topic and subscription: a newer digest
# replaces an older one still waiting for a phone that was off. The service worker shows it
# with the same tag, so a newer notification replaces an older one on screen. Each message
# is sent with its own tag as Topic (the digest's, or one per introduction).
TAG = "eventmate-digest"
INBOX = "/inbox"


def safe_path(url: str) -> str:
    """A path on this site; anything else becomes the inbox (no open redirect by push)."""
    if isinstance(url, str) and url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    return INBOX


def render(title: str, body: str, url: str, tag: str, count: int = 0) -> str:
    """The JSON the service worker's push handler reads, kept under the payload limit
    (`count`: how many people a digest names; left out for other messages)."""
    message = {"title": title[:120], "body": body, "url": safe_path(url)[:200], "tag": tag}
    if count:
        message["count"] = count
    text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    while len(text.encode()) > MAX_PAYLOAD_BYTES and len(message["body"]) > 1:
        message["body"] = message["body"][: len(message["body"]) * 3 // 4].rstrip() + "…"
        text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    return text
