"""A real camera scan: Chromium's fake camera films a QR code, the Scan screen reads it and the
right person is added, on screen and on the server."""

import io
import json
import re

import qrcode
from PIL import Image
from playwright.sync_api import Page, expect

from .. import conftest as e2e
from ..flows import make_new_qr, public_card_path, scan_capture, sign_up, tab

BADGE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Moreau;Camille;;;\r\nFN:Camille Moreau\r\n"
    "ORG:Tidewater Labs\r\nTITLE:Head of Research\r\nEMAIL:camille@tidewater.example\r\n"
    "END:VCARD\r\n"
)


def qr_image(text: str) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code.make_image().get_image()


def scan_with_camera(page: Page, name: str) -> None:
    """Open the Scan tab with the code in front of the camera; ends on that person's capture,
    opened on the Scan screen, named as the server knows them."""
    tab(page, "Scan")
    scan_capture(page, name)


def server_contacts(page: Page) -> list[dict]:
    """The signed-in user's contacts as the server holds them (GET /api/contacts)."""
    return page.evaluate(
        """async () => {
            const response = await fetch("/api/contacts", { credentials: "same-origin" });
            return (await response.json()).contacts;
        }"""
    )


def test_scanning_a_card_qr_exchanges_cards(new_phone, camera_phone, live_server):
    ana = new_phone().new_page()
    sign_up(ana, "Ana Camera", "ana.camera@example.org")
    card_url = live_server.url + public_card_path(ana)

    with camera_phone(qr_image(card_url)) as ben:
        sign_up(ben, "Ben Camera", "ben.camera@example.org")
        scan_with_camera(ben, "Ana Camera")
        contacts = server_contacts(ben)
        ben.goto(contacts[0]["url"])
        expect(ben.locator(".meetings")).to_contain_text("You exchanged cards with Ana Camera")
        assert [(c["name"], c["is_eventmate_user"]) for c in contacts] == [("Ana Camera", True)]

    # Showing the QR is consent: Ana has Ben too.
    assert [c["name"] for c in server_contacts(ana)] == ["Ben Camera"]


def test_scanning_a_vcard_badge_adds_that_person(camera_phone):
    with camera_phone(qr_image(BADGE)) as cleo:
        sign_up(cleo, "Cleo Camera", "cleo.camera@example.org")
        scan_with_camera(cleo, "Camille Moreau")
        expect(cleo.get_by_text("Head of Research · Tidewater Labs")).to_be_visible()
        [contact] = server_contacts(cleo)
        assert contact["name"] == "Camille Moreau"
        assert contact["source"] == "badge"
        assert contact["emails"] == ["camille@tidewater.example"]
        assert contact["raw_payload"] == BADGE


# Android Chrome's BarcodeDetector, imitated: headless Chromium on Linux has none.
FAKE_BARCODE_DETECTOR = """
globalThis.BarcodeDetector = class {
  static async getSupportedFormats() { return ["code_128", "ean_13", "qr_code"]; }
  constructor({ formats }) { sessionStorage.setItem("formats", JSON.stringify(formats)); }
  async detect(image) { return [{ format: "qr_code", rawValue: %s }]; }
};
"""


def test_the_browsers_barcode_detector_is_used_where_it_exists(camera_phone):
    with camera_phone(Image.new("RGB", (64, 48), "white")) as page:
        page.add_init_script(FAKE_BARCODE_DETECTOR % json.dumps(BADGE))
        vendor_requests = []
        page.on("request", lambda r: "/vendor/" in r.url and vendor_requests.append(r.url))
        sign_up(page, "Gil Native", "gil.native@example.org")
        scan_with_camera(page, "Camille Moreau")
        assert page.evaluate("JSON.parse(sessionStorage.formats)") == ["qr_code", "code_128"]
        assert not vendor_requests, "zxing-wasm is not downloaded when the browser can decode"


