"""My card at the event: the QR full screen in one tap with the screen kept on, sharing the card,
and the app dark when the phone is (the QR staying black on white)."""

import re

from playwright.sync_api import Page, expect

from .flows import sign_up, tab

# Records what the page asks of the Wake Lock, Web Share and Clipboard APIs (headless Chromium
# has no share sheet, and a wake lock needs a visible screen), so the test can check the calls.
RECORD_DEVICE_APIS = """
window.deviceCalls = [];
const record = (name, value) => window.deviceCalls.push([name, value]);
Object.defineProperty(navigator, "wakeLock", {value: {request: async (type) => {
  record("wakeLock.request", type);
  const sentinel = new EventTarget();
  sentinel.release = async () => { record("wakeLock.release", type);
                                   sentinel.dispatchEvent(new Event("release")); };
  return sentinel;
}}});
if (SHARE) {
  navigator.canShare = (data) => {
    record("canShare", data.files.map((f) => f.type)); return true; };
  navigator.share = async (data) => record("share", {
    title: data.title, url: data.url,
    files: await Promise.all((data.files || []).map(async (f) => [f.name, f.type, await f.text()])),
  });
} else {
  Object.defineProperty(navigator, "share", {value: undefined});
}
Object.defineProperty(navigator, "clipboard", {value: {
  writeText: async (text) => record("clipboard", text)}});
"""


def device_phone(new_phone, share: bool, **options) -> Page:
    context = new_phone(**options)
    context.add_init_script(RECORD_DEVICE_APIS.replace("SHARE", "true" if share else "false"))
    return context.new_page()


def calls(page: Page, name: str, wait_for: int = 0) -> list:
    """The values of the recorded calls to `name`, once there are at least `wait_for` of them."""
    page.wait_for_function(
        "([name, count]) => window.deviceCalls.filter(([c]) => c === name).length >= count",
        arg=[name, wait_for],
    )
    return [value for called, value in page.evaluate("window.deviceCalls") if called == name]


def test_home_shows_the_qr_full_screen_in_one_tap_and_keeps_the_screen_on(new_phone):
    page = device_phone(new_phone, share=True)
    sign_up(page, "Wanda Wake", "wanda@example.org")
    tab(page, "Home")

    page.get_by_role("link", name="Show my card").click()  # the one tap

    full = page.get_by_role("dialog", name="Your QR code, full screen")
    expect(full).to_be_visible()
    box = full.get_by_role("img").bounding_box()
    assert box and box["width"] >= 340, box  # the QR fills a 390 px wide screen
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.qr-full')).backgroundColor"
    ) == ("rgb(255, 255, 255)")
    assert calls(page, "wakeLock.request", wait_for=1) == ["screen"]

    full.get_by_role("button", name="Close").click()
    expect(full).to_be_hidden()
    assert calls(page, "wakeLock.release", wait_for=1) == ["screen"]

    page.get_by_role(
        "button", name=re.compile("QR code of your card")
    ).click()  # again, from My card
    expect(full).to_be_visible()
    assert calls(page, "wakeLock.request", wait_for=2) == ["screen", "screen"]


def test_share_sends_the_card_link_and_its_vcard(new_phone, live_server):
    page = device_phone(new_phone, share=True)
    sign_up(page, "Sana Share", "sana@example.org")
    public = page.get_by_role("link", name="Preview my public card").get_attribute("href")

    page.get_by_role("button", name="Share", exact=True).click()

    [shared] = calls(page, "share", wait_for=1)
    assert shared["url"] == public and shared["url"].startswith(live_server.url + "/c/")
    assert shared["title"] == "Sana Share"
    [(name, kind, text)] = shared["files"]
    assert (name, kind) == ("Sana Share.vcf", "text/vcard")
    assert "FN:Sana Share" in text
    assert calls(page, "canShare") == [["text/vcard"]]


def test_without_a_share_sheet_the_link_is_copied(new_phone):
    page = device_phone(new_phone, share=False)
    sign_up(page, "Cora Copy", "cora@example.org")
    expect(page.get_by_role("button", name="Share", exact=True)).to_be_hidden()
    public = page.get_by_role("link", name="Preview my public card").get_attribute("href")

    page.get_by_role("button", name="Copy link").click()

    expect(page.get_by_role("status").filter(has_text="Link copied.")).to_be_visible()
    assert calls(page, "clipboard", wait_for=1) == [public]


def test_dark_mode_follows_the_phone_and_the_qr_stays_on_white(new_phone):
    page = new_phone(color_scheme="dark").new_page()
    sign_up(page, "Dora Dark", "dora@example.org")

    def colour(selector: str, prop: str) -> tuple[int, ...]:
        value = page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).{prop}")
        return tuple(int(part) for part in re.findall(r"\d+", value)[:3])

    assert max(colour("body", "backgroundColor")) < 40, "the page is dark"
    assert min(colour("body", "color")) > 200, "its text is light"
    assert colour(".card", "backgroundColor") != (255, 255, 255)
    assert colour("img.qr", "backgroundColor") == (255, 255, 255), "the QR stays on white"
