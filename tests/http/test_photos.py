"""Photos over HTTP: the card's (public by its token) and a contact's (its owner's only),
uploaded from forms and from the outbox, served, put in vCards and exports, and deleted."""

import base64
import io
import json
import re
import uuid

import sqlalchemy as sa
from PIL import Image

from eventmate.extensions import db
from eventmate.models import ClientRequest, Contact, User
from eventmate.photos.images import MAX_UPLOAD_BYTES

from ..conftest import STRONG_PASSWORD
from ..unit.test_photo_images import camera_jpeg
from .helpers import contacts_of, count, scan, visible_text

BADGE = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dev Patel\r\nORG:Harbour Analytics\r\nEND:VCARD\r\n"
PHOTO_SRC = re.compile(r'<img src="([^"]+\.jpg)"')


def file(data: bytes, name="photo.jpg"):
    return (io.BytesIO(data), name)


def send_photo(client, data=None, **fields):
    """POST /api/photos as the outbox does; `fields` name the contact (contact_id or scan_id)."""
    body = {"id": str(uuid.uuid4())} | {k: str(v) for k, v in fields.items()}
    body["photo"] = file(camera_jpeg() if data is None else data)
    return client.post("/api/photos", data=body, headers={"Accept": "application/json"})


def scanned(client) -> tuple[str, int]:
    scan_id = str(uuid.uuid4())
    response = scan(client, BADGE, scan_id=scan_id)
    assert response.status_code == 201, response.get_json()
    return scan_id, response.get_json()["id"]


def photo_urls(response) -> list[str]:
    return PHOTO_SRC.findall(response.get_data(as_text=True))


def card_token(client) -> str:
    return re.search(r'data-vcard="/c/([^"]+)\.vcf"', client.get("/card").get_data(as_text=True))[1]


def unfolded(vcard: str) -> str:
    return vcard.replace("\r\n ", "")


def vcard_photo(vcard: str) -> bytes:
    [value] = re.findall(r"^PHOTO:data:image/jpeg;base64,(\S+)\r$", unfolded(vcard), re.M)
    return base64.b64decode(value)


