"""The reminder ask card in the Scan screen's "Saved" panel: a capture saved in place (no page
load) asks "Remind you tomorrow at 09:00 about Camille?" once a day, under "Scan next", which
stays in view at 320×568; its Remind me is what asks for the permission and turns reminders
on, online, or offline (the permission asked then, the device subscribed once back online)."""

import re

import pytest
from playwright.sync_api import Page, expect

from .. import conftest as e2e
from ..flows import save_scan_capture, scan_capture, screenshot, sign_up, tab
from .test_camera_scan import BADGE, qr_image
from .test_capture import SIZES, in_first_viewport
from .test_push import ASK, SLOW, STUB, devices_by_owner

REPEAT_WINDOW = 15_000  # ms: the scanner reads the same badge again after 5 s (scanner.js)


def saved_panel(page: Page):
    return page.locator("[data-capture-saved]")


def ask_card(page: Page):
    return saved_panel(page).locator("[data-reminder-ask]")


def scan_and_save(page: Page, *, synced: bool = True) -> None:
    """The badge in front of the camera is read; its capture is saved in place."""
    expect(page.locator("form[data-capture]")).to_be_visible(timeout=REPEAT_WINDOW)
    scan_capture(page, "Camille Moreau", synced=synced)
    save_scan_capture(page)


def pushed(page: Page) -> tuple[int, int]:
    """Permission prompts asked for, and subscriptions made, on this page (STUB counts them)."""
    counts = page.evaluate("window.__push")
    return counts["asked"], counts["subscribed"]


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_the_first_save_on_the_scan_screen_asks_once_and_remind_me_turns_reminders_on(
    camera_phone, push_live, size
):
    live_server, service = push_live
    email = f"ida.ask.{size}@example.org"
    with camera_phone(qr_image(BADGE), viewport=SIZES[size]) as page:
        page.context.add_init_script(STUB % {"origin": service.origin})
        # Headless Chromium answers "denied" until granted; the prompts are counted (STUB).
        page.context.grant_permissions(["notifications"])
        sign_up(page, "Ida Costa", email)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SLOW)
        tab(page, "Scan")
        scan_and_save(page)

        card = ask_card(page)
        expect(card).to_be_visible(timeout=SLOW)
        expect(card.locator(".ask-card-question")).to_have_text(ASK)
        expect(card.locator("[data-ask-name]")).to_have_text("Camille Moreau")
        scan_next = saved_panel(page).get_by_role("button", name="Scan next")
        remind = card.get_by_role("button", name="Remind me")
        for control in (scan_next, saved_panel(page).get_by_role("link", name="Done"), remind):
            assert in_first_viewport(page, control), control  # nothing to scroll for
        tab_bar = page.get_by_role("navigation", name="Main").bounding_box()
        box = card.bounding_box()
        room = tab_bar["y"] - (box["y"] + box["height"])
        print(f"{size}: the ask card ends {room:.0f} px above the tab bar")  # for the report
        assert room >= 0  # the whole card, above the tab bar
        assert pushed(page) == (0, 0)  # nothing asked before the tap
        screenshot(page, f"scan-saved-ask-{size}", full_page=False)

        remind.click()
        expect(card.get_by_role("status")).to_contain_text("Done.", timeout=SLOW)
        assert pushed(page) == (1, 1)
        endpoint = f"{service.origin}/push/{page.evaluate('window.__push.token')}"
        assert (email, endpoint) in devices_by_owner(live_server.app)

        # The next person the same day: saved, and not asked again.
        scan_next.click()
        scan_and_save(page)
        expect(saved_panel(page)).to_be_visible()
        page.wait_for_timeout(500)  # the card would show within this (a local check)
        expect(card).to_be_hidden()
        assert pushed(page) == (1, 1)


