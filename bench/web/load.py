"""A small, bounded HTTP load client (threads + http.client) for a server on localhost.

Each request opens its own connection so that servers with and without keep-alive (waitress,
gunicorn sync workers) are measured alike. Every run stops by itself: a fixed request count
for single-request latency, a fixed duration for the concurrent phase.
"""

from __future__ import annotations

import http.client
import itertools
import os
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Request", "concurrent", "get", "sequential"]


@dataclass(frozen=True)
class Request:
    """One GET against the server under test."""

    path: str
    headers: dict[str, str]


def get(port: int, request: Request, timeout: float) -> tuple[int, float]:
    """One request on a fresh connection: (status or 0 on a connection error, milliseconds)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", request.path, headers={**request.headers, "Connection": "close"})
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        conn.close()
    return status, (time.perf_counter() - started) * 1000


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def sequential(port: int, requests: Sequence[Request], count: int, timeout: float = 30.0) -> dict[str, Any]:
    """``count`` requests one after another (after one warm-up pass): latency percentiles in ms."""
    for request in requests[: min(3, len(requests))]:
        get(port, request, timeout)
    times: list[float] = []
    errors = 0
    for request in itertools.islice(itertools.cycle(requests), count):
        status, ms = get(port, request, timeout)
        times.append(ms)
        errors += status != 200
    return {
        "requests": count,
        "p50_ms": _percentile(times, 0.5),
        "p90_ms": _percentile(times, 0.9),
        "mean_ms": round(statistics.fmean(times), 1),
        "errors": errors,
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def concurrent(
    port: int, requests: Sequence[Request], clients: int, seconds: float, timeout: float = 30.0
) -> dict[str, Any]:
    """``clients`` threads send requests back to back for ``seconds``: throughput and latency."""
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    times: list[float] = []
    statuses: dict[int, int] = {}
    load_before = os.getloadavg()[0]

    def client(offset: int) -> None:
        for request in itertools.islice(itertools.cycle(requests), offset, None):
            if time.perf_counter() >= deadline:
                return
            status, ms = get(port, request, timeout)
            with lock:
                times.append(ms)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + timeout + 5)
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(times),
        "req_per_s": round(len(times) / elapsed, 1),
        "p50_ms": _percentile(times, 0.5),
        "p99_ms": _percentile(times, 0.99),
        "errors": sum(n for status, n in statuses.items() if status != 200),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "loadavg_1m_before": round(load_before, 2),
        "loadavg_1m_after": round(os.getloadavg()[0], 2),
    }
