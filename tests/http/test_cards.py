"""My card, its QR code, the public card page, vCard download, share-back and rotation."""

import html
import io
import re

import sqlalchemy as sa
import zxingcpp
from PIL import Image

from eventmate.badges import parse_vcard_bytes
from eventmate.extensions import db
from eventmate.models import Contact, SharedDetails

from .helpers import card_link, contacts_of, count


def _token(app, email):
    return card_link(app, email).rsplit("/", 1)[1]


def test_my_card_shows_a_qr_that_encodes_the_card_link(app, ana):
    page = ana.get("/card").get_data(as_text=True)
    token = _token(app, "ana@example.org")
    [img] = re.findall(rf'<img class="qr"[^>]*src="/c/{token}/qr\.svg"[^>]*>', page)
    assert 'fetchpriority="high"' in img  # the page's main content: fetched before the rest
    png = ana.get(f"/c/{token}/qr.png")
    assert png.mimetype == "image/png"
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    assert decoded.text == f"http://eventmate.test/c/{token}"


def test_qr_images_are_cacheable_and_svg(app, client, accounts):
    accounts.register(client)
    token = _token(app, "ana@example.org")
    svg = client.get(f"/c/{token}/qr.svg")
    assert svg.mimetype == "image/svg+xml"
    assert svg.data.lstrip().startswith(b"<?xml") or b"<svg" in svg.data[:200]
    assert "max-age" in svg.headers["Cache-Control"]


def test_card_token_is_random_long_and_free_of_personal_data(app, ana, ben):
    token_a, token_b = _token(app, "ana@example.org"), _token(app, "ben@example.org")
    assert token_a != token_b
    assert len(token_a) >= 22  # 20 random bytes → 27 URL-safe characters, ≥ 128 bits
    assert "ana" not in token_a.lower() or token_a.lower().count("ana") < 2


def test_public_card_shows_only_public_fields(app, ana, make_client):
    ana.post(
        "/account/card",
        data={
            "display_name": "Ana Ribeiro",
            "headline": "Data engineer at Lisbon Maps",
            "phone": "+351 900 000 000",
            "website": "https://ana.example",
            "bio": "Maps and bikes.",
            "public_headline": "y",
            "public_website": "y",
        },
    )
    visitor = make_client()
    page = html.unescape(visitor.get(f"/c/{_token(app, 'ana@example.org')}").get_data(as_text=True))
    assert "Ana Ribeiro" in page and "Data engineer at Lisbon Maps" in page
    assert "https://ana.example" in page
    assert "+351" not in page and "ana@example.org" not in page and "Maps and bikes" not in page
    assert "Save contact" in page and "Share your details back" in page
    assert "Exchange cards" not in page


def test_save_contact_downloads_a_vcard_4(app, ana, make_client):
    response = make_client().get(f"/c/{_token(app, 'ana@example.org')}.vcf")
    assert response.status_code == 200
    assert response.mimetype == "text/vcard"
    assert "attachment" in response.headers["Content-Disposition"]
    assert b"VERSION:4.0" in response.data
    [card] = parse_vcard_bytes(response.data)
    assert card.full_name == "Ana Ribeiro"
    assert card.emails == []  # email is private by default


def test_share_details_back_waits_for_the_owner(app, ana, make_client):
    visitor = make_client()
    token = _token(app, "ana@example.org")
    page = html.unescape(visitor.get(f"/c/{token}").get_data(as_text=True))
    assert "Only Ana sees them, and chooses whether to keep them." in page
    response = visitor.post(
        f"/c/{token}/share",
        data={"name": "Carla Souza", "email": "carla@example.org", "note": "Met at the coffee bar"},
    )
    assert response.status_code == 200
    assert "has your details" in html.unescape(response.get_data(as_text=True))
    assert contacts_of(app, "ana@example.org") == []  # until Ana accepts them
    with app.app_context():
        [shared] = db.session.scalars(sa.select(SharedDetails)).all()
        assert (shared.full_name, shared.email, shared.note, shared.state) == (
            "Carla Souza",
            "carla@example.org",
            "Met at the coffee bar",
            "pending",
        )
    again = {"name": "Carla Souza", "email": "carla@example.org", "note": "Met at the coffee bar"}
    visitor.post(f"/c/{token}/share", data=again)  # sent twice: kept once
    assert count(app, SharedDetails) == 1


def test_share_back_validates_and_keeps_the_input(app, ana, make_client):
    visitor = make_client()
    token = _token(app, "ana@example.org")
    response = visitor.post(f"/c/{token}/share", data={"name": "Carla", "email": "not-an-email"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Carla"' in page
    assert "email" in page.lower()
    assert count(app, Contact) == 0 and count(app, SharedDetails) == 0


def test_share_back_needs_csrf(app, ana, make_client):
    response = make_client().post(
        f"/c/{_token(app, 'ana@example.org')}/share",
        data={"name": "Carla", "email": "carla@example.org"},
        csrf=False,
    )
    assert response.status_code == 400
    assert count(app, Contact) == 0 and count(app, SharedDetails) == 0


def test_logged_in_visitor_exchanges_cards(app, ana, ben):
    token = _token(app, "ana@example.org")
    page = ben.get(f"/c/{token}").get_data(as_text=True)
    assert "Exchange cards" in page and "Share your details back" not in page
    response = ben.post(f"/c/{token}/exchange")
    assert response.status_code == 302
    assert "/contacts/" in response.headers["Location"]
    assert [c.full_name for c in contacts_of(app, "ben@example.org")] == ["Ana Ribeiro"]
    assert [c.full_name for c in contacts_of(app, "ana@example.org")] == ["Ben Okafor"]


def test_rotating_the_token_invalidates_the_old_qr_at_once(app, ana, make_client):
    old = _token(app, "ana@example.org")
    assert ana.post("/card/rotate").status_code == 302
    new = _token(app, "ana@example.org")
    assert new != old
    visitor = make_client()
    for path in (f"/c/{old}", f"/c/{old}.vcf", f"/c/{old}/qr.svg", f"/c/{old}/qr.png"):
        response = visitor.get(path)
        assert response.status_code == 410, path
    assert "no longer valid" in visitor.get(f"/c/{old}").get_data(as_text=True)
    assert (
        visitor.post(f"/c/{old}/share", data={"name": "X", "email": "x@example.org"}).status_code
        == 410
    )
    assert visitor.get(f"/c/{new}").status_code == 200


def test_unknown_token_shapes_are_not_found(client):
    assert client.get("/c/short").status_code == 404
    assert client.get("/c/" + "x" * 30).status_code == 410
