"""Which push endpoints the server may POST to: HTTPS on a public address, nothing else.

The browser hands us the endpoint URL, so it is untrusted: without this rule a user could make
the dispatcher send requests into the operator's own network. The same rule runs when a device
subscribes (the host is resolved) and again when each push is sent (the transport checks the
address it actually connected to, which also defeats DNS rebinding).

`EVENTMATE_PUSH_ALLOW_LOOPBACK=1` lets loopback endpoints through, over plain http too: tests
and local trials run a fake push service on 127.0.0.1.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

MAX_ENDPOINT_LENGTH = 2048
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class EndpointRefused(ValueError):
    """The sentence says why."""


def address_allowed(address: str | Address, *, allow_loopback: bool) -> bool:
    """A public unicast address, or loopback when allowed."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (tests replace this: no DNS from the test suite)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_endpoint(url: str, *, allow_loopback: bool, lookup: bool = True) -> str:
    """Return `url` when the server may send pushes to it, else raise `EndpointRefused`.

    `lookup=False` checks everything but the DNS answer (the send-time check, where the
    transport then checks the connected address instead).
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
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    elif lookup:
        try:
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host, port or 443)]
        except (OSError, UnicodeError, ValueError):
            raise EndpointRefused("The push service's host name does not resolve.") from None
    else:
        addresses = []
    if not all(address_allowed(a, allow_loopback=allow_loopback) for a in addresses):
        raise EndpointRefused("Push endpoints on private or local network addresses are refused.")
    if parts.scheme == "https":
        return url
    loopback = host == "localhost" or (
        bool(addresses) and all(_unmapped(a).is_loopback for a in addresses)
    )
    if parts.scheme == "http" and allow_loopback and loopback:
        return url
    raise EndpointRefused('"endpoint" must be an https:// URL.')


def _unmapped(ip: Address) -> Address:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip
