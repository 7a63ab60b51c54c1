""" "Remind me" (the reminder ask card, here on the Reminders page) in a real browser: permission
only after the tap, a subscription made with the served VAPID key and posted through the real
endpoint, a digest sent by the real dispatcher to the local fake push service (which decrypts
it with the browser's key), then delivered to the service worker, shown as a notification, and
a tap on it opening the inbox; likewise an introduction's consent request, opening the answer
page. The ask card after a first capture of the day, and its "Not now".

Headless Chromium cannot `pushManager.subscribe()` (no vendor push service: AbortError), so an
init script replaces it with a WebCrypto P-256 key pair pointing at the fake push service, and
the DevTools protocol's `ServiceWorker.deliverPushMessage` plays the push service's part of
waking the worker.
"""

import re
import time
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from eventmate.contacts.service import linked_contact
from eventmate.extensions import db
from eventmate.introductions.service import create_introduction
from eventmate.models import Contact, PushDelivery, PushMessage, PushSubscription, User
from eventmate.models.base import utcnow
from eventmate.push.vapid import vapid_keys
from eventmate.reminders import payload
from eventmate.reminders.dispatch import Dispatcher, Settings

from ...push_service import (
    Receiver,
    add_follow_up,
    b64url,
    make_user,
)
from ..flows import note_capture, save_capture, sign_up, tab
from ..test_follow_up_send import scan

SLOW = 30_000  # ms: steps that wait on the service worker, the server and a busy machine

# Stands in for the browser's push service subscription: a real P-256 key pair and auth secret
# made with WebCrypto, kept on `window.__push` so the test can hand the private half to the fake
# push service (a browser keeps it to itself). Also counts permission prompts.
STUB = """
(() => {
  const origin = %(origin)r;
  const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  window.__push = { asked: 0, subscribed: 0 };
  if (window.Notification) {
    const ask = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = (...args) => {
      window.__push.asked += 1;
      return ask(...args);
    };
  }
  if (!window.PushManager || !location.protocol.startsWith("http")) return;  // about:blank
  // Kept in localStorage, as a browser keeps its subscription across pages and logins.
  const KEPT = "__pushStub";
  const bytes = (text) =>
    Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const restore = (kept) => ({
    endpoint: kept.json.endpoint,
    options: { userVisibleOnly: true, applicationServerKey: bytes(kept.key).buffer },
    toJSON: () => kept.json,
    unsubscribe: async () => { current = null; localStorage.removeItem(KEPT); return true; },
  });
  const kept = JSON.parse(localStorage.getItem(KEPT) || "null");
  let current = kept ? restore(kept) : null;
  PushManager.prototype.getSubscription = async function () { return current; };
  PushManager.prototype.subscribe = async function (options) {
    window.__push.subscribed += 1;
    const pair = await crypto.subtle.generateKey(
      { name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const publicKey = await crypto.subtle.exportKey("raw", pair.publicKey);
    const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    const auth = crypto.getRandomValues(new Uint8Array(16));
    const token = "e2e-" + b64url(crypto.getRandomValues(new Uint8Array(9)));
    const json = {
      endpoint: origin + "/push/" + token,
      expirationTime: null,
      keys: { p256dh: b64url(publicKey), auth: b64url(auth) },
    };
    window.__push.token = token;
    window.__push.privateKey = jwk.d;
    window.__push.auth = json.keys.auth;
    window.__push.applicationServerKey = b64url(options.applicationServerKey);
    const state = { json, key: window.__push.applicationServerKey };
    localStorage.setItem(KEPT, JSON.stringify(state));
    current = restore(state);
    return current;
  };
})();
"""


def registration_id(page, cdp, scope_prefix: str) -> str:
    """The service worker registration's id, from the DevTools protocol."""
    found: list[str] = []

    def updated(event):
        found.extend(
            r["registrationId"]
            for r in event["registrations"]
            if r["scopeURL"].startswith(scope_prefix) and not r.get("isDeleted")
        )

    cdp.on("ServiceWorker.workerRegistrationUpdated", updated)
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + SLOW / 1000
    while not found:
        assert time.monotonic() < deadline, "no service worker registration reported"
        page.wait_for_timeout(50)  # lets Playwright deliver the protocol's events
    return found[0]


