"""/contacts/<id>/check: the fields read from a paper card, fixed and confirmed by the user.

The contact is made as a card photo makes it (`card_contact`, source "card_to_check", with the
fields read and their confidence), without running the OCR: tests/http/test_card_photos_api.py
does that once.
"""

import pytest
import sqlalchemy as sa

from eventmate.badges.model import make_card
from eventmate.contacts.card_check import address_note
from eventmate.contacts.service import card_contact
from eventmate.extensions import db
from eventmate.models import Contact, User

from .helpers import visible_text

READ = {
    "name": {"value": "Avery Smith", "confidence": 0.55},
    "title": {"value": "Senior Researcher", "confidence": 0.76},
    "company": {"value": "Contoso", "confidence": 0.38},
    "emails": [{"value": "avery.smith@contoso.com", "confidence": 0.97}],
    "phones": [
        {"value": "+447911123456", "confidence": 0.95, "kind": "mobile"},
        {"value": "+442098765432", "confidence": 0.5, "kind": ""},
    ],
    "website": {"value": "https://www.contoso.com/", "confidence": 0.9},
    "address": {"value": "2 Kingdom Street, London W2 6BD", "confidence": 0.62},
}

FIXED = {
    "full_name": "Avery Smith",
    "title": "Principal Researcher",
    "company": "Contoso Ltd",
    "emails": ["avery.smith@contoso.com", "avery@example.org"],
    "phones": ["+44 7911 123456", "+44 (0)20 9876 5432", ""],
    "website": "www.contoso.com",
    "address": "2 Kingdom Street, London W2 6BD",
}


def make_card_contact(app, email: str) -> int:
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == email))
        card = make_card(
            full_name="Avery Smith",
            title="Senior Researcher",
            company="Contoso",
            emails=["avery.smith@contoso.com"],
            phones=["+447911123456", "+442098765432"],
            urls=["https://www.contoso.com/"],
            notes=[address_note("2 Kingdom Street, London W2 6BD")],
        )
        contact, _ = card_contact(owner, card, raw="Dr. Avery Smith\n…", source="card_to_check")
        contact.card_fields = READ
        db.session.commit()
        return contact.id


@pytest.fixture
def card_id(app, ana):
    return make_card_contact(app, "ana@example.org")


def stored(app, contact_id: int) -> Contact:
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        db.session.expunge(contact)
        return contact


def test_the_check_screen_shows_the_fields_read_and_marks_the_unsure_ones(ana, card_id):
    response = ana.get(f"/contacts/{card_id}/check")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for value in ("Avery Smith", "Senior Researcher", "Contoso", "avery.smith@contoso.com",
                  "+44 7911 123456", "+44 20 9876 5432", "https://www.contoso.com/",
                  "2 Kingdom Street, London W2 6BD"):  # fmt: skip
        assert f'value="{value}"' in page or f">{value}</textarea>" in page, value
    # Unsure: the name (not spelled by the email), the company, the second phone, the address.
    unsure = {"full_name", "company", "phones-2", "address"}
    for field in ("full_name", "title", "company", "emails-1", "phones-1", "phones-2", "website",
                  "address"):  # fmt: skip
        assert (f'id="{field}-unsure"' in page) == (field in unsure), field
    assert "mobile" in visible_text(response)


def test_confirming_saves_the_fields_and_leads_to_the_capture(app, ana, card_id):
    response = ana.post(f"/contacts/{card_id}/check", data=FIXED)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/contacts/{card_id}/edit?checked=1")
    contact = stored(app, card_id)
    assert contact.source == "paper_card" and not contact.needs_checking
    assert contact.card_fields is None
    assert (contact.full_name, contact.title, contact.company) == (
        "Avery Smith", "Principal Researcher", "Contoso Ltd",
    )  # fmt: skip
    assert contact.emails == ["avery.smith@contoso.com", "avery@example.org"]
    assert contact.phones == ["+447911123456", "+442098765432"]  # E.164; the blank one dropped
    assert contact.urls == ["www.contoso.com"]
    assert contact.notes == "Address on the card: 2 Kingdom Street, London W2 6BD"

    capture = ana.get(response.headers["Location"])
    assert "Saved Avery Smith's details from the card." in visible_text(capture)
    assert 'name="tags"' in capture.get_data(as_text=True) or "What stood out?" in visible_text(
        capture
    )
    # Checked: the screen sends back to the contact, which no longer offers the check.
    again = ana.get(f"/contacts/{card_id}/check")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/contacts/{card_id}")
    assert "Check the fields" not in visible_text(ana.get(f"/contacts/{card_id}"))


def test_a_changed_address_replaces_its_line_and_keeps_the_other_notes(app, ana, card_id):
    with app.app_context():
        contact = db.session.get(Contact, card_id)
        contact.notes += "\nMet at the coffee stand"
        db.session.commit()
    ana.post(f"/contacts/{card_id}/check", data=FIXED | {"address": "1 New Road, Leeds"})
    assert stored(app, card_id).notes == (
        "Address on the card: 1 New Road, Leeds\nMet at the coffee stand"
    )
    assert stored(app, card_id).source == "paper_card"


@pytest.mark.parametrize(
    ("change", "field", "sentence"),
    [
        ({"emails": ["avery.smith@contoso"]}, "emails", "isn't an email address"),
        ({"phones": ["call me"]}, "phones", "isn't a phone number"),
        ({"website": "not a site"}, "website", "isn't a web address"),
        ({"full_name": "", "company": ""}, "full_name", "Type the name on the card"),
        ({"title": "x" * 121}, "title", "Keep this under 120 characters"),
        ({"address": "x" * 301}, "address", "Keep the address under 300 characters"),
        ({"emails": [f"a{i}@example.org" for i in range(11)]}, "emails", "At most 10 entries"),
    ],
)
def test_bad_fields_are_refused_with_a_sentence_and_nothing_is_lost(
    app, ana, card_id, change, field, sentence
):
    typed = FIXED | change
    response = ana.post(f"/contacts/{card_id}/check", data=typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert sentence in visible_text(response)
    assert f'id="{field}-error"' in page
    assert 'value="Principal Researcher"' in page or field == "title"  # what was typed is kept
    contact = stored(app, card_id)
    assert contact.source == "card_to_check" and contact.title == "Senior Researcher"


def test_another_users_card_is_not_found(app, ana, ben, card_id):
    assert ben.get(f"/contacts/{card_id}/check").status_code == 404
    assert ben.post(f"/contacts/{card_id}/check", data=FIXED).status_code == 404
    assert ana.get("/contacts/999999/check").status_code == 404
    assert stored(app, card_id).source == "card_to_check"


def test_cards_to_check_are_listed_at_the_top_of_people(ana, card_id):
    people = ana.get("/contacts/")
    text = visible_text(people)
    assert "1 card to check" in text and "Avery Smith" in text
    assert f'href="/contacts/{card_id}/check"' in people.get_data(as_text=True)
    assert "Card to check" in text  # the row's line too
    contact_page = ana.get(f"/contacts/{card_id}")
    assert f'href="/contacts/{card_id}/check"' in contact_page.get_data(as_text=True)

    ana.post(f"/contacts/{card_id}/check", data=FIXED)
    assert "to check" not in visible_text(ana.get("/contacts/")).casefold()


def test_a_post_without_its_csrf_token_is_refused(app, ana, card_id):
    response = ana.post(f"/contacts/{card_id}/check", data=FIXED, csrf=False)
    assert response.status_code == 400
    assert stored(app, card_id).source == "card_to_check"
