"""Which push endpoints the server may POST to: HTTPS on a public address, nothing else.

The browser hands us the endpoint URL, so it is untrusted: without this rule a user could make
the dispatcher send requests into the operator's own network. The same rule runs when a device
subscribes (the host is resolved) and again when each push is sent (the transport resolves the
host once, checks every answer, and connects only to an address it checked: DNS rebinding).

An address is public when it is global unicast and in no block of IANA's IPv4 and IPv6
Special-Purpose Address Registries, whatever the registry's "globally reachable" column says:
no push service lives in them. The tables are written out here rather than taken from
`ipaddress.is_global`, which in Python 3.11 calls NAT64, 6to4, IPv4-compatible and site-local
addresses global, and multicast too.

Addresses that embed an IPv4 address:
- IPv4-mapped `::ffff:0:0/96` is that IPv4 address (the kernel connects over IPv4): judged as it.
- NAT64 `64:ff9b::/96` (RFC 6052's fixed format) is where an IPv6-only server reaches IPv4-only
  hosts (DNS64 answers it): judged as the embedded IPv4 address, so NAT64 of 10.0.0.1 is refused
  and of a public address allowed. Loopback through NAT64 is refused even for tests.
- Everything else that embeds one is refused whole: local-use NAT64 `64:ff9b:1::/48` (where the
  IPv4 sits depends on the local network's prefix length), 6to4 `2002::/16` (deprecated, RFC
  7526; a relay of our own network would carry it), Teredo `2001::/32` (a tunnel; in the IETF
  block `2001::/23`) and IPv4-compatible `::/96` (deprecated; outside `2000::/3`).

`EVENTMATE_PUSH_ALLOW_LOOPBACK=1` lets loopback endpoints through, over plain http too: tests
and local trials run a fake push service on 127.0.0.1.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

MAX_ENDPOINT_LENGTH = 2048
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# IANA IPv4 Special-Purpose Address Registry, plus multicast and the reserved 240/4.
IPV4_REFUSED = tuple(
    ipaddress.ip_network(block)
    for block in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments (DS-Lite, NAT64 discovery, PCP, TURN…)
        "192.0.2.0/24",  # documentation
        "192.31.196.0/24",  # AS112
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private
        "192.175.48.0/24",  # AS112 direct delegation
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255
    )
)
# Global unicast is 2000::/3; everything outside it (loopback, IPv4-compatible, discard-only,
# SRv6, unique-local, link-local, site-local, multicast…) is refused but for the two IPv4
# embeddings judged as their IPv4 address. Within 2000::/3, the special-purpose blocks:
IPV6_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
IPV6_REFUSED = tuple(
    ipaddress.ip_network(block)
    for block in (
        "2001::/23",  # IETF protocol assignments: Teredo, benchmarking, AMT, AS112, ORCHID…
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4
        "2620:4f:8000::/48",  # AS112 direct delegation
        "3fff::/20",  # documentation
    )
)
IPV4_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class EndpointRefused(ValueError):
    """The sentence says why."""


def _ipv4_in(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)


def _unmapped(ip: Address) -> Address:
    """The address itself, without a "%scope"; an IPv4-mapped one as its IPv4 address."""
    if ip.version == 4:
        return ip
    ip = ipaddress.IPv6Address(int(ip))
    return _ipv4_in(ip) if ip in IPV4_MAPPED else ip


def _public(ip: Address) -> bool:
    if ip.version == 4:
        return not any(ip in block for block in IPV4_REFUSED)
    if ip in NAT64:
        return _public(_ipv4_in(ip))
    return ip in IPV6_GLOBAL_UNICAST and not any(ip in block for block in IPV6_REFUSED)


def address_allowed(address: str | Address, *, allow_loopback: bool) -> bool:
    """A public unicast address, or loopback when allowed (see the module's docstring)."""
    ip = _unmapped(ipaddress.ip_address(address) if isinstance(address, str) else address)
    if ip.is_loopback:
        return allow_loopback
    return _public(ip)


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order (tests replace this: no DNS
    from the test suite)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _literal(host: str) -> Address | None:
    """The address when `host` is one (an IPv6 one with or without brackets), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def host_addresses(host: str, port: int) -> list[Address]:
    """The addresses to connect to for `host`: itself when it is one, else one DNS answer.
    Raises OSError when the name does not resolve."""
    address = _literal(host)
    if address is not None:
        return [address]
    try:
        addresses = [ipaddress.ip_address(found.split("%")[0]) for found in resolve(host, port)]
    except (UnicodeError, ValueError) as error:
        raise OSError(f"{host!r} does not resolve to addresses") from error
    if not addresses:
        raise OSError(f"{host!r} has no address")
    return addresses


def check_endpoint(url: str, *, allow_loopback: bool, lookup: bool = True) -> str:
    """Return `url` when the server may send pushes to it, else raise `EndpointRefused`.

    `lookup=False` checks everything but the DNS answer (the send-time check, where the
    transport then checks the addresses it connects to instead).
    """
    if not isinstance(url, str) or not url or len(url) > MAX_ENDPOINT_LENGTH:
        raise EndpointRefused(
            f'"endpoint" must be a URL of at most {MAX_ENDPOINT_LENGTH} characters.'
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise EndpointRefused('"endpoint" is not a valid URL.') from None
    host = parts.hostname
    if not host or parts.username or parts.password or parts.fragment:
        raise EndpointRefused('"endpoint" is not a valid push service URL.')
    if _literal(host) is not None or lookup:
        try:
            addresses = host_addresses(host, port or 443)
        except OSError:
            raise EndpointRefused("The push service's host name does not resolve.") from None
    else:
        addresses = []
    if not all(address_allowed(a, allow_loopback=allow_loopback) for a in addresses):
        raise EndpointRefused(
            "Push endpoints on private, local or special-purpose network addresses are refused."
        )
    if parts.scheme == "https":
        return url
    loopback = host == "localhost" or (
        bool(addresses) and all(_unmapped(a).is_loopback for a in addresses)
    )
    if parts.scheme == "http" and allow_loopback and loopback:
        return url
    raise EndpointRefused('"endpoint" must be an https:// URL.')
