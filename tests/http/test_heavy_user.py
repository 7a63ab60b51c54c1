"""A heavy networker's pages (issue 13): the statements a page runs do not grow with the
number of contacts, lists come a page at a time with nothing missing, repeated or someone
else's, and the exports stream. The timings are bench/heavy_user.py's."""

import csv
import io
import json
import re
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import Contact, FollowUp, User
from tests.factories import add_network

NOW = datetime.now(UTC).replace(microsecond=0)
PAGES = ("/", "/contacts/", "/contacts/?q=lima", "/inbox", "/giving-back", "/allies", "/events/")
MORE = re.compile(r'<a class="button button-block" href="([^"]+)" data-more="([\w-]+)"')
ROW = re.compile(r'<a class="person" href="/contacts/(\d+)"')
ITEM = re.compile(r'data-follow-up="(\d+)"')


def user_of(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def grow(app, email: str, count: int, first: int = 0) -> list[int]:
    with app.app_context():
        ids = add_network(user_of(email), count, now=NOW, first=first)
        db.session.commit()
        return ids


@contextmanager
def statements(app):
    """Counts the SQL statements sent while the block runs."""
    seen = []
    with app.app_context():
        engine = db.engine

    def record(*_):
        seen.append(1)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def statements_per_page(app, client, paths) -> dict[str, int]:
    counted = {}
    for path in paths:
        client.get(path)  # the first visit may plan keep-in-touch reminders: a write
        with statements(app) as seen:
            response = client.get(path)
        assert response.status_code == 200, path
        counted[path] = len(seen)
    return counted


def test_no_page_runs_more_statements_with_more_contacts(app, ana, ben):
    small = grow(app, "ana@example.org", 5)
    grow(app, "ben@example.org", 30)  # someone else's, on the same server
    paths = (*PAGES, f"/contacts/{small[2]}")
    before = statements_per_page(app, ana, paths)
    grow(app, "ana@example.org", 55, first=5)
    after = statements_per_page(app, ana, paths)
    for path in paths:
        assert after[path] <= before[path], (path, before[path], after[path])


def walk(client, path: str, found: re.Pattern, key: str) -> list[int]:
    """Every id a list shows, following its "More" link to the end."""
    seen, pages = [], 0
    while path:
        page = client.get(path).get_data(as_text=True)
        seen += [int(match) for match in found.findall(page)]
        links = [href for href, name in MORE.findall(page) if name == key]
        path = links[0].replace("&amp;", "&") if links else None
        pages += 1
    return seen


def newest_first(app, email: str, *where) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Contact.id)
                .where(Contact.owner_id == user_of(email).id, *where)
                .order_by(Contact.created_at.desc(), Contact.id.desc())
            )
        )


def test_people_come_a_page_at_a_time_each_once_in_order(app, ana, ben):
    grow(app, "ana@example.org", 130)
    theirs = grow(app, "ben@example.org", 20)
    first = ana.get("/contacts/").get_data(as_text=True)
    assert len(ROW.findall(first)) == 50 and "More people" in first
    shown = walk(ana, "/contacts/", ROW, "people")
    assert shown == newest_first(app, "ana@example.org")  # ties by id, no gap, no repeat
    odd = walk(ana, "/contacts/?q=acme", ROW, "people")
    assert odd == newest_first(app, "ana@example.org", Contact.company == "Acme")
    assert len(odd) == 65
    assert not set(theirs) & set(shown + odd)
    # Another user's contact as the cursor: nothing of theirs, and no page of Ana's either.
    page = ana.get(f"/contacts/?after={theirs[0]}")
    assert page.status_code == 200 and not ROW.findall(page.get_data(as_text=True))
    assert "No more people" in page.get_data(as_text=True)
    assert ana.get("/contacts/?after=abc").status_code == 200


def test_the_inbox_drafts_a_page_and_its_more_links_reach_every_follow_up(app, ana, ben):
    grow(app, "ana@example.org", 70)
    grow(app, "ben@example.org", 10)
    first = ana.get("/inbox").get_data(as_text=True)
    assert len(ITEM.findall(first)) == 20  # drafts for 20, whatever the number open
    assert '<span class="inbox-section-count">24</span>' in first  # counts from COUNT
    shown = ITEM.findall(first)
    for href, key in MORE.findall(first):
        section = walk(ana, href.replace("&amp;", "&"), ITEM, key)
        shown += [str(i) for i in section]
    with app.app_context():
        rows = db.session.execute(
            sa.select(FollowUp.id, FollowUp.due_at)
            .where(FollowUp.owner_id == user_of("ana@example.org").id, FollowUp.state == "open")
            .order_by(FollowUp.due_at, FollowUp.id)
        ).all()
    assert sorted(map(int, shown)) == sorted(row.id for row in rows)
    assert len(shown) == len(set(shown)) == 70


def test_a_follow_up_opened_from_a_contacts_page_shows_beyond_the_first_page(app, ana):
    ids = grow(app, "ana@example.org", 70)
    with app.app_context():
        last = db.session.scalar(
            sa.select(FollowUp.id).where(FollowUp.contact_id == ids[-1])  # upcoming, not shown
        )
    assert str(last) not in ITEM.findall(ana.get("/inbox").get_data(as_text=True))
    page = ana.get(f"/inbox?open={last}").get_data(as_text=True)
    assert str(last) in ITEM.findall(page)  # first in its section, the page full before it
    assert ("/inbox?section=upcoming", "inbox-upcoming") in MORE.findall(page)


def test_exports_stream_whole_documents_past_a_batch(app, ana, ben):
    ids = grow(app, "ana@example.org", 230)  # more than one batch of 200
    grow(app, "ben@example.org", 5)
    for path in ("/account/export/contacts.vcf", "/account/export/contacts.csv"):
        response = ana.get(path, buffered=False)
        assert response.is_streamed and response.status_code == 200
        body = b"".join(response.response).decode()
        response.close()
        if path.endswith(".vcf"):
            assert body.count("BEGIN:VCARD") == 230
            assert {int(i) for i in re.findall(r"urn:eventmate:contact:(\d+)", body)} == set(ids)
        else:
            rows = list(csv.reader(io.StringIO(body)))
            assert rows[0][0] == "name" and len(rows) == 231
    response = ana.get("/account/export/data.json", buffered=False)
    assert response.is_streamed
    body = b"".join(response.response).decode()
    response.close()
    document = json.loads(body)
    assert body == json.dumps(document, ensure_ascii=False, indent=2)  # as it was written
    assert [c["id"] for c in document["contacts"]] == newest_first(app, "ana@example.org")
    assert len(document["follow_ups"]) == 230
    assert list(document) == [
        "profile", "events", "my_prompts", "contacts", "follow_ups", "introductions",
        "shared_with_me",
    ]  # fmt: skip


def test_odd_page_arguments_answer_a_page(app, ana, ben):
    theirs = grow(app, "ben@example.org", 3)
    grow(app, "ana@example.org", 3)
    for path in (
        "/contacts/?after=-1",
        "/contacts/?after=99999999999999999999999",
        "/inbox?section=bogus&after=1",
        "/inbox?section=overdue&after=zero",
        f"/inbox?section=today&after={theirs[0]}",
        "/events/?page=-3",
        "/events/?page=99999999999999999999",
        "/events/?page=x",
    ):
        assert ana.get(path).status_code == 200, path
