"""From a raw cell to a merged patent: value parsing, header folding and mapping, source adapters,
row validation (``build_record``), merging and the derived values.

Invariants protected:
- value parsers accept the spellings of Chinese exports and raise only ValueError (Chinese message);
- headers compare after folding width, brackets, case, spaces and colons; the first claimant wins;
- a row is rejected only for identity, dates, flags and undecodable text, with field and reason;
  softer problems are warnings on an accepted record;
- merging never erases, a newer publication wins, and A/B merges are order-independent;
- derived status, expiry, applicant kind and region follow the merged fields.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.ingest import map_headers
from patentbridge_engine.ingest.adapters import adapt_row
from patentbridge_engine.ingest.build import build_record, is_publication_key, publication_key
from patentbridge_engine.ingest.headers import fold_header
from patentbridge_engine.ingest.merge import MERGE_FIELDS, derive, merge_fields, publication_conflict
from patentbridge_engine.ingest.record import FIELD_LABELS, PatentRecord, RowIssue, SourceRow
from patentbridge_engine.ingest.values import parse_bool, parse_date, parse_int, split_list, text_value

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = dt.date(2026, 6, 1)


# --- values -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20221202", dt.date(2022, 12, 2)),
        ("2022-12-02", dt.date(2022, 12, 2)),
        ("2022-1-5", dt.date(2022, 1, 5)),
        ("2022/01/05", dt.date(2022, 1, 5)),
        ("2022.1.5", dt.date(2022, 1, 5)),
        ("2022年1月5日", dt.date(2022, 1, 5)),
        ("2022年1月5", dt.date(2022, 1, 5)),
        ("２０２２年１２月２日", dt.date(2022, 12, 2)),  # full-width digits
        ("2022-12-02 10:30", dt.date(2022, 12, 2)),
        ("2022-12-02 10:30:59", dt.date(2022, 12, 2)),
        ("2022-12-02T10:30:00", dt.date(2022, 12, 2)),
        ("  2022-12-02  ", dt.date(2022, 12, 2)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        (dt.datetime(2023, 5, 1, 23, 59), dt.date(2023, 5, 1)),
        (dt.date(2023, 5, 1), dt.date(2023, 5, 1)),
        (44927, dt.date(2023, 1, 1)),  # Excel serial day
        (44927.75, dt.date(2023, 1, 1)),  # with a time of day
        (None, None),
        ("", None),
        ("0", None),
        ("-", None),
        ("--", None),
        ("—", None),
        ("无", None),
        ("N/A", None),
        ("null", None),
        ("NaN", None),
        (float("nan"), None),
    ],
)
def test_dates_in_export_spellings(raw: Any, expected: dt.date | None) -> None:
    """Compact, dashed, slashed, dotted and 年月日 dates, timestamps, Excel serials and empty markers."""
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "2022-13-01",
        "2022-02-30",
        "2023-02-29",
        "20221302",
        "2022年12月",
        "12/02/2022",
        "昨天",
        "2022-12-02 25",
        80000,
        True,
    ],
)
def test_impossible_dates_raise_a_chinese_value_error(raw: Any) -> None:
    """Non-dates and impossible calendar dates are refused, never rolled over."""
    with pytest.raises(ValueError, match="日期无法识别"):
        parse_date(raw)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_date_spelling_round_trips(day: dt.date) -> None:
    """Property: every supported spelling of a date parses back to that date."""
    for text in (
        day.strftime("%Y%m%d"),
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
    ):
        assert parse_date(text) == day


@given(st.one_of(st.text(max_size=25), st.integers(), st.floats(allow_nan=True), st.none()))
def test_date_parser_raises_only_value_error(raw: Any) -> None:
    """Property: any cell parses to a date, None, or a ValueError (never TypeError, OverflowError…)."""
    try:
        result = parse_date(raw)
    except ValueError as exc:
        assert "日期" in str(exc)
    else:
        assert result is None or isinstance(result, dt.date)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        ("１２", 12),
        (" 3 ", 3),
        ("1,024", 1024),
        (3.0, 3),
        (7, 7),
        ("0", 0),
        (0, 0),
        ("", None),
        (None, None),
        ("-", None),
        ("无", None),
        ("null", None),
    ],
)
def test_counts(raw: Any, expected: int | None) -> None:
    """Whole numbers ≥ 0 in any width, with thousands separators; "0" is zero, not empty."""
    assert parse_int(raw) == expected


@pytest.mark.parametrize("raw", ["3.5", "3.0", "-1", "三", "3次", "1e3", 2.5])
def test_non_counts_raise(raw: Any) -> None:
    """Fractions, negatives, words and units are no counts."""
    with pytest.raises(ValueError, match="非负整数"):
        parse_int(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("Y", True),
        ("yes", True),
        ("TRUE", True),
        ("1", True),
        (1, True),
        (1.0, True),
        (True, True),
        ("有", True),
        ("√", True),
        ("否", False),
        ("N", False),
        ("no", False),
        ("False", False),
        ("0", False),
        (0, False),
        ("无", False),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_flags(raw: Any, expected: bool | None) -> None:
    """是/否, Y/N, yes/no, true/false, 1/0, 有/无 and a tick; empty is unknown."""
    assert parse_bool(raw) is expected


@pytest.mark.parametrize("raw", ["可能", "×", "2", "ok"])
def test_unreadable_flags_raise(raw: str) -> None:
    """Anything else is refused with the expected answers named."""
    with pytest.raises(ValueError, match=r"是.*否"):
        parse_bool(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("刘迪;刘敏;王煜伟", ["刘迪", "刘敏", "王煜伟"]),
        ("邹滔滔; 罗和江", ["邹滔滔", "罗和江"]),
        ("甲；乙", ["甲", "乙"]),
        ("甲|乙", ["甲", "乙"]),
        ("甲 ; 甲 ;乙", ["甲", "乙"]),
        (";;甲;;", ["甲"]),
        ("中山大学·深圳;中山大学", ["中山大学·深圳", "中山大学"]),
        ("某某有限公司，某分公司", ["某某有限公司，某分公司"]),  # commas are part of names
        ("甲、乙", ["甲、乙"]),
        (["甲", " 乙 ", "", None, "甲"], ["甲", "乙"]),
        ([1, 2.0], ["1", "2"]),
        ("", []),
        (None, []),
    ],
)
def test_list_cells(raw: Any, expected: list[str]) -> None:
    """Semicolons (both widths), bars and line breaks split; items are trimmed and deduplicated in order."""
    assert split_list(raw) == expected


def test_line_breaks_inside_a_cell_separate_items() -> None:
    """Excel exports put one name per line inside a cell; each line is one item."""
    assert split_list("刘迪\n刘敏\r\n王煜伟") == ["刘迪", "刘敏", "王煜伟"]


@given(st.lists(st.text(alphabet="甲乙丙丁 ·", min_size=0, max_size=4), max_size=8))
def test_split_list_is_idempotent(items: list[str]) -> None:
    """Property: splitting the joined result again changes nothing, and no item is empty or repeated."""
    once = split_list(";".join(items))
    assert split_list(";".join(once)) == once == split_list(once)
    assert all(once) and len(set(once)) == len(once)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        (3.0, "3"),
        (3.5, "3.5"),
        (12, "12"),
        ("  a \n\t b  ", "a b"),
        ("a\u3000b", "a b"),
        ("", ""),
    ],
)
def test_text_cells(raw: Any, expected: str) -> None:
    """Cells become clean text: whole floats lose '.0', whitespace runs collapse."""
    assert text_value(raw) == expected


# --- headers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "公开(公告)号",
        "公开（公告）号",
        "公开 （公告） 号",
        "\ufeff公开(公告)号",
        "公开【公告】号",
        "公开(公告)号：",
        " 公开(公告)号:",
    ],
)
def test_header_folding(variant: str) -> None:
    """BOM, bracket style, spaces and a trailing colon do not make a different header."""
    assert fold_header(variant) == fold_header("公开(公告)号")
    assert map_headers([variant]).fields == {variant: "publication_number"}


def test_folding_is_idempotent_and_case_blind() -> None:
    """Folding twice equals once; Latin headers compare case- and width-blind."""
    for header in ("IPC主分类号", "ＩＰＣ主分类号", "Application_Number", "  APD ", "标题 (中文)"):
        assert fold_header(fold_header(header)) == fold_header(header)
    assert fold_header("ＩＰＣ主分类号") == fold_header("ipc主分类号")
    assert map_headers(["APD", "Application_Number"]).fields == {
        "APD": "filing_date",
        "Application_Number": "application_number",
    }


def test_real_61_column_header_mapping() -> None:
    """The real export maps 31 of its 61 columns; what it leaves are columns the record has no field for."""
    text = gzip.decompress((FIXTURES / "schema_sample_10.csv.gz").read_bytes()).decode("utf-8")
    headers = next(csv.reader(io.StringIO(text)))
    mapping = map_headers(headers)
    assert len(headers) == 61 and len(mapping.fields) == 31
    assert mapping.fields["专利名称"] == "title" and "授权名称" not in mapping.fields  # first claimant wins
    assert mapping.fields["发明人"] == "inventors" and "当前发明人" not in mapping.unmapped
    assert "序号" not in mapping.unmapped and "审查员" not in mapping.unmapped  # read on purpose and ignored
    labels = set(FIELD_LABELS.values())
    assert not set(mapping.unmapped) & labels
    assert mapping.missing_required() == []


def test_patentees_come_from_the_complete_column() -> None:
    """With both columns present the full current patentee list is stored, not just its first name."""
    headers = ["申请号", "第一权利人", "当前权利人"]
    row = SourceRow(2, {"申请号": "202310123456.6", "第一权利人": "甲公司", "当前权利人": "甲公司;乙大学"})
    record, _ = build_record(row, map_headers(headers))
    assert record is not None and record.patentees == ["甲公司", "乙大学"]


def test_first_claimant_wins_and_later_claimants_are_not_reported() -> None:
    """申请号 and 专利号 both mean the application number: the first column is used, the second is
    silently set aside (it is not an unknown column)."""
    mapping = map_headers(["专利号", "申请号", "神秘列", "", "   "])
    assert mapping.fields == {"专利号": "application_number"}
    assert mapping.unmapped == ("神秘列",)


def test_overrides_redirect_ignore_and_validate() -> None:
    """A mapping file can point a known header elsewhere, ignore a column, and must name real fields."""
    mapping = map_headers(["申请号", "摘要", "备注"], {"摘要": "", "备注": "main_claim"})
    assert mapping.fields == {"申请号": "application_number", "备注": "main_claim"}
    assert mapping.unmapped == ()
    folded = map_headers(["申请 号"], {"申请号：": "publication_number"})
    assert folded.fields == {"申请 号": "publication_number"}
    with pytest.raises(ValueError, match="字段名无效"):
        map_headers(["x"], {"x": "title "})


def test_canonical_field_names_are_headers_too() -> None:
    """A file written with our own field names (e.g. a re-export) maps one to one."""
    mapping = map_headers(list(FIELD_LABELS))
    assert mapping.fields == {name: name for name in FIELD_LABELS}


@pytest.mark.parametrize(
    ("headers", "missing"),
    [
        (["申请号"], []),
        (["公开号"], []),
        (["授权公告号", "名称"], ["application_number"]),
        ([], ["application_number"]),
    ],
)
def test_identity_column_requirement(headers: list[str], missing: list[str]) -> None:
    """An application number or a publication number must be mapped; a grant number alone is not enough."""
    assert map_headers(headers).missing_required() == missing


# --- adapters -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "status"),
    [
        (["3", "75"], "授权"),
        (["2"], "实质审查"),
        (["1"], "公开"),
        (["1", "2"], "实质审查"),
        ([3, 63], "授权"),
        (["18"], ""),
        ([], ""),
    ],
)
def test_patsnap_legal_codes(codes: list[Any], status: str) -> None:
    """The most advanced known code decides (3 granted > 2 examination > 1 published); unknown codes
    give no status but are kept as events."""
    row = {"APN": "CN201910834751.6", "LEGAL": codes}
    adapted = adapt_row(row)
    assert adapted["法律状态"] == status
    assert adapted["LEGAL"] == [f"PatSnap法律状态代码{c}" for c in codes]
    assert row["LEGAL"] == codes and "法律状态" not in row  # the source row is not modified


@pytest.mark.parametrize("row", [{"APN": "x", "LEGAL": "3"}, {"PN": "CN1B", "LEGAL": ["3"]}, {"申请号": "x"}])
def test_other_rows_pass_unchanged(row: dict[str, Any]) -> None:
    """Only PatSnap rows (APN key, LEGAL list) are rewritten; everything else is returned as is."""
    assert adapt_row(row) is row


# --- build_record ----------------------------------------------------------------------------------------


def _build(values: dict[str, Any], row_number: int = 7) -> tuple[PatentRecord | None, list[RowIssue]]:
    return build_record(SourceRow(row_number, values), map_headers(list(values)))


def _ok(values: dict[str, Any]) -> PatentRecord:
    record, issues = _build(values)
    assert record is not None, issues
    return record


def _rejected(values: dict[str, Any]) -> RowIssue:
    record, issues = _build(values)
    assert record is None and issues
    assert all(i.row_number == 7 for i in issues)
    return issues[0]


def test_a_complete_row_becomes_a_normalised_record() -> None:
    """Every field type is parsed: numbers canonical, dates, lists, counts, flags, IPC, status."""
    record = _ok(
        {
            "申请号": "CN 201910834751.6",
            "公开号": "cn110513902b",
            "专利类型": "发明",
            "专利名称": "  一种多级蒸发冷凝  热泵系统 ",
            "摘要": "提高系统#imgabs0#效率#imgf0001#。",
            "申请人": "天津商业大学；某公司",
            "发明人": "甲; 乙",
            "申请日": "2019.9.5",
            "公开日": "20240220",
            "权利要求数量": "１２",
            "转让次数": "0",
            "财政资助": "是",
            "主分类号": "F25B 1/10",
            "分类号": "F25B30/02;F25B1/10",
            "法律状态": "有权-审定授权",
            "国省代码": "天津(12)",
        }
    )
    assert record.application_number == "201910834751.6"
    assert record.publication_number == record.grant_number == "CN110513902B"
    assert record.grant_date == record.publication_date == dt.date(2024, 2, 20)
    assert record.patent_type == "invention" and record.title == "一种多级蒸发冷凝 热泵系统"
    assert record.abstract == "提高系统效率。"
    assert record.applicants == ["天津商业大学", "某公司"] and record.inventors == ["甲", "乙"]
    assert (
        record.filing_date == dt.date(2019, 9, 5) and record.claims_count == 12 and record.transfer_count == 0
    )
    assert record.fiscal_funded is True
    assert record.ipc_main == "F25B1/10" and record.ipc == ["F25B30/02", "F25B1/10"]
    assert record.stated_status == "granted" and record.legal_status_text == "有权-审定授权"
    assert record.warnings == []


def test_main_ipc_missing_from_the_list_is_put_first() -> None:
    """The main class always leads the IPC list; without a main class the list's first symbol is main."""
    record = _ok({"申请号": "202310123456.6", "主分类号": "H01M10/0525", "分类号": "H01M4/131"})
    assert record.ipc == ["H01M10/0525", "H01M4/131"] and record.ipc_main == "H01M10/0525"
    record = _ok({"申请号": "202310123456.6", "分类号": "H01M4/131;H01M10/0525"})
    assert record.ipc_main == "H01M4/131"
    record = _ok({"申请号": "202310123456.6"})
    assert record.ipc == [] and record.ipc_main == ""


