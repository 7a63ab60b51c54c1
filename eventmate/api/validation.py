"""Turning untrusted JSON into typed requests, with a human sentence for what is wrong."""

import re
from datetime import UTC, datetime, timedelta

from ..badges import MAX_PAYLOAD_BYTES
from ..ids import database_id, is_database_id
from ..scanning.card_photos import CardPhotoRequest
from ..scanning.service import ScanRequest

UUID_PATTERN = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
EARLIEST_SCAN = datetime(2020, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(days=1)


class InvalidRequest(ValueError):
    """The sentence says what to fix."""


def require_object(body) -> dict:
    if not isinstance(body, dict):
        raise InvalidRequest("Send a JSON object.")
    return body


def client_id(body: dict) -> str:
    value = body.get("id")
    if not isinstance(value, str) or not UUID_PATTERN.match(value):
        raise InvalidRequest('"id" must be a UUID made by the app.')
    return value.lower()


def timestamp(body: dict, field: str, *, now: datetime) -> datetime:
    value = body.get(field)
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidRequest(f'"{field}" must be an ISO 8601 date and time.')
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f'"{field}" must be an ISO 8601 date and time.') from None
    if moment.tzinfo is None:
        raise InvalidRequest(f'"{field}" needs a time zone, e.g. 2026-11-23T09:30:00Z.')
    if not EARLIEST_SCAN <= moment <= now + CLOCK_SKEW:
        raise InvalidRequest(f'"{field}" is not a plausible time; check the phone\'s clock.')
    return moment.astimezone(UTC)


def optional_id(body: dict, field: str) -> int | None:
    value = body.get(field)
    if value is None:
        return None
    if not is_database_id(value):
        raise InvalidRequest(f'"{field}" must be a positive whole number or null.')
    return value


def card_photo_request(form, photo: bytes, *, now: datetime) -> CardPhotoRequest:
    """A multipart card photo's fields: `id`, `scanned_at`, optional `event_id`."""
    event_id = form.get("event_id", type=database_id)
    if event_id is None and form.get("event_id"):
        raise InvalidRequest('"event_id" must be a positive whole number or left out.')
    return CardPhotoRequest(
        client_id=client_id(form),
        photo=photo,
        scanned_at=timestamp(form, "scanned_at", now=now),
        event_id=event_id,
    )


def scan_request(body, *, now: datetime) -> ScanRequest:
    body = require_object(body)
    payload = body.get("payload")
    if not isinstance(payload, str) or not payload.strip():
        raise InvalidRequest('"payload" must be the text the QR code holds.')
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:  # no lone surrogate: see edge.py
        raise InvalidRequest(
            f"That is larger than any QR code can hold ({MAX_PAYLOAD_BYTES:,} bytes at most)."
        )
    return ScanRequest(
        client_id=client_id(body),
        payload=payload,
        scanned_at=timestamp(body, "scanned_at", now=now),
        event_id=optional_id(body, "event_id"),
    )
