"""Patents without an application number are keyed by their publication serial; A and B merge only
when they are one application; foreign and numberless rows are refused with a reason."""

from __future__ import annotations

from patentbridge_engine.ingest.build import build_record, is_publication_key, publication_key
from patentbridge_engine.ingest.headers import map_headers
from patentbridge_engine.ingest.merge import merge_fields, publication_conflict
from patentbridge_engine.ingest.record import SourceRow

HEADERS = ["公开号", "题名", "申请人", "作者", "公开日期", "中图分类号"]


def _build(**values: str):
    row = {h: "" for h in HEADERS}
    row.update(values)
    return build_record(SourceRow(2, row), map_headers(HEADERS))


def test_a_and_b_publications_share_one_key_and_no_application_number_is_invented() -> None:
    """CN116510786A and CN116510786B key the same patent, CN116510786; the record keeps the real
    publication numbers and says nothing about an application number it does not know."""
    a, _ = _build(公开号="CN116510786A", 题名="一种双核金催化剂", 申请人="中山大学", 作者="邹滔滔; 罗和江")
    b, _ = _build(公开号="CN116510786B", 题名="一种双核金催化剂", 申请人="中山大学", 作者="邹滔滔; 罗和江")
    assert a is not None and b is not None
    assert a.application_number == b.application_number == "CN116510786"
    assert is_publication_key(a.application_number)
    assert not is_publication_key("202310123456.6")
    assert a.publication_number == "CN116510786A" and b.grant_number == "CN116510786B"
    assert a.filing_date is None and a.patent_type == "invention"


def test_kindless_old_numbers_are_kept_as_given() -> None:
    """Old CNKI rows give CN101654692 without a kind code: keyed and stored as given, never completed."""
    record, issues = _build(公开号="CN101654692", 题名="一种装置", 申请人="中山大学")
    assert record is not None and not issues
    assert record.application_number == "CN101654692" and record.publication_number == "CN101654692"
    assert publication_key({"publication_number": "cn 101654692"}) == "CN101654692"


def test_foreign_and_numberless_rows_are_rejected_with_reasons() -> None:
    """A Taiwan publication is not a Chinese patent; a row with no number at all cannot be identified."""
    record, issues = _build(公开号="TWI561939", 题名="INTERFERENCE LITHOGRAPHY DEVICE")
    assert record is None and issues[0].field == "publication_number" and "中国专利" in issues[0].reason
    record, issues = _build(题名="无号专利")
    assert record is None and issues[0].field == "application_number" and "公开" in issues[0].reason


def test_publication_conflict_merges_one_application_and_keeps_twins_apart() -> None:
    """Same title/applicants/inventors (spacing and order aside) merge; a grant that amended only the
    title or only the inventor list still merges; differing applicants, or title and inventors both
    different, are refused in Chinese naming the fields."""
    a, _ = _build(公开号="CN116510786A", 题名="一种 双核金催化剂", 申请人="中山大学", 作者="甲; 乙")
    assert a is not None
    stored = merge_fields({}, a)

    def conflict(**values: str) -> str:
        record, _ = _build(公开号="CN116510786B", **values)
        assert record is not None
        return publication_conflict(stored, record)

    assert conflict(题名="一种双核金催化剂", 申请人="中山大学", 作者="乙；甲") == ""
    assert conflict(题名="一种双核金催化剂及其应用", 申请人="中山大学", 作者="甲; 乙") == ""
    assert conflict(题名="一种双核金催化剂", 申请人="中山大学", 作者="甲; 乙; 丙") == ""
    reason = conflict(题名="一种单核金催化剂", 申请人="中山大学", 作者="甲; 丙")
    assert "专利名称" in reason and "发明人" in reason and "申请人" not in reason
    assert "申请人" in conflict(题名="一种双核金催化剂", 申请人="某公司", 作者="甲; 乙")
    # A co-applicant added at grant (a recorded change of applicant) is still the same application.
    assert conflict(题名="一种双核金催化剂", 申请人="中山大学; 中山大学·深圳", 作者="甲; 乙") == ""
    # A side that does not give a field cannot contradict it.
    assert conflict(题名="一种双核金催化剂") == ""


def test_divisional_filing_date_before_the_number_year_is_kept_with_a_note() -> None:
    """A divisional (or PCT national-phase) application keeps an earlier filing date under a later
    year's number: accepted with a warning; a filing date after the number's year is a contradiction."""
    headers = ["申请号", "专利名称", "申请日"]

    def build(date: str):
        row = SourceRow(2, {"申请号": "CN201310123456.2", "专利名称": "分案装置", "申请日": date})
        return build_record(row, map_headers(headers))

    record, issues = build("2009-10-28")
    assert record is not None and record.filing_date is not None and record.filing_date.year == 2009
    assert issues and "分案申请" in issues[0].reason
    record, issues = build("2014-01-02")
    assert record is None and "矛盾" in issues[0].reason