@pytest.mark.parametrize(
    ("main", "reason"),
    [("09-03", "洛迦诺"), ("09-01-B0367", "洛迦诺"), ("不是分类号", "IPC主分类号无法识别")],
)
def test_unreadable_main_class_is_a_warning(main: str, reason: str) -> None:
    """A Locarno class (designs) or an unreadable main class warns and is left out of the IPC."""
    record, issues = _build({"申请号": "201130012345.6", "主分类号": main, "分类号": "坏;H01M4/131"})
    assert record is not None
    by_field = {i.field: i for i in issues}
    assert reason in by_field["ipc_main"].reason and by_field["ipc_main"].value == main
    assert by_field["ipc"].value == "坏"
    assert record.ipc_main == "H01M4/131" and record.warnings == issues


def test_unreadable_counts_are_warnings_not_rejections() -> None:
    """A bad count loses only that count; the patent is still imported."""
    record, issues = _build({"申请号": "202310123456.6", "权利要求数量": "十二", "被引证次数": "3"})
    assert record is not None and record.claims_count is None and record.cited_by_count == 3
    assert [(i.field, i.value) for i in issues] == [("claims_count", "十二")]
    assert issues[0].field_label == "权利要求数量"


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"申请号": "202310123456.6", "财政资助": "可能"}, "fiscal_funded", "是"),
        ({"申请号": "202310123456.6", "申请日": "2023-02-30"}, "filing_date", "日期"),
        ({"申请号": "202310123456.6", "公开日": "明天"}, "publication_date", "日期"),
        ({"申请号": "202310123456.6", "专利类型": "商标"}, "patent_type", "发明、实用新型或外观设计"),
        ({"申请号": "202320123456.1", "专利类型": "发明"}, "patent_type", "实用新型"),
        (
            {"申请号": "202310123456.6", "申请日": "2023-05-01", "授权公告日": "2023-04-30"},
            "grant_date",
            "早于申请日",
        ),
        ({"申请号": "202310123456.6", "公开号": "CN-坏号"}, "publication_number", "公开（公告）号"),
        ({"申请号": "202310123456.6", "专利名称": "一种\ufffd装置"}, "title", "编码"),
        ({"申请号": "20231012345", "专利名称": "短号"}, "application_number", "格式"),
    ],
)
def test_rejections_name_the_field(values: dict[str, Any], field: str, reason: str) -> None:
    """Identity, dates, flags, types and undecodable text reject the row, naming field and reason."""
    issue = _rejected(values)
    assert issue.field == field and reason in issue.reason
    assert issue.field_label == FIELD_LABELS[field]


