"""Benchmark the reminder dispatcher against a bare pywebpush loop, to the same fake push service.

    python bench/reminders.py [--count 10000] [--dispatchers 4] [--threads 16] [--delay-ms 0]

The fake push service (tests/push_service.py) runs in its own process on 127.0.0.1 and, as in
the tests, verifies every VAPID JWT and decrypts every body. In one run:
  bare      a single-threaded loop of pywebpush.webpush() calls: --count pushes of the digest's
            size, fresh claims each, TTL, Urgency and Topic as the dispatcher sends them
  1 × pg    one dispatcher process: `Dispatcher.run_once` (plan the digests of --count due
            users, claim, send, record) on PostgreSQL
  N × pg    --dispatchers processes started together on the same due users (shared work)
  1 × sqlite  the same single dispatcher on SQLite (the default single-machine setup)
and prints digests/second for each, the ratio of one dispatcher to the bare loop (target
≥ 0.70) and the speed-up of N dispatchers over one (target ≥ 3×). Every scenario must deliver
each digest exactly once with no VAPID or decryption problem, else the run exits 1.

PostgreSQL comes from TEST_DATABASE_URL / DATABASE_URL / postgres@127.0.0.1:5432, as for the
tests; the bench creates its own database and drops it at the end.
"""

import argparse
import json
import multiprocessing
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # 10:00 in Lisbon: every bench user is due
SUBJECT = "mailto:bench@eventmate.example.org"
TARGET_RATIO = 0.70
TARGET_SPEEDUP = 3.0


class BenchError(RuntimeError):
    pass


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="digests (default 10000)")
    parser.add_argument("--dispatchers", type=int, default=4, help="for the shared run (4)")
    parser.add_argument("--threads", type=int, default=16, help="send threads per dispatcher")
    parser.add_argument(
        "--delay-ms",
        type=float,
        default=0.0,
        help="the fake service waits this long before answering, like a distant push service",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    return parser.parse_args(argv)


# --- keys and the fake push service --------------------------------------------------------------


def new_keys() -> dict:
    from py_vapid import Vapid02

    from eventmate.push.vapid import public_key_of
    from tests.push_service import Receiver, b64url

    vapid = Vapid02()
    vapid.generate_keys()
    receiver = Receiver.generate()
    return {
        "vapid_private": b64url(
            vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
        ),
        "vapid_public": public_key_of(vapid),
        "receiver_private": receiver.private_raw(),
        "p256dh": receiver.p256dh,
        "auth": b64url(receiver.auth),
    }


def start_service(keys: dict, delay_ms: float) -> tuple[subprocess.Popen, str]:
    command = [
        sys.executable, "-m", "tests.push_service",
        f"--vapid-public-key={keys['vapid_public']}",  # "=": a key may start with "-"
        f"--receiver-key={keys['receiver_private']}",
        f"--auth={keys['auth']}",
        f"--delay-ms={delay_ms}",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("listening "):
        process.kill()
        raise BenchError(f"the fake push service did not start: {line!r}")
    return process, line.removeprefix("listening ")


def stats(origin: str, *, reset: bool = False) -> dict:
    with urllib.request.urlopen(f"{origin}/stats", timeout=10) as response:  # noqa: S310
        found = json.load(response)
    if reset:
        request = urllib.request.Request(f"{origin}/stats", method="DELETE")  # noqa: S310
        urllib.request.urlopen(request, timeout=10).close()  # noqa: S310
    return found


# --- the ceiling: a bare pywebpush loop ----------------------------------------------------------


def sample_payload() -> str:
    from eventmate.reminders.payload import render

    return render(
        "3 people to follow up with today",
        "Follow up with Ana, Ben and 1 other from DevConf",
        "/inbox",
        3,
    )


class Run(NamedTuple):
    rate: float  # per second of wall-clock time
    cpu_ms: float  # the sender's own CPU time per push, all threads (not the service's, nor the
    # database server's): steadier than the rate when other processes share the machine


def bare_loop(keys: dict, origin: str, count: int) -> Run:
    import requests
    from py_vapid import Vapid02
    from pywebpush import webpush

    vapid = Vapid02.from_string(keys["vapid_private"])
    session = requests.Session()
    payload = sample_payload()
    started, cpu = time.perf_counter(), time.process_time()
    for number in range(count):
        webpush(
            {
                "endpoint": f"{origin}/push/bare-{number}",
                "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]},
            },
            data=payload,
            vapid_private_key=vapid,
            vapid_claims={"sub": SUBJECT, "aud": origin, "exp": int(time.time()) + 43200},
            ttl=86400,
            timeout=10,
            headers={"Urgency": "normal", "Topic": "eventmate-digest"},
            requests_session=session,
        )
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Run(count / elapsed, 1000 * cpu / count)


# --- the database: N due users, each with one device ---------------------------------------------


def app_for(database_url: str, keys: dict):
    from eventmate import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "VAPID_PRIVATE_KEY": keys["vapid_private"],
            "VAPID_SUBJECT": SUBJECT,
            "PUSH_ALLOW_LOOPBACK": True,
        }
    )


