"""VAPID: the key pair push services use to know our pushes, and the contact they can reach.

The private key comes from `VAPID_PRIVATE_KEY` (raw base64url, PEM or base64 DER; the
environment or the app's config) or is generated once into the instance folder, which is never
committed. The public key is served to the page, which subscribes with it.

We hand pywebpush a ready `Vapid` object, so the key format it expects (a PEM file path or a
raw base64url key, not PEM text) never matters.
"""

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode

KEY_FILE = "vapid_private_key.pem"
DEVELOPMENT_SUBJECT = "mailto:eventmate@localhost"
_lock = threading.Lock()


@dataclass(frozen=True)
class VapidKeys:
    signer: Vapid02
    public_key: str  # base64url uncompressed point: the page's `applicationServerKey`
    subject: str


def validate_subject(subject: str) -> str:
    """A `mailto:` address or an `https:` URL someone at the push service could reach."""
    subject = subject.strip()
    if subject.startswith("mailto:"):
        try:
            validate_email(subject.removeprefix("mailto:"), check_deliverability=False)
        except EmailNotValidError as error:
            raise ValueError(f"VAPID_SUBJECT is not a valid mailto: address ({error})") from None
        return subject
    parts = urlsplit(subject)
    if parts.scheme == "https" and parts.hostname and "." in parts.hostname:
        return subject
    raise ValueError(
        "VAPID_SUBJECT must be mailto:someone@your.domain or an https:// URL of your site."
    )


def configured_subject(config) -> str:
    """`VAPID_SUBJECT`, else the site's https address, else a development placeholder."""
    if config.get("VAPID_SUBJECT"):
        return validate_subject(config["VAPID_SUBJECT"])
    base = config.get("PUBLIC_BASE_URL", "")
    if base.startswith("https://"):
        parts = urlsplit(base)
        return validate_subject(f"https://{parts.netloc}")
    return DEVELOPMENT_SUBJECT


def _parse_private_key(text: str) -> Vapid02:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        signer = Vapid02(key)
    else:
        signer = Vapid02.from_string(text)
    if not isinstance(signer.private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        signer.private_key.curve, ec.SECP256R1
    ):
        raise ValueError("VAPID_PRIVATE_KEY must be a P-256 (prime256v1) key.")
    return signer


def _key_from_file(path: Path) -> Vapid02:
    """Read the instance key, or create it: O_EXCL so that concurrent first runs agree."""
    try:
        return _parse_private_key(path.read_text())
    except FileNotFoundError:
        pass
    signer = Vapid02()
    signer.generate_keys()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _parse_private_key(path.read_text())
    with os.fdopen(fd, "wb") as handle:
        handle.write(signer.private_pem())
    return signer


def public_key_of(signer: Vapid02) -> str:
    point = signer.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(point)


def load_keys(config, instance_path: str) -> VapidKeys:
    if config.get("VAPID_PRIVATE_KEY"):
        signer = _parse_private_key(config["VAPID_PRIVATE_KEY"])
    else:
        signer = _key_from_file(Path(instance_path) / KEY_FILE)
    public = public_key_of(signer)
    expected = (config.get("VAPID_PUBLIC_KEY") or "").strip().rstrip("=")
    if expected and expected != public:
        raise ValueError("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY.")
    return VapidKeys(signer=signer, public_key=public, subject=configured_subject(config))


def vapid_keys(app: Flask | None = None) -> VapidKeys:
    """The app's keys, loaded (or generated) on first use."""
    app = app or current_app._get_current_object()
    keys = app.extensions.get("eventmate_vapid")
    if keys is None:
        with _lock:
            keys = app.extensions.get("eventmate_vapid")
            if keys is None:
                keys = load_keys(app.config, app.instance_path)
                app.extensions["eventmate_vapid"] = keys
    return keys
