"""Directed-licence checks L1–L11 (transactions-and-analytics.md §2.d, §13 vectors).

Invariants protected here:
- a clean request passes with no finding at all, so every finding below is caused by the fact a test adds;
- each rule reports under its own code, names the patent (number and title) and the triggering fact, and
  cites its source from the catalogue;
- L5/L6 warn at signing and block a filing; L4 (ordinary by one co-owner) and L11 only ever warn;
- overlap is judged on the requested interval, territory and field, including ledger events that start later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
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
    LICENCE_RULES,
    OPEN_RULES,
    RULE_CATALOGUE,
    LicenceRequest,
    PatentCheck,
    licence_allowed,
)

D = dt.date
AS_OF = D(2026, 3, 1)
NO = "CN202010000001.X"
TITLE = "一种电池热管理装置"
EXCLUSIVE, SOLE, ORDINARY = LicenceKind.EXCLUSIVE, LicenceKind.SOLE, LicenceKind.ORDINARY


def _facts(**kw: Any) -> PatentFacts:
    base: dict[str, Any] = {
        "application_number": NO,
        "patent_type": PatentType.INVENTION,
        "title": TITLE,
        "granted": True,
        "grant_date": D(2022, 5, 10),
        "expiry_date": D(2040, 5, 31),
        "valid": True,
        "patentees": ("山东大学",),
    }
    base.update(kw)
    return PatentFacts(**base)


def _patent(facts: PatentFacts | None = None, window: tuple[RightEvent, ...] = (), **enc: Any) -> PatentCheck:
    encumbrances = Encumbrances(as_of=AS_OF, fee_state=enc.pop("fee_state", FeeState.PAID), **enc)
    return PatentCheck(facts=facts or _facts(), enc=encumbrances, window_events=window)


def _licence(
    kind: LicenceKind, start: dt.date, end: dt.date | None, ref: str = "XK-2026-001", **kw: Any
) -> RightEvent:
    return RightEvent(kind=RightKind.LICENCE, start=start, end=end, sub_kind=kind.value, ref=ref, **kw)


def _request(**kw: Any) -> LicenceRequest:
    base: dict[str, Any] = {
        "kind": ORDINARY,
        "patents": (_patent(),),
        "start": D(2026, 4, 1),
        "end": D(2027, 3, 31),
        "licensor_parties": ("山东大学",),
    }
    base.update(kw)
    return LicenceRequest(**base)


def _only(verdict: Verdict, code: str) -> Finding:
    """The single finding of ``code``; every other code must be absent."""
    assert verdict.codes() == [code], verdict.findings
    return verdict.findings[0]


def test_clean_request_has_no_findings() -> None:
    """The baseline every other test changes one fact of."""
    verdict = licence_allowed(_request(), AS_OF)
    assert verdict.findings == ()
    assert verdict.allowed


# --- L1 validity and term -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts_kw", "enc_kw", "words"),
    [
        ({"granted": False, "valid": False}, {}, "尚未授权"),
        ({"valid": False}, {}, "不是有效"),
        ({}, {"lapsed": True}, "不是有效"),
    ],
)
def test_l1_blocks_an_ungranted_or_dead_patent(
    facts_kw: dict[str, Any], enc_kw: dict[str, Any], words: str
) -> None:
    """A licence contract is valid only while the patent is (民法典 Art. 865)."""
    f = _only(licence_allowed(_request(patents=(_patent(_facts(**facts_kw), **enc_kw),)), AS_OF), "L1")
    assert f.severity is Severity.BLOCK
    assert NO in f.reason and TITLE in f.reason and words in f.reason
    assert f.patent == NO and f.source == LICENCE_RULES["L1"][1]


def test_l1_term_may_end_on_expiry_day_but_not_after() -> None:
    """end ≤ expiry: the expiry day itself is still inside the term."""
    expiry = D(2027, 3, 31)
    on_day = _request(patents=(_patent(_facts(expiry_date=expiry)),), end=expiry)
    assert licence_allowed(on_day, AS_OF).findings == ()
    f = _only(licence_allowed(replace(on_day, end=D(2027, 4, 1)), AS_OF), "L1")
    assert f.severity is Severity.BLOCK and "2027-03-31" in f.reason and "2027-04-01" in f.reason


def test_l1_start_after_expiry_and_lapse_inside_the_term_block() -> None:
    """A patent that ends before or during the term cannot carry the licence."""
    late = _request(patents=(_patent(_facts(expiry_date=D(2026, 3, 31))),))
    assert _only(licence_allowed(late, AS_OF), "L1").severity is Severity.BLOCK
    lapsing = _request(patents=(_patent(_facts(lapse_date=D(2026, 12, 1))),))
    f = _only(licence_allowed(lapsing, AS_OF), "L1")
    assert f.severity is Severity.BLOCK and "2026-12-01" in f.reason


def test_l1_end_bounded_by_the_earliest_expiry_of_a_package() -> None:
    """end ≤ min(expiry): only the patent that ends first is reported."""
    short = _facts(application_number="CN201720000002.5", title="一种夹具", expiry_date=D(2027, 1, 31))
    verdict = licence_allowed(_request(patents=(_patent(), _patent(short))), AS_OF)
    f = _only(verdict, "L1")
    assert f.patent == "CN201720000002.5" and "一种夹具" in f.reason


def test_l1_unknown_expiry_and_pending_invalidation_only_warn() -> None:
    """Missing data and a pending invalidation are shown, not treated as refusals."""
    unknown = licence_allowed(_request(patents=(_patent(_facts(expiry_date=None)),)), AS_OF)
    assert _only(unknown, "L1").severity is Severity.WARN and unknown.allowed
    pending = licence_allowed(_request(patents=(_patent(invalidation_pending=True),)), AS_OF)
    f = _only(pending, "L1")
    assert f.severity is Severity.WARN and "无效宣告" in f.reason and pending.allowed


def test_l1_request_level_errors() -> None:
    """No patent, or an end before the start, blocks the request itself (no patent named)."""
    empty = _only(licence_allowed(_request(patents=()), AS_OF), "L1")
    assert empty.severity is Severity.BLOCK and empty.patent == ""
    reversed_ = _only(licence_allowed(_request(end=D(2026, 3, 31)), AS_OF), "L1")
    assert reversed_.severity is Severity.BLOCK and "早于" in reversed_.reason


# --- L2 open licence --------------------------------------------------------------------------------

_DECLARATION = RightEvent(kind=RightKind.OPEN_LICENCE, start=D(2025, 9, 1), ref="KF-2025-017")


@pytest.mark.parametrize("kind", [EXCLUSIVE, SOLE])
def test_l2_exclusive_or_sole_blocked_while_open_licence_published(kind: LicenceKind) -> None:
    """§13: exclusive licence while an open-licence declaration is published → blocked (Law Art. 51 ¶3)."""
    verdict = licence_allowed(_request(kind=kind, patents=(_patent(open_licence=_DECLARATION),)), AS_OF)
    f = _only(verdict, "L2")
    assert f.severity is Severity.BLOCK and not verdict.allowed
    assert "KF-2025-017" in f.reason and kind.label in f.reason and TITLE in f.reason
    assert f.source == "专利法 第51条第3款"


def test_l2_ordinary_licence_beside_open_licence_is_allowed() -> None:
    """Art. 51 ¶3 still allows negotiated ordinary licences."""
    assert licence_allowed(_request(patents=(_patent(open_licence=_DECLARATION),)), AS_OF).findings == ()


def test_l2_judged_on_the_requested_interval() -> None:
    """A declaration withdrawn before the start does not block; one published later inside the term does."""
    withdrawn = replace(_DECLARATION, end=D(2026, 3, 31))
    ok = _request(kind=EXCLUSIVE, patents=(_patent(open_licence=withdrawn),))
    assert licence_allowed(ok, AS_OF).findings == ()
    later = RightEvent(kind=RightKind.OPEN_LICENCE, start=D(2026, 10, 1), ref="KF-2026-003")
    f = _only(licence_allowed(_request(kind=EXCLUSIVE, patents=(_patent(window=(later,)),)), AS_OF), "L2")
    assert "KF-2026-003" in f.reason and "2026-10-01" in f.reason


# --- L3 overlaps ------------------------------------------------------------------------------------


def test_l3_ordinary_blocked_while_exclusive_in_force_with_reason_naming_the_contract() -> None:
    """The reason quotes the patent, the date, the contract and its end, as the UI shows it."""
    existing = _licence(EXCLUSIVE, D(2025, 1, 1), D(2028, 12, 31), counterparty="烟台甲公司")
    f = _only(licence_allowed(_request(patents=(_patent(exclusive_or_sole=(existing,)),)), AS_OF), "L3")
    assert f.severity is Severity.BLOCK
    assert f.reason.startswith(f"专利 {NO}（{TITLE}）在 2026-04-01 已有独占许可（合同 XK-2026-001")
    assert (
        "至 2028-12-31" in f.reason and "烟台甲公司" in f.reason and f.reason.endswith("不能再签订普通许可")
    )


@pytest.mark.parametrize(
    ("requested", "existing", "blocked"),
    [
        (EXCLUSIVE, ORDINARY, True),
        (EXCLUSIVE, EXCLUSIVE, True),
        (EXCLUSIVE, SOLE, True),
        (SOLE, ORDINARY, True),
        (SOLE, SOLE, True),
        (ORDINARY, EXCLUSIVE, True),
        (ORDINARY, SOLE, True),
        (ORDINARY, ORDINARY, False),
    ],
)
def test_l3_kind_matrix(requested: LicenceKind, existing: LicenceKind, blocked: bool) -> None:
    """Exclusive/sole tolerate nothing overlapping; ordinary tolerates only ordinary (技术合同解释 Art. 25)."""
    event = _licence(existing, D(2025, 6, 1), D(2027, 6, 30))
    lists = {"exclusive_or_sole": (event,)} if existing is not ORDINARY else {"ordinary": (event,)}
    verdict = licence_allowed(_request(kind=requested, patents=(_patent(**lists),)), AS_OF)
    assert verdict.codes() == (["L3"] if blocked else [])


@pytest.mark.parametrize(
    ("existing_end", "blocked"),
    [(D(2026, 3, 31), False), (D(2026, 4, 1), True), (None, True)],
)
def test_l3_interval_edges(existing_end: dt.date | None, blocked: bool) -> None:
    """Intervals are end-inclusive: ending the day before the start is no overlap, ending on it is."""
    event = _licence(EXCLUSIVE, D(2024, 1, 1), existing_end)
    verdict = licence_allowed(_request(patents=(_patent(exclusive_or_sole=(event,)),)), AS_OF)
    assert verdict.codes() == (["L3"] if blocked else [])


def test_l3_window_event_starting_later_inside_the_term_blocks() -> None:
    """A licence signed to start after ``as_of`` is not in the ledger answer but still overlaps."""
    later = _licence(EXCLUSIVE, D(2027, 1, 1), D(2029, 12, 31), ref="XK-2026-088")
    f = _only(licence_allowed(_request(patents=(_patent(window=(later,)),)), AS_OF), "L3")
    assert "在 2027-01-01" in f.reason and "XK-2026-088" in f.reason
    after_end = _licence(EXCLUSIVE, D(2027, 4, 1), None)
    assert licence_allowed(_request(patents=(_patent(window=(after_end,)),)), AS_OF).findings == ()


def test_l3_same_event_in_ledger_and_window_is_reported_once() -> None:
    event = _licence(EXCLUSIVE, D(2025, 1, 1), D(2028, 12, 31))
    verdict = licence_allowed(
        _request(patents=(_patent(window=(event,), exclusive_or_sole=(event,)),)), AS_OF
    )
    assert verdict.codes() == ["L3"]


@pytest.mark.parametrize(
    ("existing_territory", "requested_territory", "blocked"),
    [
        ("37", "44", False),  # 山东 vs 广东
        ("37", "3701", True),  # 济南 lies in 山东
        ("370000", "371500", True),  # zero-padded codes are prefixes too
        ("37", "CN", True),
        ("CN", "44", True),
    ],
)
def test_l3_territories(existing_territory: str, requested_territory: str, blocked: bool) -> None:
    """Overlap needs the same territory: disjoint provinces may each have their own exclusive licence."""
    event = _licence(EXCLUSIVE, D(2025, 1, 1), None, territory=existing_territory)
    req = _request(
        kind=EXCLUSIVE, territory=requested_territory, patents=(_patent(exclusive_or_sole=(event,)),)
    )
    assert licence_allowed(req, AS_OF).codes() == (["L3"] if blocked else [])


@pytest.mark.parametrize(
    ("existing_field", "requested_field", "blocked"),
    [("储能电站", "新能源汽车", False), ("储能电站", "储能电站", True), ("", "新能源汽车", True)],
)
def test_l3_fields_of_use(existing_field: str, requested_field: str, blocked: bool) -> None:
    """Different fields of use do not overlap; an unstated field covers every field."""
    event = _licence(EXCLUSIVE, D(2025, 1, 1), None, field_of_use=existing_field)
    req = _request(
        kind=EXCLUSIVE, field_of_use=requested_field, patents=(_patent(exclusive_or_sole=(event,)),)
    )
    assert licence_allowed(req, AS_OF).codes() == (["L3"] if blocked else [])


def test_l3_ignores_the_contracts_own_ledger_event() -> None:
    """Re-checking a signed exclusive contract before filing must not find itself."""
    own = _licence(EXCLUSIVE, D(2026, 4, 1), D(2027, 3, 31), ref="XK-2026-050")
    req = _request(kind=EXCLUSIVE, patents=(_patent(exclusive_or_sole=(own,)),))
    assert licence_allowed(req, AS_OF).codes() == ["L3"]
    assert licence_allowed(replace(req, own_ref="XK-2026-050"), AS_OF).findings == ()


# --- L4 co-ownership ----------------------------------------------------------------------------------

_CO = ("山东大学", "烟台乙公司")


def _co_owned(**kw: Any) -> LicenceRequest:
    return _request(patents=(_patent(_facts(patentees=_CO), co_owners=_CO),), **kw)


def test_l4_ordinary_by_one_co_owner_allowed_with_fee_split_warning() -> None:
    """§13: co-owned, no agreement, one co-owner grants an ordinary licence → allowed; fee shared (Art. 14)."""
    verdict = licence_allowed(_co_owned(), AS_OF)
    f = _only(verdict, "L4")
    assert verdict.allowed and f.severity is Severity.WARN
    assert "分配" in f.reason and "烟台乙公司" in f.reason and f.source.startswith("专利法 第14条")


@pytest.mark.parametrize("kind", [EXCLUSIVE, SOLE])
def test_l4_exclusive_by_one_co_owner_blocked_until_all_consent(kind: LicenceKind) -> None:
    """§13: the same co-owned patent, exclusive licence → blocked until every co-owner consents."""
    f = _only(licence_allowed(_co_owned(kind=kind), AS_OF), "L4")
    assert f.severity is Severity.BLOCK and "烟台乙公司" in f.reason and kind.label in f.reason
    assert licence_allowed(_co_owned(kind=kind, coowner_consent=True), AS_OF).findings == ()
    both_sign = _co_owned(kind=kind, licensor_parties=("山东大学", "烟台乙公司"))
    assert licence_allowed(both_sign, AS_OF).findings == ()


def test_l4_names_compared_without_width_or_spaces() -> None:
    """「山东大学（威海）」 typed with half-width brackets and a full-width space is the same party."""
    owners = ("山东大学（威海）", "烟台乙公司")
    req = _request(
        kind=EXCLUSIVE,
        patents=(_patent(_facts(patentees=owners), co_owners=owners),),
        licensor_parties=("山东大学(威海)\u3000", " 烟台乙公司"),
    )
    assert licence_allowed(req, AS_OF).findings == ()


def test_l4_co_owners_fall_back_to_the_patent_facts() -> None:
    """Without the ledger's co_owners, the patentees on the record decide."""
    req = _request(kind=EXCLUSIVE, patents=(_patent(_facts(patentees=_CO)),))
    assert _only(licence_allowed(req, AS_OF), "L4").severity is Severity.BLOCK


