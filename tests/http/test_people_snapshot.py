"""GET /api/contacts: the phone's offline copy of the contacts, in full or changed since its
last copy, with every id still there; and "Follow up" on a contact's page."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import Contact, FollowUp

from .helpers import contacts_of, scan

BADGE = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dev Patel\r\nTITLE:CTO\r\nORG:Harbour\r\nEND:VCARD\r\n"
OTHER = "MECARD:N:Okoro,Ada;ORG:Lagos Robotics;EMAIL:ada@lagos.example;;"


def snapshot(client, since=None):
    response = client.get("/api/contacts", query_string={"since": since} if since else None)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def scanned(client, payload=BADGE) -> int:
    response = scan(client, payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def age_everything(app, hours=2) -> str:
    """Date every contact `hours` ago; returns a `since` between then and now."""
    with app.app_context():
        db.session.execute(
            sa.update(Contact).values(updated_at=datetime.now(UTC) - timedelta(hours=hours))
        )
        db.session.commit()
    return (datetime.now(UTC) - timedelta(hours=hours / 2)).isoformat()


def test_the_full_copy_holds_only_my_contacts_worded_as_the_page(app, ana, ben):
    mine = scanned(ben)
    scanned(ana, OTHER)
    ben.post(
        "/api/captures",
        json={
            "id": str(uuid.uuid4()),
            "contact_id": mine,
            "tags_add": ["hiring"],
            "answers": {"enjoy": "Boats"},
        },
    )
    body = snapshot(ben)
    assert [person["id"] for person in body["contacts"]] == [mine] == body["ids"]
    assert body["complete"] is True
    assert body["user"] == contacts_of(app, "ben@example.org")[0].owner_id
    [person] = body["contacts"]
    assert person["name"] == "Dev Patel"
    assert person["headline"] == "CTO · Harbour"
    assert person["cue"] == "hiring"
    assert person["tags"] == ["hiring"]
    assert person["answers"][0]["answer"] == "Boats"
    assert person["meetings"][0]["text"] == "You scanned Dev Patel's badge"
    assert person["meetings"][0]["when"]  # the user's local date, as the page shows it
    page = ben.get(f"/contacts/{mine}").get_data(as_text=True)
    assert person["meetings"][0]["text"] in page.replace("&#39;", "'")


def test_since_sends_only_what_changed_and_every_id_left(app, ben):
    kept, tagged, deleted = scanned(ben), scanned(ben, OTHER), scanned(ben, "Just some text")
    since = age_everything(app)
    assert snapshot(ben, since)["contacts"] == []

    # A tag alone changes no column of the contact: it still counts as a change.
    ben.post(
        "/api/captures",
        json={"id": str(uuid.uuid4()), "contact_id": tagged, "tags_add": ["robotics"]},
    )
    ben.post(f"/contacts/{deleted}/delete")
    body = snapshot(ben, since)
    assert [person["id"] for person in body["contacts"]] == [tagged]
    assert body["contacts"][0]["tags"] == ["robotics"]
    assert sorted(body["ids"]) == sorted([kept, tagged])
    assert body["complete"] is False
    # The next copy asks from the server's time of this one.
    assert datetime.fromisoformat(body["synced_at"]) > datetime.fromisoformat(since)


def test_an_answer_or_a_meeting_counts_as_a_change(app, ben):
    answered, logged = scanned(ben), scanned(ben, OTHER)
    since = age_everything(app)
    ben.post(
        "/api/captures",
        json={"id": str(uuid.uuid4()), "contact_id": answered, "answers": {"enjoy": "Sailing"}},
    )
    day = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    logging = ben.post(f"/contacts/{logged}/touches", data={"kind": "call", "on": day})
    assert logging.status_code == 302
    changed = {person["id"] for person in snapshot(ben, since)["contacts"]}
    assert changed == {answered, logged}


def test_another_users_changes_never_show(app, ana, ben):
    scanned(ana, OTHER)
    since = age_everything(app)
    scanned(ana)
    assert snapshot(ben, since) | {"synced_at": ""} == {
        "contacts": [],
        "ids": [],
        "complete": False,
        "synced_at": "",
        "user": snapshot(ben)["user"],
    }


@pytest.mark.parametrize(
    ("since", "says"),
    [
        ("yesterday", "ISO 8601"),
        ("2026-11-23T09:30:00", "time zone"),
        ("2999-01-01T00:00:00+00:00", "plausible"),
        ("1999-01-01T00:00:00+00:00", "plausible"),
        ("2026-11-23T09:30:00+00:00" + "0" * 50, "ISO 8601"),
        ("", "ISO 8601"),
    ],
)
def test_a_bad_since_is_a_clear_400(ben, since, says):
    response = ben.get("/api/contacts", query_string={"since": since})
    assert response.status_code == 400
    assert says in response.get_json()["error"]


def test_the_copy_needs_a_session(client):
    assert client.get("/api/contacts?since=2026-01-01T00:00:00Z").status_code == 401


def open_follow_ups(app, contact_id) -> list[FollowUp]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(FollowUp).where(
                    FollowUp.contact_id == contact_id, FollowUp.state == "open"
                )
            )
        )


def test_follow_up_plans_one_for_tomorrow_then_opens_its_draft(app, ben):
    contact_id = scanned(ben)
    with app.app_context():
        db.session.execute(sa.delete(FollowUp))
        db.session.commit()
    page = ben.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert f'action="/contacts/{contact_id}/follow-up"' in page

    response = ben.post(f"/contacts/{contact_id}/follow-up")
    [planned] = open_follow_ups(app, contact_id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/inbox?open={planned.id}#follow-up-{planned.id}")
    assert planned.due_at > datetime.now(UTC)
    inbox = ben.get(f"/inbox?open={planned.id}").get_data(as_text=True)
    assert f'id="follow-up-{planned.id}"' in inbox

    # Planned now: the page links to it, and another tap plans nothing more.
    page = ben.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert f"/inbox?open={planned.id}#follow-up-{planned.id}" in page
    ben.post(f"/contacts/{contact_id}/follow-up")
    assert [fu.id for fu in open_follow_ups(app, contact_id)] == [planned.id]


def test_follow_up_on_someone_elses_contact_is_404(app, ana, ben):
    theirs = scanned(ana)
    before = [fu.id for fu in open_follow_ups(app, theirs)]
    assert ben.post(f"/contacts/{theirs}/follow-up").status_code == 404
    assert [fu.id for fu in open_follow_ups(app, theirs)] == before
