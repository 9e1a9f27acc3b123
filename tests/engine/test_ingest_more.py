"""More reader and mapping behaviour: TSV, header reports, extra cells, legacy XML classification."""

from patentbridge_engine.ingest import iter_outcomes, read_rows
from patentbridge_engine.ingest.pipeline import detect_format, header_report


def test_tab_separated_exports_are_read(tmp_path):
    """A .tsv (or tab-delimited .txt) export is detected by its header line."""
    path = tmp_path / "export.tsv"
    path.write_text("申请号\t专利名称\n202310123456.6\t一种电池\n", encoding="utf-8")
    [outcome] = list(iter_outcomes(read_rows(path)))
    assert outcome.record and outcome.record.title == "一种电池"


def test_header_report_lists_mapped_and_unknown_columns(tmp_path):
    """Before importing, the operator can see which columns will be ignored."""
    path = tmp_path / "a.csv"
    path.write_text("申请号,发明名称,内部备注\n202310123456.6,一种电池,x\n", encoding="utf-8")
    report = header_report(path)
    assert report is not None
    assert report.fields == {"申请号": "application_number", "发明名称": "title"}
    assert report.unmapped == ("内部备注",)
    empty = tmp_path / "empty.csv"
    empty.write_text("申请号\n", encoding="utf-8")
    assert header_report(empty) is None


def test_rows_with_more_cells_than_headers_are_flagged(tmp_path):
    """Surplus cells are reported as a warning on the row, never silently dropped."""
    path = tmp_path / "extra.csv"
    path.write_text("申请号,专利名称\n202310123456.6,一种电池,多出来的值\n", encoding="utf-8")
    [outcome] = list(iter_outcomes(read_rows(path)))
    assert outcome.record is not None
    assert any("列数多于表头" in issue.reason for issue in outcome.issues)


def test_format_detection_and_refusal(tmp_path):
    """Known extensions map to readers; others are refused with the list of what is supported."""
    assert detect_format(tmp_path / "x.XLSX") == "xlsx"
    assert detect_format(tmp_path / "x.ndjson") == "jsonl"
    assert detect_format(tmp_path) == "xml"
    import pytest

    from patentbridge_engine.errors import InputFormatError

    with pytest.raises(InputFormatError, match="支持"):
        detect_format(tmp_path / "x.doc")


def test_blank_lines_do_not_count_as_rows(tmp_path):
    """Empty lines between records are skipped; row numbers stay those of the file."""
    path = tmp_path / "gaps.csv"
    path.write_text(
        "申请号,专利名称\n\n202310123456.6,一种电池\n,\n202320123456.1,一种灯\n", encoding="utf-8"
    )
    outcomes = list(iter_outcomes(read_rows(path)))
    assert [o.row_number for o in outcomes] == [3, 5]
