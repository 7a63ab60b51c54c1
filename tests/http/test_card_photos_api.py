"""POST /api/card-photos: a photographed paper card becomes a contact "card to check".

The photos are drawn here (Pillow's own font, so no system font is needed) and read by the real
OCR engine; the corpus of real photos is measured by bench/card_ocr.py.
"""

import io
import uuid
from datetime import UTC, datetime

import qrcode
import sqlalchemy as sa
from PIL import Image, ImageDraw, ImageFont

from eventmate.extensions import db
from eventmate.models import ClientRequest, Contact

from .helpers import contacts_of, count, counts, create_event

CARD_TEXT = (
    "Harbour Analytics Ltd",
    "Dev Patel",
    "Head of Research",
    "dev.patel@harbour.example",
    "Tel: 020 7946 0000",
)


def card_photo(lines=CARD_TEXT, *, qr: str = "", image_format="JPEG", angle=0) -> bytes:
    """A white card with dark text on a grey desk, as a phone would photograph it."""
    card = Image.new("RGB", (1000, 560), "white")
    draw = ImageDraw.Draw(card)
    font = ImageFont.load_default(size=40)
    for row, text in enumerate(lines):
        draw.text((50, 40 + 95 * row), text, fill=(20, 20, 30), font=font)
    if qr:
        card.paste(qrcode.make(qr, box_size=5).get_image().convert("RGB"), (700, 30))
    photo = Image.new("RGB", (1280, 900), (120, 120, 120))
    card = card.rotate(angle, expand=True, fillcolor=(120, 120, 120))
    photo.paste(card, ((1280 - card.width) // 2, (900 - card.height) // 2))
    out = io.BytesIO()
    photo.save(out, image_format)
    return out.getvalue()


def send(client, photo: bytes | None, *, client_id=None, scanned_at=None, event_id=None, **extra):
    form = {
        "id": client_id or str(uuid.uuid4()),
        "scanned_at": scanned_at or datetime.now(UTC).isoformat(),
        **extra,
    }
    if photo is not None:
        form["photo"] = (io.BytesIO(photo), "card.jpg")
    if event_id is not None:
        form["event_id"] = str(event_id)
    return client.post("/api/card-photos", data=form, content_type="multipart/form-data")


def test_a_card_photo_becomes_a_contact_to_check_with_the_fields_read(app, ana):
    create_event(ana, "Data Summit", timezone="Europe/London")  # its country reads the phone
    response = send(ana, card_photo(angle=8))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    fields = body["fields"]
    assert fields["name"]["value"] == "Dev Patel"
    assert fields["title"]["value"] == "Head of Research"
    assert fields["company"]["value"] == "Harbour Analytics Ltd"
    assert [email["value"] for email in fields["emails"]] == ["dev.patel@harbour.example"]
    assert [phone["value"] for phone in fields["phones"]] == ["+442079460000"]
    assert all(0 < fields[name]["confidence"] <= 1 for name in ("name", "title", "company"))
    assert body["source"] == "card_to_check" and body["needs_checking"] is True
    assert body["meetings"][0]["event"] == "Data Summit"
    [contact] = contacts_of(app, "ana@example.org")
    assert (contact.full_name, contact.company) == ("Dev Patel", "Harbour Analytics Ltd")
    assert contact.phones == ["+442079460000"]
    assert "dev.patel@harbour.example" in contact.raw_payload  # every line read is kept
    assert contact.card_fields == fields  # for the check screen: which fields to look at
    with app.app_context():
        kept = Image.open(io.BytesIO(db.session.scalar(sa.select(Contact.photo))))
    assert max(kept.size) <= 512 and kept.format == "JPEG" and not kept.getexif()
    assert body["photo_url"]  # private to Ana: served by the contact photo route


def test_the_user_time_zone_gives_the_region_when_no_event_runs(app, ana):
    # Ana lives in Europe/Lisbon: a Portuguese number printed without +351 is read as one.
    photo = card_photo(("Rita Sousa", "rita@mar.example", "Tel: 213 456 789"))
    fields = send(ana, photo).get_json()["fields"]
    assert [phone["value"] for phone in fields["phones"]] == ["+351213456789"]


def test_a_qr_code_on_the_card_wins_over_what_ocr_read(app, ana):
    qr = "MECARD:N:Patel,Devendra;ORG:Harbour;EMAIL:dev@harbour.example;;"
    fields = send(ana, card_photo(qr=qr, image_format="PNG")).get_json()["fields"]
    assert fields["name"] == {"value": "Devendra Patel", "confidence": 1.0}
    assert fields["company"] == {"value": "Harbour", "confidence": 1.0}
    assert [email["value"] for email in fields["emails"]] == ["dev@harbour.example"]
    assert fields["title"]["value"] == "Head of Research"  # the QR has none: OCR's stays


def test_a_resend_gets_the_same_contact_and_another_photo_with_its_id_is_refused(app, ana):
    photo, client_id = card_photo(), str(uuid.uuid4())
    scanned_at = "2026-11-23T09:30:00+00:00"
    first = send(ana, photo, client_id=client_id, scanned_at=scanned_at)
    before = counts(app)
    again = send(ana, photo, client_id=client_id, scanned_at=scanned_at)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert counts(app) == before
    other = send(ana, card_photo(("Someone Else",)), client_id=client_id, scanned_at=scanned_at)
    assert other.status_code == 409
    assert "already used" in other.get_json()["error"]
    assert counts(app) == before and count(app, ClientRequest) == 1


def test_bad_photos_are_refused_with_a_sentence_and_change_nothing(app, ana):
    blank = io.BytesIO()
    Image.new("RGB", (800, 500), "white").save(blank, "PNG")
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    cases = [
        (b"this is not a photo", 415, "isn't a photo we can read"),
        (eps, 415, "isn't a photo we can read"),  # a format Pillow would hand to Ghostscript
        (card_photo()[:2000], 415, "damaged or cut short"),
        (blank.getvalue(), 422, "No text could be read"),
        (b"", 400, "Choose a photo"),
        (None, 400, "Choose a photo"),
    ]
    for photo, status, words in cases:
        response = send(ana, photo)
        assert response.status_code == status, (words, response.get_json())
        assert words in response.get_json()["error"]
    assert count(app, Contact) == 0 and count(app, ClientRequest) == 0


def test_a_photo_over_the_limit_is_refused_but_the_limit_is_this_route_only(app, ana):
    response = send(ana, b"\xff\xd8" + b"0" * (11 * 2**20))
    assert response.status_code == 413
    assert response.get_json()["error"].endswith(".")
    big_json = {"id": str(uuid.uuid4()), "payload": "x" * (300 * 1024)}
    assert ana.post("/api/scans", json=big_json).status_code == 413  # 256 KB elsewhere


def test_fields_other_than_the_photo_are_checked(app, ana, ben):
    bens_event = create_event(ben, "Ben's meetup")
    cases = [
        ({"client_id": "not-a-uuid"}, 400, '"id"'),
        ({"scanned_at": "yesterday"}, 400, '"scanned_at"'),
        ({"event_id": "-3"}, 400, '"event_id"'),
        ({"event_id": bens_event}, 404, "haven't joined"),
    ]
    for extra, status, words in cases:
        response = send(ana, card_photo(), **extra)
        assert response.status_code == status, (extra, response.get_json())
        assert words in response.get_json()["error"]
    assert count(app, Contact) == 0


def test_a_card_photo_needs_login_and_the_csrf_token(app, ana, make_client):
    visitor = make_client()
    assert send(visitor, card_photo()).status_code == 401
    form = {"id": str(uuid.uuid4()), "scanned_at": datetime.now(UTC).isoformat()}
    form["photo"] = (io.BytesIO(card_photo()), "card.jpg")
    response = ana.post("/api/card-photos", data=form, csrf=False)
    assert response.status_code == 400
    assert count(app, Contact) == 0
