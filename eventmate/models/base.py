"""Column helpers shared by the models."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite stores naive values)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class HasPhoto:
    """A photo (a JPEG re-encoded by `photos.images`) on a user's card or a contact.

    The bytes load only when served (deferred); the version, a hash of them, is part of every
    URL of the photo, so a browser's cached copy is never stale and a replaced one never shown.
    """

    photo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    photo_version: Mapped[str | None] = mapped_column(sa.String(16))
