"""Prepared-row production: inline and in helper processes give the same rows in the same order."""

import datetime as dt

import pytest

from patentbridge_engine.bench import SYNTHETIC_LABEL, synthetic_records, write_csv
from patentbridge_engine.classify import load_chain_config
from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest.prepare import JsonText, column_values
from patentbridge_engine.ingest.producer import prepared_chunks

SEEDS = [
    {
        "title": "一种锂离子电池正极材料",
        "abstract": "提高循环寿命",
        "applicants": ["山东大学"],
        "ipc": ["H01M4/131"],
    },
    {"title": "一种高温热泵", "abstract": "余热回收", "applicants": ["某某公司"], "ipc": ["F25B30/02"]},
]
SPEC = [("title", "text", 10, ""), ("ipc", "json", None, []), ("filing_date", "value", None, None)]


def _collect(path, **kwargs):
    chunks = prepared_chunks(
        path,
        "csv",
        {},
        size=7,
        chain_config=load_chain_config(),
        as_of=dt.date(2026, 1, 1),
        spec=SPEC,
        **kwargs,
    )
    return [[(r.outcome.row_number, r.values, tuple(r.classes)) for r in chunk] for chunk in chunks]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "synthetic.csv"
    write_csv(synthetic_records(SEEDS, 60), path)
    return path


@pytest.mark.parametrize("helpers", [1, 2])
def test_parallel_and_inline_agree(corpus, helpers):
    """Helper processes return exactly the inline rows, chunk by chunk, in file order."""
    inline = _collect(corpus, start_after=0, parallel=False)
    parallel = _collect(corpus, start_after=0, parallel=True, helpers=helpers)
    assert parallel == inline
    assert [row[0] for chunk in inline for row in chunk] == list(range(2, 62))


def test_resume_skips_rows_already_done(corpus):
    """start_after skips the rows a previous run committed."""
    rows = [row[0] for chunk in _collect(corpus, start_after=30, parallel=True) for row in chunk]
    assert rows == list(range(31, 62))


def test_helper_errors_reach_the_writer(tmp_path):
    """A file-level problem found in the helper is raised in the caller, not swallowed."""
    path = tmp_path / "nokey.csv"
    path.write_text("名称\n" + "一种电池\n" * 20, encoding="utf-8")
    with pytest.raises(InputFormatError, match="申请号"):
        _collect(path, start_after=0, parallel=True)


def test_column_values_store_form():
    """Texts are cut to the column size, lists become JSON text, absent values the column's empty."""
    values = column_values({"title": "一二三四五六七八九十十一", "ipc": ["H01M"]}, SPEC)
    assert values[0] == "一二三四五六七八九十"
    assert isinstance(values[1], JsonText) and values[1] == '["H01M"]'
    assert values[2] is None


def test_synthetic_rows_are_labelled_and_numbers_unique():
    """Load-test rows can never pass for real: labelled titles, unique valid numbers."""
    rows = list(synthetic_records(SEEDS, 5000))
    assert all(r["title"].startswith(SYNTHETIC_LABEL) for r in rows)
    assert len({r["application_number"] for r in rows}) == 5000
