"""What a push service's answer means, retry timing, the payload and the device label."""

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from eventmate.push import endpoints
from eventmate.push.labels import device_label
from eventmate.push.sender import (
    FAILED,
    GONE,
    MAX_PAYLOAD_BYTES,
    RETRY,
    SENT,
    PushSender,
    SendResult,
    classify,
    origin,
    parse_retry_after,
)
from eventmate.push.vapid import load_keys
from eventmate.reminders.claims import MAX_BACKOFF, backoff
from eventmate.reminders.payload import TAG, render, safe_path

from ..push_service import Receiver, b64url, new_vapid_private_key


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, SENT),
        (201, SENT),
        (202, SENT),
        (404, GONE),
        (410, GONE),
        (429, RETRY),
        (500, RETRY),
        (502, RETRY),
        (503, RETRY),
        (408, RETRY),
        (301, FAILED),  # never followed
        (307, FAILED),
        (400, FAILED),
        (401, FAILED),
        (403, FAILED),  # e.g. the VAPID key changed since the browser subscribed
        (413, FAILED),
    ],
)
def test_what_each_answer_means(status, outcome):
    assert classify(status).outcome == outcome


def test_retry_after_in_seconds_or_as_an_http_date():
    assert classify(429, "120").retry_after == 120
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(minutes=5), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == 300
    assert parse_retry_after(format_datetime(now - timedelta(minutes=5), usegmt=True), now=0) > 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_doubles_from_a_minute_and_never_comes_before_retry_after():
    assert [backoff(attempt, None) for attempt in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(1, 600) == 600
    assert backoff(3, 10) == 240
    assert backoff(30, None) == MAX_BACKOFF


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", "https://fcm.googleapis.com"),
        ("https://push.example.org:443/x", "https://push.example.org"),
        ("https://push.example.org:8443/x", "https://push.example.org:8443"),
        ("http://127.0.0.1:8080/push/x", "http://127.0.0.1:8080"),
        ("https://WEB.push.apple.com/QGuQ", "https://web.push.apple.com"),
        ("https://[2a00:1450:4001:80b::200a]/x", "https://[2a00:1450:4001:80b::200a]"),
        ("https://[2a00:1450::1]:8443/x", "https://[2a00:1450::1]:8443"),
    ],
)
def test_the_jwt_audience_is_the_push_services_origin(endpoint, expected):
    assert origin(endpoint) == expected


def test_claims_are_a_fresh_dict_for_every_send(tmp_path):
    """pywebpush writes aud/exp into the dict it gets: sharing one would leak one push
    service's audience into the next."""
    sender = PushSender(load_keys({"VAPID_PRIVATE_KEY": new_vapid_private_key()}, str(tmp_path)))
    first = sender.claims("https://fcm.googleapis.com/fcm/send/a")
    second = sender.claims("https://updates.push.services.mozilla.com/wpush/v2/b")
    assert first is not second
    assert first["aud"] == "https://fcm.googleapis.com"
    assert second["aud"] == "https://updates.push.services.mozilla.com"
    assert 11 * 3600 < first["exp"] - datetime.now(UTC).timestamp() <= 12 * 3600


def test_a_ttl_that_would_miss_a_phone_off_overnight_is_refused(tmp_path):
    keys = load_keys({"VAPID_PRIVATE_KEY": new_vapid_private_key()}, str(tmp_path))
    with pytest.raises(ValueError, match="24 hours"):
        PushSender(keys, ttl=0)


def test_a_payload_over_the_limit_is_not_sent(tmp_path):
    keys = load_keys({"VAPID_PRIVATE_KEY": new_vapid_private_key()}, str(tmp_path))
    info = {"endpoint": "https://10.0.0.1/never", "keys": {"p256dh": "x", "auth": "y"}}
    result = PushSender(keys).send(info, "x" * (MAX_PAYLOAD_BYTES + 1), topic=TAG)
    assert result == SendResult(FAILED, detail="payload too large")


def browser_keys() -> dict:
    receiver = Receiver.generate()
    return {"p256dh": receiver.p256dh, "auth": b64url(receiver.auth)}


@pytest.mark.parametrize(
    ("endpoint", "answer"),
    [
        ("https://[64:ff9b::a00:1]/push/x", None),  # NAT64 of 10.0.0.1, in the URL
        ("https://[2002:a00:1::1]/push/x", None),  # 6to4 of 10.0.0.1
        ("https://[::ffff:169.254.169.254]/push/x", None),
        ("https://[fec0::1]/push/x", None),
        ("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/push/x", None),  # Teredo
        ("https://push.nat64.test/push/x", "64:ff9b::a9fe:a9fe"),  # a name for one
        ("https://push.compatible.test/push/x", "::a00:1"),
        ("https://push.benchmark.test/push/x", "198.18.0.1"),
    ],
)
def test_a_push_to_a_refused_address_fails_at_send_without_connecting(
    tmp_path, monkeypatch, endpoint, answer
):
    """Stored before the rules tightened, or a host name that moved since: refused at send."""
    monkeypatch.setattr(endpoints, "resolve", lambda host, port: [answer])
    keys = load_keys({"VAPID_PRIVATE_KEY": new_vapid_private_key()}, str(tmp_path))
    subscription = {"endpoint": endpoint, "keys": browser_keys()}
    result = PushSender(keys).send(subscription, "{}", topic=TAG)
    assert result.outcome == FAILED
    assert "refus" in result.detail


def test_a_host_name_that_does_not_resolve_at_send_is_retried(tmp_path, monkeypatch):
    def unreachable_dns(host, port):
        raise OSError("temporary failure in name resolution")

    monkeypatch.setattr(endpoints, "resolve", unreachable_dns)
    keys = load_keys({"VAPID_PRIVATE_KEY": new_vapid_private_key()}, str(tmp_path))
    subscription = {"endpoint": "https://push.gone.test/x", "keys": browser_keys()}
    assert PushSender(keys).send(subscription, "{}", topic=TAG).outcome == RETRY


def test_the_payload_says_what_the_notification_shows_and_stays_under_3_kb():
    text = render("5 people to follow up with today", "Follow up with Ana", "/inbox", TAG, 5)
    assert json.loads(text) == {
        "title": "5 people to follow up with today",
        "body": "Follow up with Ana",
        "url": "/inbox",
        "tag": "eventmate-digest",
        "count": 5,
    }
    long = render("Title", "Ünïcödé " * 1000, "/inbox", TAG, 300)
    assert len(long.encode()) <= MAX_PAYLOAD_BYTES < 3 * 1024
    assert json.loads(long)["body"].endswith("…")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/inbox", "/inbox"),
        ("/inbox?due=today", "/inbox?due=today"),
        ("https://evil.example/", "/inbox"),
        ("//evil.example/", "/inbox"),
        ("/\\evil.example/", "/inbox"),
        ("javascript:alert(1)", "/inbox"),
        (None, "/inbox"),
    ],
)
def test_a_push_only_ever_opens_a_page_of_this_site(url, expected):
    assert safe_path(url) == expected


def test_the_topic_is_at_most_32_url_safe_characters():
    import re

    assert re.fullmatch(r"[A-Za-z0-9_-]{1,32}", TAG)


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on macOS",
        ),
        ("", "Unknown browser"),
    ],
)
def test_devices_get_a_label_a_person_recognises(user_agent, label):
    assert device_label(user_agent) == label
