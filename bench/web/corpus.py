"""SYNTHETIC corpora for the web benchmark, from ``bench.import_bench``'s generator (real records
recombined, every title labelled 【合成测试数据】, application numbers in a reserved range)."""

from __future__ import annotations

import itertools
from pathlib import Path

from bench.import_bench import _seeds
from patentbridge_engine.bench import synthetic_records, write_csv

__all__ = ["write_corpus"]


def write_corpus(path: Path, start: int, count: int) -> Path:
    """Rows ``start`` .. ``start + count`` of the synthetic sequence as CSV (disjoint ranges never
    share application numbers, so the import beside the load adds new patents)."""
    rows = itertools.islice(synthetic_records(_seeds(), start + count), start, None)
    write_csv(rows, path)
    return path
