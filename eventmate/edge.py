"""The check every request passes before any view sees it: its text can be stored.

PostgreSQL refuses a NUL character in text, and neither database driver can encode a lone
surrogate (half of an emoji, which JSON can carry as "\\ud800"). Let through, either one fails
deep inside a view with a 500, after a phone's outbox queued the request, so the outbox would
retry it forever. So text is checked here, once, wherever a request carries it: the values in
the URL's path, the query string, form fields and a JSON body (keys and values). JSON is also
refused when it nests deeper than any of our bodies do. Either way the answer is a 400 with a
sentence, and no view runs.

Database ids have a range of their own: see `ids.py`.
"""

import re
from collections.abc import Iterator

from flask import Flask, Request, request
from werkzeug.exceptions import BadRequest

from .errors import error_response
from .ids import DatabaseIdConverter

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MAX_JSON_DEPTH = 20  # our deepest body (a capture's "base") has 3 levels


class RefusedInput(ValueError):
    """A sentence saying what can't be accepted."""


def is_storable(text: str) -> bool:
    """True when both databases can store the text: no NUL, no lone surrogate."""
    return UNSTORABLE.search(text) is None


def check_request(incoming: Request) -> None:
    """Raise RefusedInput when the request carries text that can't be stored."""
    for name, text in _request_texts(incoming):
        if not is_storable(text):
            shown = UNSTORABLE.sub("\ufffd", name[:40])
            raise RefusedInput(
                f'Part of what was sent ("{shown}") holds a NUL or half of an emoji, which '
                "we can't save. Remove it and try again."
            )


def _request_texts(incoming: Request) -> Iterator[tuple[str, str]]:
    """(name, text) of every piece of text the request carries, names included."""
    for name, value in (incoming.view_args or {}).items():
        if isinstance(value, str):
            yield name, value
    for fields in (incoming.args, incoming.form):
        for name, value in fields.items(multi=True):
            yield name, name
            yield name, value
    if incoming.is_json:
        yield from json_texts(_json_body(incoming))


def _json_body(incoming: Request):
    """The parsed body (cached for the view), None when it isn't JSON at all: the view then
    says what it expects."""
    try:
        return incoming.get_json()
    except BadRequest:
        return None
    except RecursionError:  # nested thousands deep: the parser gave up
        raise RefusedInput(_too_deep()) from None


def json_texts(body) -> Iterator[tuple[str, str]]:
    """(path, text) of every key and string in a parsed JSON value, e.g. ("answers.enjoy", …);
    RefusedInput when it nests deeper than MAX_JSON_DEPTH. Walked without recursion."""
    stack = [("", body, 1)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, str):
            yield path or "body", value
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise RefusedInput(_too_deep())
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                name = f"{path}.{key}" if path else str(key)
                if isinstance(key, str):
                    yield name, key
                stack.append((name, item, depth + 1))


def _too_deep() -> str:
    return f"That JSON nests deeper than {MAX_JSON_DEPTH} levels. Send a flatter body."


def init_app(app: Flask) -> None:
    """Before anything else: ids in URLs read by `DatabaseIdConverter` (so before any route is
    added), and the text check before every other request hook."""
    app.url_map.converters["int"] = DatabaseIdConverter

    @app.before_request
    def refuse_unstorable_text():
        try:
            check_request(request)
        except RefusedInput as refused:
            return error_response(400, str(refused))
        return None
