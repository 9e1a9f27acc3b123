"""Open-licence declaration checks (transactions-and-analytics.md §3.d table, §13 vectors; 细则 Arts. 85–86).

Invariants protected here:
- a clean declaration passes with no finding, so each finding below comes from the one fact a test adds;
- codes are exactly the guide's table, each finding names the patent and cites the table's source;
- territory and licensee-filter detection catches restrictions and leaves "中国境内任何单位或者个人" alone;
- fee findings from the fees module are merged, never duplicated by the fee-text scan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patentbridge_engine.legal.terms import PatentType
from patentbridge_engine.licensing.findings import Finding, Severity, Verdict
from patentbridge_engine.licensing.ledger import (
    Encumbrances,
    FeeState,
    LicenceKind,
    PatentFacts,
    RightEvent,
    RightKind,
)
from patentbridge_engine.licensing.rules import (
    OPEN_RULES,
    OpenLicenceDeclarationFacts,
    PatentCheck,
    check_open_licence,
)
from patentbridge_engine.licensing.rules_open_text import (
    advertising_words,
    licensee_filters,
    negotiation_words,
    territory_limits,
)

D = dt.date
AS_OF = D(2026, 3, 1)
NO = "CN202110000003.1"
TITLE = "一种秸秆还田机"
CHINA = "中国境内任何单位或者个人"


def _facts(**kw: Any) -> PatentFacts:
    base: dict[str, Any] = {
        "application_number": NO,
        "patent_type": PatentType.INVENTION,
        "title": TITLE,
        "granted": True,
        "grant_date": D(2023, 4, 7),
        "expiry_date": D(2041, 1, 5),
        "valid": True,
        "patentees": ("山东农业大学",),
    }
    base.update(kw)
    return PatentFacts(**base)


def _decl(
    facts: PatentFacts | None = None,
    window: tuple[RightEvent, ...] = (),
    enc: dict[str, Any] | None = None,
    **kw: Any,
) -> OpenLicenceDeclarationFacts:
    enc_kw: dict[str, Any] = {"fee_state": FeeState.PAID}
    enc_kw.update(enc or {})
    patent = PatentCheck(facts or _facts(), Encumbrances(as_of=AS_OF, **enc_kw), window)
    base: dict[str, Any] = {
        "patent": patent,
        "signed_by": ("山东农业大学",),
        "territory_text": CHINA,
        "fee_text": "按年净销售额的3%提成，每年3月31日前支付上一年度使用费",
        "term_end": D(2030, 12, 31),
    }
    base.update(kw)
    return OpenLicenceDeclarationFacts(**base)


def _only(verdict: Verdict, code: str) -> Finding:
    assert verdict.codes() == [code], verdict.findings
    return verdict.findings[0]


def test_clean_declaration_has_no_findings() -> None:
    assert check_open_licence(_decl(), AS_OF).findings == ()


# --- §13 vectors --------------------------------------------------------------------------------------


def test_vector_co_owned_invention_only_one_signed() -> None:
    """§13: invention co-owned by 大学A + 企业B, only A signed → NOT_ALL_PATENTEES."""
    owners = ("山东农业大学", "泰安丁公司")
    decl = _decl(_facts(patentees=owners), enc={"co_owners": owners})
    f = _only(check_open_licence(decl, AS_OF), "NOT_ALL_PATENTEES")
    assert f.severity is Severity.BLOCK and "泰安丁公司" in f.reason and TITLE in f.reason and f.patent == NO


def test_all_patentees_signed_with_width_variants_passes() -> None:
    owners = ("山东农业大学（泰安）", "泰安丁公司")
    decl = _decl(_facts(patentees=owners), signed_by=("山东农业大学(泰安)", "泰安丁公司\u3000"))
    assert check_open_licence(decl, AS_OF).findings == ()


def test_no_signature_blocks_and_unknown_patentees_warn() -> None:
    assert (
        _only(check_open_licence(_decl(signed_by=()), AS_OF), "NOT_ALL_PATENTEES").severity is Severity.BLOCK
    )
    unknown = check_open_licence(_decl(_facts(patentees=())), AS_OF)
    assert _only(unknown, "NOT_ALL_PATENTEES").severity is Severity.WARN and unknown.allowed


def test_vector_regional_smes_only() -> None:
    """§13: terms "仅限山东省内中小企业" → TERRITORY_NOT_CHINA and LICENSEE_FILTER."""
    verdict = check_open_licence(_decl(territory_text="仅限山东省内中小企业"), AS_OF)
    assert verdict.codes() == ["TERRITORY_NOT_CHINA", "LICENSEE_FILTER"]
    assert all(f.severity is Severity.BLOCK for f in verdict.findings)
    assert "仅限山东" in verdict.findings[0].reason and "中小企业" in verdict.findings[1].reason


def test_vector_utility_model_with_negative_report() -> None:
    """§13: UM whose evaluation report says 不符合授予专利权条件 → REPORT_NEGATIVE."""
    um = _facts(patent_type=PatentType.UTILITY_MODEL, expiry_date=D(2031, 1, 5))
    f = _only(
        check_open_licence(_decl(um, evaluation_report="不符合授予专利权条件"), AS_OF), "REPORT_NEGATIVE"
    )
    assert f.severity is Severity.BLOCK and "不符合授予专利权条件" in f.reason


def test_vector_pledged_with_consent_and_royalty_is_allowed() -> None:
    """§13: pledged invention + pledgee consent, fee 3 % of net sales → allowed."""
    pledge = RightEvent(kind=RightKind.PLEDGE, start=D(2025, 5, 1), counterparty="齐鲁银行")
    consented = RightEvent(
        kind=RightKind.PLEDGE, start=D(2025, 5, 1), counterparty="齐鲁银行", consents=frozenset({"pledgee"})
    )
    assert check_open_licence(_decl(enc={"pledges": (consented,)}), AS_OF).findings == ()
    assert check_open_licence(_decl(enc={"pledges": (pledge,)}, pledgee_consent=True), AS_OF).findings == ()
    f = _only(check_open_licence(_decl(enc={"pledges": (pledge,)}), AS_OF), "PLEDGED_NO_CONSENT")
    assert f.severity is Severity.BLOCK and "齐鲁银行" in f.reason


def test_vector_fee_to_be_negotiated() -> None:
    """§13: fee "面议" → FEE_NOT_COMPUTABLE (专利法 Arts. 50–51)."""
    f = _only(check_open_licence(_decl(fee_text="面 议"), AS_OF), "FEE_NOT_COMPUTABLE")
    assert (
        f.severity is Severity.BLOCK
        and "面议" in f.reason
        and f.source == OPEN_RULES["FEE_NOT_COMPUTABLE"][1]
    )


def test_vector_royalty_above_guide_passes_with_warning() -> None:
    """§13: royalty 25 % of net sales → allowed, warn FEE_ABOVE_GUIDE (computed by the fees module)."""
    above = Finding(
        "FEE_ABOVE_GUIDE", Severity.WARN, "提成比例 25% 高于指导标准", OPEN_RULES["FEE_ABOVE_GUIDE"][1]
    )
    verdict = check_open_licence(_decl(fee_findings=(above,), fee_text="按年净销售额的25%提成"), AS_OF)
    assert verdict.allowed and verdict.findings == (above,)


def test_fee_findings_merge_without_duplicating_the_text_scan() -> None:
    """When the fees module already says FEE_NOT_COMPUTABLE, "面议" in the text adds no second finding."""
    computed = Finding("FEE_NOT_COMPUTABLE", Severity.BLOCK, "未约定许可使用费", "专利法第五十条、第五十一条")
    verdict = check_open_licence(_decl(fee_findings=(computed,), fee_text="面议"), AS_OF)
    assert verdict.findings == (computed,)


# --- Art. 85/86 blockers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts_kw", "enc_kw"),
    [
        ({"granted": False, "valid": False}, {}),
        ({"valid": False}, {}),
        ({}, {"lapsed": True}),
        ({"lapse_date": D(2026, 1, 5)}, {}),
        ({"expiry_date": D(2026, 2, 28)}, {}),
    ],
)
def test_not_granted_or_invalid(facts_kw: dict[str, Any], enc_kw: dict[str, Any]) -> None:
    decl = _decl(_facts(**facts_kw), enc=enc_kw, term_end=None)
    f = _only(check_open_licence(decl, AS_OF), "NOT_GRANTED_OR_INVALID")
    assert f.severity is Severity.BLOCK and NO in f.reason


def _licence(kind: LicenceKind, start: dt.date, end: dt.date | None) -> RightEvent:
    return RightEvent(kind=RightKind.LICENCE, start=start, end=end, sub_kind=kind.value, ref="XK-2025-009")


@pytest.mark.parametrize("kind", [LicenceKind.EXCLUSIVE, LicenceKind.SOLE])
def test_exclusive_or_sole_in_force_blocks(kind: LicenceKind) -> None:
    f = _only(
        check_open_licence(
            _decl(enc={"exclusive_or_sole": (_licence(kind, D(2025, 1, 1), D(2027, 12, 31)),)}), AS_OF
        ),
        "EXCLUSIVE_OR_SOLE_ACTIVE",
    )
    assert kind.label in f.reason and "XK-2025-009" in f.reason and "2027-12-31" in f.reason


def test_exclusive_signed_to_start_later_blocks_but_one_that_ended_does_not() -> None:
    """A future exclusive licence would clash with the open licence (Law Art. 51 ¶3); an ended one is gone."""
    future = _licence(LicenceKind.EXCLUSIVE, D(2026, 9, 1), None)
    assert check_open_licence(_decl(window=(future,)), AS_OF).codes() == ["EXCLUSIVE_OR_SOLE_ACTIVE"]
    ended = _licence(LicenceKind.EXCLUSIVE, D(2023, 1, 1), D(2026, 2, 28))
    assert check_open_licence(_decl(window=(ended,)), AS_OF).findings == ()
    ordinary = _licence(LicenceKind.ORDINARY, D(2025, 1, 1), None)
    assert check_open_licence(_decl(enc={"ordinary": (ordinary,)}), AS_OF).findings == ()


@pytest.mark.parametrize(("enc_kw", "words"), [({"suspended": True}, "中止"), ({"preserved": True}, "保全")])
def test_suspended_or_preserved(enc_kw: dict[str, Any], words: str) -> None:
    f = _only(check_open_licence(_decl(enc=enc_kw), AS_OF), "SUSPENDED_OR_PRESERVED")
    assert f.severity is Severity.BLOCK and words in f.reason


@pytest.mark.parametrize(
    ("fee_state", "severity"),
    [(FeeState.LATE, Severity.BLOCK), (FeeState.LAPSED, Severity.BLOCK), (FeeState.UNKNOWN, Severity.WARN)],
)
def test_annual_fee_unpaid_counts_the_late_period(fee_state: FeeState, severity: Severity) -> None:
    """细则 Art. 86(3); the late period counts as unpaid (project reading); unknown needs a human."""
    f = _only(
        check_open_licence(_decl(enc={"fee_state": fee_state, "late_months": 3}), AS_OF), "ANNUAL_FEE_UNPAID"
    )
    assert f.severity is severity


def test_fee_due_but_not_late_is_fine() -> None:
    assert check_open_licence(_decl(enc={"fee_state": FeeState.DUE}), AS_OF).findings == ()


def test_other_impediment_explicit_blocks_and_pending_invalidation_warns() -> None:
    stated = _only(
        check_open_licence(_decl(other_impediment="专利权归属诉讼尚未结案"), AS_OF), "OTHER_IMPEDIMENT"
    )
    assert stated.severity is Severity.BLOCK and "专利权归属诉讼尚未结案" in stated.reason
    pending = check_open_licence(_decl(enc={"invalidation_pending": True}), AS_OF)
    assert _only(pending, "OTHER_IMPEDIMENT").severity is Severity.WARN and pending.allowed


# --- evaluation report ---------------------------------------------------------------------------------


def _report(conclusion: str) -> RightEvent:
    return RightEvent(kind=RightKind.EVALUATION_REPORT, start=D(2024, 6, 1), sub_kind=conclusion)


@pytest.mark.parametrize("ptype", [PatentType.UTILITY_MODEL, PatentType.DESIGN])
@pytest.mark.parametrize(
    ("ledger_report", "typed", "codes", "severity"),
    [
        (None, None, ["NO_EVALUATION_REPORT"], Severity.BLOCK),
        (None, "  ", ["NO_EVALUATION_REPORT"], Severity.BLOCK),
        ("meets_conditions", None, [], None),
        ("not_meets", None, ["REPORT_NEGATIVE"], Severity.BLOCK),
        (None, "符合授予专利权条件", [], None),
        ("meets_conditions", "不符合授予专利权条件", ["REPORT_NEGATIVE"], Severity.BLOCK),
        ("", None, ["REPORT_NEGATIVE"], Severity.WARN),  # a report whose conclusion is unreadable
    ],
)
def test_evaluation_report(
    ptype: PatentType,
    ledger_report: str | None,
    typed: str | None,
    codes: list[str],
    severity: Severity | None,
) -> None:
    """UM and design need a favourable report (Law Art. 50; S8); the typed conclusion wins over the ledger."""
    enc = {"evaluation_report": _report(ledger_report)} if ledger_report is not None else {}
    facts = _facts(patent_type=ptype, expiry_date=D(2031, 1, 5))
    verdict = check_open_licence(_decl(facts, enc=enc, evaluation_report=typed), AS_OF)
    assert verdict.codes() == codes
    assert all(f.severity is severity for f in verdict.findings)


def test_invention_needs_no_report_and_unknown_type_warns() -> None:
    assert check_open_licence(_decl(evaluation_report=None), AS_OF).findings == ()
    unknown = check_open_licence(_decl(_facts(patent_type=None)), AS_OF)
    assert _only(unknown, "NO_EVALUATION_REPORT").severity is Severity.WARN


# --- territory and licensee filters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [CHINA, "中华人民共和国境内", "全国", "仅限中国境内", "仅限于在中国境内实施", "在中国各省市内均可实施"],
)
def test_whole_of_china_wording_is_not_a_territory_limit(text: str) -> None:
    """False positives the word lists must not produce."""
    assert check_open_licence(_decl(territory_text=text), AS_OF).findings == ()
    assert territory_limits(text) == [] and licensee_filters(text) == []


@pytest.mark.parametrize(
    "other", ["包括但不限于生产、销售和使用", "适用于城市内交通和市场推广", "不限地区", "产品销往济南市场"]
)
def test_other_terms_that_merely_mention_places_are_not_limits(other: str) -> None:
    """「不限于」, 城市/市场 and a place as a market are no territorial restriction."""
    assert check_open_licence(_decl(other_terms=other), AS_OF).findings == ()


@pytest.mark.parametrize(
    ("territory", "other", "expected"),
    [
        ("山东省", "", "山东省"),  # a territory that names no part of China-wide wording
        (CHINA, "限于济南市范围内实施", "限于济南市"),
        (CHINA, "本省范围内有效", "本省"),
        (CHINA, "仅限山东", "仅限山东"),
        (CHINA, "在聊城市范围内实施", "在聊城市范围内"),
    ],
)
def test_territory_not_china(territory: str, other: str, expected: str) -> None:
    f = _only(
        check_open_licence(_decl(territory_text=territory, other_terms=other), AS_OF), "TERRITORY_NOT_CHINA"
    )
    assert f.severity is Severity.BLOCK and expected in f.reason


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ("仅对高校院所开放", "仅对高校"),
        ("不得许可给外资企业", "不得许可给"),
        ("被许可人须为依法设立的企业", "须为依法设立的企业"),
        ("被许可人注册地应在烟台", "注册地"),
        ("优先许可本地企业", "本地企业"),
    ],
)
def test_licensee_filter(other: str, expected: str) -> None:
    """Terms are the same for every licensee (S9 一视同仁): no class of licensee may be singled out."""
    f = _only(check_open_licence(_decl(other_terms=other), AS_OF), "LICENSEE_FILTER")
    assert f.severity is Severity.BLOCK and expected in f.reason


def test_licensee_filter_in_the_fee_text_counts_too() -> None:
    """Cheaper terms for one class of licensee are a filter as well."""
    verdict = check_open_licence(_decl(fee_text="按净销售额3%提成，中小企业免收"), AS_OF)
    assert verdict.codes() == ["LICENSEE_FILTER"]


@pytest.mark.parametrize(
    "other",
    ["被许可人不得许可给第三方", "不得许可给他人实施", "争议由双方友好解决", "许可期限内每年报告一次"],
)
def test_ordinary_terms_are_not_filters(other: str) -> None:
    """A sub-licence ban binds the licensee; it does not choose who may accept."""
    assert check_open_licence(_decl(other_terms=other), AS_OF).findings == ()


def test_unexplained_limit_wording_goes_to_a_human() -> None:
    """ "仅限…" that names no place and no licensee class is a warning for review, not a refusal."""
    verdict = check_open_licence(_decl(other_terms="许可仅限于生产用途"), AS_OF)
    f = _only(verdict, "LICENSEE_FILTER")
    assert f.severity is Severity.WARN and "仅限于生产用途" in f.reason and verdict.allowed


# --- advertising and term ------------------------------------------------------------------------------


def test_advertising_words_warn_for_review() -> None:
    """细则 Art. 85 ¶3: no commercial advertising wording; a human reviews."""
    verdict = check_open_licence(_decl(other_terms="本技术国际领先，行业第一"), AS_OF)
    f = _only(verdict, "ADVERTISING_WORDS")
    assert f.severity is Severity.WARN and "国际领先" in f.reason and "第一" in f.reason and verdict.allowed


@pytest.mark.parametrize("text", ["第一年按3%，第二年起按4%", "第一期款于签约时支付", "按第一条执行"])
def test_ordinal_first_is_not_advertising(text: str) -> None:
    assert advertising_words(text) == []
    assert check_open_licence(_decl(other_terms=text), AS_OF).findings == ()


def test_term_beyond_patent() -> None:
    """The declared term may end on the expiry day, not after (民法典 Art. 865, inference)."""
    assert check_open_licence(_decl(term_end=D(2041, 1, 5)), AS_OF).findings == ()
    f = _only(check_open_licence(_decl(term_end=D(2041, 1, 6)), AS_OF), "TERM_BEYOND_PATENT")
    assert "2041-01-06" in f.reason and "2041-01-05" in f.reason


# --- shape of every finding ----------------------------------------------------------------------------


def test_every_finding_names_the_patent_and_cites_the_table_source() -> None:
    owners = ("山东农业大学", "泰安丁公司")
    decl = _decl(
        _facts(patentees=owners, patent_type=PatentType.UTILITY_MODEL, expiry_date=D(2031, 1, 5)),
        enc={
            "co_owners": owners,
            "suspended": True,
            "fee_state": FeeState.LATE,
            "pledges": (RightEvent(kind=RightKind.PLEDGE, start=D(2025, 1, 1)),),
            "exclusive_or_sole": (_licence(LicenceKind.SOLE, D(2025, 1, 1), None),),
        },
        territory_text="仅限山东省内中小企业",
        other_terms="国内领先",
        fee_text="面议",
        term_end=D(2035, 1, 1),
        other_impediment="涉诉",
    )
    verdict = check_open_licence(decl, AS_OF)
    assert verdict.codes() == [
        "EXCLUSIVE_OR_SOLE_ACTIVE",
        "SUSPENDED_OR_PRESERVED",
        "ANNUAL_FEE_UNPAID",
        "PLEDGED_NO_CONSENT",
        "OTHER_IMPEDIMENT",
        "NOT_ALL_PATENTEES",
        "NO_EVALUATION_REPORT",
        "TERRITORY_NOT_CHINA",
        "LICENSEE_FILTER",
        "FEE_NOT_COMPUTABLE",
        "ADVERTISING_WORDS",
        "TERM_BEYOND_PATENT",
    ]
    for f in verdict.findings:
        assert f.reason.startswith(f"专利 {NO}（{TITLE}）") and f.patent == NO
        assert f.source == OPEN_RULES[f.code][1]


def test_text_helpers_fold_width_and_spaces() -> None:
    """Full-width letters and spaces inside words never hide them."""
    assert negotiation_words("价格 面　议") == ["面议"]
    assert territory_limits("仅限　山东省") != []
