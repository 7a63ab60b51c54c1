"""The routes the service worker treats specially, named by endpoint and written into it as
patterns (as its VERSION and SHELL are): renaming a route moves its pattern along, and a
removed one fails when the worker is served (tests/http/test_pwa.py)."""

import re

from flask import Flask

# Pages worth keeping for offline use (not forms like login or account deletion).
KEPT_PAGES = (
    "home.index",
    "cards.my_card",
    "scanning.scan",
    "inbox.index",
    "contacts.index",
    "contacts.detail",
    "contacts.edit",
    "events.index",
    "events.detail",
    "account.profile",
    "pwa.offline_capture",
)
# My card's QR image: cache first (its URL changes with the card).
CARD_QR = "cards.qr_image_svg"

_ARGUMENT = re.compile(r"<(?:(\w+):)?\w+>")
_SPECIAL = re.compile(r"([.^$*+?()[\]{}|\\])")


def rule_pattern(rule: str, converters: dict) -> str:
    """A Werkzeug rule ("/contacts/<int:contact_id>") as the source of a JavaScript regular
    expression matching its paths, each argument by its converter's own regex."""
    parts, end = [], 0
    for match in _ARGUMENT.finditer(rule):
        parts.append(_SPECIAL.sub(r"\\\1", rule[end : match.start()]))
        parts.append(f"(?:{converters[match.group(1) or 'default'].regex})")
        end = match.end()
    parts.append(_SPECIAL.sub(r"\\\1", rule[end:]))
    return f"^{''.join(parts)}$"


def endpoint_pattern(app: Flask, endpoint: str) -> str:
    rules = [rule for rule in app.url_map.iter_rules(endpoint) if "GET" in rule.methods]
    if len(rules) != 1:
        raise LookupError(f"The service worker needs one GET route for {endpoint}.")
    return rule_pattern(rules[0].rule, app.url_map.converters)


def worker_routes(app: Flask) -> dict:
    return {
        "keptPages": [endpoint_pattern(app, endpoint) for endpoint in KEPT_PAGES],
        "cardQr": endpoint_pattern(app, CARD_QR),
    }
