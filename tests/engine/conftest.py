"""Engine test helpers: real fixture files and small writers for the formats we read."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check what code does, not how fast: on a loaded 2-core CI machine a single example
# can exceed hypothesis' 200 ms default deadline and turn a correct run into a flaky failure.
settings.register_profile("patentbridge", deadline=None, derandomize=True)
settings.load_profile("patentbridge")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sample_csv_text() -> str:
    """The real 61-column export as text (UTF-8)."""
    return gzip.decompress((FIXTURES / "schema_sample_10.csv.gz").read_bytes()).decode("utf-8")


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
