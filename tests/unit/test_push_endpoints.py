"""Which push endpoints the server may POST to: no request forgery into private networks."""

import ipaddress
import socket
import ssl
from datetime import UTC, datetime, timedelta

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from eventmate.push import endpoints, transport
from eventmate.push.endpoints import EndpointRefused, address_allowed, check_endpoint

from ..push_service import PushService

# Every special-purpose block of IANA's IPv4 and IPv6 registries (and the rest of IPv6 outside
# global unicast 2000::/3), written out here independently of the code's tables: addresses
# inside it (its first and last, and the well-known ones), and its neighbours just outside it
# that are public. Where a neighbour is itself special, it is in its own row.
RANGES = [
    # -- IPv4
    (
        "0.0.0.0/8 this network",
        ["0.0.0.0", "0.1.2.3", "0.255.255.255"],  # noqa: S104 -- refused, not bound
        ["1.0.0.0"],
    ),
    ("10.0.0.0/8 private", ["10.0.0.0", "10.255.255.255"], ["9.255.255.255", "11.0.0.0"]),
    (
        "100.64.0.0/10 shared (CGN)",
        ["100.64.0.0", "100.127.255.255"],
        ["100.63.255.255", "100.128.0.0"],
    ),
    (
        "127.0.0.0/8 loopback",
        ["127.0.0.0", "127.0.0.1", "127.255.255.255"],
        ["126.255.255.255", "128.0.0.0"],
    ),
    (
        "169.254.0.0/16 link-local",
        ["169.254.0.0", "169.254.169.254", "169.254.255.255"],
        ["169.253.255.255", "169.255.0.0"],
    ),
    ("172.16.0.0/12 private", ["172.16.0.0", "172.31.255.255"], ["172.15.255.255", "172.32.0.0"]),
    (
        "192.0.0.0/24 IETF protocol assignments",
        ["192.0.0.0", "192.0.0.8", "192.0.0.9", "192.0.0.10", "192.0.0.170", "192.0.0.255"],
        ["191.255.255.255", "192.0.1.0"],
    ),
    ("192.0.2.0/24 documentation", ["192.0.2.0", "192.0.2.255"], ["192.0.1.255", "192.0.3.0"]),
    (
        "192.31.196.0/24 AS112",
        ["192.31.196.0", "192.31.196.255"],
        ["192.31.195.255", "192.31.197.0"],
    ),
    ("192.52.193.0/24 AMT", ["192.52.193.0", "192.52.193.255"], ["192.52.192.255", "192.52.194.0"]),
    (
        "192.88.99.0/24 6to4 relay",
        ["192.88.99.0", "192.88.99.1"],
        ["192.88.98.255", "192.88.100.0"],
    ),
    (
        "192.168.0.0/16 private",
        ["192.168.0.0", "192.168.255.255"],
        ["192.167.255.255", "192.169.0.0"],
    ),
    (
        "192.175.48.0/24 AS112",
        ["192.175.48.0", "192.175.48.255"],
        ["192.175.47.255", "192.175.49.0"],
    ),
    (
        "198.18.0.0/15 benchmarking",
        ["198.18.0.0", "198.19.255.255"],
        ["198.17.255.255", "198.20.0.0"],
    ),
    (
        "198.51.100.0/24 documentation",
        ["198.51.100.0", "198.51.100.255"],
        ["198.51.99.255", "198.51.101.0"],
    ),
    (
        "203.0.113.0/24 documentation",
        ["203.0.113.0", "203.0.113.255"],
        ["203.0.112.255", "203.0.114.0"],
    ),
    ("224.0.0.0/4 multicast", ["224.0.0.0", "224.0.0.1", "239.255.255.255"], ["223.255.255.255"]),
    ("240.0.0.0/4 reserved, broadcast", ["240.0.0.0", "255.255.255.255"], []),
    # -- IPv6 outside 2000::/3
    ("::/128 unspecified, ::1 loopback", ["::", "::1"], []),
    (
        "::/96 IPv4-compatible (refused whatever it embeds)",
        ["::a00:1", "::808:808", "::8efa:b94a", "::ffff:ffff"],
        [],
    ),
    (
        "::ffff:0:0/96 IPv4-mapped (judged as its IPv4)",
        ["::ffff:0.0.0.0", "::ffff:10.0.0.1", "::ffff:100.64.0.1", "::ffff:169.254.169.254"],
        ["::ffff:8.8.8.8", "::ffff:142.250.185.74"],
    ),
    (
        "64:ff9b::/96 NAT64 (judged as its IPv4)",
        [
            "64:ff9b::",
            "64:ff9b::a00:1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::c000:aa",
            "64:ff9b::1:0:0",
        ],  # the last is just outside the /96
        ["64:ff9b::808:808", "64:ff9b::8efa:b94a"],
    ),
    (
        "64:ff9b:1::/48 local-use NAT64 (refused whatever it embeds)",
        ["64:ff9b:1::808:808", "64:ff9b:1::a00:1", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff"],
        [],
    ),
    ("100::/64 discard-only, 100:0:0:1::/64 dummy", ["100::", "100::1", "100:0:0:1::1"], []),
    ("just below 2000::/3", ["1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"], ["2000::"]),
    (
        "4000::/2 and 5f00::/16 SRv6",
        ["4000::", "5f00::1"],
        ["3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
    ),
    (
        "fc00::/7 unique-local",
        ["fc00::", "fd12:3456::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
        [],
    ),
    (
        "fe80::/10 link-local",
        ["fe80::", "fe80::1", "fe80::1%eth0", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
        [],
    ),
    ("fec0::/10 site-local", ["fec0::", "fec0::1", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"], []),
    (
        "ff00::/8 multicast",
        ["ff00::", "ff02::1", "ff0e::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
        [],
    ),
    # -- IPv6 special-purpose blocks inside 2000::/3
    (
        "2001::/23 IETF: Teredo 2001::/32, PCP, TURN, benchmarking, AMT, AS112, ORCHID, DRIP",
        [
            "2001::",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:0:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:1::1",
            "2001:1::2",
            "2001:2::1",
            "2001:3::1",
            "2001:4:112::1",
            "2001:10::1",
            "2001:20::1",
            "2001:30::1",
            "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
        ],
        ["2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:200::1"],
    ),
    (
        "2001:db8::/32 documentation",
        ["2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"],
        ["2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::"],
    ),
    (
        "2002::/16 6to4 (refused whatever it embeds)",
        ["2002::", "2002:a00:1::", "2002:808:808::", "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
        ["2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2003::"],
    ),
    (
        "2620:4f:8000::/48 AS112",
        ["2620:4f:8000::", "2620:4f:8000:ffff:ffff:ffff:ffff:ffff"],
        ["2620:4f:7fff:ffff:ffff:ffff:ffff:ffff", "2620:4f:8001::"],
    ),
    (
        "3fff::/20 documentation",
        ["3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff"],
        ["3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "3fff:1000::"],
    ),
]
PUBLIC = ("142.250.185.74", "17.253.144.10", "2a00:1450:4001:80b::200a", "2600:1901:0:92a9::")


@pytest.mark.parametrize(("block", "inside", "outside"), RANGES, ids=[r[0] for r in RANGES])
def test_every_special_purpose_block_is_refused_and_its_public_neighbours_are_not(
    block, inside, outside
):
    assert [a for a in inside if address_allowed(a, allow_loopback=False)] == []
    assert [a for a in outside if not address_allowed(a, allow_loopback=False)] == []


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert address_allowed(address, allow_loopback=False)


IPV4_SAMPLES = sorted(
    {a for _, inside, outside in RANGES for a in inside + outside if "." in a and ":" not in a}
)


@pytest.mark.parametrize("ipv4", IPV4_SAMPLES)
def test_an_ipv4_address_written_in_ipv6_is_judged_as_itself_or_refused(ipv4):
    """Mapped and NAT64 forms reach that IPv4 address: the same verdict. 6to4 and
    IPv4-compatible forms are refused whatever they embed."""
    packed = ipaddress.IPv4Address(ipv4).packed.hex()
    high, low = packed[:4], packed[4:]
    verdict = address_allowed(ipv4, allow_loopback=False)
    assert address_allowed(f"::ffff:{ipv4}", allow_loopback=False) == verdict
    assert address_allowed(f"64:ff9b::{high}:{low}", allow_loopback=False) == verdict
    assert not address_allowed(f"2002:{high}:{low}::1", allow_loopback=False)
    assert not address_allowed(f"::{high}:{low}", allow_loopback=False)
    assert not address_allowed(f"64:ff9b:1::{high}:{low}", allow_loopback=False)


def test_the_loopback_switch_allows_loopback_and_nothing_else():
    assert address_allowed("127.0.0.1", allow_loopback=True)
    assert address_allowed("::1", allow_loopback=True)
    assert not address_allowed("10.0.0.1", allow_loopback=True)
    assert not address_allowed("169.254.169.254", allow_loopback=True)
    assert address_allowed("::ffff:127.0.0.1", allow_loopback=True)
    assert not address_allowed("64:ff9b::7f00:1", allow_loopback=True)  # NAT64 is not local


@pytest.fixture
def dns(monkeypatch):
    """Host names the tests resolve, without DNS."""
    answers = {
        "fcm.googleapis.com": ["142.250.185.74"],
        "updates.push.services.mozilla.com": ["34.117.237.239", "2600:1901:0:92a9::"],
        "intranet.example.org": ["192.168.1.10"],
        "rebinding.example.org": ["142.250.185.74", "10.0.0.7"],
        "localhost": ["127.0.0.1", "::1"],
        "empty.example.org": [],
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
        ("https://empty.example.org/push", "resolve"),
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


class Resolver:
    """DNS for one test: each host's answers in turn (the last one repeats), and who asked."""

    def __init__(self, monkeypatch, **answers: list[list[str]]):
        self.answers = {host.replace("_", "."): list(seq) for host, seq in answers.items()}
        self.asked: list[str] = []
        monkeypatch.setattr(endpoints, "resolve", self)

    def __call__(self, host, port):
        self.asked.append(host)
        if host not in self.answers:
            raise OSError("no such host")
        queue = self.answers[host]
        return queue.pop(0) if len(queue) > 1 else queue[0]


def test_a_send_connects_to_the_address_it_checked_whatever_dns_says_next(monkeypatch):
    """DNS rebinding: the host answers loopback (allowed here), then a private address. One
    answer per connection is checked and connected to; the second is never asked for."""
    dns = Resolver(monkeypatch, push_rebind_test=[["127.0.0.1"], ["10.0.0.7"]])
    with PushService(verify=False) as service:
        session = transport.PushSession(allow_loopback=True)
        url = f"http://push.rebind.test:{service.origin.rsplit(':', 1)[1]}/push/x"
        response = session.post(url, data=b"x", headers={"TTL": "60"})
        assert response.status_code == 410  # reached the fake service (an unknown token)
        assert dns.asked == ["push.rebind.test"]


def test_a_send_tries_the_next_checked_address_when_one_does_not_answer(monkeypatch):
    Resolver(monkeypatch, push_dual_test=[["::1", "127.0.0.1"]])  # the service is on IPv4 only
    with PushService(verify=False) as service:
        session = transport.PushSession(allow_loopback=True)
        url = f"http://push.dual.test:{service.origin.rsplit(':', 1)[1]}/push/x"
        assert session.post(url, data=b"x", headers={"TTL": "60"}).status_code == 410


def test_a_host_that_answers_a_private_address_is_refused_before_connecting(monkeypatch):
    connected: list = []
    monkeypatch.setattr(transport, "create_connection", lambda *a, **k: connected.append(a))
    dns = Resolver(
        monkeypatch,
        private_test=[["10.0.0.7"], ["127.0.0.1"]],  # a private answer, then an allowed one
        mixed_test=[["127.0.0.1", "10.0.0.7"]],  # one refused answer refuses the host
        nat64_test=[["64:ff9b::a00:7"]],
        sixtofour_test=[["2002:a00:7::1"]],
    )
    session = transport.PushSession(allow_loopback=True)
    for host in ("private.test", "mixed.test", "nat64.test", "sixtofour.test"):
        with pytest.raises(transport.RefusedAddress):
            session.post(f"http://{host}:8080/push/x", data=b"x", headers={"TTL": "60"})
    assert connected == []
    assert dns.asked == ["private.test", "mixed.test", "nat64.test", "sixtofour.test"]


def numeric_only(host, port):
    """The C library's own reading of a numeric host, which never asks DNS."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    return [info[4][0] for info in infos]


@pytest.mark.parametrize(
    "host",
    [
        "0x7f.1",
        "2130706433",
        "017700000001",
        "127.1",
        "10.1",
        "0x0a000001",
        "0",
        "0251.0376.0251.0376",  # 169.254.169.254 in octal
        "[::ffff:7f00:1]",
        "[::ffff:a9fe:a9fe]",
    ],
)
def test_odd_spellings_of_an_address_are_judged_by_the_address_they_reach(monkeypatch, host):
    monkeypatch.setattr(endpoints, "resolve", numeric_only)
    with pytest.raises(EndpointRefused, match="special-purpose"):
        check_endpoint(f"https://{host}/push", allow_loopback=False)
    session = transport.PushSession(allow_loopback=False)
    with pytest.raises(transport.RefusedAddress):
        session.post(f"https://{host}/push/x", data=b"x", headers={"TTL": "60"})


def test_the_transport_refuses_every_address_when_loopback_is_not_allowed():
    with PushService(verify=False) as service:
        refusing = transport.PushSession(allow_loopback=False)
        with pytest.raises(transport.RefusedAddress):
            refusing.post(f"{service.origin}/push/x", data=b"x", headers={"TTL": "60"})
        assert service.count == 0


def certificate_authority(tmp_path, host: str) -> tuple[str, ssl.SSLContext]:
    """A CA file for the client and a server context with a certificate for `host` signed by
    that CA."""
    now = datetime.now(UTC)

    def certificate(subject, issuer_name, public_key, signer, *, ca: bool, san=None):
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_name)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "EventMate test CA")])
    ca = certificate(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = certificate(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]),
        ca_name,
        key.public_key(),
        ca_key,
        ca=False,
        san=[x509.DNSName(host)],
    )
    ca_file, chain_file, key_file = (tmp_path / n for n in ("ca.pem", "chain.pem", "key.pem"))
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(chain_file, key_file)
    return str(ca_file), server


def test_a_pinned_connection_still_verifies_tls_for_the_host_name_and_sends_it_as_sni(
    tmp_path, monkeypatch
):
    ca_file, server_context = certificate_authority(tmp_path, "push.pinned.test")
    names: list[str | None] = []
    server_context.sni_callback = lambda sock, name, context: names.append(name)
    Resolver(monkeypatch, push_pinned_test=[["127.0.0.1"]], push_other_test=[["127.0.0.1"]])
    with PushService(verify=False, tls=server_context) as service:
        port = service.origin.rsplit(":", 1)[1]
        session = transport.PushSession(allow_loopback=True)
        session.verify = ca_file
        response = session.post(
            f"https://push.pinned.test:{port}/push/x", data=b"x", headers={"TTL": "60"}
        )
        assert response.status_code == 410  # reached, over TLS
        assert names == ["push.pinned.test"]
        with pytest.raises(requests.exceptions.SSLError, match=r"push\.other\.test"):
            session.post(f"https://push.other.test:{port}/push/x", data=b"x", headers={"TTL": "60"})
        assert service.count == 1


def test_the_transport_follows_no_redirect_and_ignores_proxy_settings(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    with PushService(verify=False) as service:
        service.answer(f"{service.origin}/push/x", 307)
        session = transport.PushSession(allow_loopback=True)
        response = session.post(f"{service.origin}/push/x", data=b"x", headers={"TTL": "60"})
        assert response.status_code == 307
        assert [push.token for push in service.received] == ["x"]  # not the redirect target