def test_not_now_in_the_saved_panel_is_kept_and_a_second_save_is_not_asked(camera_phone, push_live):
    _, service = push_live
    with camera_phone(qr_image(BADGE)) as page:
        page.context.add_init_script(STUB % {"origin": service.origin})
        page.context.grant_permissions(["notifications"])
        sign_up(page, "Nuno Dias", "nuno.scan.ask@example.org")
        tab(page, "Scan")
        scan_and_save(page)
        card = ask_card(page)
        expect(card).to_be_visible(timeout=SLOW)
        card.get_by_role("button", name="Not now").click()
        expect(card).to_be_hidden()
        saved_panel(page).get_by_role("button", name="Scan next").click()
        scan_and_save(page)
        page.wait_for_timeout(500)
        expect(card).to_be_hidden()
        # Another day, within the week after "Not now": still not asked.
        page.evaluate(
            """() => {
              for (const key of Object.keys(localStorage)) {
                if (key.startsWith("eventmate-reminder-asked:")) localStorage.setItem(key, "2000");
              }
            }"""
        )
        page.reload()
        scan_and_save(page)
        page.wait_for_timeout(500)
        expect(card).to_be_hidden()
        assert pushed(page) == (0, 0)


def test_a_user_who_chose_email_only_is_not_asked(camera_phone, push_live):
    _, service = push_live
    with camera_phone(qr_image(BADGE)) as page:
        page.context.add_init_script(STUB % {"origin": service.origin})
        page.context.grant_permissions(["notifications"])
        sign_up(page, "Eva Lima", "eva.email.only@example.org")
        page.goto("/account/reminders")
        page.get_by_label("Morning reminders by").select_option("email")
        page.get_by_role("button", name="Save reminders").click()
        tab(page, "Scan")
        scan_and_save(page)
        expect(page.locator("[data-reminder-ask]")).to_have_count(0)


@pytest.mark.parametrize("back_online", ["on this page", "on the next page"])
def test_offline_remind_me_asks_now_and_the_phone_joins_once_back_online(
    camera_phone, push_live, monkeypatch, back_online
):
    offline = "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"
    monkeypatch.setattr(e2e, "EXPECTED_CONSOLE", (*e2e.EXPECTED_CONSOLE, offline))
    live_server, service = push_live
    email = f"kai.offline.ask.{len(back_online)}@example.org"
    with camera_phone(qr_image(BADGE)) as page:
        page.context.add_init_script(STUB % {"origin": service.origin})
        page.context.grant_permissions(["notifications"])
        sign_up(page, "Kai Offline", email)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SLOW)
        tab(page, "Scan")  # online once: the scanner's files are kept
        expect(page.locator("form[data-capture]")).to_be_visible(timeout=SLOW)
        tab(page, "People")
        page.context.set_offline(True)
        tab(page, "Scan")
        scan_and_save(page, synced=False)
        card = ask_card(page)
        expect(card).to_be_visible(timeout=SLOW)
        card.get_by_role("button", name="Remind me").click()
        status = card.get_by_role("status")
        expect(status).to_contain_text(re.compile(r"^Allowed\. You're offline"), timeout=SLOW)
        expect(card.get_by_role("button", name="Remind me")).to_be_hidden()
        assert pushed(page) == (1, 0)  # asked from the tap; subscribing waits for the network

        if back_online == "on this page":
            page.context.set_offline(False)
            page.evaluate("window.dispatchEvent(new Event('online'))")
            expect(status).to_contain_text("Done.", timeout=SLOW)
        else:
            tab(page, "People")  # kept for offline use
            page.context.set_offline(False)
            tab(page, "Home")  # the next page opened online finishes it
            finished = "() => localStorage.getItem('eventmate-push-pending') === null"
            page.wait_for_function(finished, timeout=SLOW)  # the server saved the device
        if back_online == "on this page":
            assert pushed(page) == (1, 1)  # no second prompt
            endpoint = f"{service.origin}/push/{page.evaluate('window.__push.token')}"
            assert (email, endpoint) in devices_by_owner(live_server.app)
        else:  # no prompt here; People may have finished it first, as the network came back
            assert pushed(page)[0] == 0
            mine = [url for owner, url in devices_by_owner(live_server.app) if owner == email]
            assert len(mine) == 1 and mine[0].startswith(f"{service.origin}/push/e2e-")
