"""Subscribing devices: `POST/DELETE /api/push/subscriptions`, the served key, the devices list."""

import base64

import pytest
import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import PushDelivery, PushMessage, PushSubscription, User
from eventmate.push import endpoints
from eventmate.push.subscriptions import MAX_DEVICES
from eventmate.push.vapid import vapid_keys

from ..push_service import b64url
from .helpers import count, visible_text

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
URL = "/api/push/subscriptions"


def devices(app) -> list[PushSubscription]:
    with app.app_context():
        return list(db.session.scalars(sa.select(PushSubscription).order_by(PushSubscription.id)))


def owner_email(app, endpoint) -> str:
    with app.app_context():
        return db.session.scalar(
            sa.select(User.email)
            .join(PushSubscription, PushSubscription.user_id == User.id)
            .where(PushSubscription.endpoint == endpoint)
        )


def test_the_page_gets_the_vapid_public_key(push_app, ana):
    response = ana.get("/api/push/key")
    assert response.status_code == 200
    key = response.get_json()["publicKey"]
    assert key == vapid_keys(push_app).public_key
    point = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(point) == 65 and point[0] == 4


def test_the_api_needs_a_login(push_app, client, push_service):
    assert client.get("/api/push/key").status_code == 401
    response = client.post(URL, json=push_service.subscribe(), csrf=False)
    assert response.status_code in (400, 401)
    assert devices(push_app) == []


def test_a_new_device_answers_201_and_a_known_one_200(push_app, ana, push_service):
    subscription = push_service.subscribe()
    response = ana.post(URL, json=subscription, headers={"User-Agent": ANDROID_CHROME})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["label"] == "Chrome on Android"
    again = ana.post(URL, json=subscription, headers={"User-Agent": ANDROID_CHROME})
    assert again.status_code == 200
    assert again.get_json()["id"] == response.get_json()["id"]
    [device] = devices(push_app)
    assert device.endpoint == subscription["endpoint"]
    assert (device.p256dh, device.auth) == (
        subscription["keys"]["p256dh"],
        subscription["keys"]["auth"],
    )
    assert device.label == "Chrome on Android"
    assert device.failure_count == 0 and device.last_success_at is None
    assert device.created_at is not None


def test_a_write_without_the_csrf_token_is_refused_saying_so(push_app, ana, push_service):
    """`"csrf": true`, as everywhere in the API: the page fetches a fresh token and sends
    again (static/js/push.js), instead of telling the user the server failed."""
    subscription = push_service.subscribe()
    expired = {
        "error": "Your form expired or came from elsewhere. Reload and try again.",
        "csrf": True,
    }
    response = ana.post(URL, json=subscription, csrf=False)
    assert (response.status_code, response.get_json()) == (400, expired)
    assert devices(push_app) == []
    assert ana.post(URL, json=subscription).status_code == 201
    response = ana.delete(URL, json={"endpoint": subscription["endpoint"]}, csrf=False)
    assert (response.status_code, response.get_json()) == (400, expired)
    assert len(devices(push_app)) == 1


def test_new_keys_for_a_known_endpoint_replace_the_old_ones(push_app, ana, push_service):
    subscription = push_service.subscribe("same")
    ana.post(URL, json=subscription)
    renewed = push_service.subscribe("same")
    assert ana.post(URL, json=renewed).status_code == 200
    [device] = devices(push_app)
    assert device.p256dh == renewed["keys"]["p256dh"]


def pending_delivery(app, endpoint) -> int:
    """A digest waiting to be sent to the device with `endpoint`, for its owner; its id."""
    with app.app_context():
        device = db.session.scalar(
            sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint)
        )
        digest = PushMessage(
            user_id=device.user_id,
            kind="digest",
            dedupe_key="digest:2026-11-24",
            title="t",
            body="b",
            url="/",
            tag="eventmate-digest",
        )
        db.session.add(digest)
        db.session.flush()
        delivery = PushDelivery(message_id=digest.id, subscription_id=device.id)
        db.session.add(delivery)
        db.session.commit()
        return delivery.id


def delivery_state(app, delivery_id) -> tuple[str, int | None]:
    with app.app_context():
        delivery = db.session.get(PushDelivery, delivery_id)
        return delivery.state, delivery.subscription_id


