"""Claiming deliveries to send, and recording what happened: the dispatcher's state machine.

A claim is one short transaction: rows are picked with `FOR UPDATE SKIP LOCKED` on PostgreSQL
(several dispatchers take disjoint rows without waiting for each other) or under SQLite's write
lock (`BEGIN IMMEDIATE`), marked `sending` with the dispatcher's id and the time, and committed
before anything is sent. Recording is a second transaction after the sends.

Email deliveries (the digest to the user's address) go through the same claims; the email is
written at claim time for the address the account has then, and only if it still wants email
and may get it (proven, not refused for good).

Crash safety: a dispatcher that dies after claiming (SIGKILL, power loss, a crash between send
and record) leaves its rows `sending`. Once `claimed_at` is older than the stall timeout they
are claimed again and sent — the one retry; such a row is marked `recovered`, and if it stalls
once more it is dropped rather than sent a third time. Records are written only while the row
is still ours (`claimed_by`), so a dispatcher that was merely slow cannot overwrite a newer
claim.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa

from ..database import begin_write
from ..extensions import db
from ..models import PushDelivery, PushMessage, PushSubscription, User
from ..models.push import EMAIL, PUSH
from ..push.sender import FAILED, GONE, RETRY, SENT, SendResult
from .channels import wants_email
from .email import digest_email
from .payload import render

MAX_ATTEMPTS = 5
FIRST_BACKOFF = 60.0  # seconds, doubled per attempt
MAX_BACKOFF = 6 * 3600.0

D = PushDelivery


@dataclass(frozen=True)
class Job:
    """One claimed delivery, with everything a sending thread needs (no database access)."""

    delivery_id: int
    attempts: int
    subscription_id: int | None
    subscription_info: dict | None  # None: the device was removed since the message was written
    payload: str
    topic: str
    push_enabled: bool = True  # False: the user turned push off since
    channel: str = PUSH
    user_id: int = 0
    address: str = ""  # email: the address the message is written to
    email: EmailMessage | None = None  # None: the user no longer wants email, or may not get it


@dataclass
class Tally:
    planned: int = 0  # digests this dispatcher wrote (prompt messages are written elsewhere)
    sent: int = 0
    retried: int = 0  # put back for a later attempt (429, 5xx, no answer)
    dropped: int = 0  # given up: device gone, refused, too many attempts
    devices_removed: int = 0  # 404/410: the browser unsubscribed
    outcomes: dict = field(default_factory=dict)  # delivery id → outcome, for tests

    def add(self, other: "Tally") -> None:
        self.planned += other.planned
        self.sent += other.sent
        self.retried += other.retried
        self.dropped += other.dropped
        self.devices_removed += other.devices_removed
        self.outcomes.update(other.outcomes)


def backoff(attempts: int, retry_after: float | None) -> float:
    """Seconds before the next attempt: exponential from a minute, never before Retry-After."""
    exponential = min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
    return max(exponential, min(retry_after or 0.0, 24 * 3600.0))


def _claimable(now: datetime, stall: timedelta):
    return sa.or_(
        sa.and_(D.state == "pending", D.next_attempt_at <= now),
        sa.and_(D.state == "sending", D.claimed_at <= now - stall),
    )


def _give_up(row) -> bool:
    stalled_twice = row.state == "sending" and row.recovered  # may have gone out twice already
    return stalled_twice or row.attempts >= MAX_ATTEMPTS


def claim(worker: str, now: datetime, *, limit: int, stall: timedelta) -> tuple[list[Job], int]:
    """Claim up to `limit` deliveries for `worker`; the jobs, and how many were dropped
    instead (stalled twice, or past the attempt limit)."""
    begin_write()
    pick = sa.select(D.id, D.recovered, D.state, D.attempts).where(_claimable(now, stall))
    pick = pick.order_by(D.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    rows = db.session.execute(pick).all()
    give_up = [row.id for row in rows if _give_up(row)]
    take = [row.id for row in rows if not _give_up(row)]
    if give_up:
        db.session.execute(
            sa.update(D).where(D.id.in_(give_up)).values(state="failed", finished_at=now)
        )
    if take:
        db.session.execute(
            sa.update(D)
            .where(D.id.in_(take))
            .values(
                recovered=sa.or_(D.recovered, D.state == "sending"),
                state="sending",
                claimed_by=worker,
                claimed_at=now,
                attempts=D.attempts + 1,
            )
        )
    jobs = _jobs(take) if take else []
    db.session.commit()
    return jobs, len(give_up)


def _jobs(ids: list[int]) -> list[Job]:
    S, M = PushSubscription, PushMessage
    rows = db.session.execute(
        sa.select(
            D.id,
            D.attempts,
            D.channel,
            S.id,
            S.endpoint,
            S.p256dh,
            S.auth,
            M.title,
            M.body,
            M.url,
            M.tag,
            M.follow_up_count,
            User.id,
            User.email,
            User.push_enabled,
            wants_email().label("wants_email"),
        )
        .join(M, M.id == D.message_id)
        .join(User, User.id == M.user_id)
        .outerjoin(S, S.id == D.subscription_id)
        .where(D.id.in_(ids))
        .order_by(D.id)
    )
    jobs = []
    for row in rows:
        delivery_id, attempts, channel, sub_id, endpoint, p256dh, auth, *message = row[:12]
        title, body, url, tag, count = message
        user_id, address, enabled, email_wanted = row[12:]
        if channel == EMAIL:
            email = None
            if email_wanted:
                email = digest_email(
                    delivery_id=delivery_id, user_id=user_id, to=address, title=title,
                    body=body, url=url,
                )  # fmt: skip
            jobs.append(
                Job(delivery_id, attempts, None, None, "", tag, enabled, EMAIL, user_id,
                    address, email)
            )  # fmt: skip
            continue
        info = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}} if sub_id else None
        payload = render(title, body, url, tag, count)
        jobs.append(Job(delivery_id, attempts, sub_id, info, payload, tag, enabled))
    return jobs


def _ours(worker: str):
    return sa.and_(D.claimed_by == worker, D.state == "sending")


def record(worker: str, now: datetime, results: list[tuple[Job, SendResult]]) -> Tally:
    """Write the outcome of sent jobs in one transaction."""
    tally = Tally()
    by_outcome: dict[str, list[tuple[Job, SendResult]]] = {
        SENT: [],
        GONE: [],
        RETRY: [],
        FAILED: [],
    }
    for job, result in results:
        outcome = result.outcome
        if outcome == RETRY and job.attempts >= MAX_ATTEMPTS:
            outcome = FAILED
        by_outcome[outcome].append((job, result))
        tally.outcomes[job.delivery_id] = outcome
    begin_write()
    table = D.__table__
    finish = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id"), _ours(worker))
        .values(
            state=sa.bindparam("b_state"), last_status=sa.bindparam("b_status"), finished_at=now
        )
    )
    done = [
        {"b_id": job.delivery_id, "b_state": outcome, "b_status": result.status}
        for outcome in (SENT, GONE, FAILED)
        for job, result in by_outcome[outcome]
    ]
    if done:
        db.session.execute(finish, done)
    retry = [
        {
            "b_id": job.delivery_id,
            "b_status": result.status,
            "b_next": now + timedelta(seconds=backoff(job.attempts, result.retry_after)),
        }
        for job, result in by_outcome[RETRY]
    ]
    if retry:
        db.session.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("b_id"), _ours(worker))
            .values(
                state="pending",
                last_status=sa.bindparam("b_status"),
                next_attempt_at=sa.bindparam("b_next"),
                claimed_by=None,
                claimed_at=None,
            ),
            retry,
        )
    _update_devices(now, by_outcome)
    _update_addresses(by_outcome)
    db.session.commit()
    tally.sent = len(by_outcome[SENT])
    tally.retried = len(by_outcome[RETRY])
    tally.dropped = len(by_outcome[GONE]) + len(by_outcome[FAILED])
    tally.devices_removed = len({job.subscription_id for job, _ in by_outcome[GONE]} - {None})
    return tally


def _update_addresses(by_outcome: dict) -> None:
    """Permanent refusals (5xx) count against the address they were sent to, while it is
    still the user's; a delivered email starts the count again."""
    for outcome, change in ((SENT, 0), (FAILED, User.email_bounces + 1)):
        pairs = [
            {"b_user": job.user_id, "b_address": job.address}
            for job, result in by_outcome[outcome]
            if job.channel == EMAIL and (outcome == SENT or result.status >= 500)
        ]
        if pairs:
            table = User.__table__
            db.session.execute(
                sa.update(table)
                .where(
                    table.c.id == sa.bindparam("b_user"),
                    table.c.email == sa.bindparam("b_address"),
                )
                .values(email_bounces=change),
                pairs,
            )


def _update_devices(now: datetime, by_outcome: dict) -> None:
    S = PushSubscription
    working = {job.subscription_id for job, _ in by_outcome[SENT]} - {None}
    if working:
        db.session.execute(
            sa.update(S).where(S.id.in_(working)).values(last_success_at=now, failure_count=0)
        )
    failing = {job.subscription_id for job, _ in by_outcome[RETRY] + by_outcome[FAILED]} - {None}
    if failing:
        db.session.execute(
            sa.update(S).where(S.id.in_(failing)).values(failure_count=S.failure_count + 1)
        )
    gone = {job.subscription_id for job, _ in by_outcome[GONE]} - {None}
    if gone:  # the browser unsubscribed (404/410): forget the device
        db.session.execute(sa.delete(S).where(S.id.in_(gone)))