def test_l4_licensor_who_is_no_patentee_is_a_warning() -> None:
    """62号令 refuses a licensor who is not the right holder; name variants make it a warning here."""
    verdict = licence_allowed(_request(licensor_parties=("济南丙公司",)), AS_OF)
    f = _only(verdict, "L4")
    assert f.severity is Severity.WARN and "济南丙公司" in f.reason and "山东大学" in f.reason


# --- L5 pledge, L6 filing holds -------------------------------------------------------------------------

_PLEDGE = RightEvent(
    kind=RightKind.PLEDGE, start=D(2025, 8, 1), counterparty="齐鲁银行", record_no="Y2025370000123"
)


@pytest.mark.parametrize(("for_filing", "severity"), [(False, Severity.WARN), (True, Severity.BLOCK)])
def test_l5_pledge_without_consent_warns_at_signing_and_blocks_filing(
    for_filing: bool, severity: Severity
) -> None:
    f = _only(
        licence_allowed(_request(for_filing=for_filing, patents=(_patent(pledges=(_PLEDGE,)),)), AS_OF), "L5"
    )
    assert f.severity is severity and "齐鲁银行" in f.reason and "Y2025370000123" in f.reason


def test_l5_pledgee_consent_on_file_clears_it() -> None:
    consented = replace(_PLEDGE, consents=frozenset({"pledgee"}))
    req = _request(for_filing=True, patents=(_patent(pledges=(consented,)),))
    assert licence_allowed(req, AS_OF).findings == ()