def test_all_errors_of_a_row_are_reported_together() -> None:
    """A row with several problems lists each one, so the user fixes them in one pass."""
    record, issues = _build(
        {"申请号": "202310123456.6", "申请日": "坏", "公开日": "也坏", "财政资助": "?", "摘要": "\ufffd"}
    )
    assert record is None
    assert {i.field for i in issues} == {"filing_date", "publication_date", "fiscal_funded", "abstract"}


def test_long_rejected_values_are_cut_for_the_report() -> None:
    """A rejected value is quoted in the report at most 200 characters long."""
    issue = _rejected({"申请号": "202310123456.6", "摘要": "坏" * 500 + "\ufffd"})
    assert len(issue.value) == 200


@pytest.mark.parametrize("marker", ["0", "-"])
def test_placeholder_publication_numbers_are_ignored(marker: str) -> None:
    """Exports write 0 or - for "no publication": no number, no error."""
    record = _ok({"申请号": "202310123456.6", "公开号": marker, "授权公告号": marker})
    assert record.publication_number == record.grant_number == ""


def test_grant_number_column_and_grant_date_inference() -> None:
    """An explicit grant number is kept; a grant date is only inferred when the publication is the grant."""
    record = _ok(
        {
            "申请号": "202310123456.6",
            "公开号": "CN116000000A",
            "授权公告号": "CN116000000B",
            "公开日": "2023-08-01",
        }
    )
    assert record.grant_number == "CN116000000B" and record.grant_date is None
    explicit = _ok(
        {
            "申请号": "202310123456.6",
            "公开号": "CN116000000B",
            "公开日": "2024-01-02",
            "授权公告日": "2024-01-05",
        }
    )
    assert explicit.grant_date == dt.date(2024, 1, 5)