def fill(database_url: str, keys: dict, origin: str, count: int) -> None:
    import sqlalchemy as sa

    from eventmate.extensions import db
    from eventmate.models import Contact, FollowUp, Meeting, PushSubscription, User

    app = app_for(database_url, keys)
    with app.app_context():
        db.drop_all()
        db.create_all()
        users = [
            {
                "email": f"user{n}@bench.example.org",
                "password_hash": "-",
                "display_name": f"User {n}",
                "timezone": "Europe/Lisbon",
                "reminder_hour": 9,
            }
            for n in range(count)
        ]
        db.session.execute(sa.insert(User), users)
        ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
        contacts = [
            {"owner_id": user_id, "source": "manual", "full_name": name}
            for user_id in ids
            for name in ("Ana Ribeiro", "Ben Okafor", "Chloé Martin")
        ]
        db.session.execute(sa.insert(Contact), contacts)
        rows = db.session.execute(sa.select(Contact.id, Contact.owner_id)).all()
        met = NOW - timedelta(days=1)
        db.session.execute(
            sa.insert(Meeting),
            [
                {"contact_id": c, "kind": "scan", "met_at": met, "event_name": "DevConf"}
                for c, _ in rows
            ],
        )
        db.session.execute(
            sa.insert(FollowUp),
            [{"owner_id": o, "contact_id": c, "due_at": NOW - timedelta(hours=2)} for c, o in rows],
        )
        db.session.execute(
            sa.insert(PushSubscription),
            [
                {
                    "user_id": user_id,
                    "endpoint": f"{origin}/push/user-{user_id}",
                    "p256dh": keys["p256dh"],
                    "auth": keys["auth"],
                    "label": "Bench",
                }
                for user_id in ids
            ],
        )
        db.session.commit()
        db.engine.dispose()


def forget_digests(database_url: str, keys: dict) -> None:
    import sqlalchemy as sa

    from eventmate.extensions import db
    from eventmate.models import PushDelivery, PushMessage

    app = app_for(database_url, keys)
    with app.app_context():
        db.session.execute(sa.delete(PushDelivery))
        db.session.execute(sa.delete(PushMessage))
        db.session.commit()
        db.engine.dispose()


def undelivered(database_url: str, keys: dict) -> int:
    import sqlalchemy as sa

    from eventmate.extensions import db
    from eventmate.models import PushDelivery

    app = app_for(database_url, keys)
    with app.app_context():
        left = db.session.scalar(sa.select(sa.func.count()).where(PushDelivery.state != "sent"))
        db.engine.dispose()
    return left


# --- dispatchers, each in its own process --------------------------------------------------------


def dispatcher_process(database_url, keys, threads, ready, go, results) -> None:
    from eventmate.reminders.dispatch import Dispatcher, Settings

    app = app_for(database_url, keys)
    with app.app_context():
        dispatcher = Dispatcher(settings=Settings(threads=threads))
        ready.release()
        go.wait()
        started, cpu = time.time(), time.process_time()
        tally = dispatcher.run_once(NOW)
        cpu = time.process_time() - cpu
        results.put((started, time.time(), cpu, tally.planned, tally.sent, tally.retried))