def notifications(page) -> list[dict]:
    return page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            const shown = await registration.getNotifications();
            return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
        }"""
    )


def remind_me(phone, page, live_server, service, name: str, email: str) -> dict:
    """Sign up and tap "Remind me": the browser side of the subscription (`window.__push`),
    after checking the permission was asked for only then, with the served key."""
    sign_up(page, name, email)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SLOW)
    page.goto("/account/reminders")
    remind = page.get_by_role("button", name="Remind me")
    expect(remind).to_be_visible()
    assert page.evaluate("window.__push.asked") == 0  # nothing asked on page load
    phone.grant_permissions(["notifications"])
    remind.click()
    expect(page.get_by_role("status").filter(has_text="Done.")).to_be_visible(timeout=SLOW)
    pushed = page.evaluate("window.__push")
    assert (pushed["asked"], pushed["subscribed"]) == (1, 1)
    assert pushed["applicationServerKey"] == vapid_keys(live_server.app).public_key
    service.register(pushed["token"], Receiver.from_raw(pushed["privateKey"], pushed["auth"]))
    return pushed


def shown_after_delivery(phone, page, live_server, push) -> list[dict]:
    """Hand the push to the service worker as the push service would; what it showed."""
    cdp = phone.new_cdp_session(page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id(page, cdp, live_server.url),
            "data": push.plaintext.decode(),
        },
    )
    deadline = time.monotonic() + SLOW / 1000
    while not (shown := notifications(page)):
        assert time.monotonic() < deadline, "the service worker showed no notification"
        page.wait_for_timeout(100)
    return shown


def tap_notification(phone, live_server) -> None:
    """The worker's notificationclick handler, for the notification on screen."""
    worker = next(w for w in phone.service_workers if w.url.startswith(live_server.url))
    worker.evaluate(
        """async () => {
            const [notification] = await self.registration.getNotifications();
            self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
        }"""
    )


def test_remind_me_subscribes_and_the_morning_digest_opens_the_inbox(new_phone, push_live):
    live_server, service = push_live
    phone = new_phone()
    phone.add_init_script(STUB % {"origin": service.origin})
    page = phone.new_page()
    pushed = remind_me(phone, page, live_server, service, "Rita Alves", "rita@example.org")

    with live_server.app.app_context():
        rita = db.session.scalar(sa.select(User).where(User.email == "rita@example.org"))
        [device] = db.session.scalars(
            sa.select(PushSubscription).where(PushSubscription.user_id == rita.id)
        ).all()
        assert device.endpoint == f"{service.origin}/push/{pushed['token']}"
        assert device.label.startswith("Chrome")  # "Chrome on Linux" / "Chrome on Android"
        now = utcnow()
        for name in ("Ana Ribeiro", "Ben Okafor", "Chloé Martin"):
            add_follow_up(rita, name, due_at=now - timedelta(minutes=5))
        rita.reminder_hour = 0
        rita.timezone = "UTC"
        db.session.commit()
        Dispatcher(settings=Settings(threads=1)).run_once(now)
        # Hers only: tests run before this one in the same process may leave others due.
        states = db.session.scalars(
            sa.select(PushDelivery.state)
            .join(PushMessage, PushMessage.id == PushDelivery.message_id)
            .where(PushMessage.user_id == rita.id, PushMessage.kind == "digest")
        ).all()
        endpoint = device.endpoint
        db.session.remove()
    assert states == ["sent"]
    [push] = service.to(endpoint)
    assert push.problem is None  # VAPID verified; decrypted with the browser's own key
    assert push.message["body"] == "Follow up with Ana, Ben and Chloé from DevConf"

    assert shown_after_delivery(phone, page, live_server, push) == [
        {
            "title": "3 people to follow up with today",
            "body": "Follow up with Ana, Ben and Chloé from DevConf",
            "tag": "eventmate-digest",
            "data": {"url": "/inbox"},
        }
    ]

    # Tapping it: the worker's notificationclick handler takes our open window to the inbox.
    tap_notification(phone, live_server)
    page.wait_for_url(f"{live_server.url}/inbox", timeout=SLOW)
    announced = page.get_by_text("Ana Ribeiro").first  # the inbox shows whom the digest named
    expect(announced).to_be_visible(timeout=SLOW)


