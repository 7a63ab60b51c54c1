"""A small closed-loop HTTP/1.1 load generator on asyncio streams.

Why not httpx or locust: on a 2-core machine the load generator shares the CPU with the server.
A general-purpose client spends several times more CPU per request than this one, and the bare
endpoint would then measure the client rather than the server. Requests are prebuilt bytes;
responses are read by Content-Length. That is all gunicorn + Flask need.
"""

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


class Connection:
    """One virtual user's connection: kept while the server allows keep-alive, else reopened."""

    def __init__(self, host: str, port: int):
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> Response:
        reused = self._writer is not None
        try:
            return await self._exchange(request)
        except (ConnectionError, asyncio.IncompleteReadError):
            await self.close()
            if not reused:
                raise
            # The server closed an idle keep-alive connection just as we reused it: once more.
            return await self._exchange(request)

    async def _exchange(self, request: bytes) -> Response:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status, headers = parse_head(head)
        length = headers.get(b"content-length")
        if length is None:
            body = await self._reader.read()  # no length: the body ends when the server closes
        else:
            body = await self._reader.readexactly(int(length))
        if length is None or headers.get(b"connection", b"").lower() == b"close":
            await self.close()
        return Response(status, body)

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


def parse_head(head: bytes) -> tuple[int, dict[bytes, bytes]]:
    status_line, *lines = head.rstrip(b"\r\n").split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    headers = {}
    for line in lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        raise ValueError("chunked responses are not supported by this load generator")
    return status, headers


def post_json(host: str, path: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    """A complete POST request, ready to write to the socket."""
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        "Accept: application/json",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Tally:
    """What a measured window saw: latencies (seconds) of the responses counted in `statuses`.

    Errors are to be judged on `every_status` and `failures`, which cover the whole run.
    """

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    every_status: Counter = field(default_factory=Counter)  # warm-up and stragglers included
    failures: Counter = field(default_factory=Counter)  # no response at all, by exception
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the load generator's own CPU time over the window

    def add(self, other: "Tally") -> None:
        """Count another window of the same scenario in this one."""
        self.latencies += other.latencies
        self.statuses += other.statuses
        self.every_status += other.every_status
        self.failures += other.failures
        self.seconds += other.seconds
        self.cpu_seconds += other.cpu_seconds


# next_request(user) gives the request bytes and a token handed back to on_response.
NextRequest = Callable[[int], tuple[bytes, object]]
OnResponse = Callable[[int, object, Response], None]


async def closed_loop(
    host: str,
    port: int,
    *,
    users: int,
    next_request: NextRequest,
    on_response: OnResponse,
    warmup: float,
    duration: float,
    on_window: Callable[[str], None] = lambda _edge: None,
) -> Tally:
    """Each user sends a request as soon as its previous one is answered (no think time).

    Requests answered within the window after the warm-up are counted, whenever they started:
    a steady state's throughput, even when a request takes about as long as the window.
    `on_window` is called with "start" and "end" at the edges of that window.
    """
    loop = asyncio.get_running_loop()
    window_start = loop.time() + warmup
    window_end = window_start + duration
    tally = Tally(seconds=duration)

    async def user_loop(user: int) -> None:
        connection = Connection(host, port)
        try:
            while (started := loop.time()) < window_end:
                request, token = next_request(user)
                try:
                    response = await connection.send(request)
                except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                    tally.failures[type(error).__name__] += 1
                    await asyncio.sleep(0.01)  # don't spin if the server is gone
                    continue
                finished = loop.time()
                on_response(user, token, response)
                tally.every_status[response.status] += 1
                if window_start <= finished <= window_end:
                    tally.statuses[response.status] += 1
                    tally.latencies.append(finished - started)
        finally:
            await connection.close()

    async def cpu_meter() -> None:
        await asyncio.sleep(max(0.0, window_start - loop.time()))
        on_window("start")
        begin = time.process_time()
        await asyncio.sleep(max(0.0, window_end - loop.time()))
        tally.cpu_seconds = time.process_time() - begin
        on_window("end")

    await asyncio.gather(cpu_meter(), *(user_loop(user) for user in range(users)))
    return tally
