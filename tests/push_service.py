"""A local fake Web Push service on 127.0.0.1, for the tests and the benchmark.

It does what a browser vendor's push service and the browser do together, and nothing less:
checks the VAPID `Authorization: vapid t=<JWT>,k=<key>` (ES256 signature by the expected
public key, `aud` = this service's origin, `exp` in the future and within 24 h, a `sub`),
the `TTL` and `Content-Encoding: aes128gcm` headers, then DECRYPTS the body with the
subscription's private key and auth secret as the browser would. Every request is recorded;
the answer is 201 unless a test planned another (404, 410, 429 with Retry-After, 500…).

In a test:  `with PushService(vapid_public_key) as service:` runs it on a thread;
`service.subscribe()` makes a browser-like subscription (`PushSubscription.toJSON()`).
As a process (the benchmark):  `python -m tests.push_service --vapid-public-key K
--receiver-key PRIVATE --auth AUTH` serves every `/push/<token>` with one key pair, prints
`listening <url>`, answers `GET /stats` with counts
(`DELETE /stats` zeroes them).

`no_outside_push` (autouse where imported) makes a test fail if anything tries to send a push
to a host other than the local loopback, or to resolve a real host name.
"""

import argparse
import base64
import json
import secrets
import signal
import ssl
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    text = text.strip().rstrip("=")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Receiver:
    """What a browser keeps for one subscription: its ECDH private key and auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def generate(cls) -> "Receiver":
        return cls(ec.generate_private_key(ec.SECP256R1()), secrets.token_bytes(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    def private_raw(self) -> str:
        return b64url(self.private_key.private_numbers().private_value.to_bytes(32, "big"))

    @classmethod
    def from_raw(cls, private: str, auth: str) -> "Receiver":
        value = int.from_bytes(unb64url(private), "big")
        return cls(ec.derive_private_key(value, ec.SECP256R1()), unb64url(auth))


@dataclass
class Received:
    """One push as the service saw it."""

    token: str
    headers: dict[str, str]  # lower-case names
    status: int  # what the service answered
    claims: dict | None = None
    plaintext: bytes | None = None
    problem: str | None = None  # why the push would not reach a browser; None when fine

    @property
    def message(self) -> dict:
        return json.loads(self.plaintext)


class Refused(Exception):
    pass


def verify_vapid(authorization: str, *, expected_key: str | None, origin: str) -> dict:
    """The JWT's claims, after checking them as a push service does (RFC 8292)."""
    scheme, _, params = (authorization or "").partition(" ")
    if scheme.lower() != "vapid":
        raise Refused(f"Authorization scheme {scheme!r} is not vapid")
    parts = dict(item.strip().split("=", 1) for item in params.split(",") if "=" in item)
    token, key = parts.get("t", ""), parts.get("k", "")
    if expected_key is not None and key.rstrip("=") != expected_key.rstrip("="):
        raise Refused("VAPID key is not the application server key the browser subscribed with")
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        claims = json.loads(unb64url(claims_b64))
        signature = unb64url(signature_b64)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    except ValueError as error:
        raise Refused(f"malformed VAPID token: {error}") from None
    if header.get("alg") != "ES256" or len(signature) != 64:
        raise Refused("VAPID token is not ES256")
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Refused("VAPID signature does not verify") from None
    now = time.time()
    if claims.get("aud") != origin:
        raise Refused(f"aud {claims.get('aud')!r} is not {origin!r}")
    if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + 24 * 3600:
        raise Refused(f"exp {claims.get('exp')!r} is not within the next 24 hours")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
        raise Refused(f"sub {claims.get('sub')!r} is not a mailto: or https: contact")
    return claims


def decrypt(body: bytes, headers: dict[str, str], receiver: Receiver) -> bytes:
    if headers.get("content-encoding") != "aes128gcm":
        raise Refused(f"Content-Encoding {headers.get('content-encoding')!r} is not aes128gcm")
    try:
        return http_ece.decrypt(
            body, private_key=receiver.private_key, auth_secret=receiver.auth, version="aes128gcm"
        )
    except Exception as error:  # any failure to decrypt is the finding
        raise Refused(f"body does not decrypt: {error!r}") from None


@dataclass
class Answer:
    status: int
    retry_after: str | None = None


