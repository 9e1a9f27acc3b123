"""incoPat licence / pledge / transfer columns → ledger events, with Chinese problems per cell."""

from __future__ import annotations

import datetime as dt

import pytest

from patentbridge_engine.licensing.incopat import (
    INCOPAT_RIGHT_COLUMNS,
    events_from_incopat,
    licence_kind_from_text,
    parse_term,
)
from patentbridge_engine.licensing.ledger import (
    LicenceKind,
    PatentFacts,
    RightEvent,
    RightKind,
    encumbrances,
    patentees_as_of,
)

D = dt.date


def kinds(events: list[RightEvent]) -> list[RightKind]:
    return [e.kind for e in events]


def test_columns_are_the_incopat_names() -> None:
    for name in (
        "许可合同备案号",
        "许可类型",
        "当前被许可人",
        "质押号",
        "当前质权人",
        "转让登记日",
        "受让人",
    ):
        assert name in INCOPAT_RIGHT_COLUMNS
    assert len(set(INCOPAT_RIGHT_COLUMNS)) == len(INCOPAT_RIGHT_COLUMNS)


def test_empty_row_gives_nothing() -> None:
    assert events_from_incopat({}) == ([], [])
    assert events_from_incopat({c: "" for c in INCOPAT_RIGHT_COLUMNS}) == ([], [])
    assert events_from_incopat({"许可合同备案号": "-", "质押号": "无"}) == ([], [])


# --- licences --------------------------------------------------------------------------------------


def test_single_licence() -> None:
    row = {
        "许可合同备案号": "2021370000123",
        "许可合同备案日期": "2021-06-15",
        "许可人": "山东大学",
        "被许可人": "济南某科技有限公司",
        "许可类型": "独占许可",
    }
    events, problems = events_from_incopat(row)
    assert problems == []
    (e,) = events
    assert (e.kind, e.start, e.end) == (RightKind.LICENCE, D(2021, 6, 15), None)
    assert e.sub_kind == "exclusive"
    assert e.counterparty == "济南某科技有限公司"
    assert (e.record_no, e.ref, e.source) == ("2021370000123", "2021370000123", "import")


def test_several_licences_aligned_by_position() -> None:
    row = {
        "许可合同备案号": "X1; X2；X3",
        "许可合同备案日期": "20200101;2021/3/5;2022年7月8日",
        "被许可人": "甲公司;乙公司;丙公司",
        "许可类型": "普通许可;排他许可;独占许可",
    }
    events, problems = events_from_incopat(row)
    assert problems == []
    assert [e.record_no for e in events] == ["X1", "X2", "X3"]
    assert [e.start for e in events] == [D(2020, 1, 1), D(2021, 3, 5), D(2022, 7, 8)]
    assert [e.counterparty for e in events] == ["甲公司", "乙公司", "丙公司"]
    assert [e.sub_kind for e in events] == ["ordinary", "sole", "exclusive"]


def test_line_breaks_separate_records_and_semicolons_co_parties() -> None:
    row = {
        "许可合同备案号": "X1\nX2",
        "许可合同备案日期": "2020-01-01\n2021-01-01",
        "被许可人": "甲公司；乙公司\n丙公司",
    }
    events, problems = events_from_incopat(row)
    assert problems == []
    assert [e.counterparty for e in events] == ["甲公司；乙公司", "丙公司"]


def test_bad_date_is_reported_by_position_and_others_still_import() -> None:
    row = {"许可合同备案号": "X1;X2", "许可合同备案日期": "2020-01-01;2020-13-45", "被许可人": "甲;乙"}
    events, problems = events_from_incopat(row)
    assert [e.record_no for e in events] == ["X1"]
    assert problems == ["第2项许可合同备案日期无法识别：2020-13-45"]


def test_missing_date_is_reported() -> None:
    events, problems = events_from_incopat({"许可合同备案号": "X1;X2", "许可合同备案日期": "2020-01-01"})
    assert len(events) == 1
    assert any("项数不一致" in p for p in problems)
    assert "第2项许可合同备案日期缺失，未导入" in problems


