"""One dispatcher pass: plan the digests due now, and claim, send and record in batches
(digests and the prompt messages other areas wrote, alike; pushes and emails, alike).

The database work (claims and records) stays on the calling thread; the sends run in a thread
pool, because a push is mostly waiting for the push service and encrypting, and that is where
a dispatcher's throughput comes from (an email is mostly waiting for the SMTP server). While
one batch is being sent, the next chunk of digests is planned and the next batch claimed.
"""

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from ..mail import MailError, send
from ..models.base import utcnow
from ..models.push import EMAIL
from ..push.sender import FAILED, GONE, RETRY, SENT, PushSender, SendResult
from ..push.vapid import vapid_keys
from ..relationships.allies import plan_all_keep_in_touch
from ..relationships.role_models import plan_all_lunch_reminders
from .claims import Job, Tally, claim, record
from .planning import planning_steps
from .reviews import plan_reviews

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    threads: int = 16
    # Pushes per claim; default 4 per thread. Small enough that dispatchers sharing the work
    # each get some of it (one batch is claimed ahead while the current one is sent).
    batch_size: int | None = None
    stall: timedelta = timedelta(minutes=5)  # well above the longest a batch can take

    @property
    def claim_size(self) -> int:
        return self.batch_size or 4 * self.threads


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def default_sender() -> PushSender:
    return PushSender(vapid_keys(), allow_loopback=current_app.config["PUSH_ALLOW_LOOPBACK"])


class Dispatcher:
    """Sends what is due. `clock` gives the real time for claims and retries (tests move it);
    the `now` of a pass says which mornings are due (operators catch up with `--now`)."""

    def __init__(
        self,
        sender: PushSender | None = None,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        name: str | None = None,
    ):
        self.sender = sender or default_sender()
        self.settings = settings or Settings()
        self.clock = clock
        self.name = name or worker_name()
        self.smtp_url = current_app.config["SMTP_URL"]

    def send_one(self, job: Job) -> SendResult:
        if job.channel == EMAIL:
            return self.send_email(job)
        if job.subscription_info is None:  # the device was removed after the digest was planned
            return SendResult(GONE)
        if not job.push_enabled:
            return SendResult(FAILED, detail="the user turned push off")
        try:
            return self.sender.send(job.subscription_info, job.payload, topic=job.topic)
        except Exception as error:  # a bug must not lose the batch: retry it later
            logger.exception("sending push %s failed", job.delivery_id)
            return SendResult(RETRY, detail=repr(error))

    def send_email(self, job: Job) -> SendResult:
        """A 5xx refusal is final (and counts against the address); a 4xx, a lost connection
        or a timeout is retried with the pushes' backoff."""
        if job.email is None:
            return SendResult(FAILED, detail="no email wanted or allowed for this address")
        try:
            send(job.email, self.smtp_url)
        except MailError as error:
            logger.warning("digest email %s: %s", job.delivery_id, error)
            return SendResult(FAILED if error.permanent else RETRY, error.code, detail=str(error))
        except Exception as error:  # a bug must not lose the batch: retry it later
            logger.exception("sending email %s failed", job.delivery_id)
            return SendResult(RETRY, detail=repr(error))
        return SendResult(SENT, 250)

    def _claim(self) -> tuple[list[Job], int]:
        return claim(
            self.name, self.clock(), limit=self.settings.claim_size, stall=self.settings.stall
        )

    def run_once(
        self, now: datetime | None = None, stop: threading.Event | None = None, *, plan: bool = True
    ) -> Tally:
        """Plan (unless `plan` is False) and send everything claimable. Prompt messages are
        written as things happen, so a pass without planning sends them too.

        Planning goes a chunk at a time while the batch claimed before it is being sent, so
        the push service is kept busy from the first chunk on.
        """
        tally = Tally()
        steps = iter(())
        if plan:
            plan_all_keep_in_touch(now=now or self.clock())  # allies' reminders join the digest
            plan_all_lunch_reminders(now=now or self.clock())  # so do role models' lunches
            plan_reviews(now or self.clock(), clock_now=self.clock())  # at most once a month
            steps = planning_steps(now or self.clock(), clock_now=self.clock())
        with ThreadPoolExecutor(self.settings.threads, thread_name_prefix="push") as pool:
            jobs, dropped = self._claim()
            tally.dropped += dropped
            while True:
                futures: list[Future] = [pool.submit(self.send_one, job) for job in jobs]
                stopping = stop is not None and stop.is_set()
                planned = None if stopping else next(steps, None)
                tally.planned += planned or 0
                upcoming, dropped = ([], 0) if stopping else self._claim()
                tally.dropped += dropped
                results = [
                    (job, future.result()) for job, future in zip(jobs, futures, strict=True)
                ]
                if results:
                    tally.add(record(self.name, self.clock(), results))
                if not upcoming and planned is None:
                    return tally
                jobs = upcoming