def test_an_introduction_request_is_shown_and_opens_the_answer_page(new_phone, push_live):
    live_server, service = push_live
    phone = new_phone()
    phone.add_init_script(STUB % {"origin": service.origin})
    page = phone.new_page()
    remind_me(phone, page, live_server, service, "Rita Alves", "rita.intro@example.org")

    with live_server.app.app_context():  # Carla introduces Rita to Ben, who is not on EventMate
        rita = db.session.scalar(sa.select(User).where(User.email == "rita.intro@example.org"))
        carla = make_user("carla.push@example.org", display_name="Carla Mendes")
        to_rita, _ = linked_contact(carla, rita)
        ben = Contact(owner_id=carla.id, source="manual", full_name="Ben Okafor")
        db.session.add(ben)
        db.session.flush()
        intro = create_introduction(
            carla,
            to_rita,
            ben,
            why_a="Ben ran the Porto meetup.",
            why_b="Rita is hiring.",
            confirmed=True,
            now=utcnow(),
        )
        intro_id, side = intro.id, intro.side("a").id
        db.session.commit()
        later = utcnow() + timedelta(days=1)  # sent even if the test runs in Rita's night
        Dispatcher(settings=Settings(threads=1), clock=lambda: later).run_once(plan=False)
        [endpoint] = db.session.scalars(
            sa.select(PushSubscription.endpoint).where(PushSubscription.user_id == rita.id)
        ).all()
        db.session.remove()
    [push] = service.to(endpoint)  # hers: others' pushes may go in the same pass
    assert push.problem is None

    assert shown_after_delivery(phone, page, live_server, push) == [
        {
            "title": "Carla would like to introduce you to Ben",
            "body": "Open to see why, and to answer yes or no.",
            "tag": f"eventmate-intro-{intro_id}",
            "data": {"url": f"/introductions/requests/{side}"},
        }
    ]
    tap_notification(phone, live_server)
    page.wait_for_url(f"{live_server.url}/introductions/requests/{side}", timeout=SLOW)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Carla Mendes would like to introduce you to Ben Okafor"
    )


def test_without_permission_nothing_is_subscribed(new_phone, push_live):
    live_server, service = push_live
    phone = new_phone()
    phone.add_init_script(STUB % {"origin": service.origin})
    page = phone.new_page()
    sign_up(page, "Sam Costa", "sam@example.org")
    page.goto("/account/reminders")
    page.evaluate(
        "Notification.requestPermission = async () => { window.__push.asked += 1; "
        "return 'denied'; }"
    )
    page.get_by_role("button", name="Remind me").click()
    expect(page.get_by_role("status").filter(has_text="weren't allowed")).to_be_visible(
        timeout=SLOW
    )
    assert page.evaluate("window.__push.subscribed") == 0
    with live_server.app.app_context():
        sams = (
            sa.select(PushSubscription)
            .join(User, User.id == PushSubscription.user_id)
            .where(User.email == "sam@example.org")
        )
        assert db.session.scalars(sams).all() == []
        db.session.remove()


def test_news_about_an_introduction_replaces_its_notification_audibly(new_phone, push_live):
    # The messages as the dispatcher renders them, handed straight to the service worker.
    live_server, _ = push_live
    phone = new_phone()
    page = phone.new_page()
    sign_up(page, "Rita Alves", "rita.renotify@example.org")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SLOW)
    phone.grant_permissions(["notifications"])
    cdp = phone.new_cdp_session(page)
    registration = registration_id(page, cdp, live_server.url)

    def deliver(title: str, tag: str) -> list[dict]:
        """Push one message; the notifications then on screen, with `renotify`."""
        data = payload.render(title, "…", "/inbox", tag)
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server.url, "registrationId": registration, "data": data},
        )
        script = """async () => {
            const registration = await navigator.serviceWorker.ready;
            const shown = await registration.getNotifications();
            return shown.map((n) => ({ title: n.title, tag: n.tag, renotify: n.renotify }));
        }"""
        deadline = time.monotonic() + SLOW / 1000
        while True:
            shown = page.evaluate(script)
            if any(n["title"] == title for n in shown):
                return shown
            assert time.monotonic() < deadline, f"not shown: {title}"
            page.wait_for_timeout(100)

    asked = "Carla would like to introduce you to Ben"
    assert deliver(asked, "eventmate-intro-7") == [
        {"title": asked, "tag": "eventmate-intro-7", "renotify": True}
    ]
    connected = "You're now connected with Ben"
    assert deliver(connected, "eventmate-intro-7") == [
        {"title": connected, "tag": "eventmate-intro-7", "renotify": True}
    ]

    # The morning digest: its own tag (never replacing an introduction's) and, replacing an
    # unread digest, silent.
    for title in ("2 people to follow up with today", "3 people to follow up with today"):
        shown = deliver(title, payload.TAG)
        assert {"title": title, "tag": payload.TAG, "renotify": False} in shown
        assert {"title": connected, "tag": "eventmate-intro-7", "renotify": True} in shown
        assert len(shown) == 2


