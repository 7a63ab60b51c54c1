"""The URL a card's QR code carries, and recognising it when scanned."""

import re
from urllib.parse import urlsplit

from flask import current_app, request, url_for

from ..urls import split_url

TOKEN_PATTERN = re.compile(r"^/c/([A-Za-z0-9_-]{16,64})/?$")


def base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"] or request.host_url.rstrip("/")


def card_url(token: str) -> str:
    return base_url() + url_for("cards.public_card", token=token)


def card_hosts() -> frozenset[str]:
    """Hosts whose /c/<token> links are our cards: the configured public one and this request's."""
    hosts = {request.host.lower()}
    if current_app.config["PUBLIC_BASE_URL"]:
        hosts.add(urlsplit(current_app.config["PUBLIC_BASE_URL"]).netloc.lower())
    return frozenset(hosts)


def token_from_url(url: str, hosts: frozenset[str]) -> str | None:
    """The card token in one of our card links, or None for any other URL."""
    parts = split_url(url.strip())
    if parts is None or parts.scheme not in ("http", "https") or parts.netloc.lower() not in hosts:
        return None
    match = TOKEN_PATTERN.match(parts.path)
    return match.group(1) if match else None
