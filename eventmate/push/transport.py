"""The HTTP session pushes go out through: no redirects, no proxies, no private addresses.

Each new connection resolves the push service's host once, checks every address in that answer
and connects only to those (`PinnedConnection`): there is no second DNS answer between the
check and the connection, so a host name that resolved to a public address when the device
subscribed and to a private one now (DNS rebinding) is refused before a packet goes out. TLS
still verifies the certificate against the host name and sends it as SNI: only the socket is
pinned. Tests replace `check_address` to refuse everything but the local fake service.
"""

import socket

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util.connection import create_connection

from .endpoints import address_allowed, host_addresses


class RefusedAddress(Exception):
    """The push endpoint's host is on an address we never send to."""


def check_address(address: str, *, allow_loopback: bool) -> None:
    if not address_allowed(address, allow_loopback=allow_loopback):
        raise RefusedAddress(f"refusing to send a push to {address}")


def _pinned(connection_class, allow_loopback: bool):
    class PinnedConnection(connection_class):
        def _new_conn(self) -> socket.socket:
            """A socket to one of the addresses of one DNS answer, all of them checked first
            (one refused address refuses the host, as when the device subscribed)."""
            try:
                addresses = [str(a) for a in host_addresses(self._dns_host, self.port)]
            except OSError as error:
                raise NameResolutionError(self.host, self, error) from error
            for address in addresses:
                check_address(address, allow_loopback=allow_loopback)
            *others, last = addresses
            for address in others:
                try:
                    return self._connect_to(address)
                except (ConnectTimeoutError, NewConnectionError):
                    continue  # the next address of the same answer
            return self._connect_to(last)

        def _connect_to(self, address: str) -> socket.socket:
            try:
                return create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as error:
                raise ConnectTimeoutError(self, f"connecting to {address}: {error}") from error
            except OSError as error:
                raise NewConnectionError(self, f"connecting to {address}: {error}") from error

    return PinnedConnection


def _pinned_pools(allow_loopback: bool) -> dict:
    class HTTPPool(HTTPConnectionPool):
        ConnectionCls = _pinned(HTTPConnection, allow_loopback)

    class HTTPSPool(HTTPSConnectionPool):
        ConnectionCls = _pinned(HTTPSConnection, allow_loopback)

    return {"http": HTTPPool, "https": HTTPSPool}


class PinnedAdapter(HTTPAdapter):
    def __init__(self, *, allow_loopback: bool, pool_maxsize: int = 4):
        self.allow_loopback = allow_loopback
        super().__init__(pool_connections=8, pool_maxsize=pool_maxsize, max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pinned_pools(self.allow_loopback)


class PushSession(requests.Session):
    """A `requests.Session` that never follows a redirect (a 3xx is an answer, not a hop)."""

    def __init__(self, *, allow_loopback: bool):
        super().__init__()
        self.trust_env = False  # no proxy from the environment: we check the real peer
        adapter = PinnedAdapter(allow_loopback=allow_loopback)
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)