@dataclass
class PushService:
    """The fake push service. Thread-safe; `received` lists every push in arrival order."""

    vapid_public_key: str | None = None
    verify: bool = True
    record: bool = True
    delay: float = 0.0  # seconds before answering: a slow network, or time to kill a sender
    tls: ssl.SSLContext | None = None  # serve https with this server context
    received: list[Received] = field(default_factory=list)
    count: int = 0
    problem_count: int = 0
    cut_off: int = 0  # requests whose sender died before the body was whole (nothing arrived)
    problem_examples: deque = field(default_factory=lambda: deque(maxlen=3))
    tokens: set = field(default_factory=set)  # distinct endpoints that got a push
    default_receiver: Receiver | None = None
    _receivers: dict[str, Receiver] = field(default_factory=dict)
    _answers: dict[str, deque] = field(default_factory=dict)
    _always: dict[str, Answer] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    # -- running -------------------------------------------------------------------------
    def start(self, port: int = 0) -> "PushService":
        self._server = make_server(self, port)
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def origin(self) -> str:
        scheme = "http" if self.tls is None else "https"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    # -- what tests set up ---------------------------------------------------------------
    def subscribe(self, token: str | None = None) -> dict:
        """A new browser subscription on this service, as `PushSubscription.toJSON()`."""
        receiver = Receiver.generate()
        token = token or secrets.token_urlsafe(12)
        self.register(token, receiver)
        return {
            "endpoint": f"{self.origin}/push/{token}",
            "keys": {"p256dh": receiver.p256dh, "auth": b64url(receiver.auth)},
        }

    def register(self, token: str, receiver: Receiver) -> None:
        with self._lock:
            self._receivers[token] = receiver

    def answer(self, endpoint: str, *statuses: int, retry_after: str | None = None) -> None:
        """The next answers to pushes for this endpoint (then 201 again)."""
        with self._lock:
            queue = self._answers.setdefault(token_of(endpoint), deque())
            queue.extend(Answer(status, retry_after) for status in statuses)

    def answer_always(self, endpoint: str, status: int) -> None:
        with self._lock:
            self._always[token_of(endpoint)] = Answer(status)

    def to(self, endpoint: str) -> list[Received]:
        token = token_of(endpoint)
        with self._lock:
            return [push for push in self.received if push.token == token]

    @property
    def problems(self) -> list[str]:
        with self._lock:
            return [f"{push.token}: {push.problem}" for push in self.received if push.problem]

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self.tokens.clear()
            self.count = self.problem_count = self.cut_off = 0
            self.problem_examples.clear()

    # -- serving -------------------------------------------------------------------------
    def _next_answer(self, token: str) -> Answer:
        with self._lock:
            if token in self._always:
                return self._always[token]
            queue = self._answers.get(token)
            if queue:
                return queue.popleft()
            known = token in self._receivers or self.default_receiver is not None
            return Answer(201 if known else 410)

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        token = path.removeprefix("/push/")
        answer = self._next_answer(token)
        push = Received(token=token, headers=headers, status=answer.status)
        receiver = self._receivers.get(token, self.default_receiver)
        try:
            if "ttl" not in headers:
                raise Refused("no TTL header")
            if self.verify:
                push.claims = verify_vapid(
                    headers.get("authorization", ""),
                    expected_key=self.vapid_public_key,
                    origin=self.origin,
                )
                if receiver is not None:
                    push.plaintext = decrypt(body, headers, receiver)
        except Refused as error:
            push.problem = str(error)
            push.status = answer.status = 400 if "TTL" in str(error) else 401
        with self._lock:
            self.count += 1
            if push.problem is not None:
                self.problem_count += 1
                self.problem_examples.append(f"{token}: {push.problem}")
            self.tokens.add(token)
            if self.record:
                self.received.append(push)
        if self.delay:
            time.sleep(self.delay)
        extra = {"Retry-After": answer.retry_after} if answer.retry_after else {}
        if answer.status == 201:
            extra["Location"] = f"{self.origin}/message/{secrets.token_hex(8)}"
        elif 300 <= answer.status < 400:  # a sender must not follow this
            extra["Location"] = f"{self.origin}/push/redirected"
        return answer.status, extra


def token_of(endpoint: str) -> str:
    return endpoint.rsplit("/push/", 1)[-1]


