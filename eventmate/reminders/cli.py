"""`flask --app app reminders send [--now ISO]` (one pass, for cron) and `reminders run` (loop)."""

import signal
import threading
import time
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..push.vapid import DEVELOPMENT_SUBJECT, vapid_keys
from .claims import Tally
from .dispatch import Dispatcher, Settings


def parse_now(_context, _parameter, value: str | None) -> datetime | None:
    """`--now`: an aware ISO 8601 time, in UTC."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use ISO 8601, e.g. 2026-11-24T09:00:00+01:00") from None
    if moment.tzinfo is None:
        raise click.BadParameter("add a time zone, e.g. 2026-11-24T08:00:00Z")
    return moment.astimezone(UTC)


def describe(tally: Tally) -> str:
    line = (
        f"Digests: {tally.planned} planned. "
        f"Notifications: {tally.sent} sent, {tally.retried} retried, {tally.dropped} dropped."
    )
    if tally.devices_removed:
        line += f" ({tally.devices_removed} unsubscribed device(s) removed)"
    return line


def dispatcher_options(command):
    options = (
        click.option("--threads", default=16, show_default=True, help="Concurrent sends."),
        click.option("--batch-size", type=int, help="Pushes per claim [default: 4 × threads]."),
        click.option(
            "--stall-timeout",
            default=300,
            show_default=True,
            help="Seconds after which a dead dispatcher's claims are taken over.",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


def make_dispatcher(threads: int, batch_size: int | None, stall_timeout: int) -> Dispatcher:
    if vapid_keys().subject == DEVELOPMENT_SUBJECT:
        click.echo(
            f"Warning: VAPID_SUBJECT is not set, using {DEVELOPMENT_SUBJECT}; set it (or an "
            "https PUBLIC_BASE_URL) before sending to real push services.",
            err=True,
        )
    config = current_app.config
    if config["SMTP_URL"] and not config["PUBLIC_BASE_URL"] and not config.get("SERVER_NAME"):
        click.echo(
            "Warning: PUBLIC_BASE_URL is not set, so links in reminder emails point to "
            "http://localhost:5000.",
            err=True,
        )
    settings = Settings(
        threads=max(1, threads),
        batch_size=max(1, batch_size) if batch_size else None,
        stall=timedelta(seconds=max(1, stall_timeout)),
    )
    return Dispatcher(settings=settings)


@click.group("reminders")
def reminders():
    """Web Push: morning follow-up digests and prompt messages (introductions)."""


@reminders.command("send")
@click.option("--now", callback=parse_now, help="Dispatch what is due at this ISO 8601 time.")
@dispatcher_options
@with_appcontext
def send(now, threads, batch_size, stall_timeout):
    """One pass: plan the digests due now, send them, print the counts."""
    tally = make_dispatcher(threads, batch_size, stall_timeout).run_once(now)
    click.echo(describe(tally))


@reminders.command("run")
@click.option(
    "--interval", default=60, show_default=True, help="Seconds between passes that plan digests."
)
@click.option(
    "--poll",
    default=10,
    show_default=True,
    help="Seconds between passes that only send (prompt messages, retries).",
)
@dispatcher_options
@with_appcontext
def run(interval, poll, threads, batch_size, stall_timeout):
    """Loop until SIGTERM or Ctrl-C (the current batch ends first): send what is due every
    --poll seconds, and plan the morning digests every --interval seconds."""
    dispatcher = make_dispatcher(threads, batch_size, stall_timeout)
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    poll = max(1, min(poll, interval))
    click.echo(
        f"Reminder dispatcher {dispatcher.name}: sending every {poll} s, "
        f"planning every {interval} s."
    )
    planned_at = None
    while not stop.is_set():
        plan = planned_at is None or time.monotonic() - planned_at >= interval
        try:
            tally = dispatcher.run_once(stop=stop, plan=plan)
        except Exception:  # a database hiccup: log it, try again next pass
            db.session.rollback()
            current_app.logger.exception("reminder pass failed")
        else:
            if tally.planned or tally.sent or tally.retried or tally.dropped:
                click.echo(describe(tally))
        finally:
            db.session.remove()
        if plan:
            planned_at = time.monotonic()
        stop.wait(poll)
    click.echo("Reminder dispatcher stopped.")
