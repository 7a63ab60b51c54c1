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