@pytest.mark.parametrize(
    ("enc_kw", "words"),
    [
        ({"fee_state": FeeState.LATE, "late_months": 2}, "年费滞纳期（已滞纳 2 个月）"),
        ({"suspended": True}, "中止"),
        ({"preserved": True}, "保全"),
    ],
)
@pytest.mark.parametrize(("for_filing", "severity"), [(False, Severity.WARN), (True, Severity.BLOCK)])
def test_l6_filing_holds(enc_kw: dict[str, Any], words: str, for_filing: bool, severity: Severity) -> None:
    """The contract may be signed, but CNIPA refuses the filing (62号令 refusal list)."""
    f = _only(licence_allowed(_request(for_filing=for_filing, patents=(_patent(**enc_kw),)), AS_OF), "L6")
    assert f.severity is severity and words in f.reason and "备案会被拒绝" in f.reason
    assert ("可以签订" in f.reason) is (not for_filing)


def test_l6_fee_merely_due_is_no_hold() -> None:
    assert licence_allowed(_request(patents=(_patent(fee_state=FeeState.DUE),)), AS_OF).findings == ()


# --- L7 pricing, L8 sublicence, L9 merge --------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "notice", "blocked"),
    [
        ("", False, True),
        ("negotiated", False, True),
        ("agreement", False, True),
        ("agreement", True, False),
        ("listing", False, False),
        ("auction", False, False),
        ("open_licence", False, False),
    ],
)
def test_l7_state_run_pricing(method: str, notice: bool, blocked: bool) -> None:
    """促进科技成果转化法 Art. 18: a price method is required; 协议定价 needs a completed 公示 first."""
    req = _request(state_run_licensor=True, price_method=method, public_notice_completed=notice)
    verdict = licence_allowed(req, AS_OF)
    assert verdict.codes() == (["L7"] if blocked else [])
    assert all(f.severity is Severity.BLOCK for f in verdict.findings)


