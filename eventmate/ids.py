"""Database ids read from a request: in a URL, a form or query field, or a JSON body.

Ids are 32-bit integers on both databases. A larger number can name nothing, and PostgreSQL
refuses it in a query ("integer out of range"), so every id from a request is read here, with
one range: out of it, an id in a URL is not a match (404) and one in a field is no id.
"""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # INTEGER on PostgreSQL; SQLite's rowid allows more, but we never reach it


def is_database_id(value) -> bool:
    """A number that can be a row's id (a JSON `true` is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def database_id(text: str) -> int:
    """For `request.form.get(name, type=database_id)`: the id, else ValueError (so None)."""
    value = int(text)
    if not is_database_id(value):
        raise ValueError(f"{text!r} is not a database id")
    return value


def numbers_up_to(limit: int) -> str:
    """A regex for the whole numbers 1…`limit`, written without leading zeros."""
    digits = str(limit)
    shorter = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    same_length = []  # the first i digits as in the limit, then a smaller one, then any
    for i, digit in enumerate(digits):
        lowest = 1 if i == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - i - 1
            same_length.append(rf"{digits[:i]}[{lowest}-{int(digit) - 1}]\d{{{rest}}}")
    return "(?:" + "|".join([*shorter, *same_length, digits]) + ")"


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in every route: a number outside the id range matches nothing (404).

    The range is in the regex, not only in the `max` check after matching: Werkzeug answers
    405 instead of 404 when a path has a GET and a POST rule and the id fails that check."""

    regex = numbers_up_to(MAX_ID)

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
