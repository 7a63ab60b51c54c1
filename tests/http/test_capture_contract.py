"""One capture contract: the contact form and POST /api/captures read the same input alike,
and refuse the same input with the same sentence (eventmate/contacts/contract.py)."""

import uuid

import pytest

from eventmate.contacts.contract import MAX_TAG_LENGTH

from .helpers import scan

FIELDS = ("full_name", "title", "company", "emails", "phones", "urls")
BADGE = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dev Patel\r\nORG:Harbour Analytics\r\nEND:VCARD\r\n"
SAME = {
    "full_name": "Dev Patel",
    "title": "Data lead",
    "company": "Harbour  Analytics",
    "emails": "dev@harbour.example\n\n  dev.p@harbour.example ",
    "phones": "+351 912 345 678",
    "urls": "https://harbour.example",
    "notes": "Ask about the pilot.\nAnd the deck.",
    "answers": {"enjoy": "  Hard problems  "},
    "tags": ["#AI", "ai", "Straße", "STRASSE", "  hiring\u00a0 team "],
    "face_to_face": False,
}


def contact_by_scan(client) -> int:
    response = scan(client, BADGE, scan_id=str(uuid.uuid4()))
    assert response.status_code == 201
    return response.get_json()["id"]


def by_form(client, contact_id: int, values: dict):
    form = {name: values[name] for name in ("full_name", "title", "company", "notes")}
    form |= {name: values[name] for name in ("emails", "phones", "urls")}
    form |= {f"answer-{key}": text for key, text in values["answers"].items()}
    form |= {"new_tags": ", ".join(values["tags"]), "follow_up": "none", "event_id": ""}
    if values["face_to_face"]:
        form["face_to_face"] = "on"
    return client.post(f"/contacts/{contact_id}/edit", data=form)


def by_api(client, contact_id: int, values: dict):
    fields = {name: values[name] for name in ("full_name", "title", "company")}
    fields |= {name: values[name] for name in ("emails", "phones", "urls")}
    body = {
        "id": str(uuid.uuid4()),
        "contact_id": contact_id,
        "fields": fields,
        "base": {"fields": shown_fields(client, contact_id)},  # what the phone showed
        "notes": values["notes"],
        "answers": values["answers"],
        "tags_add": values["tags"],
        "face_to_face": values["face_to_face"],
    }
    return client.post("/api/captures", json=body)


def shown_fields(client, contact_id: int) -> dict:
    now = saved(client, contact_id)
    return {
        name: "\n".join(v) if isinstance(v, list) else v
        for name, v in now.items()
        if name in FIELDS
    }


def saved(client, contact_id: int) -> dict:
    [contact] = [
        c for c in client.get("/api/contacts").get_json()["contacts"] if c["id"] == contact_id
    ]
    keep = ("full_name", "title", "company", "emails", "phones", "urls", "notes", "answers")
    return {name: contact[name] for name in keep} | {
        "tags": sorted(contact["tags"]),
        "face_to_face": contact["met_face_to_face"],
    }


def test_the_form_and_the_api_save_the_same_capture_alike(ben):
    by_form_id, other = contact_by_scan(ben), contact_by_scan_of(ben, "Dev Patil")
    assert by_form(ben, by_form_id, SAME).status_code == 302
    assert by_api(ben, other, SAME).status_code == 201
    form_result, api_result = saved(ben, by_form_id), saved(ben, other)
    assert form_result == api_result
    assert form_result["tags"] == ["AI", "Straße", "hiring team"]  # one key: "ss", "ai"
    assert form_result["emails"] == ["dev@harbour.example", "dev.p@harbour.example"]
    assert form_result["answers"][0]["answer"] == "Hard problems"


def contact_by_scan_of(client, name: str) -> int:
    payload = BADGE.replace("Dev Patel", name)
    response = scan(client, payload, scan_id=str(uuid.uuid4()))
    assert response.status_code == 201
    return response.get_json()["id"]


@pytest.mark.parametrize(
    "change, sentence",
    [
        ({"tags": ["x" * (MAX_TAG_LENGTH + 1)]}, "Keep each tag under"),
        ({"tags": ["ß" * 30]}, "Keep each tag under"),  # its key, "ss" × 30, is too long
        ({"tags": [f"t{n}" for n in range(21)]}, "at most 20 tags"),
        ({"title": "x" * 121}, "under 120 characters"),
        ({"emails": "not an address"}, "look right"),
        ({"notes": "x" * 5001}, "5,000 characters"),
        ({"answers": {"enjoy": "x" * 2001}}, "2,000 characters"),
    ],
)
def test_the_form_and_the_api_refuse_the_same_input_alike(ben, change, sentence):
    contact_id = contact_by_scan(ben)
    form = by_form(ben, contact_id, SAME | change)
    api = by_api(ben, contact_id, SAME | change)
    assert form.status_code == 422 and api.status_code in (400, 422)
    assert sentence in form.get_data(as_text=True)
    assert sentence in api.get_json()["error"]
