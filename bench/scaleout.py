"""More than one machine, proven on one: two EventMate instances, shared PostgreSQL and Redis,
reminder dispatchers in parallel, a burst of scans, and one instance and one dispatcher killed.

    python bench/scaleout.py [--attendees 20000] [--scans 60000] [--instances 2] [--dispatchers 4]

  1. A fresh PostgreSQL database of its own (dropped at the end), the schema, and the
     attendees of one event written in SQL: accounts, a login session each (its cookie and
     CSRF token are signed here with the instances' SECRET_KEY, as a login would make them).
  2. --instances gunicorn instances of `app:app` on their own ports, with rate limits on and
     counted in the Redis on 127.0.0.1:6379 (a key prefix of this run's). The clients only
     send `POST /api/scans`, which has no limit of its own, and never use the login form,
     whose limit per address all of them (127.0.0.1) would share; the run proves the limits
     real by failing logins on both instances until the shared count refuses one.
  3. --scans new scans in a burst from --clients concurrent clients, spread over the
     instances: badges, MECARDs, profile URLs and (a quarter) other attendees' card links,
     i.e. exchanges. 10 % are sent again after their answer (the outbox's retries). Part way
     through, one instance is SIGKILLed and restarted; a client whose request fails retries
     the same body on the next instance, as the outbox retries until acknowledged.
  4. The morning: every open follow-up comes due, each attendee has a phone subscribed at
     the fake push service (tests/push_service.py, verifying every JWT and decrypting every
     body), and --dispatchers `flask --app app reminders run` processes send the digests.
     One is SIGKILLed while it holds claims and restarted; the others take over its claims
     once they stall (--stall-timeout).

Prints throughput, p50/p95, the errors clients saw around the kill, and how long the killed
dispatcher's work waited. Exits 1 unless no scan was lost, no contact duplicated, every
answer to a resend named the contact the first answer did, and every user with a digest
got exactly one digest on each device (2: could not run).
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from httpload import Connection, post_json
from payloads import PayloadMix, person
from reminders import new_keys, postgres_database, start_service, stats
from servers import HOST, ROOT, Server, ServerError, Settings

if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

REDIS_URL = "redis://127.0.0.1:6379/0"
USER_AGENT = "eventmate-scaleout/1.0"  # login sessions bind to the user agent and address
PUBLIC_HOST = "eventmate.bench"  # card links name it; both instances know it as theirs
SUBJECT = "mailto:bench@eventmate.example.org"
REPLAYED = 0.10
MAX_ATTEMPTS = 60


class BenchError(RuntimeError):
    """The benchmark could not run."""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--attendees", type=int, default=20_000, help="accounts at the event (20000)")
    add("--scans", type=int, default=60_000, help="new scans in the burst (60000)")
    add("--instances", type=int, default=2, help="EventMate instances (2)")
    add("--workers", type=int, default=2, help="gunicorn workers per instance (2)")
    add("--dispatchers", type=int, default=4, help="reminder dispatchers (4)")
    add("--clients", type=int, default=64, help="concurrent scanning clients (64)")
    add("--stall-timeout", type=int, default=10, help="dispatchers' stall timeout, s (10)")
    add("--push-delay-ms", type=float, default=100, help="the push service's answer time (100)")
    add("--seed", type=int, default=1)
    add("--keep", action="store_true", help="keep the logs folder")
    args = parser.parse_args(argv)
    if args.attendees < 2 or args.scans < 1 or args.instances < 2 or args.dispatchers < 2:
        parser.error("need --attendees >= 2, --scans >= 1, --instances >= 2, --dispatchers >= 2")
    return args


# --- the event, written in SQL ---------------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    user_id: int
    card_token: str
    headers: dict[str, str]  # cookie, CSRF token, user agent


def make_app(database_url: str, secret_key: str, keys: dict):
    from eventmate import create_app

    return create_app(
        {
            "SECRET_KEY": secret_key,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,  # this process only writes rows and signs cookies
            "VAPID_PRIVATE_KEY": keys["vapid_private"],
            "VAPID_SUBJECT": SUBJECT,
            "EVENTMATE_ENV": "development",
        }
    )


def create_event(app, attendees: int) -> list[Attendee]:
    """The schema, the attendees (all at one event), and a signed-in browser for each."""
    import sqlalchemy as sa

    from eventmate.auth.passwords import hash_password
    from eventmate.extensions import db
    from eventmate.models import Event, EventMembership, LoginSession, User

    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        password_hash = hash_password(secrets.token_urlsafe(12))  # nobody logs in with it
        rows = []
        for number in range(attendees):
            p = person(number)
            rows.append(
                {
                    "email": f"attendee{number}@bench.example.org",
                    "password_hash": password_hash,
                    "display_name": f"{p['first']} {p['last']} {number}",
                    "headline": p["title"],
                    "timezone": "UTC",
                    "reminder_hour": 0,  # the morning has come whenever the bench runs
                }
            )
        db.session.execute(sa.insert(User), rows)
        users = db.session.execute(sa.select(User.id, User.card_token).order_by(User.id)).all()
        event_id = db.session.scalar(
            sa.insert(Event)
            .values(created_by_id=users[0].id, name="Scale-out Summit", timezone="UTC")
            .returning(Event.id)
        )
        db.session.execute(
            sa.insert(EventMembership), [{"event_id": event_id, "user_id": u.id} for u in users]
        )
        db.session.execute(sa.update(User).values(current_event_id=event_id))
        sessions = [secrets.token_urlsafe(32) for _ in users]
        db.session.execute(
            sa.insert(LoginSession),
            [
                {
                    "id": sid,
                    "user_id": u.id,
                    "expires_at": now + timedelta(days=1),
                    "user_agent": USER_AGENT,
                }
                for sid, u in zip(sessions, users, strict=True)
            ],
        )
        db.session.commit()
        db.engine.dispose()
    # Outside the app context: each request context needs its own `g` for its CSRF token.
    return [
        Attendee(u.id, u.card_token, signed_in_headers(app, sid))
        for sid, u in zip(sessions, users, strict=True)
    ]


def signed_in_headers(app, login_session_id: str) -> dict[str, str]:
    """The cookie and CSRF token a browser holds after logging in, as `start_session` makes
    them: Flask-Login's keys, the session identifier of this address and user agent."""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    context = app.test_request_context(
        "/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": HOST}
    )
    with context:
        session.permanent = True
        session["_user_id"] = login_session_id
        session["_fresh"] = True
        session["_id"] = app.login_manager._session_identifier_generator()
        token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    name = app.config["SESSION_COOKIE_NAME"]
    return {"User-Agent": USER_AGENT, "Cookie": f"{name}={cookie}", "X-CSRFToken": token}