@pytest.mark.parametrize(
    ("number", "ptype"),
    [
        ("CN1045390A", "invention"),
        ("CN218751475U", "utility_model"),
        ("CN306000000S", "design"),
        ("CN 101654692", ""),  # kind-less: kept as given, nothing inferred from it
    ],
)
def test_rows_keyed_by_publication_number(number: str, ptype: str) -> None:
    """Without an application number the publication serial is the key and implies the type; the kind
    code is dropped from the key but kept in the record."""
    record = _ok({"公开号": number, "专利名称": "一种装置"})
    key = "CN" + "".join(c for c in number if c.isdigit())
    assert record.application_number == key and is_publication_key(key)
    assert record.patent_type == ptype
    assert record.publication_number.startswith(key)


def test_grant_number_alone_can_key_a_row() -> None:
    """A row with only a grant number is keyed by it."""
    values = {"公开号": "", "授权公告号": "CN110513902B", "专利名称": "热泵"}
    record = _ok(values)
    assert record.application_number == "CN110513902" and record.grant_number == "CN110513902B"
    assert publication_key({"grant_number": "CN110513902B"}) == "CN110513902"
    assert publication_key({"publication_number": "0", "grant_number": "-"}) is None
    assert publication_key({"publication_number": "乱码"}) is None


