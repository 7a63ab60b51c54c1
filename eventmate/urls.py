"""Splitting a URL that came from outside (a scanned badge, a contact's website, `?next=`).

`urlsplit` raises ValueError for text that only looks like a URL ("https://[x", a port of
99999999; reading `.hostname` or `.port` can raise too). Such text is just text, never an error.
"""

from urllib.parse import SplitResult, urlsplit


def split_url(text: str) -> SplitResult | None:
    """The URL's parts, with a readable host and port; None when it is malformed."""
    try:
        parts = urlsplit(text)
        _ = parts.hostname, parts.port
    except ValueError:
        return None
    return parts


def web_link(text: str) -> str | None:
    """A link typed by a person, as an http(s) URL: "linkedin.com/in/ana" gets "https://";
    None for anything else (another scheme, no host, spaces or control characters)."""
    text = text.strip()
    if "://" not in text:
        text = f"https://{text}"
    parts = split_url(text)
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or "." not in parts.hostname
        or any(ch.isspace() or not ch.isprintable() for ch in text)
    ):
        return None
    return text