def test_l7_does_not_apply_to_other_licensors() -> None:
    assert licence_allowed(_request(price_method="agreement"), AS_OF).findings == ()


@pytest.mark.parametrize(
    ("allowed", "stated", "blocked"), [(True, False, True), (True, True, False), (False, False, False)]
)
def test_l8_sublicence_only_when_stated(allowed: bool, stated: bool, blocked: bool) -> None:
    verdict = licence_allowed(_request(sublicence_allowed=allowed, sublicence_stated=stated), AS_OF)
    assert verdict.codes() == (["L8"] if blocked else [])


def test_l9_fee_findings_are_merged_unchanged() -> None:
    """The fees module computes L9; the verdict carries its finding as given and blocks on it."""
    l9 = Finding("L9", Severity.BLOCK, "提成未约定计提基数，无法按期计算应付金额", "民法典第八百四十六条")
    verdict = licence_allowed(_request(fee_findings=(l9,)), AS_OF)
    assert verdict.findings == (l9,) and not verdict.allowed


# --- L10 trial ----------------------------------------------------------------------------------------


def _trial(**kw: Any) -> LicenceRequest:
    base: dict[str, Any] = {
        "is_trial": True,
        "trial_months": 6,
        "trial_fee_free": True,
        "start": D(2026, 1, 15),
        "end": D(2026, 7, 15),
    }
    base.update(kw)
    return _request(**base)


