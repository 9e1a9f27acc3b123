"""Pool admission (guide §4.d P1, P2): topical criteria, minimum grade, essentiality, ledger burdens
with Chinese reasons, and the open-licence rule (专利法 Art. 51 ¶3)."""

from __future__ import annotations

import datetime as dt

from patentbridge_engine.legal.terms import PatentType
from patentbridge_engine.licensing.ledger import PatentFacts, RightEvent, RightKind, encumbrances
from patentbridge_engine.pools.admission import (
    Candidate,
    Criteria,
    check_admission,
    grade_meets,
    grades_at_least,
    normalise_ipc,
)

DAY = dt.date(2026, 6, 1)
FACTS = PatentFacts(
    "202010000001.2",
    PatentType.INVENTION,
    granted=True,
    grant_date=dt.date(2022, 1, 1),
    expiry_date=dt.date(2040, 1, 1),
    valid=True,
    patentees=("山东农业大学",),
)
CRITERIA = Criteria(ipc_prefixes=("A01B", "A01C 7"), keywords=("播种",), min_grade="B")


def cand(**kw: object) -> Candidate:
    base: dict[str, object] = {
        "application_number": FACTS.application_number,
        "title": "一种玉米精量播种装置",
        "ipc": ("A01C 7/20",),
        "grade": "B",
        "valid": True,
    }
    base.update(kw)
    return Candidate(**base)  # type: ignore[arg-type]


def enc(*events: RightEvent, facts: PatentFacts = FACTS) -> object:
    return encumbrances(facts, events, DAY)


def test_fitting_patent_is_admissible_with_the_matched_terms() -> None:
    result = check_admission(cand(), CRITERIA, encumbrances(FACTS, (), DAY))
    assert result.admissible
    assert result.matched == ("A01C7", "播种")
    assert result.notes == ("符合入池条件：A01C7、播种",)
    assert not result.non_exclusive_only


def test_keyword_alone_or_ipc_alone_is_enough() -> None:
    only_word = cand(ipc=("G06F 17/00",))
    only_ipc = cand(title="一种农机底盘", ipc=("A01B 33/00",))
    assert check_admission(only_word, CRITERIA, encumbrances(FACTS, (), DAY)).matched == ("播种",)
    assert check_admission(only_ipc, CRITERIA, encumbrances(FACTS, (), DAY)).matched == ("A01B",)


def test_off_topic_patent_is_refused_naming_the_criteria() -> None:
    result = check_admission(
        cand(title="一种数据库索引方法", ipc=("G06F 16/22",)), CRITERIA, encumbrances(FACTS, (), DAY)
    )
    assert not result.admissible
    assert result.blocks == ("技术领域不符合本池的入池条件（IPC 分类或关键词须符合：A01B、A01C7、播种）",)


def test_no_topical_criteria_admits_any_field() -> None:
    result = check_admission(cand(title="数据库", ipc=("G06F",)), Criteria(), encumbrances(FACTS, (), DAY))
    assert result.admissible and result.matched == ()


def test_grade_below_minimum_and_ungraded_are_refused() -> None:
    low = check_admission(cand(grade="C"), CRITERIA, encumbrances(FACTS, (), DAY))
    none = check_admission(cand(grade=""), CRITERIA, encumbrances(FACTS, (), DAY))
    assert low.blocks == ("价值分级为 C 一般，低于本池要求的 B 重要",)
    assert none.blocks == ("价值分级为 尚未分级，低于本池要求的 B 重要",)
    assert check_admission(cand(grade="A"), CRITERIA, encumbrances(FACTS, (), DAY)).admissible


def test_grade_order_helpers() -> None:
    assert grade_meets("A", "B") and grade_meets("B", "B") and not grade_meets("C", "B")
    assert grade_meets("", "") and not grade_meets("", "C") and not grade_meets("X", "C")
    assert tuple(grades_at_least("B")) == ("A", "B")
    assert tuple(grades_at_least("")) == ("A", "B", "C", "D")
    assert normalise_ipc(" h01m 10/052 ") == "H01M10/052"


