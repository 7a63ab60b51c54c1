"""Rate limits as deployed: gunicorn with 4 workers sharing the Redis on 127.0.0.1:6379.

Each run uses a key prefix of its own and deletes its keys afterwards, so parallel runs and
other tests on the same Redis don't meet."""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import redis

from eventmate import create_app
from eventmate.auth.passwords import hash_password
from eventmate.extensions import db
from eventmate.models import User
from tests.conftest import CSRF_META, STRONG_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
WORKERS = 4
OWNER = "owner@example.org"


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error})")
    return client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`gunicorn app:app` started from the checkout (so gunicorn.conf.py applies), as in the
    README; its log (access lines carry the worker's pid) goes to a file."""

    def __init__(self, tmp_path: Path, environment: dict, workers: int = WORKERS):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"gunicorn-{self.port}.log"
        command = [
            sys.executable, "-m", "gunicorn", "--workers", str(workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--access-logfile", "-", "--access-logformat", "access pid=%(p)s status=%(s)s",
            "--no-control-socket",  # its default path is shared by every gunicorn on the machine
            "app:app",
        ]  # fmt: skip
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=os.environ | environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_for_workers(workers)

    def _wait_for_workers(self, workers: int) -> None:
        deadline = time.monotonic() + 60  # a loaded CI machine
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited at boot:\n{self.text()[-3000:]}")
            if self.text().count("Booting worker") >= workers:
                try:
                    if httpx.get(self.url + "/login", timeout=5).status_code < 500:
                        return
                except httpx.TransportError:
                    pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn did not start:\n{self.text()[-3000:]}")

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _database_with_owner(tmp_path: Path) -> str:
    """A SQLite database with one account, made in-process at the production hash cost."""
    url = f"sqlite:///{tmp_path / 'eventmate.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "setup", "TESTING": True})
    with app.app_context():
        db.create_all()
        app.config["PASSWORD_HASH_METHOD"] = "scrypt"
        db.session.add(
            User(
                email=OWNER,
                password_hash=hash_password(STRONG_PASSWORD),
                display_name="Owner",
                timezone="UTC",
            )
        )
        db.session.commit()
        db.engine.dispose()
    return url


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = _redis_or_skip()
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    prefix = f"eventmate-test-{secrets.token_hex(6)}"
    gunicorn = Gunicorn(
        tmp_path,
        {
            "DATABASE_URL": _database_with_owner(tmp_path),
            "SECRET_KEY": "gunicorn-test-secret-not-for-production",
            "EVENTMATE_ENV": "development",  # plain http on 127.0.0.1
            "RATELIMIT_STORAGE_URI": REDIS_URL,
            "RATELIMIT_KEY_PREFIX": prefix,
            "TRUSTED_PROXIES": "1",
        },
    )
    try:
        yield gunicorn
    finally:
        gunicorn.stop()
        keys = list(store.scan_iter(match=f"*{prefix}*"))
        if keys:
            store.delete(*keys)


class Browser:
    """One visitor: a cookie jar and the CSRF token of the login page."""

    def __init__(self, url: str):
        self.client = httpx.Client(base_url=url, timeout=60)
        page = self.client.get("/login").text
        self.token = CSRF_META.search(page).group(1)

    def log_in(self, email: str, password: str, address: str) -> httpx.Response:
        return self.client.post(
            "/login",
            data={"csrf_token": self.token, "email": email, "password": password},
            headers={"X-Forwarded-For": address},
        )


def test_booting_with_redis_storage_works_and_says_nothing_about_limits(server):
    log = server.text()
    assert log.count("Booting worker") == WORKERS
    assert "Traceback" not in log
    assert "RATE LIMITS DO NOT HOLD" not in log


def test_100_wrong_passwords_from_one_address_exactly_20_are_processed(server):
    browser = Browser(server.url)
    address = "203.0.113.7"

    def attempt(number: int) -> int:
        # A different email each time: the per-account throttle stays out of this.
        return browser.log_in(f"guess{number}@example.org", "wrong password here", address)

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = Counter(response.status_code for response in pool.map(attempt, range(100)))
    assert statuses == {400: 20, 429: 80}
    # The count held while several workers answered (which of them checked the 20 is luck).
    pids = set(re.findall(r"access pid=<?(\d+)>? status=(?:400|429)", server.text()))
    assert len(pids) > 1, "the attempts were all served by one worker"
    # Another visitor behind the same proxy is not locked out.
    assert browser.log_in("guess@example.org", "wrong password", "203.0.113.8").status_code == 400


def test_failed_logins_to_one_account_are_throttled_whatever_the_address(server):
    browser = Browser(server.url)
    for number in range(5):
        response = browser.log_in(OWNER, f"wrong password {number}", f"198.51.100.{number}")
        assert response.status_code == 400
    # The right password, from yet another address: not even checked during the wait.
    response = browser.log_in(OWNER, STRONG_PASSWORD, "198.51.100.99")
    assert response.status_code == 429
    assert "try again in 1 minute" in response.text
    # An email without an account gets the same answer after the same tries.
    for number in range(5):
        browser.log_in("nobody@example.org", f"wrong password {number}", f"192.0.2.{number}")
    unknown = browser.log_in("nobody@example.org", STRONG_PASSWORD, "192.0.2.99")
    assert unknown.status_code == 429
    assert "try again in 1 minute" in unknown.text


def test_several_workers_without_shared_storage_say_so_at_boot(tmp_path):
    gunicorn = Gunicorn(
        tmp_path,
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'eventmate.sqlite3'}",
            "SECRET_KEY": "gunicorn-test-secret-not-for-production",
            "EVENTMATE_ENV": "production",
            "RATELIMIT_STORAGE_URI": "",
        },
        workers=2,
    )
    gunicorn.stop()
    warnings = [line for line in gunicorn.text().splitlines() if "RATE LIMITS DO NOT HOLD" in line]
    assert len(warnings) == 2, gunicorn.text()[-3000:]
    assert "[WARNING]" in warnings[0]
    assert "2 workers" in warnings[0]
    assert "RATELIMIT_STORAGE_URI=redis://" in warnings[0]
