"""The HTTP session pushes go out through: no redirects, no proxies, no private addresses.

The address check runs on the socket itself, after connecting, so a host name that resolved
to a public address when the device subscribed and to a private one now (DNS rebinding) is
still refused. Tests replace `check_peer` to refuse everything but the local fake service.
"""

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .endpoints import address_allowed


class RefusedAddress(Exception):
    """The push endpoint's host is on an address we never send to."""


def check_peer(address: str, *, allow_loopback: bool) -> None:
    if not address_allowed(address.split("%")[0], allow_loopback=allow_loopback):
        raise RefusedAddress(f"refusing to send a push to {address}")


def _guarded_pools(allow_loopback: bool) -> dict:
    def guarded(connection_class):
        class Guarded(connection_class):
            def _new_conn(self):
                sock = super()._new_conn()
                try:
                    check_peer(sock.getpeername()[0], allow_loopback=allow_loopback)
                except BaseException:
                    sock.close()
                    raise
                return sock

        return Guarded

    class HTTPPool(HTTPConnectionPool):
        ConnectionCls = guarded(HTTPConnection)

    class HTTPSPool(HTTPSConnectionPool):
        ConnectionCls = guarded(HTTPSConnection)

    return {"http": HTTPPool, "https": HTTPSPool}


class GuardedAdapter(HTTPAdapter):
    def __init__(self, *, allow_loopback: bool, pool_maxsize: int = 4):
        self.allow_loopback = allow_loopback
        super().__init__(pool_connections=8, pool_maxsize=pool_maxsize, max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _guarded_pools(self.allow_loopback)


class PushSession(requests.Session):
    """A `requests.Session` that never follows a redirect (a 3xx is an answer, not a hop)."""

    def __init__(self, *, allow_loopback: bool):
        super().__init__()
        self.trust_env = False  # no proxy from the environment: we check the real peer
        adapter = GuardedAdapter(allow_loopback=allow_loopback)
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)
