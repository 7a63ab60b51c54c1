"""POST /api/captures: tags, notes and answers sent by the outbox; idempotent, merged, owned."""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import ClientRequest, Contact, FollowUp

from .helpers import card_link, contacts_of, count, create_event, scan

BADGE = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dev Patel\r\nORG:Harbour Analytics\r\nEND:VCARD\r\n"


def capture(client, **fields):
    body = {"id": str(uuid.uuid4())} | fields
    return client.post("/api/captures", json=body)


def scanned(client, payload=BADGE) -> tuple[str, int]:
    """Scan like the outbox does: returns the scan's client id and the contact's id."""
    scan_id = str(uuid.uuid4())
    response = scan(client, payload, scan_id=scan_id)
    assert response.status_code == 201, response.get_json()
    return scan_id, response.get_json()["id"]


def the_contact(app, contact_id) -> Contact:
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        _ = contact.tags, contact.answers
        return contact


def answers(contact) -> dict[str, str]:
    return {answer.prompt_key: answer.answer for answer in contact.answers}


def test_notes_taken_offline_against_a_scan_land_on_its_contact(app, ben):
    scan_id, contact_id = scanned(ben)
    capture_id = str(uuid.uuid4())
    response = capture(
        ben,
        id=capture_id,
        scan_id=scan_id,
        tags_add=["AI", "#hiring"],
        face_to_face=False,
        notes="Wants the onboarding study.",
        answers={"enjoy": "Talking to users"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"] == contact_id
    assert body["client_id"] == capture_id  # the outbox's acknowledgement
    assert body["tags"] == ["AI", "hiring"]
    assert body["notes"] == "Wants the onboarding study."
    contact = the_contact(app, contact_id)
    assert answers(contact) == {"enjoy": "Talking to users"}
    assert contact.met_face_to_face is False


def test_a_replayed_capture_is_applied_once(app, ben):
    _, contact_id = scanned(ben)
    body = {
        "id": str(uuid.uuid4()),
        "contact_id": contact_id,
        "tags_add": ["AI"],
        "notes": "First note.",
        "base": {"notes": ""},
    }
    first = ben.post("/api/captures", json=body)
    again = ben.post("/api/captures", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["client_id"] == body["id"]
    assert again.get_json()["notes"] == "First note."
    assert count(app, ClientRequest) == 2  # the scan and this capture
    assert [tag.name for tag in the_contact(app, contact_id).tags] == ["AI"]


def test_same_id_with_other_content_is_a_conflict_and_changes_nothing(app, ben):
    _, contact_id = scanned(ben)
    capture_id = str(uuid.uuid4())
    ben.post("/api/captures", json={"id": capture_id, "contact_id": contact_id, "notes": "One"})
    response = ben.post(
        "/api/captures", json={"id": capture_id, "contact_id": contact_id, "notes": "Two"}
    )
    assert response.status_code == 409
    assert "already used" in response.get_json()["error"]
    assert the_contact(app, contact_id).notes == "One"


def test_a_scan_id_used_for_a_capture_id_is_a_conflict(app, ben):
    scan_id, contact_id = scanned(ben)
    response = ben.post(
        "/api/captures", json={"id": scan_id, "contact_id": contact_id, "notes": "x"}
    )
    assert response.status_code == 409


def test_someone_elses_contact_or_scan_is_not_found(app, ana, ben):
    anas_scan, anas_contact = scanned(ana)
    for fields in ({"contact_id": anas_contact}, {"scan_id": anas_scan}):
        response = capture(ben, notes="mine now?", **fields)
        assert response.status_code == 404, fields
        assert response.get_json()["error"]
    assert the_contact(app, anas_contact).notes == ""


def test_a_scan_that_was_never_recorded_is_not_found(app, ben):
    response = capture(ben, scan_id=str(uuid.uuid4()), notes="Lost?")
    assert response.status_code == 404
    assert "scan" in response.get_json()["error"]
    assert count(app, ClientRequest) == 0


def test_a_capture_on_an_exchanged_card_works_too(app, ana, ben):
    response = scan(ben, card_link(app, "ana@example.org"))
    response = capture(ben, contact_id=response.get_json()["id"], tags_add=["product"])
    assert response.status_code == 201
    assert response.get_json()["tags"] == ["product"]


MINE = -1  # replaced by the id of a contact of mine
BAD_CAPTURES = [  # (fields, status, words of the sentence)
    ({}, 400, "either"),
    ({"contact_id": MINE, "scan_id": str(uuid.uuid4())}, 400, "either"),
    ({"scan_id": "not-a-uuid"}, 400, "scan_id"),
    ({"contact_id": "12"}, 400, "contact_id"),
    ({"contact_id": MINE, "tags_add": "AI"}, 400, "tags_add"),
    ({"contact_id": MINE, "tags_add": [1]}, 400, "tags_add"),
    ({"contact_id": MINE, "notes": 5}, 400, "notes"),
    ({"contact_id": MINE, "answers": ["x"]}, 400, "answers"),
    ({"contact_id": MINE, "answers": {"enjoy": None}}, 400, "answers.enjoy"),
    ({"contact_id": MINE, "face_to_face": "yes"}, 400, "face_to_face"),
    ({"contact_id": MINE, "fields": {"password": "x"}}, 400, "fields"),
    ({"contact_id": MINE, "base": "old"}, 400, "base"),
    ({"contact_id": MINE, "event_id": "3"}, 400, "event_id"),
    ({"contact_id": MINE, "follow_up": 3}, 400, "follow_up"),
    ({"contact_id": MINE, "tags_add": ["x" * 41]}, 422, "under 40"),
    ({"contact_id": MINE, "tags_add": [f"t{i}" for i in range(21)]}, 422, "at most 20"),
    ({"contact_id": MINE, "notes": "x" * 5001}, 422, "5,000"),
    ({"contact_id": MINE, "answers": {"nope": "x"}}, 422, "no longer exists"),
    ({"contact_id": MINE, "answers": {"enjoy": "x" * 2001}}, 422, "2,000"),
    ({"contact_id": MINE, "fields": {"emails": "not an email"}}, 422, "doesn't look right"),
    ({"contact_id": MINE, "event_id": 999}, 422, "Choose one of your events"),
    ({"contact_id": MINE, "follow_up": "soon"}, 422, "Choose when to follow up"),
    ({"contact_id": MINE, "follow_up": "date"}, 422, "Pick the day"),
    ({"contact_id": MINE, "follow_up": "date", "follow_up_on": "2020-13-01"}, 422, "Pick the day"),
    # A past day is today (it passed while the phone was offline): see the test below.
    ({"contact_id": MINE, "follow_up": "date", "follow_up_on": "2099-01-01"}, 422, "next year"),
]


def test_bad_captures_get_a_sentence_and_change_nothing(app, ben):
    _, contact_id = scanned(ben)
    for fields, status, message in BAD_CAPTURES:
        fields = {k: contact_id if v == MINE else v for k, v in fields.items()}
        response = capture(ben, **fields)
        assert response.status_code == status, (fields, response.get_json())
        assert message in response.get_json()["error"], fields
    contact = the_contact(app, contact_id)
    assert (contact.notes, contact.tags, contact.answers) == ("", [], [])
    assert count(app, ClientRequest) == 1


def test_bad_id_and_body(ben):
    assert ben.post("/api/captures", json={"id": "1", "contact_id": 1}).status_code == 400
    assert ben.post("/api/captures", json=["x"]).status_code == 400
    response = ben.post("/api/captures", data="x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400


def test_needs_login_and_a_csrf_token(app, client, ben):
    assert capture(client, contact_id=1, notes="x").status_code == 401
    response = ben.post(
        "/api/captures", json={"id": str(uuid.uuid4()), "contact_id": 1}, csrf=False
    )
    assert response.status_code == 400
    assert response.get_json()["csrf"] is True  # the outbox refreshes its token and resends


def test_tags_are_added_and_removed_never_replaced(app, ben):
    _, contact_id = scanned(ben)
    capture(ben, contact_id=contact_id, tags_add=["AI", "Lisbon"])
    response = capture(
        ben, contact_id=contact_id, tags_add=["ai", "hiring"], tags_remove=["lisbon"]
    )
    assert response.get_json()["tags"] == ["AI", "hiring"]


def test_too_many_tags_after_merging_is_refused(app, ben):
    _, contact_id = scanned(ben)
    capture(ben, contact_id=contact_id, tags_add=[f"a{i}" for i in range(15)])
    response = capture(ben, contact_id=contact_id, tags_add=[f"b{i}" for i in range(6)])
    assert response.status_code == 422
    assert len(the_contact(app, contact_id).tags) == 15


MERGES = [  # (on the server, what the phone started from, what it sends, what is kept)
    ("", None, "Met at lunch.", "Met at lunch."),  # nothing there yet
    ("Old", "Old", "New", "New"),  # nobody changed it since the phone read it
    ("Old", "Old", "", ""),  # cleared on purpose
    ("Met at lunch.", None, "Met at lunch. Likes Rust.", "Met at lunch. Likes Rust."),
    ("Met at lunch. Likes Rust.", None, "Met at lunch.", "Met at lunch. Likes Rust."),
    (
        "Edited on the laptop.",
        "Old",
        "Edited offline.",
        "Edited on the laptop.\n\nEdited offline.",
    ),
    ("Edited on the laptop.", "Old", "", "Edited on the laptop."),  # never erases unseen text
    ("Same", "Old", "Same", "Same"),
]


def test_notes_and_answers_merge_without_losing_text(app, ben):
    for number, (server, base, new, kept) in enumerate(MERGES):
        _, contact_id = scanned(ben, f"https://person-{number}.example")
        capture(ben, contact_id=contact_id, notes=server, answers={"advice": server})
        response = capture(
            ben,
            contact_id=contact_id,
            notes=new,
            answers={"advice": new},
            base={"notes": base, "answers": {"advice": base}},
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["notes"] == kept, (server, base, new)
        assert answers(the_contact(app, contact_id)).get("advice", "") == kept


def test_notes_saved_by_the_form_then_edited_offline_are_not_doubled(app, ben):
    # A browser sends a textarea's line breaks as CRLF, and shows (and reads back) LF: the
    # phone's base is the form's text, whatever line breaks the server kept.
    _, contact_id = scanned(ben)
    saved = {"notes": "Works on sensors.\r\nHas two kids.", "answer-enjoy": "Sensors.\r\nKids."}
    ben.post(f"/contacts/{contact_id}/edit", data=saved)
    response = capture(
        ben,
        contact_id=contact_id,
        notes="Works on sensors.\nHas two kids.\nWants a demo in May.",
        answers={"enjoy": "Sensors.\nKids.\nDemos."},
        base={"notes": "Works on sensors.\nHas two kids.", "answers": {"enjoy": "Sensors.\nKids."}},
    )
    assert response.get_json()["notes"] == "Works on sensors.\nHas two kids.\nWants a demo in May."
    assert answers(the_contact(app, contact_id)) == {"enjoy": "Sensors.\nKids.\nDemos."}


def test_merged_notes_over_the_limit_are_refused_not_cut(app, ben):
    _, contact_id = scanned(ben)
    capture(ben, contact_id=contact_id, notes="a" * 3000)
    response = capture(ben, contact_id=contact_id, notes="b" * 3000, base={"notes": "old"})
    assert response.status_code == 422
    assert the_contact(app, contact_id).notes == "a" * 3000


def test_details_set_when_unchanged_else_kept_in_the_notes(app, ben):
    scan_id, contact_id = scanned(ben, "https://someone.example")  # a contact to identify
    response = capture(ben, scan_id=scan_id, fields={"full_name": "Mia Chen", "company": "Acme"})
    body = response.get_json()
    assert (body["full_name"], body["company"], body["needs_identifying"]) == (
        "Mia Chen",
        "Acme",
        False,
    )
    response = capture(
        ben,
        contact_id=contact_id,
        fields={"company": "Acme Labs", "emails": "mia@acme.example"},
        base={"fields": {"company": "Acme", "emails": ""}},
    )
    assert response.get_json()["company"] == "Acme Labs"
    assert response.get_json()["emails"] == ["mia@acme.example"]
    response = capture(
        ben, contact_id=contact_id, fields={"company": "Initech"}, base={"fields": {"company": "X"}}
    )
    body = response.get_json()
    assert body["company"] == "Acme Labs"
    assert body["notes"] == "Company (noted offline): Initech"


def test_ids_are_scoped_to_the_user(app, ana, ben):
    _, anas_contact = scanned(ana)
    _, bens_contact = scanned(ben)
    shared_id = str(uuid.uuid4())
    for client, contact_id in ((ana, anas_contact), (ben, bens_contact)):
        response = client.post(
            "/api/captures", json={"id": shared_id, "contact_id": contact_id, "notes": "hi"}
        )
        assert response.status_code == 201
    with app.app_context():
        kinds = db.session.scalars(
            sa.select(ClientRequest.kind).where(ClientRequest.client_id == shared_id)
        ).all()
    assert kinds == ["capture", "capture"]
    assert [c.notes for c in contacts_of(app, "ben@example.org")] == ["hi"]


def open_follow_ups(app, contact_id) -> list[FollowUp]:
    with app.app_context():
        return db.session.scalars(
            sa.select(FollowUp).where(FollowUp.contact_id == contact_id, FollowUp.state == "open")
        ).all()


def test_a_follow_up_day_that_passed_before_the_sync_means_today(app, ben):
    """Chosen offline for yesterday, synced today: the notes are kept and the follow-up is
    due now, instead of the whole capture being refused with nothing to fix it."""
    _, contact_id = scanned(ben)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date()
    long_ago = capture(ben, contact_id=contact_id, follow_up="date", follow_up_on="2020-01-01")
    assert long_ago.status_code == 201, long_ago.get_json()
    response = capture(
        ben,
        contact_id=contact_id,
        notes="Send her the bike-lane map.",
        follow_up="date",
        follow_up_on=yesterday.isoformat(),
        follow_up_initial="tomorrow",
    )
    assert response.status_code == 201, response.get_json()
    assert the_contact(app, contact_id).notes == "Send her the bike-lane map."
    [follow_up] = open_follow_ups(app, contact_id)
    assert follow_up.due_at.date() == datetime.now(UTC).date()  # ben's zone is UTC
    # The contact form online still asks for another day.
    page = ben.post(
        f"/contacts/{contact_id}/edit", data={"follow_up": "date", "follow_up_on": yesterday}
    )
    assert page.status_code == 422 and "Pick today or a later day." in page.get_data(True)


def test_the_event_and_follow_up_chosen_offline_are_applied_once(app, ben):
    # The contact form's Event and Follow-up, as the online form applies them.
    event_id = create_event(ben, "DevConf")
    _, contact_id = scanned(ben)
    ben.post(f"/contacts/{contact_id}/edit", data={"event_id": "", "follow_up": "none"})
    assert (the_contact(app, contact_id).event_id, open_follow_ups(app, contact_id)) == (None, [])
    day = (datetime.now(UTC) + timedelta(days=10)).date()
    body = {
        "id": str(uuid.uuid4()),
        "contact_id": contact_id,
        "notes": "Demo in two weeks.",
        "event_id": event_id,
        "follow_up": "date",
        "follow_up_on": day.isoformat(),
        "follow_up_initial": "none",
    }
    first = ben.post("/api/captures", json=body)
    again = ben.post("/api/captures", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["event"] == {"id": event_id, "name": "DevConf"}
    [follow_up] = open_follow_ups(app, contact_id)
    assert follow_up.due_at.date() == day  # ben's zone is UTC

    # A typed date counts even with the choice left where it was, as on the online form.
    later = day + timedelta(days=1)
    capture(
        ben,
        contact_id=contact_id,
        follow_up="week",
        follow_up_on=later.isoformat(),
        follow_up_initial="week",
    )
    [follow_up] = open_follow_ups(app, contact_id)
    assert follow_up.due_at.date() == later

    # Left out, they stay as they are; null is "No event".
    capture(ben, contact_id=contact_id, notes="Only notes.")
    assert the_contact(app, contact_id).event_id == event_id
    assert len(open_follow_ups(app, contact_id)) == 1
    capture(ben, contact_id=contact_id, event_id=None, follow_up="none")
    assert (the_contact(app, contact_id).event_id, open_follow_ups(app, contact_id)) == (None, [])


def test_someone_elses_event_is_refused_and_changes_nothing(app, ana, ben):
    anas_event = create_event(ana, "Ana's meetup")
    _, contact_id = scanned(ben)
    response = capture(
        ben, contact_id=contact_id, event_id=anas_event, notes="Mine?", follow_up="week"
    )
    assert response.status_code == 422
    assert response.get_json()["error"] == "Choose one of your events."
    contact = the_contact(app, contact_id)
    assert (contact.event_id, contact.notes) == (None, "")
    assert count(app, ClientRequest) == 1  # the scan only
