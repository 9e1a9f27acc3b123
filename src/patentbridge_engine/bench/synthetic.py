"""Synthetic patent rows for load tests, derived from real records and labelled as synthetic.

Each row recombines a real title, abstract and IPC list with a fresh, valid application
number (serials in a reserved range, correct check characters), so parsers, validation and
the database see realistic text while the numbers can never collide with real patents'.
Every title is prefixed with ``SYNTHETIC_LABEL`` so the data can never pass for real.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from patentbridge_engine.ids.patent_numbers import app_check_char

__all__ = ["SYNTHETIC_LABEL", "synthetic_records", "write_csv"]

SYNTHETIC_LABEL = "【合成测试数据】"
# Serial numbers from 9,000,000 upward: far above what CNIPA has issued in a year.
_SERIAL_BASE = 9_000_000
_CSV_HEADER = ("申请号", "专利名称", "摘要", "申请人", "申请日", "专利类型", "分类号", "法律状态")


def synthetic_records(
    seeds: Sequence[dict[str, Any]], count: int, *, seed: int = 7
) -> Iterator[dict[str, Any]]:
    """``count`` rows cycling through ``seeds`` (dicts with title, abstract, applicants, ipc)."""
    if not seeds:
        raise ValueError("need at least one seed record")
    rng = random.Random(seed)
    for n in range(count):
        base = seeds[n % len(seeds)]
        year = 2005 + n % 20
        type_digit = "1" if n % 3 else "2"
        digits = f"{year}{type_digit}{(_SERIAL_BASE + n) % 10_000_000:07d}"
        day = 1 + rng.randrange(28)
        yield {
            "application_number": f"{digits}.{app_check_char(digits)}",
            "title": f"{SYNTHETIC_LABEL}{base.get('title', '')}",
            "abstract": base.get("abstract", ""),
            "applicants": ";".join(base.get("applicants", [])),
            "filing_date": f"{year}-{1 + n % 12:02d}-{day:02d}",
            "patent_type": "发明" if type_digit == "1" else "实用新型",
            "ipc": ";".join(base.get("ipc", [])),
            "legal_status": rng.choice(("有权-审定授权", "审中-实质审查的生效", "失效-未缴年费专利权终止")),
        }


def write_csv(rows: Iterator[dict[str, Any]], path: Path, encoding: str = "utf-8") -> int:
    """Write rows with the Chinese headers of a commercial export; returns the row count."""
    written = 0
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_CSV_HEADER)
        for row in rows:
            writer.writerow(
                [
                    row["application_number"],
                    row["title"],
                    row["abstract"],
                    row["applicants"],
                    row["filing_date"],
                    row["patent_type"],
                    row["ipc"],
                    row["legal_status"],
                ]
            )
            written += 1
    return written
