"""Configuration: defaults, environment overrides and the generated secret key."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

SECRET_KEY_FILE = "secret_key"  # noqa: S105 -- a file name, not a secret


class Config:
    """Defaults for production; `EVENTMATE_ENV=development` relaxes only cookie transport."""

    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 256 * 1024
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    # The login session ends 30 days after login (its server-side row says so), so re-signing
    # the cookie on every request would only cost time.
    SESSION_REFRESH_EACH_REQUEST = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "eventmate_session"
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = ""
    # How many proxies in front of the app add themselves to X-Forwarded-For: the client's
    # address (rate limits) is the one they saw. 0: the header is ignored (anyone can write it).
    TRUSTED_PROXIES = 0
    RATELIMIT_HEADERS_ENABLED = True
    FORCE_HTTPS = True
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 -- werkzeug scrypt, n=2**15, r=8, p=1
    # Public base URL encoded in card QR codes, e.g. "https://eventmate.example.org".
    # Empty: derived from the request (fine behind a proxy that sets X-Forwarded-*).
    PUBLIC_BASE_URL = ""
    # Web Push (see eventmate/push/vapid.py): empty means a key generated into the instance
    # folder and a subject derived from PUBLIC_BASE_URL.
    VAPID_PRIVATE_KEY = ""
    VAPID_PUBLIC_KEY = ""
    VAPID_SUBJECT = ""
    PUSH_ALLOW_LOOPBACK = False  # EVENTMATE_PUSH_ALLOW_LOOPBACK=1: tests and local trials only
    # Email (eventmate/mail): empty SMTP_URL logs each message instead of sending it.
    SMTP_URL = ""
    MAIL_FROM = "EventMate <no-reply@eventmate.invalid>"
    # A mailbox someone reads, offered in the reminder email's List-Unsubscribe beside the
    # one-click link; empty: the link only (no address nobody reads).
    UNSUBSCRIBE_MAILTO = ""


def database_url(instance_path: str) -> str:
    """`DATABASE_URL` when set (PostgreSQL in production), else SQLite in the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{Path(instance_path) / 'eventmate.sqlite3'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def load_secret_key(instance_path: str) -> str:
    """`SECRET_KEY` from the environment, else one generated once into the instance folder."""
    configured = os.environ.get("SECRET_KEY", "").strip()
    if configured:
        return configured
    path = Path(instance_path) / SECRET_KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    # O_EXCL: when several workers start at once, exactly one writes and the others read.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def trusted_proxies(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = -1
    if not 0 <= count <= 5:
        raise ValueError(f"TRUSTED_PROXIES must be a number of proxies from 0 to 5, not {value!r}")
    return count


# Settings taken from the environment as they are written (surrounding spaces dropped).
TEXT_SETTINGS = (
    "RATELIMIT_STORAGE_URI",
    "RATELIMIT_KEY_PREFIX",
    "VAPID_PRIVATE_KEY",
    "VAPID_PUBLIC_KEY",
    "VAPID_SUBJECT",
    "SMTP_URL",
    "MAIL_FROM",
    "UNSUBSCRIBE_MAILTO",
)


def apply_environment(config: dict, instance_path: str) -> None:
    """Fill in what depends on the environment and the instance folder."""
    config.setdefault("SQLALCHEMY_DATABASE_URI", database_url(instance_path))
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = load_secret_key(instance_path)
    if os.environ.get("PUBLIC_BASE_URL"):
        config["PUBLIC_BASE_URL"] = os.environ["PUBLIC_BASE_URL"].rstrip("/")
    config.setdefault("EVENTMATE_ENV", os.environ.get("EVENTMATE_ENV", "production"))
    if os.environ.get("TRUSTED_PROXIES", "").strip():
        config["TRUSTED_PROXIES"] = trusted_proxies(os.environ["TRUSTED_PROXIES"])
    for name in TEXT_SETTINGS:
        if os.environ.get(name, "").strip():
            config[name] = os.environ[name].strip()
    if os.environ.get("EVENTMATE_PUSH_ALLOW_LOOPBACK") == "1":
        config["PUSH_ALLOW_LOOPBACK"] = True
    if os.environ.get("INTRODUCTION_EXPIRY_DAYS", "").strip():  # whole days; default 14
        config["INTRODUCTION_EXPIRY_DAYS"] = max(1, int(os.environ["INTRODUCTION_EXPIRY_DAYS"]))
    if config["EVENTMATE_ENV"] == "development" or config.get("TESTING"):
        for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "FORCE_HTTPS"):
            config[key] = False
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # One writer at a time: wait for the lock instead of failing with "database is locked".
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
