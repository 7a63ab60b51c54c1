"""POST /api/scans: card exchanges, printed badges, idempotency and validation."""

import uuid

import pytest
import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import ClientRequest, Contact

from .helpers import card_link, contacts_of, count, counts, create_event, scan

VCARD_BADGE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Patel;Dev;;;\r\nFN:Dev Patel\r\nORG:Harbour Analytics\r\n"
    "TITLE:Head of Research\r\nEMAIL:dev@example.net\r\nTEL:+44 20 7946 0000\r\n"
    "URL:https://harbour.example\r\nEND:VCARD\r\n"
)


def test_exchange_is_mutual_and_names_the_event(app, ana, ben):
    create_event(ben, "DevConf")
    response = scan(ben, card_link(app, "ana@example.org"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Ana Ribeiro"
    assert body["is_eventmate_user"] is True
    assert body["meetings"][0]["event"] == "DevConf"

    [bens_contact] = contacts_of(app, "ben@example.org")
    [anas_contact] = contacts_of(app, "ana@example.org")
    assert bens_contact.full_name == "Ana Ribeiro"
    assert anas_contact.full_name == "Ben Okafor"
    assert anas_contact.met_face_to_face and bens_contact.met_face_to_face
    page = ana.get(f"/contacts/{anas_contact.id}").get_data(as_text=True)
    assert "You exchanged cards with Ben Okafor at DevConf" in page
    page = ben.get(f"/contacts/{bens_contact.id}").get_data(as_text=True)
    assert "You exchanged cards with Ana Ribeiro at DevConf" in page


def test_exchange_shares_only_public_fields(app, ana, ben):
    ana.post(
        "/account/card",
        data={
            "display_name": "Ana Ribeiro",
            "headline": "Data engineer",
            "phone": "+351 900 000 000",
            "public_headline": "y",
        },
    )
    body = scan(ben, card_link(app, "ana@example.org")).get_json()
    assert body["title"] == "Data engineer"
    assert body["phones"] == [] and body["emails"] == []


def test_scanning_the_same_person_twice_records_another_meeting(app, ana, ben):
    link = card_link(app, "ana@example.org")
    first = scan(ben, link).get_json()
    second = scan(ben, link)
    assert second.status_code == 201
    assert second.get_json()["id"] == first["id"]
    assert [len(c.meetings) for c in contacts_of(app, "ben@example.org")] == [2]
    assert [len(c.meetings) for c in contacts_of(app, "ana@example.org")] == [2]


def test_repeated_id_is_idempotent(app, ben):
    scan_id = str(uuid.uuid4())
    first = scan(ben, VCARD_BADGE, scan_id=scan_id, scanned_at="2026-11-23T09:30:00+00:00")
    before = counts(app)
    again = scan(ben, VCARD_BADGE, scan_id=scan_id, scanned_at="2026-11-23T09:30:00+00:00")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert counts(app) == before


def statements_of(app, send) -> list[str]:
    """The SQL one request runs, transaction statements left out."""
    seen = []

    def record(_conn, _cursor, statement, *_):
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        send()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return seen


def test_a_resend_is_one_lookup_and_the_answer_first_given(app, ben):
    body = {"id": str(uuid.uuid4()), "payload": VCARD_BADGE, "scanned_at": "2026-11-23T09:30:00Z"}
    first = ben.post("/api/scans", json=body)
    headers = {"X-CSRFToken": ben.csrf_token()}
    responses = []

    def resend():
        responses.append(ben.post("/api/scans", json=body, headers=headers, csrf=False))

    statements = statements_of(app, resend)

    assert len(statements) == 2, statements
    assert "client_requests" in statements[1]
    assert responses[0].status_code == 200
    assert responses[0].get_json() == first.get_json()


def test_same_id_with_other_content_is_a_conflict(app, ben):
    scan_id = str(uuid.uuid4())
    scan(ben, VCARD_BADGE, scan_id=scan_id)
    before = counts(app)
    response = scan(ben, "https://example.com/other", scan_id=scan_id)
    assert response.status_code == 409
    assert "different content" in response.get_json()["error"]
    assert counts(app) == before


def test_idempotency_key_is_scoped_to_the_user(app, ana, ben):
    scan_id = str(uuid.uuid4())
    anas = scan(ana, VCARD_BADGE, scan_id=scan_id)
    bens = scan(
        ben, "MECARD:N:Owen,Sean;TEL:+12125658770;EMAIL:srowen@example.com;;", scan_id=scan_id
    )
    assert bens.status_code == 201
    assert bens.get_json()["id"] != anas.get_json()["id"]
    assert bens.get_json()["name"] == "Sean Owen"
    assert [c.full_name for c in contacts_of(app, "ana@example.org")] == ["Dev Patel"]
    assert count(app, ClientRequest) == 2


def test_vcard_badge_becomes_a_contact_with_its_fields(app, ben):
    body = scan(ben, VCARD_BADGE).get_json()
    assert body["full_name"] == "Dev Patel"
    assert body["title"] == "Head of Research"
    assert body["company"] == "Harbour Analytics"
    assert body["emails"] == ["dev@example.net"]
    assert body["phones"] == ["+44 20 7946 0000"]
    assert body["urls"] == ["https://harbour.example"]
    assert body["source"] == "badge"
    assert body["raw_payload"] == VCARD_BADGE
    assert body["met_face_to_face"] is True


def test_same_badge_scanned_twice_is_one_contact(app, ben):
    scan(ben, VCARD_BADGE)
    scan(ben, VCARD_BADGE.replace("TITLE:Head of Research", "TITLE:Director"))
    [contact] = contacts_of(app, "ben@example.org")
    assert len(contact.meetings) == 2


def test_mecard_badge(app, ben):
    body = scan(ben, "MECARD:N:Owen,Sean;TEL:+12125658770;EMAIL:srowen@example.com;;").get_json()
    assert (body["full_name"], body["phones"], body["emails"]) == (
        "Sean Owen",
        ["+12125658770"],
        ["srowen@example.com"],
    )


@pytest.mark.parametrize("payload", ["https://example.com/speaker/42", "Booth 17 — ask for Maria"])
def test_url_or_text_is_kept_to_identify(app, ben, payload):
    response = scan(ben, payload)
    assert response.status_code == 201
    body = response.get_json()
    assert body["source"] == "to_identify"
    assert body["needs_identifying"] is True
    assert body["raw_payload"] == payload
    page = ben.get(body["url"]).get_data(as_text=True)
    assert "couldn't read a name" in page


@pytest.mark.parametrize(
    ("payload", "link"),
    [
        ("https://www.linkedin.com/in/maria-lopez", "https://www.linkedin.com/in/maria-lopez"),
        ("MEBKM:TITLE:Maria;URL:maria.example/cv;;", "http://maria.example/cv"),
        ("Booth 17 — https://maria.example", None),  # text that mentions a link: not a link
    ],
)
def test_a_scanned_link_is_the_unidentified_contacts_website(app, ben, payload, link):
    """A badge QR that is only a profile URL: the contact page links to it at once."""
    body = scan(ben, payload).get_json()
    assert body["needs_identifying"] is True
    assert body["urls"] == ([link] if link else [])
    page = ben.get(body["url"]).get_data(as_text=True)
    assert (f'<a href="{link}"' in page) is bool(link)


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("not json", 400, "JSON"),
        ([], 400, "JSON object"),
        ({"payload": "x", "scanned_at": "2026-11-23T09:30:00Z"}, 400, "UUID"),
        ({"id": "123", "payload": "x", "scanned_at": "2026-11-23T09:30:00Z"}, 400, "UUID"),
        ({"id": "U", "scanned_at": "2026-11-23T09:30:00Z"}, 400, "payload"),
        ({"id": "U", "payload": 42, "scanned_at": "2026-11-23T09:30:00Z"}, 400, "payload"),
        ({"id": "U", "payload": "   ", "scanned_at": "2026-11-23T09:30:00Z"}, 400, "payload"),
        ({"id": "U", "payload": "x"}, 400, "scanned_at"),
        ({"id": "U", "payload": "x", "scanned_at": "yesterday"}, 400, "ISO 8601"),
        ({"id": "U", "payload": "x", "scanned_at": "2026-11-23T09:30:00"}, 400, "time zone"),
        ({"id": "U", "payload": "x", "scanned_at": "1999-01-01T00:00:00Z"}, 400, "plausible"),
        (
            {"id": "U", "payload": "x", "scanned_at": "2026-11-23T09:30:00Z", "event_id": "7"},
            400,
            "event_id",
        ),
        (
            {"id": "U", "payload": "x" * 2954, "scanned_at": "2026-11-23T09:30:00Z"},
            400,
            "larger than any QR",
        ),
        (
            {"id": "U", "payload": "é" * 1477, "scanned_at": "2026-11-23T09:30:00Z"},
            400,
            "larger than any QR",
        ),
        (
            {"id": "U", "payload": "\x01\x02garbage", "scanned_at": "2026-11-23T09:30:00Z"},
            422,
            "binary data",
        ),
        (
            {
                "id": "U",
                "payload": "BEGIN:VCARD\r\nVERSION:3.0\r\nNOPE",
                "scanned_at": "2026-11-23T09:30:00Z",
            },
            422,
            "",
        ),
        (
            {"id": "U", "payload": "x", "scanned_at": "2026-11-23T09:30:00Z", "event_id": 999},
            404,
            "event",
        ),
    ],
)
def test_bad_requests_get_a_sentence_and_change_nothing(app, ben, body, status, message):
    if isinstance(body, dict) and body.get("id") == "U":
        body = body | {"id": str(uuid.uuid4())}
    if body == "not json":
        response = ben.post(
            "/api/scans",
            data="{nope",
            content_type="application/json",
            headers={"X-CSRFToken": ben.csrf_token()},
        )
    else:
        response = ben.post("/api/scans", json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert message in error
    assert len(error) > 15 and error.endswith(".")
    assert counts(app) == (0, 0)
    assert count(app, ClientRequest) == 0


def test_ten_kilobytes_of_junk_is_refused(app, ben):
    junk = "".join(chr(33 + (i * 7919) % 90) for i in range(10 * 1024))
    response = scan(ben, junk)
    assert response.status_code == 400
    assert "larger than any QR" in response.get_json()["error"]
    assert counts(app) == (0, 0)


def test_scanning_my_own_card_is_refused(app, ana):
    response = scan(ana, card_link(app, "ana@example.org"))
    assert response.status_code == 422
    assert "your own card" in response.get_json()["error"]
    assert counts(app) == (0, 0)


def test_rotated_card_token_is_refused(app, ana, ben):
    old_link = card_link(app, "ana@example.org")
    ana.post("/card/rotate")
    response = scan(ben, old_link)
    assert response.status_code == 410
    assert "no longer valid" in response.get_json()["error"]
    assert counts(app) == (0, 0)
    assert scan(ben, card_link(app, "ana@example.org")).status_code == 201


def test_card_link_of_another_site_is_just_a_url(app, ben):
    token = card_link(app, "ben@example.org").rsplit("/", 1)[1]
    body = scan(ben, f"https://elsewhere.example/c/{token}").get_json()
    assert body["source"] == "to_identify"


def test_scan_attaches_to_my_current_event_or_the_one_given(app, ben):
    first = create_event(ben, "First")
    create_event(ben, "Second")
    assert scan(ben, "https://a.example").get_json()["event"]["name"] == "Second"
    assert scan(ben, "https://b.example", event_id=first).get_json()["event"]["name"] == "First"


def test_someone_elses_event_is_not_found(app, ana, ben):
    private = create_event(ana, "Private")
    response = scan(ben, "https://a.example", event_id=private)
    assert response.status_code == 404
    assert count(app, Contact) == 0


def test_api_needs_login_and_answers_json(client):
    response = client.post("/api/scans", json={"id": str(uuid.uuid4())})
    assert response.status_code == 401
    assert response.get_json()["error"]
    assert client.get("/api/contacts").status_code == 401


def test_api_post_without_csrf_token_is_refused(app, ben):
    response = ben.post(
        "/api/scans",
        json={"id": str(uuid.uuid4()), "payload": "x", "scanned_at": "2026-11-23T09:30:00Z"},
        csrf=False,
    )
    assert response.status_code == 400
    assert "expired" in response.get_json()["error"]
    assert count(app, Contact) == 0


def test_list_contacts_shows_only_mine(app, ana, ben):
    scan(ana, VCARD_BADGE)
    scan(ben, "https://b.example")
    names = [c["name"] for c in ben.get("/api/contacts").get_json()["contacts"]]
    assert names == ["Someone to identify"]
