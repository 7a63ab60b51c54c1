"""Answers written while they are sent (the exports): memory stays that of one batch of rows,
however many the user has, and the first bytes leave before the last row is read."""

import json
import secrets
from collections.abc import Iterable, Iterator

CHUNK = 32 * 1024  # characters per chunk handed to the server: fewer, fuller writes


def chunked(parts: Iterable[str], size: int = CHUNK) -> Iterator[str]:
    """The parts joined into chunks of about `size` characters."""
    pending: list[str] = []
    length = 0
    for part in parts:
        pending.append(part)
        length += len(part)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


class Streamed:
    """A list in a `json_document` written an item at a time (an iterable of JSON values)."""

    def __init__(self, items: Iterable):
        self.items = items


def json_document(document: dict) -> Iterator[str]:
    """`json.dumps(document, ensure_ascii=False, indent=2)`, character for character, with
    each `Streamed` value written as a list while its items are read."""
    markers = {
        key: f"\0{secrets.token_hex(16)}\0"
        for key, value in document.items()
        if isinstance(value, Streamed)
    }
    text = json.dumps(
        {key: markers.get(key, value) for key, value in document.items()},
        ensure_ascii=False,
        indent=2,
    )
    for key, marker in markers.items():
        before, text = text.split(json.dumps(marker), 1)
        yield before
        yield from _json_list(document[key].items, depth=1)
    yield text


def _json_list(items: Iterable, *, depth: int) -> Iterator[str]:
    """A list as `json.dumps(…, indent=2)` writes it `depth` levels down."""
    pad = "  " * (depth + 1)
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
        yield ("[\n" if first else ",\n") + pad + body
        first = False
    yield "[]" if first else "\n" + "  " * depth + "]"