def test_the_same_browser_subscribing_for_another_account_moves_the_device(
    push_app, ana, ben, push_service
):
    """Ana's session on the phone ended without a log-out; Ben logs in on it and taps Remind
    me. The browser sends the same subscription (endpoint and keys): it is his phone now."""
    subscription = push_service.subscribe()
    assert ana.post(URL, json=subscription).status_code == 201
    delivery = pending_delivery(push_app, subscription["endpoint"])
    assert ben.post(URL, json=subscription).status_code == 200
    assert owner_email(push_app, subscription["endpoint"]) == "ben@example.org"
    assert delivery_state(push_app, delivery) == ("gone", None)  # no Ana's contacts for Ben


@pytest.mark.parametrize(
    "keys_sent",
    [
        lambda theirs, mine: mine,  # his own browser's keys
        lambda theirs, mine: theirs | {"auth": mine["auth"]},  # her public key, not her secret
        lambda theirs, mine: mine | {"auth": theirs["auth"].upper()},
    ],
    ids=["own keys", "her p256dh", "auth in other case"],
)
def test_knowing_someone_elses_endpoint_neither_takes_it_over_nor_detaches_it(
    push_app, ana, ben, push_service, keys_sent
):
    """The endpoint URL is no secret (push services, logs, a glance at a screen): without the
    browser's auth secret, Ben changes nothing of Ana's device and hears why."""
    anas = push_service.subscribe()
    assert ana.post(URL, json=anas).status_code == 201
    delivery = pending_delivery(push_app, anas["endpoint"])
    attack = {
        "endpoint": anas["endpoint"],
        "keys": keys_sent(anas["keys"], good_keys(push_service)),
    }
    response = ben.post(URL, json=attack)
    assert response.status_code == 409
    assert response.get_json()["error"] == (
        "This browser's reminders belong to another account. Log out of that account on this "
        "browser first, then tap Remind me again."
    )
    [device] = devices(push_app)
    assert owner_email(push_app, anas["endpoint"]) == "ana@example.org"
    assert (device.p256dh, device.auth) == (anas["keys"]["p256dh"], anas["keys"]["auth"])
    assert delivery_state(push_app, delivery) == ("pending", device.id)
    assert ben.delete(URL, json={"endpoint": anas["endpoint"]}).get_json() == {"removed": False}
    assert len(devices(push_app)) == 1


def test_logging_out_on_a_browser_forgets_that_browsers_device_only(
    push_app, ana, ben, accounts, push_service
):
    """Ana logs out on the shared phone (the form names its endpoint: push.js); her tablet
    keeps its reminders. Ben then logs in on the phone and turns reminders on: a new device
    of his. A log-out naming someone else's endpoint removes nothing."""
    phone, tablet, bens = (push_service.subscribe() for _ in range(3))
    for subscription in (phone, tablet):
        assert ana.post(URL, json=subscription).status_code == 201
    assert ben.post(URL, json=bens).status_code == 201
    assert ben.post("/logout", data={"push_endpoint": tablet["endpoint"]}).status_code == 302
    assert ana.post("/logout", data={"push_endpoint": phone["endpoint"]}).status_code == 302
    assert owner_email(push_app, phone["endpoint"]) is None
    assert owner_email(push_app, tablet["endpoint"]) == "ana@example.org"
    assert owner_email(push_app, bens["endpoint"]) == "ben@example.org"  # no field: kept
    accounts.login(ana, email="ben@example.org")  # the phone's browser, now Ben's
    assert ana.post(URL, json=phone).status_code == 201
    assert owner_email(push_app, phone["endpoint"]) == "ben@example.org"


def good_keys(push_service) -> dict:
    return push_service.subscribe()["keys"]


def keys_with(push_service, **changes) -> dict:
    return good_keys(push_service) | changes


