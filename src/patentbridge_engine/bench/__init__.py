"""Benchmark helpers: a synthetic corpus generator built from real seed records."""

from patentbridge_engine.bench.synthetic import SYNTHETIC_LABEL, synthetic_records, write_csv

__all__ = ["SYNTHETIC_LABEL", "synthetic_records", "write_csv"]