@pytest.mark.parametrize("number", ["US10000000B2", "WO2020123456A1", "TWI561939B", "EP3000000B1"])
def test_foreign_publications_are_refused(number: str) -> None:
    """The library holds Chinese patents only: a foreign publication without application number is refused."""
    issue = _rejected({"公开号": number, "专利名称": "x"})
    assert issue.field == "publication_number" and "中国专利" in issue.reason


@pytest.mark.parametrize("key", ["CN116510786", "CN1045390"])
def test_publication_keys_are_recognised(key: str) -> None:
    """Stored keys starting with letters are publication keys; application numbers are digits."""
    assert is_publication_key(key)
    assert not is_publication_key("201910834751.6") and not is_publication_key("85100312.5")


def test_legacy_numbers_skip_the_year_check() -> None:
    """An 8-digit number's two-digit year is not compared with the filing date (it cannot contradict)."""
    record, issues = _build({"申请号": "CN88210784", "申请日": "1988-07-01"})
    assert record is not None and issues == [] and record.application_number.startswith("88210784.")


def test_real_taian_rows_build_records() -> None:
    """The 200 real 泰安 rows under their original headers all become records; design rows warn about
    their Locarno class and the CNIPA-printed IPCs warn, nothing is rejected."""
    with (FIXTURES / "taian_sample_200.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    headers = ["申请号", "专利名称", "申请人", "申请日", "主分类号"]
    mapping = map_headers(headers)
    for n, row in enumerate(rows, start=2):
        values = dict(
            zip(
                headers,
                (row["app_no"], row["title"], row["applicant"], row["app_date"], row["main_ipc"]),
                strict=True,
            )
        )
        record, issues = build_record(SourceRow(n, values), mapping)
        assert record is not None, issues
        assert record.filing_date == dt.date.fromisoformat(row["app_date"])
        assert record.applicants == [row["applicant"]]
        assert all(i.field == "ipc_main" for i in issues)
        if record.patent_type == "design":
            assert issues and "洛迦诺" in issues[0].reason and record.ipc == []


# --- merging ---------------------------------------------------------------------------------------------


def _record(**kw: Any) -> PatentRecord:
    return PatentRecord("202310123456.6", **kw)


A = _record(
    publication_number="CN116000000A",
    publication_date=dt.date(2023, 8, 1),
    title="一种电池（申请文本）",
    abstract="申请摘要",
    stated_status="published",
    ipc=["H01M10/0525"],
    claims_count=15,
)
B = _record(
    publication_number="CN116000000B",
    grant_number="CN116000000B",
    publication_date=dt.date(2024, 9, 1),
    grant_date=dt.date(2024, 9, 1),
    title="一种电池",
    stated_status="granted",
    claims_count=9,
)


def test_a_b_merge_keeps_grant_values_and_fills_gaps_from_the_application() -> None:
    """Grant text wins where both speak; the A publication still contributes the abstract B lacks."""
    for merged in (merge_fields(merge_fields({}, A), B), merge_fields(merge_fields({}, B), A)):
        assert merged["title"] == "一种电池" and merged["claims_count"] == 9
        assert merged["stated_status"] == "granted" and merged["publication_number"] == "CN116000000B"
        assert merged["abstract"] == "申请摘要" and merged["ipc"] == ["H01M10/0525"]
        assert merged["publication_date"] == dt.date(2024, 9, 1)


def test_without_dates_the_incoming_row_wins() -> None:
    """Equal or missing publication dates: the later import is taken as the correction."""
    stored = merge_fields({}, _record(title="旧", publication_date=dt.date(2024, 1, 1)))
    assert merge_fields(stored, _record(title="新", publication_date=dt.date(2024, 1, 1)))["title"] == "新"
    assert merge_fields(stored, _record(title="新"))["title"] == "新"
    undated = merge_fields({}, _record(title="旧"))
    assert merge_fields(undated, _record(title="新", publication_date=dt.date(2000, 1, 1)))["title"] == "新"


def test_merge_returns_a_new_dict_and_skips_warnings() -> None:
    """The stored dict is not modified; warnings are per import, never stored fields."""
    stored = {"title": "旧"}
    record = _record(title="新", warnings=[RowIssue(2, "ipc", "x", "坏")])
    merged = merge_fields(stored, record)
    assert stored == {"title": "旧"} and merged["title"] == "新"
    assert "warnings" not in merged and "warnings" not in MERGE_FIELDS


def test_lists_are_copied_not_shared() -> None:
    """Merged lists are copies: editing the stored result never changes the imported record."""
    record = _record(applicants=["甲"])
    merged = merge_fields({}, record)
    merged["applicants"].append("乙")
    assert record.applicants == ["甲"]


_TEXT = st.sampled_from(["", "甲", "乙", "丙"])
_LIST = st.lists(st.sampled_from(["甲", "乙"]), max_size=2, unique=True)


@st.composite
def _publications(draw: st.DrawFn) -> tuple[PatentRecord, PatentRecord]:
    """An A publication and its B grant with distinct dates and random field coverage."""
    day_a = draw(st.dates(dt.date(2010, 1, 1), dt.date(2020, 1, 1)))
    day_b = day_a + dt.timedelta(days=draw(st.integers(1, 2000)))
    pair = []
    for day, kind in ((day_a, "A"), (day_b, "B")):
        pair.append(
            _record(
                publication_number=f"CN116000000{kind}",
                publication_date=day,
                title=draw(_TEXT),
                abstract=draw(_TEXT),
                applicants=draw(_LIST),
                claims_count=draw(st.one_of(st.none(), st.integers(1, 30))),
                fiscal_funded=draw(st.one_of(st.none(), st.booleans())),
            )
        )
    return pair[0], pair[1]


@given(_publications())
def test_ab_merge_is_order_independent(pair: tuple[PatentRecord, PatentRecord]) -> None:
    """Property: importing A then B or B then A stores the same fields."""
    a, b = pair
    assert merge_fields(merge_fields({}, a), b) == merge_fields(merge_fields({}, b), a)


@given(_publications(), st.integers(0, 1))
def test_reimport_is_a_no_op_and_nothing_is_erased(
    pair: tuple[PatentRecord, PatentRecord], which: int
) -> None:
    """Property: importing the same row again changes nothing; a field once given stays given."""
    stored = merge_fields({}, pair[0])
    again = merge_fields(stored, pair[which])
    assert merge_fields(again, pair[which]) == again
    for key, value in stored.items():
        assert again.get(key) not in (None, "", [])
        if which == 0:
            assert again[key] == value


# --- publication identity ----------------------------------------------------------------------------------


def _stored(**kw: Any) -> dict[str, Any]:
    return merge_fields({}, PatentRecord("CN116510786", publication_number="CN116510786A", **kw))


def test_identity_checks_only_fields_both_sides_give() -> None:
    """Nothing given on either side cannot conflict; one-sided fields never conflict."""
    assert publication_conflict({}, PatentRecord("CN1")) == ""
    assert publication_conflict(_stored(title="甲"), PatentRecord("CN116510786", applicants=["某大学"])) == ""


def test_disjoint_applicants_conflict_and_the_message_names_the_stored_number() -> None:
    """Different applicant sets with no common name are two applications; the message says which fields
    differ and which stored publication it clashes with."""
    stored = _stored(title="一种催化剂", applicants=["中山大学"], inventors=["甲"])
    reason = publication_conflict(
        stored, PatentRecord("CN116510786", title="一种催化剂", applicants=["清华大学"], inventors=["甲"])
    )
    assert "申请人" in reason and "CN116510786A" in reason and "专利名称" not in reason


def test_punctuation_and_order_do_not_make_a_difference() -> None:
    """Spaces, dots, brackets and list order are noise in identity comparisons."""
    stored = _stored(title="一种（改进的）催化剂", applicants=["中山大学", "某公司"], inventors=["甲", "乙"])
    incoming = PatentRecord(
        "CN116510786",
        title="一种 (改进的) 催化剂。",
        applicants=["某公司", "中山大学"],
        inventors=["乙", "甲"],
    )
    assert publication_conflict(stored, incoming) == ""


# --- derived values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"stated_status": "granted"}, "granted"),
        ({"grant_number": "CN1B"}, "granted"),  # a grant announcement without status text
        ({"publication_number": "CN1A"}, "published"),
        ({"grant_number": "CN1B", "publication_number": "CN1A"}, "granted"),
        ({"stated_status": "lapsed_non_payment", "grant_number": "CN1B"}, "lapsed_non_payment"),
        ({}, "unknown"),
        (
            {"stated_status": "granted", "patent_type": "invention", "filing_date": dt.date(2006, 6, 1)},
            "expired",
        ),
        (
            {"stated_status": "granted", "patent_type": "invention", "filing_date": dt.date(2006, 6, 2)},
            "granted",
        ),
    ],
)
def test_derived_status(fields: dict[str, Any], status: str) -> None:
    """The stated status decides, a grant number implies a grant, a publication implies publication, and
    a grant past its term (2006-06-01 + 20 years ends 2026-05-31) is expired on 2026-06-01."""
    assert derive(fields, AS_OF).legal_status == status


