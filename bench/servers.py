"""gunicorn on 127.0.0.1 for the benchmark, and CPU accounting from /proc."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HOST = "127.0.0.1"
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


class ServerError(RuntimeError):
    """gunicorn did not start, or stopped."""


@dataclass(frozen=True)
class Settings:
    """What both servers share, so that the comparison is fair."""

    workers: int
    worker_class: str
    threads: int

    def describe(self) -> str:
        threads = f" ({self.threads} threads)" if self.worker_class == "gthread" else ""
        return f"gunicorn {self.workers} x {self.worker_class}{threads}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass(eq=False)
class Server:
    """gunicorn serving `app_spec`; a context manager that always stops it."""

    app_spec: str
    settings: Settings
    env: dict[str, str]
    log_path: Path
    ready_path: str  # any HTTP answer here means the server is up
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    ready_timeout: float = 60.0  # seconds for gunicorn to answer after starting

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "gunicorn",
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.settings.workers),
            "--worker-class", self.settings.worker_class,
            "--threads", str(self.settings.threads),
            "--pythonpath", f"{BENCH_DIR},{ROOT}",
            "--log-level", "warning",
            self.app_spec,
        ]  # fmt: skip

    def __enter__(self) -> "Server":
        with self.log_path.open("ab") as log:
            # A session of its own: Ctrl-C reaches only us, and we stop gunicorn in order.
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        try:
            self._wait_until_ready(self.ready_timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def _wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}"
                )
            try:
                httpx.get(self.base_url + self.ready_path, timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise ServerError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn: graceful shutdown of the master and its workers
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise ServerError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")

    def cpu(self) -> float:
        return process_tree_cpu(self.process.pid)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _clock_ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its descendants (0.0 without Linux /proc)."""
    ticks, pending = 0, [pid]
    while pending:
        proc = Path(f"/proc/{pending.pop()}")
        try:
            fields = (proc / "stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            for task in (proc / "task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return ticks / _clock_ticks() if ticks else 0.0


def machine_busy_cpu() -> float:
    """CPU seconds all processes on the machine used so far (0.0 without Linux /proc)."""
    try:
        first_line = Path("/proc/stat").read_text().split("\n", 1)[0]
    except FileNotFoundError:
        return 0.0
    ticks = [int(n) for n in first_line.split()[1:9]]  # without guest time, counted in user
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks) - idle) / _clock_ticks()
