"""Subscribing and removing devices: plain functions the views call; the caller commits."""

import base64
import binascii
import hmac
import re
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ec

from ..extensions import db
from ..models import PushDelivery, PushSubscription, User
from .endpoints import check_endpoint

MAX_DEVICES = 10  # per user; subscribing one more forgets the least recently working one
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


class InvalidSubscription(ValueError):
    """The sentence says what is wrong."""


class HeldByAnotherAccount(Exception):
    """Another account has this endpoint, and the keys sent are not that browser's."""

    def __init__(self):
        super().__init__(
            "This browser's reminders belong to another account. Log out of that account on "
            "this browser first, then tap Remind me again."
        )


@dataclass(frozen=True)
class SubscriptionRequest:
    endpoint: str
    p256dh: str
    auth: str


def _decode(value, field: str) -> bytes:
    if not isinstance(value, str) or len(value) > 200 or not BASE64URL.match(value):
        raise InvalidSubscription(f'"keys.{field}" must be base64url text.')
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        raise InvalidSubscription(f'"keys.{field}" must be base64url text.') from None


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_subscription(body, *, allow_loopback: bool) -> SubscriptionRequest:
    """`PushSubscription.toJSON()` from the browser, checked: keys, then the endpoint's host."""
    if not isinstance(body, dict) or not isinstance(body.get("keys"), dict):
        raise InvalidSubscription('Send the browser\'s subscription: {"endpoint", "keys"}.')
    p256dh = _decode(body["keys"].get("p256dh"), "p256dh")
    auth = _decode(body["keys"].get("auth"), "auth")
    if len(p256dh) != 65 or p256dh[0] != 4:
        raise InvalidSubscription('"keys.p256dh" must be an uncompressed P-256 public key.')
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except ValueError:
        raise InvalidSubscription('"keys.p256dh" is not a point on the P-256 curve.') from None
    if len(auth) != 16:
        raise InvalidSubscription('"keys.auth" must be 16 bytes.')
    endpoint = check_endpoint(body.get("endpoint"), allow_loopback=allow_loopback)
    return SubscriptionRequest(endpoint=endpoint, p256dh=_encode(p256dh), auth=_encode(auth))


def _find(endpoint: str) -> PushSubscription | None:
    return db.session.scalar(
        sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    )


def _forget_undelivered(subscription_id: int) -> None:
    """A device that changed hands must not receive its previous owner's pending messages."""
    db.session.execute(
        sa.update(PushDelivery)
        .where(
            PushDelivery.subscription_id == subscription_id,
            PushDelivery.state == "pending",
        )
        .values(state="gone", subscription_id=None)
    )


def _same_browser(subscription: PushSubscription, request: SubscriptionRequest) -> bool:
    """Whether the request holds the subscription's keys. The auth secret is known only to the
    browser and to us (never to the push service, nor to anyone who saw the endpoint URL):
    the proof that this is the browser the endpoint belongs to."""
    return hmac.compare_digest(subscription.auth, request.auth) and hmac.compare_digest(
        subscription.p256dh, request.p256dh
    )


def subscribe(
    user: User, request: SubscriptionRequest, label: str
) -> tuple[PushSubscription, bool]:
    """Store the device for `user`; True when the endpoint was new. A known endpoint is
    updated. Another account's endpoint moves to `user` only when the request holds its keys:
    the same browser, where someone else logged in (its last login wins; its pending
    messages for the other account are dropped). Knowing the URL alone moves nothing:
    `HeldByAnotherAccount`."""
    label = label[:120]
    subscription = _find(request.endpoint)
    if subscription is None:
        try:
            with db.session.begin_nested():
                subscription = PushSubscription(
                    user_id=user.id,
                    endpoint=request.endpoint,
                    p256dh=request.p256dh,
                    auth=request.auth,
                    label=label,
                )
                db.session.add(subscription)
        except sa.exc.IntegrityError:  # the same browser subscribed twice at once
            subscription = _find(request.endpoint)
        else:
            _keep_newest(user)
            return subscription, True
    if subscription.user_id != user.id:
        if not _same_browser(subscription, request):
            raise HeldByAnotherAccount()
        _forget_undelivered(subscription.id)
        subscription.user_id = user.id
        subscription.last_success_at = None
        subscription.failure_count = 0
    if (subscription.p256dh, subscription.auth) != (request.p256dh, request.auth):
        subscription.p256dh, subscription.auth = request.p256dh, request.auth
        subscription.failure_count = 0
    subscription.label = label
    db.session.flush()
    _keep_newest(user)
    return subscription, False


def _keep_newest(user: User) -> None:
    stale = db.session.scalars(
        sa.select(PushSubscription.id)
        .where(PushSubscription.user_id == user.id)
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
        .offset(MAX_DEVICES)
    ).all()
    if stale:
        db.session.execute(sa.delete(PushSubscription).where(PushSubscription.id.in_(stale)))


def unsubscribe(user: User, endpoint) -> bool:
    """Forget the device with this endpoint, if it is `user`'s; True when one was removed."""
    if not isinstance(endpoint, str):
        return False
    result = db.session.execute(
        sa.delete(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id
        )
    )
    return result.rowcount > 0


def remove_device(user: User, device_id: int) -> bool:
    result = db.session.execute(
        sa.delete(PushSubscription).where(
            PushSubscription.id == device_id, PushSubscription.user_id == user.id
        )
    )
    return result.rowcount > 0


def devices_of(user: User) -> list[PushSubscription]:
    return list(
        db.session.scalars(
            sa.select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
        )
    )