def make_server(service: PushService, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real push services
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def _reply(self, status: int, headers: dict, body: bytes = b"") -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if len(body) < length:  # the sender was killed mid-request: a real service drops it
                with service._lock:
                    service.cut_off += 1
                self.close_connection = True
                return
            if not self.path.startswith("/push/"):
                self._reply(404, {})
                return
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, extra = service.handle(self.path, headers, body)
            self._reply(status, extra)

        def do_GET(self):
            if self.path != "/stats":
                self._reply(404, {})
                return
            stats = {
                "received": service.count,
                "distinct": len(service.tokens),
                "problems": service.problem_count,
                "problem_examples": list(service.problem_examples),
                "cut_off": service.cut_off,
            }
            self._reply(200, {"Content-Type": "application/json"}, json.dumps(stats).encode())

        def do_DELETE(self):
            if self.path != "/stats":
                self._reply(404, {})
                return
            service.reset()
            self._reply(204, {})

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

        def handle_error(self, request, client_address):
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a sender that timed out
                super().handle_error(request, client_address)

    return Server(("127.0.0.1", port), Handler)


# -- keeping tests off the internet ---------------------------------------------------------
@pytest.fixture(autouse=True)
def no_outside_push(monkeypatch):
    """Fail the test on any attempt to send a push beyond 127.0.0.1 or to look up a host."""
    from eventmate.push import endpoints, transport

    attempts: list[str] = []
    real_check = transport.check_address

    def loopback_only(address: str, *, allow_loopback: bool) -> None:
        real_check(address, allow_loopback=allow_loopback)  # refused: nothing is attempted
        if address not in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
            attempts.append(f"connect to {address}")
            raise transport.RefusedAddress(f"tests never reach {address}")

    def no_dns(host: str, port: int) -> list[str]:
        if host == "localhost":
            return ["127.0.0.1"]
        attempts.append(f"resolve {host}")
        raise OSError(f"tests do not resolve {host}")

    monkeypatch.setattr(transport, "check_address", loopback_only)
    monkeypatch.setattr(endpoints, "resolve", no_dns)
    yield attempts
    assert not attempts, f"a test tried to reach beyond this machine: {attempts}"


# -- the test kit: an app with VAPID keys, the service, and due users -----------------------
SUBJECT = "mailto:ops@eventmate.example.org"


def new_vapid_private_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


@pytest.fixture
def push_app(app):
    """The `app` fixture (SQLite and PostgreSQL) with its own VAPID keys and loopback pushes."""
    app.config.update(
        VAPID_PRIVATE_KEY=new_vapid_private_key(), VAPID_SUBJECT=SUBJECT, PUSH_ALLOW_LOOPBACK=True
    )
    app.extensions.pop("eventmate_vapid", None)
    return app


@pytest.fixture
def push_service(push_app):
    """The fake push service, expecting the app's VAPID public key."""
    from eventmate.push.vapid import vapid_keys

    with PushService(vapid_keys(push_app).public_key) as service:
        yield service


def make_user(email: str, **columns):
    """A user straight in the database (call inside an app context; the caller commits)."""
    from eventmate.extensions import db
    from eventmate.models import User

    defaults = {"timezone": "Europe/Lisbon", "reminder_hour": 9, "display_name": email.title()}
    user = User(email=email, password_hash="-", **(defaults | columns))
    db.session.add(user)
    db.session.flush()
    return user


def add_follow_up(user, name: str, *, due_at, event: str = "DevConf", state: str = "open"):
    """A contact met at `event` and its follow-up due at `due_at`."""
    from datetime import timedelta

    from eventmate.extensions import db
    from eventmate.models import Contact, FollowUp, Meeting

    contact = Contact(owner_id=user.id, source="manual", full_name=name)
    db.session.add(contact)
    db.session.flush()
    met_at = due_at - timedelta(hours=15)
    db.session.add(Meeting(contact_id=contact.id, kind="scan", met_at=met_at, event_name=event))
    follow_up = FollowUp(owner_id=user.id, contact_id=contact.id, due_at=due_at, state=state)
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


def add_device(user, subscription: dict, label: str = "Chrome on Android"):
    from eventmate.extensions import db
    from eventmate.models import PushSubscription

    device = PushSubscription(
        user_id=user.id,
        endpoint=subscription["endpoint"],
        p256dh=subscription["keys"]["p256dh"],
        auth=subscription["keys"]["auth"],
        label=label,
    )
    db.session.add(device)
    db.session.flush()
    return device


# -- as a process, for the benchmark --------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--vapid-public-key", required=True)
    parser.add_argument("--receiver-key", required=True, help="base64url raw P-256 private key")
    parser.add_argument("--auth", required=True, help="base64url auth secret")
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--no-verify", action="store_true")
    args = parser.parse_args()
    service = PushService(
        args.vapid_public_key,
        verify=not args.no_verify,
        record=False,
        delay=args.delay_ms / 1000,
        default_receiver=Receiver.from_raw(args.receiver_key, args.auth),
    )
    service._server = make_server(service, args.port)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=service.stop).start())
    print(f"listening {service.origin}", flush=True)
    service._server.serve_forever()


if __name__ == "__main__":
    main()
