"""Benchmark `POST /api/scans` against a bare Flask endpoint, both served by gunicorn.

    python bench/scans.py [--duration 10] [--rounds 3] [--users 32] [--workers 4]

Five scenarios, each driven from a separate load process against 127.0.0.1:
  bare     POST /api/echo of bench/bare_app.py (no database, no extensions)
  ceiling  POST /api/scans of bench/ceiling_app.py: the least a new scan can do on this stack
  noop     POST /bench/noop of EventMate: what any logged-in JSON write pays first
  new      POST /api/scans with new ids: badges, MECARDs, URLs and other users' EventMate cards
  repeat   POST /api/scans replaying ids already recorded (the offline outbox's retries)
They take turns, round after round, so that other work on the machine affects all of them
alike. Prints requests/second, p50/p95 latency, errors and CPU use per scenario and the
scan/bare throughput ratios, and the targets: new scans against the ceiling, repeated ones
against the no-op. Exits 1 on any error, or any "database is locked" or traceback in
the server logs. See bench/README.md.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import secrets
import shutil
import signal
import sys
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from httpload import Tally, closed_loop, post_json
from payloads import PayloadMix, person, vcard
from servers import HOST, ROOT, Server, ServerError, Settings, machine_busy_cpu

if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))  # `eventmate`, for creating the database

PASSWORD = "violet kettle orbit lantern"  # noqa: S105 (the bench accounts' password)
USER_AGENT = "eventmate-bench/1.0"  # the same at login and under load: login sessions bind to it
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
SESSION_COOKIE = "eventmate_session"
# Issue 13: each scan scenario against the least work of its kind, in the same run.
TARGETS = {"new": ("ceiling", 0.50), "repeat": ("noop", 0.80)}
LOCKED = "database is locked"
NOISE = 0.2  # other processes' CPU (share of one CPU) above which the report warns


class BenchError(RuntimeError):
    """The benchmark could not run (as opposed to: it ran and found errors)."""


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: str  # "bare", "new" or "repeat"
    expected_status: int


SCENARIOS = (
    Scenario("bare POST", "bare", 200),
    Scenario("ceiling: least scan", "ceiling", 201),
    Scenario("EventMate no-op", "noop", 200),
    Scenario("scans, new ids", "new", 201),
    Scenario("scans, repeated ids", "repeat", 200),
)


def by_kind(totals: dict[str, "Measurement"]) -> dict[str, "Measurement"]:
    return {m.scenario.kind: m for m in totals.values()}


def target_ratios(totals: dict[str, "Measurement"]) -> dict[str, float]:
    """Each scan scenario's throughput as a share of its reference's."""
    kinds = by_kind(totals)
    return {
        kind: kinds[kind].rate / kinds[reference].rate if kinds[reference].rate else 0.0
        for kind, (reference, _share) in TARGETS.items()
    }


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--duration", type=float, default=10.0, help="measured seconds per scenario (default 10)")
    add("--rounds", type=int, default=3, help="the scenarios take turns this often (default 3)")
    add("--warmup", type=float, default=1.0, help="unmeasured seconds per turn (default 1)")
    add("--users", type=int, default=32, help="concurrent logged-in users (default 32)")
    add("--workers", type=int, default=4, help="gunicorn workers, for both apps (default 4)")
    add("--worker-class", default="sync", choices=("sync", "gthread"), help="(default sync)")
    add("--threads", type=int, default=1, help="threads per gthread worker (default 1)")
    add("--seed", type=int, default=1, help="seed for the payload mix (default 1)")
    add("--keep", action="store_true", help="keep the temporary folder (database, server logs)")
    add(
        "--check-target",
        action="store_true",
        help="also exit 1 when new scans are below 50%% of the ceiling's throughput or "
        "repeated ones below 80%% of the no-op's",
    )
    args = parser.parse_args(argv)
    if min(args.users - 1, args.workers, args.threads, args.rounds) < 1 or args.duration <= 0:
        parser.error("need --users >= 2, --workers, --threads, --rounds >= 1, --duration > 0")
    if args.warmup < 0:
        parser.error("--warmup can't be negative")
    return args


# --- EventMate data and sessions --------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    cookie: str  # the Cookie header value
    csrf: str
    card_link: str  # this user's card URL, as their QR code shows it


def server_env(database_uri: str) -> dict[str, str]:
    """Development cookies over http, one secret key for all workers, the bench database."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "PUBLIC_BASE_URL", "RATELIMIT_STORAGE_URI"):
        env.pop(name, None)
    env.update(
        EVENTMATE_ENV="development",
        SECRET_KEY=secrets.token_hex(32),
        BENCH_DATABASE_URI=database_uri,
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare_database(database_uri: str, users: int) -> list[tuple[str, str]]:
    """Create the schema and the users (half of them at a shared event); (email, card token)."""
    from eventmate_app import create_bench_app

    from eventmate.auth.accounts import create_account
    from eventmate.auth.passwords import hash_password
    from eventmate.events.service import create_event, join_by_code
    from eventmate.extensions import db

    app = create_bench_app(database_uri)
    with app.app_context():
        db.create_all()
        accounts = []
        password_hash = hash_password(PASSWORD)
        for number in range(users):
            p = person(number)
            user = create_account(
                email=f"bench{number}@example.org",
                password_hash=password_hash,
                display_name=f"{p['first']} {p['last']} {number}",
                timezone="Europe/Lisbon",
            )
            user.headline, user.website = p["title"], f"https://{p['handle']}.example"
            accounts.append(user)
        event = create_event(accounts[0], name="Bench Conf 2026")
        for user in accounts[2::2]:
            join_by_code(user, event.join_code)
        db.session.commit()
        result = [(user.email, user.card_token) for user in accounts]
        db.session.remove()
        db.engine.dispose()
    return result


def csrf_token(response: httpx.Response) -> str:
    match = CSRF_META.search(response.text)
    if response.status_code != 200 or not match:
        raise BenchError(f"GET {response.url} gave {response.status_code} without a CSRF token")
    return match.group(1)


def log_in(base_url: str, email: str, card_token: str) -> Session:
    """Log in as the browser does; the CSRF token for the API comes from a page after login."""
    with httpx.Client(base_url=base_url, headers={"User-Agent": USER_AGENT}) as client:
        token = csrf_token(client.get("/login"))
        form = {"email": email, "password": PASSWORD, "csrf_token": token}
        response = client.post("/login", data=form)
        if response.status_code != 302:
            raise BenchError(f"login as {email} gave {response.status_code}, not 302")
        token = csrf_token(client.get("/scan"))
        cookie = client.cookies.get(SESSION_COOKIE)
    return Session(f"{SESSION_COOKIE}={cookie}", token, f"{base_url}/c/{card_token}")


# --- the load process -------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadSpec:
    kind: str  # of Scenario
    port: int
    users: int
    warmup: float
    duration: float
    seed: int
    sessions: tuple[Session, ...] = ()
    replays: tuple[tuple[bytes, ...], ...] = ()  # per user: bodies of scans already recorded


@dataclass
class LoadResult:
    tally: Tally
    recorded: list[list[bytes]]  # per user: bodies of scans answered 201, to replay later


def scan_body(payload: str) -> bytes:
    scanned_at = datetime.now(UTC).isoformat(timespec="milliseconds")
    body = {"id": str(uuid.uuid4()), "payload": payload, "scanned_at": scanned_at}
    return json.dumps(body).encode()


def request_maker(spec: LoadSpec):
    """next_request(user) for the scenario: (request bytes, its body)."""
    host = f"{HOST}:{spec.port}"
    badge = vcard(person(0))  # bare and no-op: a body of a scan's size
    if spec.kind == "bare":

        def bare(_user: int):
            body = scan_body(badge)
            return post_json(host, "/api/echo", body, {"User-Agent": USER_AGENT}), body

        return bare

    headers = [
        {"User-Agent": USER_AGENT, "Cookie": session.cookie, "X-CSRFToken": session.csrf}
        for session in spec.sessions
    ]
    if spec.kind == "noop":

        def noop(user: int):
            body = scan_body(badge)
            return post_json(host, "/bench/noop", body, headers[user]), body

        return noop

    if spec.kind in ("new", "ceiling"):
        links = [session.card_link for session in spec.sessions]
        mixes = [
            PayloadMix(spec.seed * 1000 + user, links[:user] + links[user + 1 :])
            for user in range(spec.users)
        ]

        def new_scan(user: int):
            body = scan_body(mixes[user].next())
            return post_json(host, "/api/scans", body, headers[user]), body

        return new_scan

    rng = random.Random(spec.seed)

    def replay(user: int):
        body = rng.choice(spec.replays[user])
        return post_json(host, "/api/scans", body, headers[user]), body

    return replay


def load_main(spec: LoadSpec, conn) -> None:
    """The load process: runs one turn of a scenario and sends back a LoadResult.

    Before that it sends "start" and "end" at the edges of the measured window, for the
    parent to read the server's CPU time over exactly that window.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    recorded: list[list[bytes]] = [[] for _ in range(spec.users)]

    def on_response(user, body, response) -> None:
        if spec.kind == "new" and response.status == 201:
            recorded[user].append(body)

    tally = asyncio.run(
        closed_loop(
            HOST,
            spec.port,
            users=spec.users,
            next_request=request_maker(spec),
            on_response=on_response,
            warmup=spec.warmup,
            duration=spec.duration,
            on_window=conn.send,
        )
    )
    conn.send(LoadResult(tally, recorded))


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Measurement:
    scenario: Scenario
    tally: Tally
    server_cpu: float  # CPU seconds in the measured windows: gunicorn's,
    machine_cpu: float  # and all processes' on the machine

    def add(self, other: "Measurement") -> None:
        self.tally.add(other.tally)
        self.server_cpu += other.server_cpu
        self.machine_cpu += other.machine_cpu

    @property
    def other_cpu(self) -> float:
        """CPU used by neither the server nor the load generator: other work on the machine."""
        return max(0.0, self.machine_cpu - self.server_cpu - self.tally.cpu_seconds)

    @property
    def requests(self) -> int:
        return len(self.tally.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.tally.seconds

    @property
    def errors(self) -> Counter:
        """Unexpected statuses and failed requests, in the warm-ups too."""
        expected = self.scenario.expected_status
        every = self.tally.every_status
        unexpected = Counter({f"HTTP {s}": n for s, n in every.items() if s != expected})
        return unexpected + self.tally.failures

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.tally.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run_load(spec: LoadSpec, server: Server, scenario: Scenario) -> tuple[Measurement, list]:
    """One turn of a scenario from a fresh process: the measurement and the scans recorded."""
    context = multiprocessing.get_context("spawn")
    parent_conn, child_conn = context.Pipe()
    process = context.Process(target=load_main, args=(spec, child_conn), name=f"load-{spec.kind}")
    process.start()
    child_conn.close()
    marks = {}
    try:
        while not isinstance(message := parent_conn.recv(), LoadResult):
            marks[message] = (server.cpu(), machine_busy_cpu())
        process.join(timeout=30)
    except EOFError:
        raise BenchError(f"the load process for {scenario.name!r} died") from None
    finally:
        if process.is_alive():
            process.terminate()
            process.join()
    (server_start, machine_start), (server_end, machine_end) = marks["start"], marks["end"]
    measurement = Measurement(
        scenario, message.tally, server_end - server_start, machine_end - machine_start
    )
    return measurement, message.recorded


def measure(args, servers: dict[str, Server], sessions: tuple[Session, ...]):
    """All scenarios, taking turns for `args.rounds` rounds.

    Returns the measurements summed over the rounds, by scenario name, and each round's
    requests/second by scenario kind. Repeats replay every scan recorded in earlier turns.
    """
    totals: dict[str, Measurement] = {}
    rates: list[dict[str, float]] = []
    replays: list[list[bytes]] = [[] for _ in sessions]
    turn = args.duration / args.rounds
    for number in range(1, args.rounds + 1):
        rates.append({})
        for scenario in SCENARIOS:
            print(f"round {number}/{args.rounds}: {scenario.name} …", flush=True)
            spec = LoadSpec(
                scenario.kind,
                servers[scenario.kind].port,
                users=len(sessions),
                warmup=args.warmup,
                duration=turn,
                seed=args.seed * 100 + number,
                sessions=sessions,
                replays=tuple(tuple(bodies) for bodies in replays),
            )
            if scenario.kind == "repeat" and not all(replays):
                raise BenchError("a user had no scan recorded, so there is nothing to replay")
            measurement, recorded = run_load(spec, servers[scenario.kind], scenario)
            for user, bodies in enumerate(recorded):
                replays[user] += bodies
            rates[-1][scenario.kind] = measurement.rate
            if scenario.name in totals:
                totals[scenario.name].add(measurement)
            else:
                totals[scenario.name] = measurement
            for server in set(servers.values()):
                server.check_running()
    return totals, rates


# --- report -----------------------------------------------------------------------------------


def cpu_per_request(m: Measurement) -> float:
    return m.server_cpu / max(m.requests, 1)


COLUMNS = (
    # (header, width, cell)
    ("requests", 9, lambda m: f"{m.requests}"),
    ("req/s", 7, lambda m: f"{m.rate:.0f}"),
    ("p50 ms", 8, lambda m: f"{m.percentile(0.50) * 1000:.1f}"),
    ("p95 ms", 8, lambda m: f"{m.percentile(0.95) * 1000:.1f}"),
    ("errors", 7, lambda m: f"{sum(m.errors.values())}"),
    ("srv CPU ms/req", 15, lambda m: f"{cpu_per_request(m) * 1000:.2f}"),
    ("srv CPU %", 10, lambda m: f"{m.server_cpu * 100 / m.tally.seconds:.0f}"),
    ("load CPU %", 11, lambda m: f"{m.tally.cpu_seconds * 100 / m.tally.seconds:.0f}"),
    ("other CPU %", 12, lambda m: f"{m.other_cpu * 100 / m.tally.seconds:.0f}"),
)


def print_report(args, settings: Settings, totals: dict[str, Measurement], rates) -> None:
    print(
        f"\n{settings.describe()}, {args.users} concurrent users, SQLite, {os.cpu_count()} CPUs;"
        f" {args.duration:g} s measured per scenario in {args.rounds} turns"
        f" (after {args.warmup:g} s warm-up each). CPU %: of one CPU.\n"
    )
    print(f"{'scenario':<20}" + "".join(f"{name:>{width}}" for name, width, _ in COLUMNS))
    for m in totals.values():
        print(f"{m.scenario.name:<20}" + "".join(f"{cell(m):>{w}}" for _, w, cell in COLUMNS))
    print()
    for m in totals.values():
        if m.errors:
            print(f"errors in {m.scenario.name}: {dict(m.errors)}")
    bare = totals[SCENARIOS[0].name]
    for scenario in SCENARIOS[1:]:
        scans = totals[scenario.name]
        ratio = scans.rate / bare.rate if bare.rate else 0.0
        turns = " ".join(f"{r[scenario.kind] / r['bare']:.0%}" for r in rates if r["bare"])
        print(
            f"{scenario.name} / {bare.scenario.name}: {ratio:.1%} of the throughput"
            f" (by round: {turns}),"
            f" {cpu_per_request(scans) / (cpu_per_request(bare) or 1):.1f} x the server CPU"
            " per request"
        )
    kinds = by_kind(totals)
    for kind, ratio in target_ratios(totals).items():
        reference, share = TARGETS[kind]
        scans, against = kinds[kind], kinds[reference]
        verdict = "meets" if ratio >= share else "BELOW"
        turns = " ".join(f"{r[kind] / r[reference]:.0%}" for r in rates if r[reference])
        by_cpu = cpu_per_request(against) / (cpu_per_request(scans) or 1)
        print(
            f"target: {scans.scenario.name} / {against.scenario.name}: {ratio:.1%}"
            f" ({verdict} {share:.0%}; by round: {turns}; by server CPU per request: {by_cpu:.0%})"
        )
    noisy = max(m.other_cpu / m.tally.seconds for m in totals.values())
    if noisy > NOISE:
        print(
            f"note: other processes used {noisy:.0%} of a CPU during some measurements;"
            " absolute figures are lower than on an idle machine"
        )


EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception)\b.*")


def log_problems(*logs: Path) -> tuple[Counter, list[str]]:
    """Lines in the gunicorn logs that mean trouble, by kind; and the first few exceptions."""
    kinds = {LOCKED: LOCKED, "Traceback": "tracebacks", "WORKER TIMEOUT": "worker timeouts"}
    found, examples = Counter(), []
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            found.update(name for needle, name in kinds.items() if needle in line)
            if EXCEPTION_LINE.match(line) and line not in examples and len(examples) < 3:
                examples.append(line)
    return found, examples


def print_log_problems(problems: Counter, examples: list[str]) -> None:
    summary = ", ".join(f"{n} x {kind!r}" for kind, n in problems.items())
    print(f"server logs: {summary or 'clean'} ({problems[LOCKED]} x {LOCKED!r})")
    for line in examples:
        print(f"  e.g. {line[:200]}")


# --- the run ----------------------------------------------------------------------------------


def run(args: argparse.Namespace, tmp: Path) -> int:
    database_uri = f"sqlite:///{tmp / 'eventmate.sqlite3'}"
    env = server_env(database_uri)
    os.environ.update({name: env[name] for name in ("EVENTMATE_ENV", "SECRET_KEY")})
    os.environ.pop("DATABASE_URL", None)
    settings = Settings(args.workers, args.worker_class, args.threads)

    print(f"creating {args.users} users in {database_uri} …", flush=True)
    accounts = prepare_database(database_uri, args.users)
    logs = tuple(tmp / f"gunicorn-{name}.log" for name in ("bare", "ceiling", "eventmate"))
    with (
        Server("bare_app:app", settings, env, logs[0], "/api/echo") as bare,
        Server("ceiling_app:create_ceiling_app()", settings, env, logs[1], "/api/scans") as least,
        Server("eventmate_app:create_bench_app()", settings, env, logs[2], "/login") as app,
    ):
        print(
            f"bare app on {bare.base_url}, ceiling on {least.base_url},"
            f" EventMate on {app.base_url}",
            flush=True,
        )
        sessions = tuple(log_in(app.base_url, email, token) for email, token in accounts)
        servers = {"bare": bare, "ceiling": least, "noop": app, "new": app, "repeat": app}
        totals, rates = measure(args, servers, sessions)

    print_report(args, settings, totals, rates)
    problems, examples = log_problems(*logs)
    print_log_problems(problems, examples)
    failed = any(m.errors for m in totals.values()) or sum(problems.values()) > 0
    below = any(ratio < TARGETS[kind][1] for kind, ratio in target_ratios(totals).items())
    return 1 if failed or (args.check_target and below) else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so that the servers and the load process are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="eventmate-bench-"))
    try:
        return run(args, tmp)
    except (BenchError, ServerError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