@pytest.mark.parametrize(
    ("ptype", "filed", "expiry"),
    [
        ("design", dt.date(2021, 5, 31), dt.date(2031, 5, 30)),
        ("design", dt.date(2021, 6, 1), dt.date(2036, 5, 31)),
        ("utility_model", dt.date(2012, 2, 29), dt.date(2022, 2, 27)),
        ("invention", None, None),
        ("", dt.date(2020, 1, 1), None),
    ],
)
def test_derived_expiry(ptype: str, filed: dt.date | None, expiry: dt.date | None) -> None:
    """Expiry needs type and filing date and follows the design amendment and the 29 Feb rule."""
    assert derive({"patent_type": ptype, "filing_date": filed}, AS_OF).expiry_date == expiry


@pytest.mark.parametrize(
    ("text", "names", "kind"),
    [
        ("科研机构", ["某某公司"], "institute"),  # the real 61-column export's wording
        ("大专院校", ["某某公司"], "university"),
        ("高校", [], "university"),
        ("工矿企业", ["山东大学"], "enterprise"),
        ("机关团体", [], "institute"),
        ("个人", [], "individual"),
        ("", ["山东农业大学"], "university"),
        ("其他", ["泰安市轴承厂"], "enterprise"),  # an unhelpful text falls back to the name
        ("", [], ""),
    ],
)
def test_derived_applicant_kind(text: str, names: list[str], kind: str) -> None:
    """The export's applicant-type text wins; otherwise the first applicant's name decides."""
    assert derive({"applicant_kind_text": text, "applicants": names}, AS_OF).applicant_kind == kind


def test_derived_kind_and_region_fall_back_to_patentees() -> None:
    """Without applicants, the current patentees name the party and place."""
    derived = derive({"patentees": ["青岛海尔股份有限公司"]}, AS_OF)
    assert (derived.applicant_kind, derived.province, derived.city) == ("enterprise", "山东", "青岛")


def test_derived_region_sources() -> None:
    """国省代码, then address, then names; none gives empty strings, not None."""
    assert derive({"region_code": "河南(41)"}, AS_OF).province == "河南"
    assert derive({"applicant_address": "271000山东省泰安市"}, AS_OF).city == "泰安"
    empty = derive({"applicants": ["张三"]}, AS_OF)
    assert (empty.province, empty.city) == ("", "")