# --- the instances ---------------------------------------------------------------------------


def instance_env(database_url: str, secret_key: str, keys: dict, prefix: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("TEST_DATABASE_URL", "SMTP_URL", "WEB_CONCURRENCY"):
        env.pop(name, None)
    env.update(
        EVENTMATE_ENV="development",  # cookies over http on 127.0.0.1
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        PUBLIC_BASE_URL=f"http://{PUBLIC_HOST}",
        VAPID_PRIVATE_KEY=keys["vapid_private"],
        VAPID_SUBJECT=SUBJECT,
        EVENTMATE_PUSH_ALLOW_LOOPBACK="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def start_instance(env, workers: int, log: Path, port: int | None = None) -> Server:
    settings = Settings(workers=workers, worker_class="sync", threads=1)
    # A busy machine may take minutes to start a Python process: the clients wait meanwhile.
    server = Server("app:app", settings, env, log, ready_path="/login", ready_timeout=300)
    if port is not None:
        server.port = port
    return server.__enter__()


def sigkill(process: subprocess.Popen) -> None:
    """The whole process group: gunicorn's master and its workers, or a dispatcher."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def limits_are_shared(servers: list[Server]) -> int:
    """Fail logins on the instances in turn until one refuses (429); how many it took. The
    login limit is per address, so a count shared through Redis refuses at the same total
    whichever instance is asked."""
    for attempt in range(1, 40):
        server = servers[attempt % len(servers)]
        with httpx.Client(base_url=server.base_url, headers={"User-Agent": USER_AGENT}) as c:
            page = c.get("/login").text
            token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
            form = {"email": "nobody@bench.example.org", "password": "wrong", "csrf_token": token}
            if c.post("/login", data=form).status_code == 429:
                return attempt
    raise BenchError("39 failed logins on the instances were never refused: limits not shared")


# --- the burst -------------------------------------------------------------------------------


@dataclass
class Scan:
    client_id: str
    body: bytes
    headers: dict[str, str]
    replay: bool = False  # this one is the resend
    resend_later: bool = False


@dataclass
class Burst:
    latencies: list[float] = field(default_factory=list)  # per answered attempt
    answers: dict[str, int] = field(default_factory=dict)  # client id -> contact id (first)
    mismatched: list[str] = field(default_factory=list)  # a resend naming another contact
    errors: list[tuple[float, str]] = field(default_factory=list)  # (time, what) per failure
    lost: list[str] = field(default_factory=list)
    refused: list[tuple[int, bytes]] = field(default_factory=list)  # 4xx: a bench bug
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def plan_scans(attendees: list[Attendee], count: int, seed: int) -> list[Scan]:
    """`count` scans, each attendee scanning in turn; never one's own card."""
    rng = random.Random(seed)
    links = [f"http://{PUBLIC_HOST}/c/{a.card_token}" for a in attendees]
    order = [n % len(attendees) for n in range(count)]
    rng.shuffle(order)
    mix = PayloadMix(seed, links)
    scans = []
    for scanner in order:
        payload = mix.next()
        if payload == links[scanner]:
            payload = links[(scanner + 1) % len(links)]
        client_id = str(uuid.uuid4())
        scanned_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        body = json.dumps({"id": client_id, "payload": payload, "scanned_at": scanned_at})
        headers = attendees[scanner].headers
        scans.append(Scan(client_id, body.encode(), headers, resend_later=rng.random() < REPLAYED))
    return scans


async def burst(scans: list[Scan], ports: list[int], clients: int, on_progress) -> Burst:
    """Every scan until acknowledged: a failed attempt goes to the next instance."""
    result = Burst()
    queue: asyncio.Queue[Scan] = asyncio.Queue()
    for scan in scans:
        queue.put_nowait(scan)
    outstanding = len(scans) + sum(scan.resend_later for scan in scans)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def client(number: int) -> None:
        nonlocal outstanding
        connections = {port: Connection(HOST, port) for port in ports}
        turn = number
        while not done.is_set():
            try:
                scan = await asyncio.wait_for(queue.get(), timeout=0.5)
            except TimeoutError:
                continue
            for attempt in range(MAX_ATTEMPTS):
                port = ports[turn % len(ports)]
                turn += 1
                request = post_json(f"{HOST}:{port}", "/api/scans", scan.body, scan.headers)
                sent = loop.time()
                try:
                    response = await connections[port].send(request)
                except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                    await connections[port].close()
                    result.errors.append((time.time(), type(error).__name__))
                    await asyncio.sleep(min(0.05 * 2**attempt, 1.0))
                    continue
                result.statuses[response.status] += 1
                if 400 <= response.status < 500:  # the request itself is wrong: no retry
                    result.refused.append((response.status, response.body[:200]))
                    break
                if response.status not in (200, 201):
                    result.errors.append((time.time(), f"HTTP {response.status}"))
                    await asyncio.sleep(min(0.05 * 2**attempt, 1.0))
                    continue
                result.latencies.append(loop.time() - sent)
                contact_id = json.loads(response.body)["id"]
                first = result.answers.setdefault(scan.client_id, contact_id)
                if first != contact_id:
                    result.mismatched.append(scan.client_id)
                break
            else:
                result.lost.append(scan.client_id)
            if scan.resend_later:
                queue.put_nowait(Scan(scan.client_id, scan.body, scan.headers, replay=True))
            outstanding -= 1
            on_progress(len(result.latencies))
            if outstanding == 0:
                done.set()
        for connection in connections.values():
            await connection.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    result.seconds = loop.time() - started
    return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


# --- checks in the database ------------------------------------------------------------------


def scan_checks(app, scans: list[Scan], result: Burst) -> dict[str, int]:
    import sqlalchemy as sa

    from eventmate.extensions import db
    from eventmate.models import ClientRequest, Contact

    with app.app_context():
        recorded = dict(
            db.session.execute(
                sa.select(ClientRequest.client_id, ClientRequest.contact_id).where(
                    ClientRequest.kind == "scan"
                )
            ).all()
        )
        duplicated = 0
        for column in (Contact.dedupe_key, Contact.linked_user_id):
            duplicated += db.session.scalar(
                sa.select(sa.func.count()).select_from(
                    sa.select(Contact.owner_id, column)
                    .where(column.is_not(None))
                    .group_by(Contact.owner_id, column)
                    .having(sa.func.count() > 1)
                    .subquery()
                )
            )
        db.engine.dispose()
    lost = {scan.client_id for scan in scans} - recorded.keys() | set(result.lost)
    wrong = sum(recorded.get(cid) != contact for cid, contact in result.answers.items())
    if result.refused:
        print(f"  refused: {Counter(result.refused).most_common(3)}")
    return {
        "scans refused (4xx)": len(result.refused),
        "scans lost": len(lost),
        "contacts duplicated": duplicated,
        "answers naming another contact": wrong + len(result.mismatched),
    }


# --- the morning -----------------------------------------------------------------------------


def prepare_morning(app, keys: dict, origin: str) -> int:
    """Every open follow-up due now, a phone for each attendee; the users with a digest due."""
    import sqlalchemy as sa

    from eventmate.extensions import db
    from eventmate.models import FollowUp, PushSubscription, User

    with app.app_context():
        due = datetime.now(UTC) - timedelta(hours=1)
        db.session.execute(sa.update(FollowUp).where(FollowUp.state == "open").values(due_at=due))
        ids = db.session.scalars(sa.select(User.id)).all()
        db.session.execute(
            sa.insert(PushSubscription),
            [
                {
                    "user_id": user_id,
                    "endpoint": f"{origin}/push/user-{user_id}",
                    "p256dh": keys["p256dh"],
                    "auth": keys["auth"],
                    "label": "Bench phone",
                }
                for user_id in ids
            ],
        )
        expected = db.session.scalar(
            sa.select(sa.func.count(sa.distinct(FollowUp.owner_id))).where(FollowUp.state == "open")
        )
        db.session.commit()
        db.engine.dispose()
    return expected


def launch_dispatcher(env, args, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "flask", "--app", "app", "reminders", "run",
        "--interval", "2", "--poll", "1", "--threads", "8", "--batch-size", "16",
        "--stall-timeout", str(args.stall_timeout),
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("ab"),
        text=True,
        start_new_session=True,
    )


def dispatcher_name(process: subprocess.Popen) -> str:
    """Once it has started: the name its claims carry."""
    line = process.stdout.readline()  # "Reminder dispatcher <name>: sending every ..."
    if not line.startswith("Reminder dispatcher "):
        sigkill(process)
        raise BenchError(f"a dispatcher did not start: {line!r}")
    # Read the rest in the background, so that it never blocks on a full pipe.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return line.removeprefix("Reminder dispatcher ").split(": ", 1)[0]


def deliveries(app, **where) -> list:
    import sqlalchemy as sa

    from eventmate.extensions import db
    from eventmate.models import PushDelivery as D

    with app.app_context():
        query = sa.select(D.id, D.state, D.claimed_by, D.finished_at, D.recovered)
        for name, value in where.items():
            query = query.where(getattr(D, name) == value)
        rows = db.session.execute(query).all()
        db.session.remove()
    return rows


def digest_checks(app, expected_users: int, origin: str) -> dict:
    import sqlalchemy as sa

    from eventmate.extensions import db
    from eventmate.models import PushDelivery, PushMessage

    with app.app_context():
        per_user = db.session.execute(
            sa.select(PushMessage.user_id, sa.func.count())
            .where(PushMessage.kind == "digest")
            .group_by(PushMessage.user_id)
        ).all()
        unsent = db.session.scalar(sa.select(sa.func.count()).where(PushDelivery.state != "sent"))
        recovered = db.session.scalar(
            sa.select(sa.func.count()).where(PushDelivery.recovered.is_(True))
        )
        db.engine.dispose()
    found = stats(origin)
    return {
        "users without a digest": expected_users - len(per_user),
        "users with more than one digest": sum(count > 1 for _, count in per_user),
        "deliveries not sent": unsent,
        "devices that got no push": expected_users - found["distinct"],
        "pushes refused by the push service": found["problems"],
        "resent after the kill (recovered)": recovered,
        "pushes received": found["received"],
        "cut off by the kill": found["cut_off"],
        "examples": found["problem_examples"],
    }


# --- the run ---------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except (BenchError, ServerError) as error:
        print(f"scaleout: could not run: {error}", file=sys.stderr)
        return 2


def run(args) -> int:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        raise BenchError(f"Redis is needed at {REDIS_URL}: {error}") from None
    keys = new_keys()
    secret_key = secrets.token_hex(32)
    database_url, drop_database = postgres_database()
    logs = Path(tempfile.mkdtemp(prefix="eventmate-scaleout-"))
    env = instance_env(database_url, secret_key, keys, f"scaleout-{secrets.token_hex(4)}:")
    processes: list = []
    try:
        return _run(args, keys, secret_key, database_url, logs, env, processes)
    finally:
        for thing in processes:
            if isinstance(thing, Server):
                thing.stop()
            elif thing.poll() is None:
                thing.terminate()
                try:
                    thing.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    sigkill(thing)
        drop_database()
        if args.keep:
            print(f"logs kept in {logs}")
        else:
            for path in logs.iterdir():
                path.unlink()
            logs.rmdir()


def _run(args, keys, secret_key, database_url, logs, env, processes) -> int:
    app = make_app(database_url, secret_key, keys)
    print(f"writing {args.attendees} attendees in PostgreSQL …", flush=True)
    started = time.perf_counter()
    attendees = create_event(app, args.attendees)
    print(f"  {time.perf_counter() - started:.1f} s", flush=True)

    servers = []
    for number in range(args.instances):
        servers.append(start_instance(env, args.workers, logs / f"instance{number}.log"))
        processes.append(servers[-1])
    print(f"instances on {', '.join(s.base_url for s in servers)}, limits in Redis", flush=True)
    refused_at = limits_are_shared(servers)
    print(f"rate limits real and shared: login refused at attempt {refused_at}", flush=True)

    scans = plan_scans(attendees, args.scans, args.seed)
    total = len(scans) + sum(scan.resend_later for scan in scans)
    victim = servers[-1]
    kill: dict[str, float] = {}

    def on_progress(answered: int) -> None:
        if "at" not in kill and answered >= total * 0.4:
            kill["at"] = time.time()
            sigkill(victim.process)

    async def killer() -> None:
        while "at" not in kill:
            await asyncio.sleep(0.05)
        restarted = await asyncio.to_thread(
            start_instance, env, args.workers, victim.log_path, victim.port
        )
        processes.append(restarted)
        kill["back"] = time.time()

    async def both() -> Burst:
        ports = [server.port for server in servers]
        result, _ = await asyncio.gather(burst(scans, ports, args.clients, on_progress), killer())
        return result

    print(f"burst: {len(scans)} scans + {total - len(scans)} resends, {args.clients} clients")
    result = asyncio.run(both())
    answered = len(result.latencies)
    print(
        f"  {answered} answers in {result.seconds:.1f} s: {answered / result.seconds:.0f} scans/s,"
        f" p50 {percentile(result.latencies, 0.5) * 1000:.0f} ms,"
        f" p95 {percentile(result.latencies, 0.95) * 1000:.0f} ms; statuses {dict(result.statuses)}"
    )
    down = kill["back"] - kill["at"]
    around = [what for at, what in result.errors if kill["at"] - 1 <= at <= kill["back"] + 5]
    print(
        f"  instance {victim.base_url} SIGKILLed, back after {down:.1f} s; clients saw"
        f" {len(result.errors)} failed attempts ({len(around)} around the kill:"
        f" {dict(Counter(around))}), each retried on the next instance"
    )
    failures = scan_checks(app, scans, result)

    service, origin = start_service(keys, delay_ms=args.push_delay_ms)
    try:
        expected = prepare_morning(app, keys, origin)
        print(f"morning: {expected} digests due, {args.dispatchers} dispatchers", flush=True)
        started = time.perf_counter()
        launched = [
            launch_dispatcher(env, args, logs / f"dispatcher{number}.log")
            for number in range(args.dispatchers)
        ]
        processes.extend(launched)
        victim = launched[0]
        name = dispatcher_name(victim)
        deadline = time.monotonic() + 600
        while not (held := deliveries(app, claimed_by=name, state="sending")):
            if time.monotonic() > deadline or len(deliveries(app, state="sent")) >= expected:
                seen = Counter((row.claimed_by, row.state) for row in deliveries(app))
                raise BenchError(f"dispatcher {name} never held a claim: {dict(seen)}")
            time.sleep(0.01)
        killed_at = datetime.now(UTC)
        sigkill(victim)
        restarted = launch_dispatcher(env, args, logs / "restarted.log")
        processes.append(restarted)
        for process in [*launched[1:], restarted]:
            dispatcher_name(process)
        held_ids = {row.id for row in held}
        while len([r for r in deliveries(app, state="sent")]) < expected:
            if time.monotonic() > deadline:
                raise BenchError("digests still unsent after 10 minutes")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        finished = [r.finished_at for r in deliveries(app) if r.id in held_ids and r.finished_at]
        waited = max(finished) - killed_at if finished else timedelta(0)
        print(
            f"  {expected} digests in {elapsed:.1f} s ({expected / elapsed:.0f}/s); dispatcher"
            f" {name} SIGKILLed holding {len(held_ids)} claims, which waited"
            f" {waited.total_seconds():.1f} s (stall timeout {args.stall_timeout} s)"
        )
        digests = digest_checks(app, expected, origin)
    finally:
        service.terminate()
        service.wait()

    resent = digests.pop("resent after the kill (recovered)")
    received = digests.pop("pushes received")
    cut_off = digests.pop("cut off by the kill")
    examples = digests.pop("examples")
    print(
        f"  pushes received {received} for {expected} devices, {cut_off} cut off mid-request by"
        f" the kill; {resent} deliveries taken over after the kill (a push the killed one had"
        " already handed over goes again, with the same Topic and notification tag, so the"
        " phone shows one)"
    )
    if examples:
        print(f"  refused pushes, e.g.: {examples}")
    failures |= digests
    if received - expected > resent:
        failures["pushes beyond the taken-over ones"] = received - expected - resent
    print()
    for what, count in failures.items():
        print(f"{what}: {count}")
    return 1 if any(failures.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