def test_a_rejected_code_is_explained_once_and_scanning_goes_on(
    new_phone, camera_phone, live_server
):
    owner = new_phone()
    dora = owner.new_page()
    sign_up(dora, "Dora Camera", "dora.camera@example.org")
    own_card = live_server.url + public_card_path(dora)
    posts: list[str] = []

    with camera_phone(qr_image(own_card), storage_state=owner.storage_state()) as phone:
        phone.context.on(
            "request",
            lambda request: request.url.endswith("/api/scans") and posts.append(request.url),
        )
        phone.goto("/scan")
        scanner = phone.get_by_role("region", name="Camera scanner")
        expect(scanner.get_by_role("alert")).to_contain_text("That's your own card")
        expect(scanner.get_by_role("status")).to_have_text("Point the camera at another code.")
        phone.wait_for_timeout(1500)  # the same code stays in front of the camera
        assert len(posts) == 1
        expect(phone).to_have_url(re.compile(r"/scan$"))
        expect_said_once(phone)


def expect_said_once(page: Page) -> None:
    """The scanner's alert is the page's only one: the outbox lists nothing to fix or sync."""
    expect(page.get_by_role("alert")).to_have_count(1)
    expect(page.get_by_role("region", name="Waiting to sync")).to_be_hidden()
    expect(page.get_by_role("link", name=re.compile("to sync"))).to_be_hidden()


def test_an_expired_card_is_explained_once_by_the_scanner(new_phone, camera_phone, live_server):
    ana = new_phone().new_page()
    sign_up(ana, "Ana Renewed", "ana.renewed@example.org")
    old_card = live_server.url + public_card_path(ana)
    make_new_qr(ana)

    with camera_phone(qr_image(old_card)) as ben:
        sign_up(ben, "Ben Late", "ben.late@example.org")
        tab(ben, "Scan")
        scanner = ben.get_by_role("region", name="Camera scanner")
        expect(scanner.get_by_role("alert")).to_have_text(
            "This card is no longer valid. Ask them to open EventMate and show their card again."
        )
        expect(scanner.get_by_role("status")).to_have_text("Point the camera at another code.")
        ben.wait_for_timeout(1000)  # time for the outbox's list to be drawn, were it to be
        expect_said_once(ben)
        tab(ben, "People")  # nor is it brought up again on the next screen
        expect(ben.get_by_role("heading", level=1)).to_have_text("People")
        expect(ben.get_by_role("alert")).to_have_count(0)


def test_a_denied_camera_explains_how_to_allow_it_and_a_photo_works(launch_chromium, new_phone):
    # A camera exists but the permission prompt is refused (no --use-fake-ui-for-media-stream).
    browser = launch_chromium(["--use-fake-device-for-media-stream"])
    page = new_phone(browser=browser).new_page()
    sign_up(page, "Eli Denied", "eli.denied@example.org")
    tab(page, "Scan")
    scanner = page.get_by_role("region", name="Camera scanner")
    expect(scanner.get_by_role("status")).to_have_text("EventMate isn't allowed to use the camera.")
    expect(scanner.get_by_text("Permissions → Camera → Allow")).to_be_visible()
    expect(scanner.get_by_text("Website Settings → Camera → Allow")).to_be_visible()
    expect(scanner.get_by_role("button", name="Try the camera again")).to_be_visible()

    buffer = io.BytesIO()
    qr_image(BADGE).save(buffer, format="PNG")
    scanner.get_by_label("Choose a photo of a QR code").set_input_files(
        files=[{"name": "badge.png", "mimeType": "image/png", "buffer": buffer.getvalue()}]
    )
    scan_capture(page, "Camille Moreau")


def test_the_scanner_works_offline_once_the_scan_screen_was_opened(camera_phone, monkeypatch):
    # Chromium logs each fetch that fails for lack of network (the outbox trying to send).
    offline = "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"
    monkeypatch.setattr(e2e, "EXPECTED_CONSOLE", (*e2e.EXPECTED_CONSOLE, offline))
    with camera_phone(qr_image(BADGE)) as page:
        sign_up(page, "Fay Offline", "fay.offline@example.org")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        scan_with_camera(page, "Camille Moreau")  # online: the service worker keeps the decoder

        page.context.set_offline(True)
        tab(page, "Scan")
        # The decoder came from the service worker's cache; the scan waits in the outbox and
        # its capture opens from what the phone read.
        scan_capture(page, "Camille Moreau", synced=False)
        expect(page.locator("[data-capture-state]")).to_have_text("Saved on this phone")
