"""`flask --app app doctor`: is this machine ready to serve, alongside the others?

Each check returns the problems it found, one sentence each, saying what to change. Secrets
are never printed: every machine prints the same fingerprints (a hash prefix) when it has the
same SECRET_KEY and VAPID key, and `--expect-fingerprints` compares them with another's.
"""

import hashlib
import smtplib
from pathlib import Path

import click
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask.cli import with_appcontext
from redis import Redis
from redis.exceptions import RedisError

from .extensions import db
from .mail.transport import SmtpSettings, connect, sender_domain
from .push.vapid import vapid_keys

FINGERPRINT_LENGTH = 16  # hex digits: enough to tell keys apart, far too few to guess one
TIMEOUT_SECONDS = 5


def fingerprint(secret: str) -> str:
    return hashlib.sha256(b"eventmate fingerprint\0" + secret.encode()).hexdigest()[
        :FINGERPRINT_LENGTH
    ]


def fingerprints(app: Flask) -> dict[str, str]:
    """What must be the same on every machine: the key that signs sessions and CSRF tokens,
    and the VAPID key phones subscribed with (another one's pushes are refused)."""
    try:
        vapid = fingerprint(vapid_keys(app).public_key)
    except ValueError:  # a bad key or subject: `check_vapid` says which
        vapid = "unusable"
    return {"SECRET_KEY": fingerprint(app.config["SECRET_KEY"]), "VAPID_KEY": vapid}


def parse_expected(lines: list[str]) -> dict[str, str]:
    """`NAME=fingerprint` lines, as `doctor --fingerprints` prints them; # comments allowed."""
    expected = {}
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        name, equals, value = text.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise click.BadParameter(f"expected NAME=fingerprint, got {line.strip()!r}")
        expected[name.strip().upper()] = value.strip().lower()
    return expected


def check_fingerprints(found: dict[str, str], expected: dict[str, str]) -> list[str]:
    problems = []
    for name, value in expected.items():
        if name not in found:
            problems.append(f"{name}: no such fingerprint (known: {', '.join(found)})")
        elif found[name] != value:
            problems.append(
                f"{name} differs from the other machine's ({found[name]} here, {value} "
                "expected): give every machine the same value"
            )
    return problems


def check_migrations(app: Flask) -> list[str]:
    """The database is at the newest migration of this checkout."""
    script = ScriptDirectory(str(Path(app.root_path).parent / "migrations"))
    heads = set(script.get_heads())
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except sa.exc.SQLAlchemyError as error:
        return [f"database: can't connect ({_first_line(error)})"]
    if current == heads:
        return []
    have = ", ".join(sorted(current)) or "none"
    return [
        f"database migrations: at {have}, this version needs {', '.join(sorted(heads))}: "
        "run `flask --app app db upgrade` once, from one machine"
    ]


def check_redis(config) -> list[str]:
    """Rate limits are counted where every worker of every machine sees them."""
    if not config.get("RATELIMIT_ENABLED", True):
        return []
    uri = config["RATELIMIT_STORAGE_URI"]
    if uri.startswith("memory://"):
        return [
            "RATELIMIT_STORAGE_URI is memory://: each worker counts on its own, so limits "
            "multiply with workers and machines; set it to the shared redis://host:6379"
        ]
    if not uri.startswith(("redis://", "rediss://")):
        return []
    try:
        client = Redis.from_url(uri, socket_connect_timeout=TIMEOUT_SECONDS)
        client.ping()
        client.close()
    except (RedisError, OSError, ValueError) as error:
        return [f"Redis at RATELIMIT_STORAGE_URI does not answer ({_first_line(error)})"]
    return []


def check_public_base_url(config) -> list[str]:
    base = config.get("PUBLIC_BASE_URL", "")
    if not base.startswith("https://"):
        return [
            f"PUBLIC_BASE_URL is {base or 'not set'}: set the site's https:// address (card QR "
            "codes carry it, and phones only install and push over https)"
        ]
    return []


def check_vapid(app: Flask) -> list[str]:
    """A usable key, and a subject push services can reach us at."""
    if not app.config.get("VAPID_SUBJECT"):
        return ["VAPID_SUBJECT is not set: set mailto:you@your.domain for the push services"]
    try:
        vapid_keys(app)
    except ValueError as error:
        return [str(error)]
    return []


def check_smtp(config) -> list[str]:
    """Connect and say EHLO (STARTTLS too when the URL asks for it); no mail is sent."""
    url = config.get("SMTP_URL", "")
    if not url:
        return []
    try:
        settings = SmtpSettings.from_url(url)
        with connect(settings, helo=sender_domain(config["MAIL_FROM"])):
            pass
    except ValueError as error:
        return [str(error)]
    except (OSError, smtplib.SMTPException) as error:
        return [f"SMTP server of SMTP_URL does not answer ({_first_line(error)})"]
    return []


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def problems_of(app: Flask, expected: dict[str, str]) -> list[str]:
    config = app.config
    return [
        *check_fingerprints(fingerprints(app), expected),
        *check_migrations(app),
        *check_redis(config),
        *check_public_base_url(config),
        *check_vapid(app),
        *check_smtp(config),
    ]


@click.command("doctor")
@click.option(
    "--fingerprints",
    "print_only",
    is_flag=True,
    help="Print only this machine's fingerprints (NAME=value lines) and exit.",
)
@click.option(
    "--expect-fingerprint",
    "expect_values",
    multiple=True,
    metavar="NAME=VALUE",
    help="A fingerprint another machine printed; repeat for each.",
)
@click.option(
    "--expect-fingerprints",
    "expect_file",
    type=click.File(),
    help="A file of NAME=VALUE lines: `doctor --fingerprints` run on another machine.",
)
@with_appcontext
def doctor(print_only, expect_values, expect_file):
    """Check this machine's deployment before it goes live; exit 1 on any problem."""
    app = current_app._get_current_object()
    found = fingerprints(app)
    if print_only:
        for name, value in found.items():
            click.echo(f"{name}={value}")
        return
    expected = parse_expected(
        list(expect_values) + (expect_file.readlines() if expect_file else [])
    )
    for name, value in found.items():
        click.echo(f"fingerprint {name}={value}")
    if not expected:
        click.echo("(compare with the other machines: --expect-fingerprints FILE)")
    problems = problems_of(app, expected)
    for problem in problems:
        click.echo(f"PROBLEM: {problem}")
    if problems:
        raise SystemExit(1)
    click.echo("OK: ready to serve.")