def devices_by_owner(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(User.email, PushSubscription.endpoint)
            .join(PushSubscription, PushSubscription.user_id == User.id)
            .order_by(PushSubscription.id)
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def test_a_shared_phone_log_out_stops_reminders_and_the_next_account_takes_the_browser(
    new_phone, push_live
):
    """Rita turns reminders on, then logs out: her device is forgotten (no more of her
    reminders on this phone). Ben logs in on the same phone and turns them on: the browser's
    same subscription is now his."""
    live_server, service = push_live
    phone = new_phone()
    phone.add_init_script(STUB % {"origin": service.origin})
    page = phone.new_page()
    rita = remind_me(phone, page, live_server, service, "Rita Alves", "rita.shared@example.org")
    endpoint = f"{service.origin}/push/{rita['token']}"
    assert ("rita.shared@example.org", endpoint) in devices_by_owner(live_server.app)

    page.goto("/account/")
    logout = page.locator('form[action$="/logout"] input[name="push_endpoint"]')
    expect(logout).to_have_value(endpoint, timeout=SLOW)
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    assert [row for row in devices_by_owner(live_server.app) if row[1] == endpoint] == []

    sign_up(page, "Ben Okafor", "ben.shared@example.org")
    page.goto("/account/reminders")
    page.get_by_role("button", name="Remind me").click()
    expect(page.get_by_role("status").filter(has_text="Done.")).to_be_visible(timeout=SLOW)
    assert page.evaluate("window.__push.subscribed") == 0  # the browser's subscription, kept
    assert [row for row in devices_by_owner(live_server.app) if row[1] == endpoint] == [
        ("ben.shared@example.org", endpoint)
    ]


def test_remind_me_on_a_page_open_for_hours_fetches_a_fresh_token_and_subscribes(
    new_phone, push_live
):
    live_server, service = push_live
    phone = new_phone()
    phone.add_init_script(STUB % {"origin": service.origin})
    page = phone.new_page()
    sign_up(page, "Sam Costa", "sam.stale@example.org")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SLOW)
    page.goto("/account/reminders")
    page.evaluate("document.querySelector('meta[name=csrf-token]').content = 'expired'")
    phone.grant_permissions(["notifications"])
    page.get_by_role("button", name="Remind me").click()
    expect(page.get_by_role("status").filter(has_text="Done.")).to_be_visible(timeout=SLOW)
    pushed = page.evaluate("window.__push")
    endpoint = f"{service.origin}/push/{pushed['token']}"
    assert devices_by_owner(live_server.app)[-1] == ("sam.stale@example.org", endpoint)


def test_an_endpoint_someone_else_claimed_first_gives_this_browser_a_fresh_one(
    new_phone, push_live
):
    """Mallory registered this browser's endpoint with keys of her own (she saw the URL): the
    server refuses Rita's Remind me with 409, so the page subscribes afresh (a new endpoint)
    and Rita's reminders are on; Mallory's row is left to die with the old endpoint."""
    live_server, service = push_live
    phone = new_phone()
    phone.add_init_script(STUB % {"origin": service.origin})
    page = phone.new_page()
    first = remind_me(phone, page, live_server, service, "Rita Alves", "rita.claimed@example.org")
    claimed = f"{service.origin}/push/{first['token']}"
    with live_server.app.app_context():
        mallory = make_user("mallory@example.org")
        device = db.session.scalar(
            sa.select(PushSubscription).where(PushSubscription.endpoint == claimed)
        )
        device.user_id, device.auth = mallory.id, b64url(b"\x01" * 16)
        db.session.commit()
        db.session.remove()

    page.reload()
    page.get_by_role("button", name="Remind me").click()
    expect(page.get_by_role("status").filter(has_text="Done.")).to_be_visible(timeout=SLOW)
    second = page.evaluate("window.__push")
    assert second["subscribed"] == 1 and second["token"] != first["token"]
    owners = devices_by_owner(live_server.app)
    assert ("mallory@example.org", claimed) in owners
    assert ("rita.claimed@example.org", f"{service.origin}/push/{second['token']}") in owners


