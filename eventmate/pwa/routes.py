"""The routes the service worker treats specially, named by endpoint and written into it as
patterns (as its VERSION and SHELL are): renaming a route moves its pattern along, and a
removed one fails when the worker is served (tests/http/test_pwa.py)."""

import re

from flask import Flask, url_for

# Pages worth keeping for offline use (not forms like login or account deletion).
KEPT_PAGES = (
    "home.index",
    "cards.my_card",
    "scanning.scan",
    "inbox.index",
    "contacts.edit",
    "events.index",
    "events.detail",
    "account.profile",
    "pwa.offline_capture",
    "pwa.offline_people",
)
# Cache first, among the user's pages: each URL changes with its content (my card's QR, the
# photos).
CACHE_FIRST = ("cards.qr_image_svg", "cards.photo", "photos.contact_photo")
# People and each contact's page: offline, drawn by PEOPLE_PAGE from the phone's copy of the
# contacts (static/js/people-offline.js) rather than kept page by page.
PEOPLE = ("contacts.index", "contacts.detail")
PEOPLE_PAGE = "pwa.offline_people"
# A contact's capture form (Edit) not kept from a visit: offline, EDIT_PAGE's form filled from
# the same copy (static/js/offline-capture.js).
EDIT = ("contacts.edit",)
EDIT_PAGE = "pwa.offline_capture"

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
    def patterns(endpoints):
        return [endpoint_pattern(app, endpoint) for endpoint in endpoints]

    with app.test_request_context():
        people_page, edit_page = url_for(PEOPLE_PAGE), url_for(EDIT_PAGE)
    return {
        "keptPages": patterns(KEPT_PAGES),
        "cacheFirst": patterns(CACHE_FIRST),
        "people": patterns(PEOPLE),
        "peoplePage": people_page,
        "edit": patterns(EDIT),
        "editPage": edit_page,
    }