def run_dispatchers(
    database_url: str, keys: dict, processes: int, threads: int
) -> tuple[float, float]:
    """Wall-clock seconds from the common start to the last one's end, and CPU seconds."""
    context = multiprocessing.get_context("spawn")
    ready, go, results = context.Semaphore(0), context.Event(), context.Queue()
    workers = [
        context.Process(
            target=dispatcher_process, args=(database_url, keys, threads, ready, go, results)
        )
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        if not ready.acquire(timeout=120):
            raise BenchError("a dispatcher did not start")
    go.set()
    outcomes = [results.get(timeout=1800) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        if worker.exitcode != 0:
            raise BenchError(f"a dispatcher exited with {worker.exitcode}")
    if any(retried for *_, retried in outcomes):
        raise BenchError(f"retries in a bench run: {outcomes}")
    elapsed = max(end for _, end, *_ in outcomes) - min(start for start, *_ in outcomes)
    return elapsed, sum(cpu for _, _, cpu, *_ in outcomes)


def check_delivered(origin: str, count: int, label: str) -> None:
    found = stats(origin, reset=True)
    if (found["received"], found["distinct"], found["problems"]) != (count, count, 0):
        raise BenchError(f"{label}: expected {count} distinct pushes, no problems; got {found}")


def measure(label, database_url, keys, origin, args, processes: int = 1) -> Run:
    forget_digests(database_url, keys)
    elapsed, cpu = run_dispatchers(database_url, keys, processes, args.threads)
    check_delivered(origin, args.count, label)
    if undelivered(database_url, keys):
        raise BenchError(f"{label}: deliveries left unsent")
    return Run(args.count / elapsed, 1000 * cpu / args.count)


# --- the run -------------------------------------------------------------------------------------


def postgres_database() -> tuple[str, callable]:
    import sqlalchemy as sa

    from tests.databases import POSTGRES_PROBLEM, _server_url

    if POSTGRES_PROBLEM:
        raise BenchError(f"PostgreSQL is needed: {POSTGRES_PROBLEM}")
    name = f"eventmate_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(_server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return _server_url().set(database=name).render_as_string(hide_password=False), drop


def report(label: str, run: Run, unit: str, note: str = "") -> None:
    cpu = f"{run.cpu_ms:5.2f} ms CPU each"
    print(f"{label:<28} {run.rate:7.0f} {unit:<10} {cpu}   {note}", flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    keys = new_keys()
    service, origin = start_service(keys, args.delay_ms)
    drop = None
    try:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"== {args.count} digests, {os.cpu_count()} CPUs (load average {load}), {origin}")
        print(
            f"   answering after {args.delay_ms:g} ms; {args.threads} send threads per dispatcher"
        )
        bare = bare_loop(keys, origin, args.count)
        check_delivered(origin, args.count, "bare loop")
        report("bare pywebpush loop", bare, "pushes/s")

        postgres, drop = postgres_database()
        fill(postgres, keys, origin, args.count)
        one = measure("1 × pg", postgres, keys, origin, args)
        report("1 dispatcher, PostgreSQL", one, "digests/s", f"{one.rate / bare.rate:.2f} × bare")
        many = measure(f"{args.dispatchers} × pg", postgres, keys, origin, args, args.dispatchers)
        label = f"{args.dispatchers} dispatchers, PostgreSQL"
        report(label, many, "digests/s", f"{many.rate / one.rate:.2f} × one dispatcher")
        if not args.no_sqlite:
            with tempfile.TemporaryDirectory() as folder:
                sqlite = f"sqlite:///{folder}/bench.sqlite3"
                fill(sqlite, keys, origin, args.count)
                lite = measure("1 × sqlite", sqlite, keys, origin, args)
            report("1 dispatcher, SQLite", lite, "digests/s", f"{lite.rate / bare.rate:.2f} × bare")
        ratio_ok = one.rate / bare.rate >= TARGET_RATIO
        speedup_ok = many.rate / one.rate >= TARGET_SPEEDUP
        print(
            f"targets: one dispatcher ≥ {TARGET_RATIO:.0%} of the bare loop: "
            f"{'met' if ratio_ok else 'MISSED'}; {args.dispatchers} dispatchers ≥ "
            f"{TARGET_SPEEDUP:g}× one: {'met' if speedup_ok else 'MISSED'}"
        )
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"   load average at the end: {load} (other processes' work skews every figure)")
        return 0
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    finally:
        service.terminate()
        service.wait(timeout=10)
        if drop:
            drop()


if __name__ == "__main__":
    sys.exit(main())