# --- the reminder ask card after a capture ----------------------------------------------------

ASK = re.compile(r"^Remind you tomorrow at 09:00 about (.+)\?$")


def capture(page, name: str) -> None:
    """Scan someone, note something about them and save: lands on their page."""
    contact_id = scan(page, f"MECARD:N:{name};;")
    page.goto(f"/contacts/{contact_id}/edit")
    note_capture(page, notes="Met by the coffee.")
    save_capture(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def ask_card(page):
    return page.locator("[data-reminder-ask]")


def a_new_day(page) -> None:
    """As if the last ask was yesterday (the card shows once a day)."""
    page.evaluate(
        """() => {
          for (const key of Object.keys(localStorage)) {
            if (key.startsWith("eventmate-reminder-asked:")) localStorage.setItem(key, "2000");
          }
        }"""
    )


def test_the_first_capture_of_the_day_asks_for_reminders_and_only_its_tap_asks_the_browser(
    new_phone, push_live
):
    live_server, service = push_live
    phone = new_phone()
    phone.add_init_script(STUB % {"origin": service.origin})
    page = phone.new_page()
    sign_up(page, "Ines Costa", "ines.ask@example.org")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SLOW)
    for screen in ("Home", "People", "Follow-ups", "Scan", "My card"):
        tab(page, screen)  # Scan's is in its "Saved" panel (test_scan_reminder_ask.py)
        expect(ask_card(page)).to_have_count(0 if screen in ("Follow-ups", "My card") else 1)
        expect(ask_card(page)).to_be_hidden() if screen in ("Home", "People", "Scan") else None
    phone.grant_permissions(["notifications"])
    capture(page, "Tiago Reis")
    card = ask_card(page)
    expect(card).to_be_visible(timeout=SLOW)
    expect(card.locator(".ask-card-question")).to_have_text(ASK)
    expect(card.locator("[data-ask-name]")).to_have_text("Tiago Reis")
    assert page.evaluate("window.__push.asked") == 0  # nothing asked before the tap
    card.get_by_role("button", name="Remind me").click()
    expect(card.get_by_role("status")).to_contain_text("Done.", timeout=SLOW)
    pushed = page.evaluate("window.__push")
    assert (pushed["asked"], pushed["subscribed"]) == (1, 1)
    endpoint = f"{service.origin}/push/{pushed['token']}"
    assert ("ines.ask@example.org", endpoint) in devices_by_owner(live_server.app)
    # This phone gets them now: no card after the next capture, even on another day.
    a_new_day(page)
    capture(page, "Rui Lopes")
    page.wait_for_timeout(500)
    expect(ask_card(page)).to_be_hidden()
    page.goto("/account/reminders")
    expect(page.get_by_role("button", name="Remind me")).to_be_hidden()
    assert page.evaluate("window.__push.asked") == 0  # a new page: counted afresh, never asked


def test_not_now_hides_the_card_for_a_week_and_it_shows_once_a_day(new_phone, push_live):
    _, service = push_live
    phone = new_phone()
    phone.add_init_script(STUB % {"origin": service.origin})
    page = phone.new_page()
    sign_up(page, "Nuno Dias", "nuno.ask@example.org")
    phone.grant_permissions(["notifications"])
    capture(page, "Tiago Reis")
    expect(ask_card(page)).to_be_visible(timeout=SLOW)
    tab(page, "People")  # not answered: it was the landing page's, once
    expect(ask_card(page)).to_be_hidden()
    capture(page, "Rui Lopes")  # the second capture of the day: not asked again
    page.wait_for_timeout(500)
    expect(ask_card(page)).to_be_hidden()

    a_new_day(page)
    capture(page, "Sofia Melo")
    card = ask_card(page)
    expect(card).to_be_visible(timeout=SLOW)
    card.get_by_role("button", name="Not now").click()
    expect(card).to_be_hidden()
    page.reload()
    page.wait_for_timeout(500)
    expect(ask_card(page)).to_be_hidden()
    a_new_day(page)
    capture(page, "Vera Cruz")  # another day, within the week: still not asked
    page.wait_for_timeout(500)
    expect(ask_card(page)).to_be_hidden()
    assert page.evaluate("window.__push.asked") == 0
    assert page.evaluate("window.__push.subscribed") == 0