def test_l10_six_month_trial_from_15_january_ends_15_july() -> None:
    """§13 trial_end vector: 2026-01-15 + 6 months = 2026-07-15."""
    assert licence_allowed(_trial(), AS_OF).findings == ()
    f = _only(licence_allowed(_trial(end=D(2026, 7, 14)), AS_OF), "L10")
    assert "2026-07-15" in f.reason and "2026-07-14" in f.reason


def test_l10_month_end_uses_the_last_day_when_there_is_no_corresponding_day() -> None:
    """细则 Art. 5: 31 August + 6 months → 28 February."""
    assert licence_allowed(_trial(start=D(2025, 8, 31), end=D(2026, 2, 28)), AS_OF).findings == ()


@pytest.mark.parametrize(
    "change",
    [
        {"kind": EXCLUSIVE},
        {"kind": SOLE},
        {"trial_fee_free": False},
        {"trial_months": None},
        {"trial_months": 0},
    ],
)
def test_l10_a_trial_is_free_ordinary_and_counted_in_months(change: dict[str, Any]) -> None:
    f = _only(licence_allowed(_trial(**change), AS_OF), "L10")
    assert f.severity is Severity.BLOCK and f.patent == ""


# --- L11 region targeting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applicant", "targets", "region_only", "warned"),
    [
        ("371522", ("3715",), True, False),  # 莘县 inside 聊城
        ("371522", ("370000",), True, False),  # zero-padded province code
        ("370102", ("3715",), True, True),  # 济南 applicant for a 聊城 offer
        ("", ("3715",), True, True),  # unknown region needs a human too
        ("370102", ("3715",), False, False),  # targeting without region_only never warns
        ("370102", (), True, False),
    ],
)
def test_l11_region_is_targeting_and_only_warns(
    applicant: str, targets: tuple[str, ...], region_only: bool, warned: bool
) -> None:
    req = _request(applicant_region=applicant, target_regions=targets, region_only=region_only)
    verdict = licence_allowed(req, AS_OF)
    assert verdict.allowed
    assert verdict.codes() == (["L11"] if warned else [])
    assert all(f.severity is Severity.WARN for f in verdict.findings)


