"""Lists read a page at a time (keyset): a page costs the same with 100 rows or 10,000.

A page is asked for with the id of the last row of the previous one (`?after=<id>`); the
statement's own ordering decides what comes after it (see `contacts.search.after_contact`).
One row more than the page is read, to know whether a next page exists.
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa

from .extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    after: int | None  # the id to ask the next page with; None on the last page


def keyset_page(statement: sa.Select, size: int) -> Page:
    """The first `size` rows of `statement` (ordered, already past the cursor)."""
    rows = list(db.session.scalars(statement.limit(size + 1)))
    items = rows[:size]
    return Page(items, items[-1].id if len(rows) > size else None)
