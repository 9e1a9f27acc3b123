"""Aggregation helpers for indicators: rates, medians, monthly series, top-N, region levels.

Pure functions over plain values, so each is tested without a database and reused by every
indicator that needs the same arithmetic (one definition of "rate", one of "median days").
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping

__all__ = [
    "child_prefix",
    "median_days",
    "month_labels",
    "monthly_counts",
    "rate",
    "top_n",
]


def rate(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` in percent, one decimal; None without a denominator (a rate of
    nothing is unknown, not 0 %)."""
    if denominator <= 0:
        return None
    return round(100.0 * numerator / denominator, 1)


def median_days(pairs: Iterable[tuple[dt.date, dt.date]]) -> float | None:
    """Median of ``end - start`` in days over (start, end) pairs; pairs ending before they start
    are data errors and left out; None when nothing is left."""
    days = [(end - start).days for start, end in pairs if end >= start]
    if not days:
        return None
    return float(statistics.median(days))


def month_labels(as_of: dt.date, months: int = 12) -> list[str]:
    """``YYYY-MM`` of the ``months`` calendar months ending with ``as_of``'s month, oldest first."""
    if months < 1:
        raise ValueError("月份数必须为正整数")
    labels = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        labels.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return labels[::-1]


def monthly_counts(dates: Iterable[dt.date], as_of: dt.date, months: int = 12) -> list[tuple[str, int]]:
    """How many ``dates`` fall in each of the months ending with ``as_of`` (days after ``as_of``
    do not count, even inside its month)."""
    labels = month_labels(as_of, months)
    counts = Counter(f"{d.year:04d}-{d.month:02d}" for d in dates if d <= as_of)
    return [(label, counts.get(label, 0)) for label in labels]


def top_n(counts: Mapping[str, int], n: int, other: str = "其他") -> list[tuple[str, int]]:
    """The ``n`` largest entries (ties by key), the rest summed under ``other`` when non-zero."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    head, tail = ordered[:n], ordered[n:]
    rest = sum(v for _, v in tail)
    return [*head, (other, rest)] if rest else head


def child_prefix(code: str, scope_prefix: str) -> str:
    """The GB/T 2260 prefix one level below ``scope_prefix`` that ``code`` lies in: the city
    (4 digits) inside a province, the county (6) inside a city, the province (2) nationwide;
    "" when ``code`` is unknown or outside the scope."""
    own = (code or "").strip()
    if len(own) != 6 or not own.isdigit() or not own.startswith(scope_prefix):
        return ""
    size = {0: 2, 2: 4, 4: 6}.get(len(scope_prefix), 6)
    part = own[:size]
    # A code written with zeros for the level (370000 inside 37) names the level itself.
    return part if part.strip("0") and not part.endswith("00") else ""
