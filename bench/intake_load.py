"""A load generator for the intake API: closed-loop async clients over httpx, on loopback.

rate(...)   N clients, each sending its next request as soon as the last one answered,
            for a fixed time: requests per second and latency percentiles.
faults(...) N clients working through a list of check-ins, each retried with the same
            Idempotency-Key until it gets an answer, while the caller restarts the server.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

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
    async with client(base_url, token, clients) as http:
        start = time.perf_counter()
        measure_from, stop = start + warmup, start + warmup + seconds

        async def worker() -> None:
            nonlocal errors
            while True:
                began = time.perf_counter()
                if began >= stop:
                    return
                method, path, body, headers = next(requests)
                response = await http.request(method, path, json=body, headers=headers)
                took = (time.perf_counter() - began) * 1000
                if began >= measure_from:
                    latencies.append(took)
                    errors += response.status_code not in expect

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