@pytest.mark.parametrize(
    ("make_body", "message"),
    [
        (lambda s: {"keys": good_keys(s)}, "endpoint"),
        (lambda s: {"endpoint": s.subscribe()["endpoint"]}, "endpoint"),
        (lambda s: [], "subscription"),
        (lambda s: {"endpoint": s.subscribe()["endpoint"], "keys": "x"}, "subscription"),
        (
            lambda s: {"endpoint": s.subscribe()["endpoint"], "keys": keys_with(s, p256dh=None)},
            "p256dh",
        ),
        (  # 64 bytes: one short
            lambda s: {
                "endpoint": s.subscribe()["endpoint"],
                "keys": keys_with(s, p256dh=b64url(b"\x04" + b"\x01" * 63)),
            },
            "uncompressed P-256",
        ),
        (  # a compressed point (33 bytes)
            lambda s: {
                "endpoint": s.subscribe()["endpoint"],
                "keys": keys_with(s, p256dh=b64url(b"\x02" + b"\x01" * 32)),
            },
            "uncompressed P-256",
        ),
        (  # 65 bytes that are not a point on the curve
            lambda s: {
                "endpoint": s.subscribe()["endpoint"],
                "keys": keys_with(s, p256dh=b64url(b"\x04" + b"\x01" * 64)),
            },
            "curve",
        ),
        (
            lambda s: {
                "endpoint": s.subscribe()["endpoint"],
                "keys": keys_with(s, auth=b64url(b"\x01" * 15)),
            },
            "16 bytes",
        ),
        (
            lambda s: {"endpoint": s.subscribe()["endpoint"], "keys": keys_with(s, auth="a b+c")},
            "auth",
        ),
    ],
)
def test_a_malformed_subscription_is_refused_with_a_reason(
    push_app, ana, push_service, make_body, message
):
    response = ana.post(URL, json=make_body(push_service))
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    assert devices(push_app) == []


@pytest.fixture
def dns(monkeypatch):
    answers = {
        "fcm.googleapis.com": ["142.250.185.74"],
        "intranet.example.org": ["10.1.2.3"],
        "nat64.example.org": ["64:ff9b::a9fe:a9fe"],  # NAT64 of the cloud metadata address
        "sixtofour.example.org": ["2002:c0a8:101::1"],  # 6to4 of 192.168.1.1
        "mixed.example.org": ["2a00:1450:4001:80b::200a", "fd00::1"],
    }

    def resolve(host, port):
        if host not in answers:
            raise OSError("no such host")
        return answers[host]

    monkeypatch.setattr(endpoints, "resolve", resolve)


SPECIAL_ADDRESSES = (
    "Push endpoints on private, local or special-purpose network addresses are refused."
)


@pytest.mark.parametrize(
    ("endpoint", "sentence"),
    [
        ("http://fcm.googleapis.com/fcm/send/abc", '"endpoint" must be an https:// URL.'),
        ("https://unknown.invalid/push/abc", "The push service's host name does not resolve."),
        ("https://intranet.example.org/push/abc", SPECIAL_ADDRESSES),
        ("https://nat64.example.org/push/abc", SPECIAL_ADDRESSES),
        ("https://sixtofour.example.org/push/abc", SPECIAL_ADDRESSES),
        ("https://mixed.example.org/push/abc", SPECIAL_ADDRESSES),
        ("https://10.0.0.5/push/abc", SPECIAL_ADDRESSES),
        ("https://169.254.169.254/latest/meta-data/", SPECIAL_ADDRESSES),
        ("https://100.64.0.1/push/abc", SPECIAL_ADDRESSES),
        ("https://198.18.0.1/push/abc", SPECIAL_ADDRESSES),
        ("https://192.0.0.9/push/abc", SPECIAL_ADDRESSES),
        ("https://127.0.0.1/push/abc", SPECIAL_ADDRESSES),
        ("https://[::1]/push/abc", SPECIAL_ADDRESSES),
        ("https://[fe80::1]/push/abc", SPECIAL_ADDRESSES),
        ("https://[64:ff9b::a00:1]/push/abc", SPECIAL_ADDRESSES),  # NAT64 of 10.0.0.1
        ("https://[64:ff9b:1::808:808]/push/abc", SPECIAL_ADDRESSES),  # local-use NAT64
        ("https://[2002:808:808::1]/push/abc", SPECIAL_ADDRESSES),  # 6to4, even of 8.8.8.8
        ("https://[::a00:1]/push/abc", SPECIAL_ADDRESSES),  # IPv4-compatible
        ("https://[::ffff:a00:1]/push/abc", SPECIAL_ADDRESSES),  # IPv4-mapped
        ("https://[fec0::1]/push/abc", SPECIAL_ADDRESSES),  # site-local
        ("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/push/abc", SPECIAL_ADDRESSES),  # Teredo
        ("https://[2001:db8::1]/push/abc", SPECIAL_ADDRESSES),
        ("https://[ff0e::1]/push/abc", SPECIAL_ADDRESSES),
    ],
)
def test_endpoints_on_private_special_or_plain_http_addresses_are_refused(
    push_app, ana, push_service, dns, endpoint, sentence
):
    push_app.config["PUSH_ALLOW_LOOPBACK"] = False
    body = {"endpoint": endpoint, "keys": good_keys(push_service)}
    response = ana.post(URL, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"] == sentence
    assert devices(push_app) == []


def test_loopback_endpoints_need_the_test_switch(push_app, ana, push_service, dns):
    push_app.config["PUSH_ALLOW_LOOPBACK"] = False
    assert ana.post(URL, json=push_service.subscribe()).status_code == 400
    push_app.config["PUSH_ALLOW_LOOPBACK"] = True
    assert ana.post(URL, json=push_service.subscribe()).status_code == 201


def test_a_real_push_service_endpoint_is_accepted_without_contacting_it(
    push_app, ana, push_service, dns
):
    push_app.config["PUSH_ALLOW_LOOPBACK"] = False
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/abc:APA91b",
        "https://[2a00:1450:4001:80b::200a]/fcm/send/def",
        "https://[64:ff9b::8efa:b94a]/fcm/send/ghi",  # NAT64 of a public address (DNS64)
    ):
        body = {"endpoint": endpoint, "keys": good_keys(push_service)}
        assert ana.post(URL, json=body).status_code == 201


