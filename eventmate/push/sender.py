"""Sending one push with pywebpush, and what its answer means for the caller.

pywebpush's traps, handled here: it writes `aud` and `exp` into the claims dict it is given
(we build a new one for every send), its default timeout is none (we always pass one), and
its TTL defaults to 0, which silently drops the push for a phone that is off (we pass a day).
"""

import threading
import time
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from http_ece import ECEException
from py_vapid import VapidException
from pywebpush import WebPushException, webpush

from .endpoints import EndpointRefused, check_endpoint
from .transport import PushSession, RefusedAddress
from .vapid import VapidKeys

TTL_SECONDS = 24 * 3600  # reaches a phone that was off overnight
TIMEOUT = (3, 7)  # connect, read: at most 10 s per send
CLAIMS_LIFETIME = 12 * 3600  # RFC 8292: at most 24 h
MAX_PAYLOAD_BYTES = 3000  # some push services refuse bodies over ~3 KB (before encryption)
DEFAULT_PORTS = {"https": 443, "http": 80}

SENT, GONE, RETRY, FAILED = "sent", "gone", "retry", "failed"


@dataclass(frozen=True)
class SendResult:
    outcome: str  # SENT, GONE (unsubscribed: delete the device), RETRY or FAILED
    status: int = 0  # the push service's HTTP status; 0 when it gave none
    retry_after: float | None = None  # seconds, from its Retry-After header
    detail: str = ""


def origin(endpoint: str) -> str:
    """The push service's origin, the JWT's `aud`: scheme, host and a non-default port."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        return f"{parts.scheme}://{host}:{parts.port}"
    return f"{parts.scheme}://{host}"


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, moment.timestamp() - now)


def classify(status: int, retry_after: str | None = None) -> SendResult:
    if status <= 202:
        return SendResult(SENT, status)
    if status in (404, 410):
        return SendResult(GONE, status)
    if status in (408, 429) or status >= 500:
        return SendResult(RETRY, status, parse_retry_after(retry_after))
    return SendResult(FAILED, status)  # 3xx (never followed), 400, 401, 403, 413…


class PushSender:
    """Sends pushes from many threads at once: each thread keeps its own HTTP session."""

    def __init__(self, keys: VapidKeys, *, allow_loopback: bool = False, ttl: int = TTL_SECONDS):
        if ttl < 24 * 3600:
            raise ValueError("a push TTL under 24 hours misses phones that are off overnight")
        self.keys = keys
        self.allow_loopback = allow_loopback
        self.ttl = ttl
        self._local = threading.local()

    def _session(self) -> PushSession:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = PushSession(allow_loopback=self.allow_loopback)
        return session

    def claims(self, endpoint: str) -> dict:
        """Fresh claims for one send (pywebpush writes into the dict it gets)."""
        return {
            "sub": self.keys.subject,
            "aud": origin(endpoint),
            "exp": int(time.time()) + CLAIMS_LIFETIME,
        }

    def send(self, subscription_info: dict, payload: str, *, topic: str) -> SendResult:
        endpoint = subscription_info["endpoint"]
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            return SendResult(FAILED, detail="payload too large")
        try:
            check_endpoint(endpoint, allow_loopback=self.allow_loopback, lookup=False)
            response = webpush(
                subscription_info,
                data=payload,
                vapid_private_key=self.keys.signer,
                vapid_claims=self.claims(endpoint),
                ttl=self.ttl,
                timeout=TIMEOUT,
                headers={"Urgency": "normal", "Topic": topic},
                requests_session=self._session(),
            )
        except WebPushException as error:
            if error.response is None:
                return SendResult(FAILED, detail=error.message)
            return classify(error.status_code or 0, error.retry_after)
        except (EndpointRefused, RefusedAddress) as error:
            return SendResult(FAILED, detail=str(error))
        except (ValueError, ECEException, VapidException) as error:  # unusable keys or aud
            return SendResult(FAILED, detail=repr(error))
        except requests.RequestException as error:  # no answer: timeout, refused, reset
            return SendResult(RETRY, detail=type(error).__name__)
        return classify(response.status_code)