# --- sources and catalogue ----------------------------------------------------------------------------


def test_every_finding_cites_its_catalogue_source() -> None:
    """A request breaking many rules at once: every finding's source is its rule's catalogue source."""
    req = _request(
        kind=EXCLUSIVE,
        patents=(
            _patent(
                _facts(patentees=_CO, expiry_date=D(2026, 12, 31)),
                co_owners=_CO,
                open_licence=_DECLARATION,
                pledges=(_PLEDGE,),
                fee_state=FeeState.LATE,
            ),
        ),
        state_run_licensor=True,
        sublicence_allowed=True,
        is_trial=True,
        trial_months=3,
        trial_fee_free=True,
        applicant_region="110101",
        target_regions=("37",),
        region_only=True,
    )
    verdict = licence_allowed(req, AS_OF)
    assert verdict.codes() == ["L1", "L2", "L4", "L5", "L6", "L7", "L8", "L10", "L10", "L11"]
    for f in verdict.findings:
        assert f.source == LICENCE_RULES[f.code][1]


def test_catalogue_lists_every_rule_code_with_chinese_title_and_source() -> None:
    """The UI's rule list: L1–L13 and the guide's §3.d codes, nothing else."""
    open_codes = {
        "NOT_GRANTED_OR_INVALID", "EXCLUSIVE_OR_SOLE_ACTIVE", "SUSPENDED_OR_PRESERVED", "ANNUAL_FEE_UNPAID",
        "PLEDGED_NO_CONSENT", "OTHER_IMPEDIMENT", "NOT_ALL_PATENTEES", "NO_EVALUATION_REPORT",
        "REPORT_NEGATIVE", "TERRITORY_NOT_CHINA", "LICENSEE_FILTER", "FEE_NOT_COMPUTABLE",
        "ADVERTISING_WORDS", "TERM_BEYOND_PATENT", "FEE_ABOVE_GUIDE",
    }  # fmt: skip
    assert set(LICENCE_RULES) == {f"L{i}" for i in range(1, 14)}
    assert set(OPEN_RULES) == open_codes
    assert set(RULE_CATALOGUE) == set(LICENCE_RULES) | open_codes
    for title, source in RULE_CATALOGUE.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in source)
