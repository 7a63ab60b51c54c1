"""Small helpers the HTTP tests share."""

import html
import re
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import Contact, Meeting, User


def scan(client, payload, *, scan_id=None, scanned_at=None, event_id=None):
    body = {
        "id": scan_id or str(uuid.uuid4()),
        "payload": payload,
        "scanned_at": scanned_at or datetime.now(UTC).isoformat(),
    }
    if event_id is not None:
        body["event_id"] = event_id
    return client.post("/api/scans", json=body)


def card_link(app, email):
    with app.app_context():
        token = db.session.scalar(sa.select(User.card_token).where(User.email == email))
    return f"http://eventmate.test/c/{token}"


def contacts_of(app, email) -> list[Contact]:
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == email))
        contacts = db.session.scalars(sa.select(Contact).where(Contact.owner_id == owner.id)).all()
        for contact in contacts:
            _ = contact.meetings, contact.tags, contact.answers  # load before the context ends
        return list(contacts)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def counts(app) -> tuple[int, int]:
    return count(app, Contact), count(app, Meeting)


def create_event(
    client, name="DevConf", *, goal=1, timezone="UTC", kind="conference", starts_on="", ends_on=""
) -> int:
    """Create an event through the page and return its id (it becomes the current one)."""
    form = {"name": name, "kind": kind, "timezone": timezone, "goal": goal}
    response = client.post("/events/", data=form | {"starts_on": starts_on, "ends_on": ends_on})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def visible_text(response) -> str:
    """The page's text as a person reads it: tags removed, entities decoded, spaces folded."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


def due_badge(response) -> str:
    """The count on the Follow-ups tab ("" when none is due), checking that a screen reader
    hears the same number."""
    page = response.get_data(as_text=True)
    badge = re.search(r"<span [^>]*data-inbox-count[^>]*>([^<]*)</span>", page)
    spoken = re.search(r"data-inbox-count-text>([^<]*)</span>", page)
    assert badge and spoken, "no Follow-ups tab on this page"
    shown = "" if " hidden" in badge.group(0) else badge.group(1)
    assert spoken.group(1) == (f": {shown} due" if shown else "")
    return shown


def first_shared_id(response) -> int:
    """The first "shared with you" entry linked from a page (home, inbox, the list)."""
    match = re.search(r'href="/shared/(\d+)"', response.get_data(as_text=True))
    assert match, "no details shared with you on this page"
    return int(match.group(1))
