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


def test_a_post_without_the_csrf_token_is_refused(push_app, ana, push_service):
    response = ana.post(URL, json=push_service.subscribe(), csrf=False)
    assert response.status_code == 400
    assert devices(push_app) == []


def test_new_keys_for_a_known_endpoint_replace_the_old_ones(push_app, ana, push_service):
    subscription = push_service.subscribe("same")
    ana.post(URL, json=subscription)
    renewed = push_service.subscribe("same")
    assert ana.post(URL, json=renewed).status_code == 200
    [device] = devices(push_app)
    assert device.p256dh == renewed["keys"]["p256dh"]


def test_the_same_browser_subscribing_for_another_account_moves_the_device(
    push_app, ana, ben, push_service
):
    subscription = push_service.subscribe()
    assert ana.post(URL, json=subscription).status_code == 201
    with push_app.app_context():  # a digest for Ana waiting to be sent to that device
        [device] = db.session.scalars(sa.select(PushSubscription)).all()
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
        db.session.add(PushDelivery(message_id=digest.id, subscription_id=device.id))
        db.session.commit()
    assert ben.post(URL, json=subscription).status_code == 200
    assert owner_email(push_app, subscription["endpoint"]) == "ben@example.org"
    with push_app.app_context():  # Ben's phone must not show Ana's contacts
        delivery = db.session.scalar(sa.select(PushDelivery))
        assert (delivery.state, delivery.subscription_id) == ("gone", None)


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
    answers = {"fcm.googleapis.com": ["142.250.185.74"], "intranet.example.org": ["10.1.2.3"]}

    def resolve(host, port):
        if host not in answers:
            raise OSError("no such host")
        return answers[host]

    monkeypatch.setattr(endpoints, "resolve", resolve)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",
        "https://intranet.example.org/push/abc",
        "https://10.0.0.5/push/abc",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/push/abc",
        "https://[fe80::1]/push/abc",
        "https://127.0.0.1/push/abc",
        "https://unknown.invalid/push/abc",
    ],
)
def test_endpoints_on_private_or_plain_http_addresses_are_refused(
    push_app, ana, push_service, dns, endpoint
):
    push_app.config["PUSH_ALLOW_LOOPBACK"] = False
    body = {"endpoint": endpoint, "keys": good_keys(push_service)}
    response = ana.post(URL, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]
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
    body = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc:APA91b",
        "keys": good_keys(push_service),
    }
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
    page = ana.get("/account/")
    text = visible_text(page)
    assert "Chrome on Android" in text and "Safari on iPhone" in text
    html = page.get_data(as_text=True)
    assert "data-push-subscribe" in html and "js/push.js" in html
    assert "Remind me" in text
    phone_id = next(d.id for d in devices(push_app) if d.endpoint == phone["endpoint"])
    assert ben.post(f"/account/devices/{phone_id}/remove").status_code == 302
    assert len(devices(push_app)) == 2  # not Ben's to remove
    response = ana.post(f"/account/devices/{phone_id}/remove")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/#devices")
    assert [d.endpoint for d in devices(push_app)] == [tablet["endpoint"]]
    assert "Chrome on Android" not in visible_text(ana.get("/account/"))


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
