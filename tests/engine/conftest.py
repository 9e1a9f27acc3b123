"""Engine test helpers: real fixture files and small writers for the formats we read."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sample_csv_text() -> str:
    """The real 61-column export as text (UTF-8)."""
    return gzip.decompress((FIXTURES / "schema_sample_10.csv.gz").read_bytes()).decode("utf-8")


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
