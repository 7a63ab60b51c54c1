"""A photo of the person, taken at capture with no network: shrunk on the phone, queued in the
outbox after its scan, and on the server exactly once, upright, small and without its EXIF."""

import io
import re

import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import BrowserContext, Route, expect

from eventmate.extensions import db
from eventmate.models import Contact, User

from ...unit.test_photo_images import camera_jpeg
from ..flows import sign_up
from .test_offline import (  # noqa: F401 -- the autouse fixture applies here too
    BADGE,
    install,
    network_down,
    note,
    offline_console_errors_are_expected,
    on_server,
    outbox,
    scan_offline,
    sync,
    wait_for_outbox,
)


def stored_photo(live_server, email: str) -> bytes | None:
    with live_server.app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == email))
        contact = db.session.scalar(sa.select(Contact).where(Contact.owner_id == owner.id))
        return contact.photo


def choose_photo(page, tmp_path, **options) -> None:
    """Take a photo with the capture input (a camera's JPEG: 1600×1200, turned, with GPS)."""
    picture = tmp_path / "camera.jpg"
    picture.write_bytes(camera_jpeg((1600, 1200), orientation=6, **options))
    expect(page.locator("[data-photo-input]")).to_have_attribute("data-photo-ready", "1")
    page.get_by_label("Add photo").set_input_files(picture)


def test_a_photo_taken_offline_at_capture_arrives_once(
    phone: BrowserContext, live_server, tmp_path
):
    page = phone.new_page()
    email = "fotini.offline@example.org"
    sign_up(page, "Fotini Offline", email)
    install(page)

    phone.set_offline(True)
    scan_id = scan_offline(page, BADGE)
    choose_photo(page, tmp_path)
    # Shown at once, from the phone (the capture on the Scan screen keeps toasts quiet).
    expect(page.locator(".contact-photo img")).to_be_visible()
    expect(page.get_by_label("Change photo")).to_be_attached()
    items = wait_for_outbox(page, lambda items: len(items) == 2)
    assert [(i["kind"], i["url"], i["body"]["scan_id"]) for i in items[1:]] == [
        ("photo", "/api/photos", scan_id)
    ]
    note(page, tags="photographed")
    waiting = page.get_by_role("region", name="Waiting to sync")
    expect(waiting).to_contain_text("Photo of Camille Moreau")
    assert on_server(live_server, email)["contact_count"] == 0

    phone.set_offline(False)
    sync(page)
    wait_for_outbox(page, lambda items: not items)
    assert on_server(live_server, email)["requests"] == ["capture", "photo", "scan"]
    photo = Image.open(io.BytesIO(stored_photo(live_server, email)))
    assert photo.format == "JPEG" and photo.size == (384, 512)  # upright, at most 512 px
    assert not photo.getexif()

    page.reload()
    row = page.locator(".people li").filter(has_text="Camille Moreau")
    expect(row.locator("img")).to_have_attribute("src", re.compile(r"/photo/[0-9a-f]+\.jpg$"))
    assert row.locator("img").evaluate("(image) => image.naturalWidth") == 384


def test_a_photo_whose_answer_was_lost_is_sent_again_and_applied_once(
    new_phone, live_server, tmp_path
):
    # The page alone sends (no service worker); "offline" is every API request refused.
    phone = new_phone(service_workers="block")
    page = phone.new_page()
    email = "lukas.offline@example.org"
    sign_up(page, "Lukas Offline", email)
    phone.route("**/api/**", network_down)
    scan_offline(page, BADGE)
    choose_photo(page, tmp_path)
    wait_for_outbox(page, lambda items: [i["kind"] for i in items] == ["scan", "photo"])

    # Back online, the server applies the photo, but its answer never reaches the phone.
    cut: list[str] = []
    sent: list[str] = []

    def lose_the_answer(route: Route) -> None:
        sent.append(route.request.method)
        if cut:
            route.continue_()
            return
        route.fetch()
        cut.append(route.request.url)
        route.abort("connectionreset")

    phone.route("**/api/photos", lose_the_answer)  # before the network is back: no race
    phone.unroute("**/api/**", network_down)
    sync(page)
    wait_for_outbox(page, lambda items: cut and [i["kind"] for i in items] in (["photo"], []))
    assert on_server(live_server, email)["requests"] == ["photo", "scan"]
    first = stored_photo(live_server, email)

    sync(page)
    wait_for_outbox(page, lambda items: not items)
    assert on_server(live_server, email)["requests"] == ["photo", "scan"]
    assert stored_photo(live_server, email) == first
    assert sent == ["POST", "POST"]  # sent twice, applied once