def test_delete_unsubscribes_only_the_owners_device(push_app, ana, ben, push_service):
    anas, bens = push_service.subscribe(), push_service.subscribe()
    ana.post(URL, json=anas)
    ben.post(URL, json=bens)
    refused = ben.delete(URL, json={"endpoint": anas["endpoint"]})
    assert refused.status_code == 200 and refused.get_json() == {"removed": False}
    assert ana.delete(URL, json={"endpoint": anas["endpoint"]}, csrf=False).status_code == 400
    response = ana.delete(URL, json={"endpoint": anas["endpoint"]})
    assert response.status_code == 200 and response.get_json() == {"removed": True}
    assert ana.delete(URL, json={"endpoint": anas["endpoint"]}).get_json() == {"removed": False}
    assert ana.delete(URL, json={}).status_code == 400
    assert [device.endpoint for device in devices(push_app)] == [bens["endpoint"]]


def test_the_settings_page_lists_devices_and_removes_one(push_app, ana, ben, push_service):
    phone, tablet = push_service.subscribe(), push_service.subscribe()
    ana.post(URL, json=phone, headers={"User-Agent": ANDROID_CHROME})
    ana.post(URL, json=tablet, headers={"User-Agent": IPHONE_SAFARI})
    page = ana.get("/account/reminders")
    text = visible_text(page)
    assert "Chrome on Android" in text and "Safari on iPhone" in text
    html = page.get_data(as_text=True)
    assert "data-reminder-ask" in html and "Remind me" in text  # the ask card, for this device
    phone_id = next(d.id for d in devices(push_app) if d.endpoint == phone["endpoint"])
    assert ben.post(f"/account/devices/{phone_id}/remove").status_code == 302
    assert len(devices(push_app)) == 2  # not Ben's to remove
    response = ana.post(f"/account/devices/{phone_id}/remove")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/reminders#devices")
    assert [d.endpoint for d in devices(push_app)] == [tablet["endpoint"]]
    assert "Chrome on Android" not in visible_text(ana.get("/account/reminders"))


def test_a_user_keeps_at_most_ten_devices(push_app, ana, push_service):
    subscriptions = [push_service.subscribe() for _ in range(MAX_DEVICES + 1)]
    for subscription in subscriptions:
        assert ana.post(URL, json=subscription).status_code == 201
    kept = {device.endpoint for device in devices(push_app)}
    assert len(kept) == MAX_DEVICES
    assert subscriptions[0]["endpoint"] not in kept


def test_deleting_the_account_forgets_its_devices(push_app, ana, push_service):
    ana.post(URL, json=push_service.subscribe())
    assert count(push_app, PushSubscription) == 1
    with push_app.app_context():
        db.session.execute(sa.delete(User))
        db.session.commit()
    assert count(push_app, PushSubscription) == 0


def test_remind_me_on_a_device_turns_reminders_back_on(push_app, ana, push_service):
    """Switched off on the Reminders page, then "Remind me" tapped on the ask card: that is
    a yes: push is on and the channel includes it again."""
    off = {"timezone": "Europe/Lisbon", "reminder_hour": "09:00", "reminder_channel": "none"}
    assert ana.post("/account/reminders", data=off).status_code == 302

    def enabled() -> bool:
        with push_app.app_context():
            email = "ana@example.org"
            user = db.session.scalar(sa.select(User).where(User.email == email))
            return user.push_enabled and user.reminder_channel == "push"

    assert enabled() is False
    assert ana.post(URL, json=push_service.subscribe()).status_code == 201
    assert enabled() is True
