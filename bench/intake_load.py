"""A load generator for the intake API: closed-loop async clients on loopback.

rate(...)   N clients, each sending its next request as soon as the last one answered,
            for a fixed time: requests per second and latency percentiles. Each client is one
            keep-alive HTTP/1.1 connection written by hand on asyncio streams (Connection
            below): httpx spent about a millisecond of CPU per request, on the same two cores
            as the server and PostgreSQL, which is a fifth of what a check-in costs the server.
faults(...) N clients working through a list of check-ins, each retried with the same
            Idempotency-Key until it gets an answer, while the caller restarts the server
            (httpx: reconnecting after the crash is its job, and speed does not matter there).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx2 as httpx

Request = tuple[str, str, dict[str, Any] | None, dict[str, str]]
"""(method, path, JSON body or None, extra headers)"""


@dataclass
class Rate:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


def client(base_url: str, token: str, clients: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    return httpx.AsyncClient(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}"},
        limits=limits,
        timeout=httpx.Timeout(10.0),
    )


class Connection:
    """One keep-alive HTTP/1.1 connection: a request out, a Content-Length answer back."""

    def __init__(self, base_url: str, token: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.auth = f"Authorization: Bearer {token}\r\nHost: {parts.netloc}\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        payload = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\n{self.auth}"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + payload)
        status_line = await self.reader.readuntil(b"\r\n")
        length = None
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding":
                raise RuntimeError("chunked answers are not expected from these routes")
        if length is None:
            raise RuntimeError("an answer without Content-Length")
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def rate(
    *,
    base_url: str,
    token: str,
    requests: Iterator[Request],
    clients: int,
    seconds: float,
    warmup: float = 2.0,
    expect: frozenset[int] = frozenset({200, 201}),
) -> Rate:
    """Closed loop: only requests that started after the warm-up are counted."""
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    measure_from, stop = start + warmup, start + warmup + seconds

    async def worker() -> None:
        nonlocal errors
        connection = Connection(base_url, token)
        try:
            while True:
                began = time.perf_counter()
                if began >= stop:
                    return
                method, path, body, headers = next(requests)
                status, _ = await connection.request(method, path, body, headers)
                took = (time.perf_counter() - began) * 1000
                if began >= measure_from:
                    latencies.append(took)
                    errors += status not in expect
        finally:
            connection.close()

    await asyncio.gather(*(worker() for _ in range(clients)))
    return Rate(len(latencies), errors, seconds, latencies)


@dataclass
class FaultResult:
    done: int = 0
    retries: int = 0
    refused: Counter[int] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


async def faults(
    *,
    base_url: str,
    token: str,
    tasks: list[tuple[str, dict[str, Any]]],
    clients: int,
    during: Callable[[FaultResult], Awaitable[None]],
) -> FaultResult:
    """Each task (path, body) gets one key and is resent with it until answered (not 5xx)."""
    result = FaultResult()
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
    for task in tasks:
        queue.put_nowait(task)
    started = time.perf_counter()
    async with client(base_url, token, clients) as http:

        async def worker() -> None:
            while not queue.empty():
                path, body = queue.get_nowait()
                key = str(uuid.uuid4())
                delay = 0.05
                while True:
                    try:
                        response = await http.post(
                            path, json=body, headers={"Idempotency-Key": key}
                        )
                    except httpx.TransportError:
                        response = None
                    if response is not None and response.status_code < 500:
                        break
                    result.retries += 1
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 1.0)
                result.done += 1
                if response.status_code in (200, 201):
                    result.outcomes.update(stay["outcome"] for stay in response.json()["stays"])
                else:
                    result.refused[response.status_code] += 1

        await asyncio.gather(during(result), *(worker() for _ in range(clients)))
    result.seconds = time.perf_counter() - started
    return result