def test_my_photo_is_on_my_card_the_public_card_and_its_vcard(app, ana, make_client):
    response = ana.post("/account/photo", data={"photo": file(camera_jpeg((2000, 1500)))})
    assert response.status_code == 303
    assert "Your card shows your new photo." in visible_text(ana.get("/account/"))
    [url] = photo_urls(ana.get("/card"))
    token = card_token(ana)
    assert url.startswith(f"/c/{token}/photo-")
    visitor = make_client()
    assert photo_urls(visitor.get(f"/c/{token}")) == [url]
    served = visitor.get(url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"].startswith("private")
    assert Image.open(io.BytesIO(served.data)).size == (512, 384)
    vcard = visitor.get(f"/c/{token}.vcf").get_data(as_text=True)
    assert vcard_photo(vcard) == served.data
    assert all(len(line.encode()) <= 75 for line in vcard.split("\r\n"))  # folded


def test_a_new_qr_code_ends_the_photos_public_address(app, ana, make_client):
    ana.post("/account/photo", data={"photo": file(camera_jpeg())})
    [old] = photo_urls(ana.get("/card"))
    assert ana.post("/card/rotate").status_code == 302
    visitor = make_client()
    assert visitor.get(old).status_code == 410
    [new] = photo_urls(ana.get("/card"))
    assert new != old and visitor.get(new).status_code == 200


def test_replacing_and_removing_my_photo_changes_its_address(app, ana, make_client):
    ana.post("/account/photo", data={"photo": file(camera_jpeg())})
    [first] = photo_urls(ana.get("/card"))
    ana.post("/account/photo", data={"photo": file(camera_jpeg(colour="green"))})
    [second] = photo_urls(ana.get("/card"))
    assert second != first
    assert make_client().get(first).status_code == 404  # never a stale photo under a kept URL
    assert ana.post("/account/photo/delete").status_code == 303
    assert photo_urls(ana.get("/card")) == []
    assert make_client().get(second).status_code == 404
    assert "PHOTO" not in ana.get(f"/c/{card_token(ana)}.vcf").get_data(as_text=True)


def test_a_file_that_is_not_a_photo_is_refused_with_a_sentence(app, ana):
    response = ana.post("/account/photo", data={"photo": file(b"%PDF-1.7", "cv.pdf")})
    assert response.status_code == 303
    page = visible_text(ana.get(response.headers["Location"]))
    assert "That file isn't a photo we can read." in page
    assert photo_urls(ana.get("/card")) == []
    _, contact_id = scanned(ana)
    refused = send_photo(ana, b"%PDF-1.7", contact_id=contact_id)
    assert refused.status_code == 415
    assert refused.get_json()["error"].startswith("That file isn't a photo")
    missing = ana.post("/api/photos", data={"id": str(uuid.uuid4()), "contact_id": contact_id})
    assert missing.status_code == 400 and missing.get_json()["error"] == "Choose a photo first."


def test_the_byte_cap_holds_for_photos_and_the_usual_limit_for_everything_else(app, ana):
    _, contact_id = scanned(ana)
    too_large = send_photo(ana, b"\xff" * (MAX_UPLOAD_BYTES + 70_000), contact_id=contact_id)
    assert too_large.status_code == 413
    assert too_large.get_json()["error"].endswith(".")
    # A camera's full-size file is accepted here, and only here.
    big = camera_jpeg((4000, 3000)) + b"\0" * 400_000  # trailing bytes after the JPEG's end
    assert send_photo(ana, big, contact_id=contact_id).status_code == 201
    padded = {"id": str(uuid.uuid4()), "payload": BADGE + "NOTE:" + "x" * 300_000}
    assert ana.post("/api/scans", json=padded).status_code == 413


def test_a_contacts_photo_is_its_owners_only(app, ana, ben):
    _, contact_id = scanned(ana)
    response = send_photo(ana, contact_id=contact_id)
    assert response.status_code == 201
    url = response.get_json()["photo_url"]
    assert url.startswith(f"/contacts/{contact_id}/photo/")
    served = ana.get(url)
    assert served.status_code == 200 and served.headers["Cache-Control"].startswith("private")
    assert ben.get(url).status_code == 404
    assert ana.get(url.replace("/photo/", "/photo/0")).status_code == 404  # not its version
    # Ben can neither set nor remove it.
    assert send_photo(ben, contact_id=contact_id).status_code == 404
    form = {"photo": file(camera_jpeg(colour="green"))}
    assert ben.post(f"/contacts/{contact_id}/photo", data=form).status_code == 404
    assert ben.post(f"/contacts/{contact_id}/photo/delete").status_code == 404
    assert ana.get(url).status_code == 200


def test_a_photo_taken_offline_arrives_once_however_often_it_is_sent(app, ana):
    scan_id, contact_id = scanned(ana)
    photo_id, jpeg = str(uuid.uuid4()), camera_jpeg()
    first = send_photo(ana, jpeg, id=photo_id, scan_id=scan_id)
    assert first.status_code == 201
    assert first.get_json()["client_id"] == photo_id  # the outbox's acknowledgement
    again = send_photo(ana, jpeg, id=photo_id, scan_id=scan_id)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert count(app, ClientRequest) == 2  # the scan and the photo
    other = send_photo(ana, camera_jpeg(colour="green"), id=photo_id, scan_id=scan_id)
    assert other.status_code == 409
    [contact] = contacts_of(app, "ana@example.org")
    assert contact.id == contact_id and contact.photo_version in first.get_json()["photo_url"]


def test_a_photo_for_a_scan_that_never_arrived_is_refused(app, ana):
    response = send_photo(ana, scan_id=str(uuid.uuid4()))
    assert response.status_code == 404
    assert "The scan this photo belongs to was not recorded." in response.get_json()["error"]
    assert send_photo(ana).status_code == 400  # neither a contact nor a scan


def test_the_contacts_photo_shows_in_the_list_home_and_their_page(app, ana):
    _, contact_id = scanned(ana)
    form = {"photo": file(camera_jpeg())}
    response = ana.post(f"/contacts/{contact_id}/photo", data=form)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/contacts/{contact_id}/edit"  # where it was chosen
    edit_page = ana.get(response.headers["Location"])
    assert "Saved the photo of Dev Patel." in visible_text(edit_page)
    [url] = photo_urls(edit_page)
    assert photo_urls(ana.get(f"/contacts/{contact_id}")) == [url]
    assert photo_urls(ana.get("/contacts/")) == [url]
    assert photo_urls(ana.get("/")) == [url]
    assert ana.post(f"/contacts/{contact_id}/photo/delete").status_code == 303
    assert photo_urls(ana.get("/contacts/")) == []
    assert "D" in visible_text(ana.get("/contacts/"))  # the initial again


def test_save_to_phone_and_the_exports_carry_the_photos(app, ana):
    _, contact_id = scanned(ana)
    jpeg = ana.get(send_photo(ana, contact_id=contact_id).get_json()["photo_url"]).data
    ana.post("/account/photo", data={"photo": file(camera_jpeg(colour="green"))})
    assert vcard_photo(ana.get(f"/contacts/{contact_id}.vcf").get_data(as_text=True)) == jpeg
    assert vcard_photo(ana.get("/account/export/contacts.vcf").get_data(as_text=True)) == jpeg
    data = json.loads(ana.get("/account/export/data.json").data)
    [contact] = data["contacts"]
    assert base64.b64decode(contact["photo"].removeprefix("data:image/jpeg;base64,")) == jpeg
    assert data["profile"]["photo"].startswith("data:image/jpeg;base64,")


def test_deleting_the_contact_or_the_account_deletes_the_photos(app, ana, make_client):
    _, contact_id = scanned(ana)
    url = send_photo(ana, contact_id=contact_id).get_json()["photo_url"]
    ana.post("/account/photo", data={"photo": file(camera_jpeg())})
    [card_photo] = photo_urls(ana.get("/card"))
    assert ana.post(f"/contacts/{contact_id}/delete").status_code == 302
    assert ana.get(url).status_code == 404
    ana.post("/account/delete", data={"password": STRONG_PASSWORD, "confirm": "DELETE"})
    assert make_client().get(card_photo).status_code == 410
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0