def test_essential_only_pool_needs_a_confirmed_essential_patent() -> None:
    essential = Criteria(essential_required=True)
    assert not check_admission(cand(essential=None), essential, encumbrances(FACTS, (), DAY)).admissible
    assert not check_admission(cand(essential=False), essential, encumbrances(FACTS, (), DAY)).admissible
    assert check_admission(cand(essential=True), essential, encumbrances(FACTS, (), DAY)).admissible


def test_exclusive_licence_outside_blocks_with_the_licensee_named() -> None:
    licence = RightEvent(
        RightKind.LICENCE,
        dt.date(2025, 1, 1),
        dt.date(2027, 12, 31),
        sub_kind="exclusive",
        counterparty="某公司",
    )
    result = check_admission(cand(), CRITERIA, encumbrances(FACTS, (licence,), DAY))
    assert result.blocks == ("存在有效的独占许可（被许可人：某公司），池内外许可会与之冲突",)
    assert "exclusive" in result.reasons_by_kind


def test_ordinary_licence_does_not_block() -> None:
    licence = RightEvent(RightKind.LICENCE, dt.date(2025, 1, 1), None, sub_kind="ordinary")
    assert check_admission(cand(), CRITERIA, encumbrances(FACTS, (licence,), DAY)).admissible


def test_pledge_blocks_unless_the_pledgee_consented() -> None:
    pledge = RightEvent(RightKind.PLEDGE, dt.date(2026, 1, 1), dt.date(2027, 1, 1), sub_kind="registered")
    consented = RightEvent(
        RightKind.PLEDGE, dt.date(2026, 1, 1), dt.date(2027, 1, 1), consents=frozenset({"pledgee"})
    )
    assert check_admission(cand(), CRITERIA, encumbrances(FACTS, (pledge,), DAY)).blocks == (
        "专利权已质押且未取得质权人同意",
    )
    assert check_admission(cand(), CRITERIA, encumbrances(FACTS, (consented,), DAY)).admissible


def test_suspension_preservation_and_invalidation_block() -> None:
    events = (
        RightEvent(RightKind.SUSPENSION, dt.date(2026, 5, 1), None),
        RightEvent(RightKind.PRESERVATION, dt.date(2026, 5, 1), None),
        RightEvent(RightKind.INVALIDATION_REQUEST, dt.date(2026, 5, 2)),
    )
    result = check_admission(cand(), CRITERIA, encumbrances(FACTS, events, DAY))
    assert set(result.reasons_by_kind) == {"suspension", "preservation", "invalidation"}
    assert len(result.blocks) == 3


def test_lapsed_and_not_granted_patents_are_refused() -> None:
    lapse = RightEvent(RightKind.LAPSE, dt.date(2026, 3, 1))
    lapsed = check_admission(cand(), CRITERIA, encumbrances(FACTS, (lapse,), DAY))
    assert lapsed.blocks[0] == "专利权已终止（期限届满、未缴年费或被宣告无效）"
    pending = check_admission(cand(valid=False), CRITERIA, encumbrances(FACTS, (), DAY))
    assert pending.blocks == ("专利尚未授权或不处于有效状态",)


def test_open_licensed_patent_enters_only_non_exclusively() -> None:
    declared = RightEvent(RightKind.OPEN_LICENCE, dt.date(2025, 9, 1), None)
    encs = encumbrances(FACTS, (declared,), DAY)
    ordinary_pool = check_admission(cand(), CRITERIA, encs)
    assert ordinary_pool.admissible and ordinary_pool.non_exclusive_only
    assert "仅以普通许可方式入池" in ordinary_pool.notes[-1]
    exclusive_pool = check_admission(cand(), Criteria(exclusive_needed=True), encs)
    assert not exclusive_pool.admissible
    assert "专利法第五十一条第三款" in exclusive_pool.blocks[0]
