"""incoPat licence/pledge/transfer columns through the importer's engine half.

Invariants protected:
- the 15 right columns map onto their own fields and end up as one raw cell dict per record,
  keyed by the incoPat column name, line breaks (record separators) kept;
- a cell the ledger reader cannot use is a warning on the row naming the column's field, never
  a rejected row and never silently dropped;
- merging replaces a column group only when the incoming row gives that group;
- the helper processes' positional record rebuild still round-trips the new field.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.ingest import map_headers
from patentbridge_engine.ingest.build import build_record
from patentbridge_engine.ingest.merge import merge_fields
from patentbridge_engine.ingest.pipeline import RowOutcome
from patentbridge_engine.ingest.prepare import PreparedRow
from patentbridge_engine.ingest.producer import _from_wire, _to_wire
from patentbridge_engine.ingest.record import FIELD_LABELS, PatentRecord, SourceRow
from patentbridge_engine.ingest.rights import (
    MAX_CELL_CHARS,
    RIGHT_COLUMN_GROUPS,
    RIGHT_FIELDS,
    merge_right_records,
    right_cells,
    right_issues,
)
from patentbridge_engine.licensing.incopat import INCOPAT_RIGHT_COLUMNS

NUMBER = "202310123456.6"


def _build(cells: dict[str, object]) -> tuple[PatentRecord | None, list]:
    values = {"申请号": NUMBER, "专利名称": "一种电池", **cells}
    return build_record(SourceRow(7, values), map_headers(list(values)))


def test_every_incopat_right_column_has_a_field_and_a_label() -> None:
    """The importer knows each column the ledger reader reads, under a labelled field."""
    assert set(RIGHT_FIELDS.values()) == set(INCOPAT_RIGHT_COLUMNS)
    for field, column in RIGHT_FIELDS.items():
        assert FIELD_LABELS[field] == column
        assert map_headers([column]).fields == {column: field}
    assert {c for g in RIGHT_COLUMN_GROUPS for c in g} == set(INCOPAT_RIGHT_COLUMNS)


def test_right_cells_become_one_raw_dict_keyed_by_column() -> None:
    """Good cells are kept as given (line breaks included) and raise no warning."""
    record, issues = _build(
        {
            "许可合同备案号": "X2021370000123\nX2022370000456",
            "许可合同备案日期": "2021-03-01\n2022-05-06",
            "被许可人": "甲公司\n乙公司",
            "许可类型": "独占许可\n普通许可",
            "质押号": "Y2023000001",
            "质押期限": "2023-01-01至2025-12-31",
            "质权人": "某银行",
            "许可人类型": "高校",  # another incoPat column: not a right cell
        }
    )
    assert record is not None and issues == []
    assert record.right_records == {
        "许可合同备案号": "X2021370000123\nX2022370000456",
        "许可合同备案日期": "2021-03-01\n2022-05-06",
        "被许可人": "甲公司\n乙公司",
        "许可类型": "独占许可\n普通许可",
        "质押号": "Y2023000001",
        "质押期限": "2023-01-01至2025-12-31",
        "质权人": "某银行",
    }


def test_date_and_number_cells_from_spreadsheets_are_text() -> None:
    """XLSX hands over dates and floats; they are stored as ISO dates and whole numbers."""
    cells, issues = right_cells(
        {"license_filing_date": dt.datetime(2021, 3, 1, 0, 0), "license_record_no": 2021370000123.0}, 3
    )
    assert cells == {"许可合同备案日期": "2021-03-01", "许可合同备案号": "2021370000123"}
    assert issues == []


def test_bad_right_cell_is_a_warning_with_row_and_field() -> None:
    """An unreadable filing date keeps the row (and the raw cell) and says which field is wrong."""
    record, issues = _build({"许可合同备案号": "X1", "许可合同备案日期": "去年春天", "被许可人": "甲公司"})
    assert record is not None
    assert record.right_records["许可合同备案日期"] == "去年春天"
    assert [(i.row_number, i.field, i.value) for i in issues] == [(7, "license_filing_date", "去年春天")]
    assert "无法识别" in issues[0].reason


def test_problem_naming_licensee_is_not_read_as_licensor() -> None:
    """被许可人 contains 许可人: the longest column name at the first position decides the field."""
    issues = right_issues(
        2,
        {
            "许可合同备案号": "X1",
            "许可合同备案日期": "2021-03-01",
            "被许可人": "甲公司",
            "当前被许可人": "乙公司",
        },
    )
    assert [i.field for i in issues] == ["licensee"]


def test_pledge_term_problem_points_at_the_term() -> None:
    """A term with an end before its start is reported on 质押期限."""
    issues = right_issues(4, {"质押号": "Y1", "质押期限": "2025-01-01至2024-01-01", "质权人": "某银行"})
    assert [(i.row_number, i.field) for i in issues] == [(4, "pledge_term")]


def test_huge_cell_is_cut_and_reported() -> None:
    """A hostile cell cannot bloat the patent: it is cut and the cut is a warning."""
    cells, issues = right_cells({"licensee": "甲" * (MAX_CELL_CHARS + 10)}, 9)
    assert len(cells["被许可人"]) == MAX_CELL_CHARS
    assert [(i.row_number, i.field) for i in issues] == [(9, "licensee")]


def test_rows_without_right_columns_carry_an_empty_dict() -> None:
    """Nothing given, nothing stored: the merge treats the empty dict as "not given"."""
    record, issues = _build({})
    assert record is not None and record.right_records == {} and issues == []
    assert "right_records" not in record.given_fields()


def test_merge_replaces_only_the_groups_given() -> None:
    """A licence-only row replaces the licence group whole and keeps the stored pledge group."""
    stored = {
        "许可合同备案号": "X1\nX2",
        "许可合同备案日期": "2021-03-01\n2022-05-06",
        "被许可人": "甲公司\n乙公司",
        "质押号": "Y1",
        "质押期限": "2023-01-01至2025-12-31",
    }
    incoming = {"许可合同备案号": "X3", "许可合同备案日期": "2024-01-02"}
    assert merge_right_records(stored, incoming) == {
        "许可合同备案号": "X3",
        "许可合同备案日期": "2024-01-02",
        "质押号": "Y1",
        "质押期限": "2023-01-01至2025-12-31",
    }
    assert merge_right_records(None, incoming) == incoming


def test_merge_fields_merges_right_records_by_group() -> None:
    """Through the general merge: an empty incoming dict never erases, a given group replaces."""
    stored = {
        "application_number": NUMBER,
        "right_records": {"质押号": "Y1", "质押期限": "2023-01-01至2025-12-31"},
    }
    empty = PatentRecord(application_number=NUMBER)
    assert merge_fields(stored, empty)["right_records"] == stored["right_records"]
    licence = PatentRecord(application_number=NUMBER, right_records={"许可合同备案号": "X1"})
    assert merge_fields(stored, licence)["right_records"] == {
        "质押号": "Y1",
        "质押期限": "2023-01-01至2025-12-31",
        "许可合同备案号": "X1",
    }


def test_wire_round_trip_keeps_right_records() -> None:
    """Import helper processes send records as plain tuples; the right cells survive."""
    record = PatentRecord(application_number=NUMBER, title="一种电池", right_records={"质押号": "Y1"})
    back = _from_wire(_to_wire(PreparedRow(RowOutcome(5, "", record, []))))
    assert back.outcome.record is not None
    assert back.outcome.record.right_records == {"质押号": "Y1"}
    assert back.outcome.record.title == "一种电池"


_cell_text = st.text(alphabet=st.sampled_from("0123456789-/.年月日至;；|、\n 甲乙公司独占普通X"), max_size=40)
_cells = st.dictionaries(st.sampled_from(sorted(RIGHT_FIELDS)), _cell_text, max_size=8)


@given(_cells)
def test_any_cells_are_read_without_raising_and_every_issue_names_a_right_field(
    values: dict[str, str],
) -> None:
    """Whatever the cells hold, reading them never raises and each problem is a row warning on
    one of the right fields (never on the row as a whole)."""
    cells, cut = right_cells(values, 11)
    issues = right_issues(11, cells)
    assert cut == []
    assert all(i.row_number == 11 and i.field in RIGHT_FIELDS for i in issues)
    assert set(cells) <= set(RIGHT_FIELDS.values())


@given(_cells, _cells)
def test_merging_the_same_row_twice_changes_nothing(stored: dict[str, str], incoming: dict[str, str]) -> None:
    """Re-importing a row is a no-op for its right cells (the import's idempotence)."""
    a = {RIGHT_FIELDS[k]: v for k, v in stored.items() if v}
    b = {RIGHT_FIELDS[k]: v for k, v in incoming.items() if v}
    once = merge_right_records(a, b)
    assert merge_right_records(once, b) == once
    for group in RIGHT_COLUMN_GROUPS:
        if not any(b.get(c) for c in group):
            assert {c: once.get(c) for c in group} == {c: a.get(c) for c in group}
