"""Which push endpoints the server may POST to: no request forgery into private networks."""

import pytest

from eventmate.push import endpoints, transport
from eventmate.push.endpoints import EndpointRefused, address_allowed, check_endpoint

from ..push_service import PushService

PRIVATE = (
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",  # noqa: S104 -- an address refused, not bound
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "fe80::1",
    "fc00::1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
    "::",
)
PUBLIC = ("142.250.185.74", "17.253.144.10", "2a00:1450:4001:80b::200a")


@pytest.mark.parametrize("address", PRIVATE)
def test_private_local_and_special_addresses_are_refused(address):
    assert not address_allowed(address, allow_loopback=False)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert address_allowed(address, allow_loopback=False)


def test_the_loopback_switch_allows_loopback_and_nothing_else():
    assert address_allowed("127.0.0.1", allow_loopback=True)
    assert address_allowed("::1", allow_loopback=True)
    assert not address_allowed("10.0.0.1", allow_loopback=True)
    assert not address_allowed("169.254.169.254", allow_loopback=True)


@pytest.fixture
def dns(monkeypatch):
    """Host names the tests resolve, without DNS."""
    answers = {
        "fcm.googleapis.com": ["142.250.185.74"],
        "updates.push.services.mozilla.com": ["34.117.237.239", "2600:1901:0:92a9::"],
        "intranet.example.org": ["192.168.1.10"],
        "rebinding.example.org": ["142.250.185.74", "10.0.0.7"],
        "localhost": ["127.0.0.1", "::1"],
    }

    def resolve(host, port):
        if host not in answers:
            raise OSError("no such host")
        return answers[host]

    monkeypatch.setattr(endpoints, "resolve", resolve)
    return answers


@pytest.mark.parametrize(
    "url",
    [
        "https://fcm.googleapis.com/fcm/send/abc:def",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://142.250.185.74/push/x",
    ],
)
def test_https_endpoints_on_public_hosts_are_accepted(dns, url):
    assert check_endpoint(url, allow_loopback=False) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://fcm.googleapis.com/fcm/send/abc", "https"),
        ("ftp://fcm.googleapis.com/x", "https"),
        ("https://intranet.example.org/push", "private"),
        ("https://rebinding.example.org/push", "private"),  # one private answer is enough
        ("https://10.0.0.5/push", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
        ("https://[::1]/push", "private"),
        ("https://[fe80::1]/push", "private"),
        ("https://127.0.0.1/push", "private"),
        ("https://localhost/push", "private"),
        ("https://nowhere.invalid/push", "resolve"),
        ("https://user:secret@fcm.googleapis.com/push", "valid"),
        ("https://fcm.googleapis.com/push#fragment", "valid"),
        ("https:///push", "valid"),
        ("https://fcm.googleapis.com:99999/push", "valid"),
        ("https://fcm.googleapis.com/" + "x" * 2100, "2048"),
        ("", "2048"),
        (None, "2048"),
        (["https://fcm.googleapis.com/"], "2048"),
    ],
)
def test_endpoints_the_server_must_not_post_to_are_refused(dns, url, reason):
    with pytest.raises(EndpointRefused, match=reason):
        check_endpoint(url, allow_loopback=False)


def test_loopback_endpoints_need_the_switch_and_may_then_be_plain_http(dns):
    for url in ("http://127.0.0.1:8080/push/a", "http://localhost:8080/push/a"):
        with pytest.raises(EndpointRefused):
            check_endpoint(url, allow_loopback=False)
        assert check_endpoint(url, allow_loopback=True) == url
    with pytest.raises(EndpointRefused, match="https"):
        check_endpoint("http://fcm.googleapis.com/push", allow_loopback=True)
    with pytest.raises(EndpointRefused, match="private"):
        check_endpoint("https://10.0.0.5/push", allow_loopback=True)


def test_the_send_time_check_does_no_dns_lookup(monkeypatch):
    def fail(host, port):
        raise AssertionError("no lookup at send time: the transport checks the peer")

    monkeypatch.setattr(endpoints, "resolve", fail)
    url = "https://fcm.googleapis.com/fcm/send/abc"
    assert check_endpoint(url, allow_loopback=False, lookup=False) == url
    with pytest.raises(EndpointRefused):
        check_endpoint("https://10.0.0.5/push", allow_loopback=False, lookup=False)


def test_the_transport_checks_the_address_it_actually_connected_to():
    """A host name that passed at subscription time but now points inside (DNS rebinding):
    the socket's peer is checked after connecting, before a byte is sent."""
    with PushService(verify=False) as service:
        refusing = transport.PushSession(allow_loopback=False)
        with pytest.raises(transport.RefusedAddress):
            refusing.post(f"{service.origin}/push/x", data=b"x", headers={"TTL": "60"})
        assert service.count == 0
        allowing = transport.PushSession(allow_loopback=True)
        response = allowing.post(f"{service.origin}/push/x", data=b"x", headers={"TTL": "60"})
        assert response.status_code == 410  # reached it (an unknown subscription)


def test_the_transport_follows_no_redirect_and_ignores_proxy_settings(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    with PushService(verify=False) as service:
        service.answer(f"{service.origin}/push/x", 307)
        session = transport.PushSession(allow_loopback=True)
        response = session.post(f"{service.origin}/push/x", data=b"x", headers={"TTL": "60"})
        assert response.status_code == 307
        assert [push.token for push in service.received] == ["x"]  # not the redirect target