def test_unknown_licence_type_is_ordinary_with_a_problem() -> None:
    events, problems = events_from_incopat(
        {"许可合同备案号": "X1", "许可合同备案日期": "2020-01-01", "许可类型": "随便"}
    )
    assert events[0].sub_kind == "ordinary"
    assert problems == ["第1项许可类型无法识别，按普通许可记录：随便"]


def test_one_licence_type_applies_to_every_record() -> None:
    events, problems = events_from_incopat(
        {"许可合同备案号": "X1;X2", "许可合同备案日期": "2020-01-01;2021-01-01", "许可类型": "独占"}
    )
    assert problems == []
    assert [e.sub_kind for e in events] == ["exclusive", "exclusive"]


def test_unalignable_licensees_are_reported_not_guessed() -> None:
    row = {
        "许可合同备案号": "X1;X2;X3",
        "许可合同备案日期": "2020-01-01;2021-01-01;2022-01-01",
        "被许可人": "甲;乙",
    }
    events, problems = events_from_incopat(row)
    assert [e.counterparty for e in events] == ["", "", ""]
    assert any("被许可人有 2 项" in p for p in problems)


def test_current_licensee_marks_ended_licences() -> None:
    row = {
        "许可合同备案号": "X1;X2",
        "许可合同备案日期": "2019-05-01;2022-05-01",
        "被许可人": "甲公司;乙公司",
        "许可类型": "独占许可;普通许可",
        "当前被许可人": "乙公司",
    }
    events, problems = events_from_incopat(row)
    assert (events[0].end, events[1].end) == (D(2019, 5, 1), None)
    assert problems == ["第1项许可的被许可人不在当前被许可人中，视为已终止（终止日期不详，按备案日记录）"]
    facts = PatentFacts(application_number="X", patent_type=None)
    enc = encumbrances(facts, events, D(2025, 1, 1))
    assert enc.exclusive_or_sole == ()
    assert [e.counterparty for e in enc.ordinary] == ["乙公司"]


def test_blank_current_licensee_ends_nothing() -> None:
    row = {"许可合同备案号": "X1", "许可合同备案日期": "2019-05-01", "被许可人": "甲公司", "当前被许可人": ""}
    events, problems = events_from_incopat(row)
    assert events[0].end is None
    assert problems == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("独占许可", LicenceKind.EXCLUSIVE),
        ("排他", LicenceKind.SOLE),
        ("普通许可", LicenceKind.ORDINARY),
        ("", LicenceKind.ORDINARY),
        ("分许可", LicenceKind.ORDINARY),
        ("交叉许可", LicenceKind.ORDINARY),
        ("exclusive", LicenceKind.EXCLUSIVE),
        ("xyz", None),
    ],
)
def test_licence_kind_from_text(text: str, kind: LicenceKind | None) -> None:
    assert licence_kind_from_text(text) is kind


# --- pledges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2021-03-01至2024-02-28",
        "2021.03.01-2024.02.28",
        "20210301~20240228",
        "2021年3月1日至2024年2月28日",
        "2021/3/1 — 2024/2/28",
        "自２０２１－０３－０１起至２０２４－０２－２８止",
    ],
)
def test_parse_term_variants(text: str) -> None:
    assert parse_term(text) == (D(2021, 3, 1), D(2024, 2, 28), "")


def test_parse_term_problems() -> None:
    start, end, problem = parse_term("2021-03-01起")
    assert (start, end) == (D(2021, 3, 1), None) and "只有一个日期" in problem
    start, end, problem = parse_term("2024-02-28至2021-03-01")
    assert (start, end) == (D(2024, 2, 28), None) and "终止日早于起始日" in problem
    assert parse_term("三年")[:2] == (None, None)
    assert "不存在" in parse_term("2021-02-30至2024-02-28")[2]


def test_pledges_with_terms_and_release() -> None:
    row = {
        "质押号": "Y2021001;Y2023002",
        "质押期限": "2021-03-01至2024-02-28;2023-06-01至2026-05-31",
        "质权人": "齐鲁银行;招商银行",
        "当前质权人": "招商银行",
    }
    events, problems = events_from_incopat(row)
    assert kinds(events) == [RightKind.PLEDGE, RightKind.PLEDGE]
    first, second = events
    assert (first.start, first.end) == (D(2021, 3, 1), D(2021, 3, 1))  # released, date unknown
    assert (second.start, second.end, second.counterparty) == (D(2023, 6, 1), D(2026, 5, 31), "招商银行")
    assert second.record_no == second.ref == "Y2023002"
    assert problems == ["第1项质押的质权人不在当前质权人中，视为已解除（解除日期不详，按起始日记录）"]
    facts = PatentFacts(application_number="X", patent_type=None)
    assert [p.counterparty for p in encumbrances(facts, events, D(2024, 1, 1)).pledges] == ["招商银行"]


def test_bad_pledge_term_is_reported_and_skipped() -> None:
    events, problems = events_from_incopat({"质押号": "Y1;Y2", "质押期限": "2021-03-01至2024-02-28;不详"})
    assert [e.record_no for e in events] == ["Y1"]
    assert problems == ["第2项质押期限无法识别：不详"]


def test_pledge_with_one_date_is_open_ended() -> None:
    events, problems = events_from_incopat({"质押号": "Y1", "质押期限": "2021-03-01", "质权人": "某银行"})
    assert (events[0].start, events[0].end) == (D(2021, 3, 1), None)
    assert problems and problems[0].startswith("第1项质押期限只有一个日期")


# --- transfers ------------------------------------------------------------------------------------


def test_transfers_become_patentees() -> None:
    row = {
        "转让登记号": "T1;T2",
        "转让登记日": "2020-04-01;2023-09-15",
        "转让人": "张三;山东大学",
        "受让人": "山东大学;济南某公司",
    }
    events, problems = events_from_incopat(row)
    assert problems == []
    assert kinds(events) == [RightKind.TRANSFER, RightKind.TRANSFER]
    assert [(e.start, e.counterparty, e.end) for e in events] == [
        (D(2020, 4, 1), "山东大学", None),
        (D(2023, 9, 15), "济南某公司", None),
    ]
    facts = PatentFacts(application_number="X", patent_type=None, patentees=("张三",))
    assert patentees_as_of(facts, events, D(2022, 1, 1)) == ("山东大学",)
    assert patentees_as_of(facts, events, D(2024, 1, 1)) == ("济南某公司",)


def test_one_transfer_to_co_assignees() -> None:
    row = {"转让登记号": "T1", "转让登记日": "2022-01-10", "受让人": "大学A；企业B"}
    events, problems = events_from_incopat(row)
    assert problems == []
    facts = PatentFacts(application_number="X", patent_type=None)
    assert encumbrances(facts, events, D(2022, 1, 10)).co_owners == ("大学A", "企业B")


def test_transfer_date_falls_back_to_execution_date() -> None:
    events, problems = events_from_incopat(
        {"转让登记号": "T1", "转让执行日": "2022-01-10", "受让人": "企业C"}
    )
    assert events[0].start == D(2022, 1, 10)
    assert problems == ["转让登记日缺失，按转让执行日记录转让日期"]


def test_parties_without_record_are_reported() -> None:
    events, problems = events_from_incopat({"被许可人": "甲公司", "质权人": "某银行", "受让人": "乙公司"})
    assert events == []
    assert problems == [
        "有被许可人但缺少许可登记号和日期，许可未导入",
        "有质权人但缺少质押登记号和日期，质押未导入",
        "有受让人但缺少转让登记号和日期，转让未导入",
    ]


def test_all_groups_in_one_row_never_raise_on_junk() -> None:
    junk = {c: "？？;;\n？" for c in INCOPAT_RIGHT_COLUMNS}
    events, problems = events_from_incopat(junk)
    assert events == []
    assert problems  # every bad cell is reported, none raised
