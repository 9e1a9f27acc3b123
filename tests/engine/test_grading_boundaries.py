"""Grading rules at their boundaries: every indicator's scale, missing data, weights, grade lines,
dated policies, high-value conditions C1–C5, the public implementation list and the back-test's AUC.

Expected numbers are hand-computed from the rule each indicator states in its reason text (e.g.
"10 项及以上为满分", "150 字以内为满分，1000 字为零") and from the shipped policy file; nothing is
copied from a previous run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.grading import (
    GradingInput,
    GradingPolicy,
    grade_patent,
    high_value_flags,
    load_policies,
    policy_for,
)
from patentbridge_engine.grading.backtest import MIN_CLASS, auc, backtest, had_outcome
from patentbridge_engine.grading.grade import weighted_score
from patentbridge_engine.grading.high_value import FLAG_LABELS
from patentbridge_engine.grading.indicators import (
    DIMENSIONS,
    INDICATOR_KEYS,
    IndicatorScore,
    compute_indicators,
)
from patentbridge_engine.grading.policy import DEFAULT_POLICY_FILE
from patentbridge_engine.grading.public_list import ListCandidate, list_entries
from patentbridge_engine.legal import LegalState, PatentType, term_expiry

AS_OF = dt.date(2026, 6, 1)


def _score(patent: GradingInput, key: str, as_of: dt.date = AS_OF) -> IndicatorScore:
    return next(i for i in compute_indicators(patent, as_of) if i.key == key)


def _policy(**overrides: Any) -> GradingPolicy:
    base: dict[str, Any] = {
        "version": "T-1",
        "effective_from": dt.date(2020, 1, 1),
        "title": "测试策略",
        "basis": "",
        "weights": {"legal_status": 1.0, "patent_type": 3.0},
        "boundaries": {"A": 80.0, "B": 60.0, "C": 40.0},
        "grade_labels": {},
        "min_coverage": 0.5,
    }
    base.update(overrides)
    return GradingPolicy(**base)


# --- indicators -------------------------------------------------------------------------------------


def test_indicators_come_in_a_fixed_order_with_known_dimensions() -> None:
    """The UI and stored grades rely on one indicator per key, in a fixed order, each in a dimension."""
    found = compute_indicators(GradingInput(), AS_OF)
    assert tuple(i.key for i in found) == INDICATOR_KEYS
    assert len(set(INDICATOR_KEYS)) == len(INDICATOR_KEYS) == 15
    assert {i.dimension for i in found} == set(DIMENSIONS)
    assert all(i.label and i.as_dict()["key"] == i.key for i in found)


def test_the_shipped_policy_weights_exactly_the_indicators() -> None:
    """Every indicator has a weight in the shipped policy and every weight names an indicator."""
    policy = policy_for(AS_OF)
    assert set(policy.weights) == set(INDICATOR_KEYS)
    assert all(w > 0 for w in policy.weights.values())


@pytest.mark.parametrize(
    ("state", "score"),
    [
        (LegalState.GRANTED, 100.0),
        (LegalState.FILED, 50.0),
        (LegalState.PUBLISHED, 50.0),
        (LegalState.SUBSTANTIVE_EXAM, 50.0),
        (LegalState.REJECTED, 0.0),
        (LegalState.WITHDRAWN, 0.0),
        (LegalState.DEEMED_WITHDRAWN, 0.0),
        (LegalState.EXPIRED, 0.0),
        (LegalState.LAPSED_NON_PAYMENT, 0.0),
        (LegalState.ABANDONED, 0.0),
        (LegalState.INVALIDATED, 0.0),
        (LegalState.UNKNOWN, None),
        (None, None),
    ],
)
def test_legal_status_scale(state: LegalState | None, score: float | None) -> None:
    """Valid 100, pending 50, every invalid state 0; unknown or absent status is missing, not zero."""
    found = _score(GradingInput(legal_status=state), "legal_status")
    assert found.score == score
    if state is not None and state is not LegalState.UNKNOWN and not state.is_valid:
        assert state.label in found.reason  # pending and lapsed rights name their state


@pytest.mark.parametrize(
    ("ptype", "years_left", "score"),
    [
        ("invention", 20.0, 100.0),
        ("invention", 10.0, 50.0),
        ("invention", 25.0, 100.0),  # clamped
        ("utility_model", 5.0, 50.0),
        ("utility_model", 10.0, 100.0),
        ("invention", -1.0, 0.0),  # past its expiry date
    ],
)
def test_remaining_life_is_the_share_of_the_statutory_term(
    ptype: str, years_left: float, score: float
) -> None:
    """Score = 100 × years left / statutory term (20 invention, 10 utility model), clamped to 0–100."""
    expiry = AS_OF + dt.timedelta(days=round(years_left * 365.25))
    found = _score(
        GradingInput(patent_type=ptype, legal_status="granted", expiry_date=expiry), "remaining_life"
    )
    assert found.score == pytest.approx(score, abs=0.1)


def test_remaining_life_missing_and_lapsed() -> None:
    """A lapsed right has no life left whatever its expiry date; without type or expiry it is missing."""
    far = AS_OF + dt.timedelta(days=3650)
    lapsed = GradingInput(patent_type="invention", legal_status="lapsed_non_payment", expiry_date=far)
    assert _score(lapsed, "remaining_life").score == 0.0
    assert _score(GradingInput(patent_type="invention", expiry_date=None), "remaining_life").score is None
    assert _score(GradingInput(patent_type=None, expiry_date=far), "remaining_life").score is None
    pending = GradingInput(patent_type="invention", legal_status="substantive_exam", expiry_date=far)
    assert _score(pending, "remaining_life").score == pytest.approx(50.0, abs=0.1)


def test_remaining_life_of_an_old_design_uses_its_ten_year_term() -> None:
    """A design filed 2020-01-01 with half of its 10-year term left scores 50 and says 法定 10 年."""
    filed = dt.date(2020, 1, 1)
    expiry = term_expiry(PatentType.DESIGN, filed)
    as_of = dt.date(2025, 1, 1)
    found = _score(
        GradingInput(patent_type="design", filing_date=filed, expiry_date=expiry), "remaining_life", as_of
    )
    assert "法定 10 年" in found.reason
    assert found.score == pytest.approx(50.0, abs=0.5)


@pytest.mark.parametrize(
    ("filed", "term"),
    [
        (dt.date(2021, 5, 31), 10),
        (dt.date(2021, 6, 1), 15),
        (dt.date(2010, 2, 28), 10),
        (dt.date(2024, 2, 29), 15),
    ],
)
@pytest.mark.parametrize("filing_known", [True, False])
def test_design_term_follows_the_filing_date_even_when_only_the_expiry_is_known(
    filed: dt.date, term: int, filing_known: bool
) -> None:
    """Designs filed from 2021-06-01 are measured against 15 years, earlier ones against 10; without a
    filing date the expiry date alone tells which."""
    expiry = term_expiry(PatentType.DESIGN, filed)
    found = _score(
        GradingInput(patent_type="design", filing_date=filed if filing_known else None, expiry_date=expiry),
        "remaining_life",
        filed,
    )
    assert f"法定 {term} 年" in found.reason
    assert found.score == pytest.approx(100.0, abs=0.5)


@pytest.mark.parametrize(
    ("family", "size", "score"),
    [
        (["CN110513902B"], None, 0.0),
        (["CN110513902A", "WO2020123456A1"], None, 0.0),  # WO is no office
        (["US10000000B2"], None, 25.0),
        (["US10000000B2", "US20200000001A1"], None, 25.0),  # one office counted once
        (["US10000000B2", "EP3000000B1", "JP6543210B2"], None, 75.0),
        (["US1B", "EP1B", "JP1B", "KR1B", "DE1B"], None, 100.0),  # clamped
        ([" us10000000b2 "], None, 25.0),  # trimmed and upper-cased
        ([], 3, 40.0),  # no members listed: 20 per family member beyond the patent itself
        ([], 1, 0.0),
        ([], 0, 0.0),
        ([], 9, 100.0),
        ([], None, None),
    ],
)
def test_foreign_family_scale(family: list[str], size: int | None, score: float | None) -> None:
    """25 points per foreign office among the members (CN and WO excluded); without members, 20 per
    extra family member; without either, missing."""
    assert _score(GradingInput(family=family, family_size=size), "foreign_family").score == score


def test_listed_members_beat_the_family_size() -> None:
    """When members are listed, the count column is not used (it may count the Chinese members)."""
    found = _score(GradingInput(family=["CN1A"], family_size=9), "foreign_family")
    assert found.score == 0.0 and "仅在中国" in found.reason


@pytest.mark.parametrize(
    ("ptype", "score"), [("invention", 100.0), ("utility_model", 50.0), ("design", 30.0), (None, None)]
)
def test_patent_type_scale(ptype: str | None, score: float | None) -> None:
    """Examined inventions weigh most; unknown type is missing."""
    assert _score(GradingInput(patent_type=ptype), "patent_type").score == score


@pytest.mark.parametrize(
    ("count", "score"), [(1, 10.0), (9, 90.0), (10, 100.0), (25, 100.0), (0, None), (None, None)]
)
def test_claims_count_scale(count: int | None, score: float | None) -> None:
    """10 points per claim up to 10 claims; no count (or a zero no granted patent has) is missing."""
    assert _score(GradingInput(claims_count=count), "claims_count").score == score


@pytest.mark.parametrize(
    ("claim", "score"),
    [
        ("甲" * 150, 100.0),  # 150 characters or fewer: full marks
        ("甲" * 100, 100.0),
        ("甲" * 575, 50.0),  # halfway between 150 and 1000
        ("甲" * 1000, 0.0),
        ("甲" * 2000, 0.0),
        ("甲" * 30 + "，其特征在于" + "乙" * 70, 34.0),  # 36 of 106 characters before the features
        ("甲" * 50 + "，其特征是" + "乙" * 45, 55.0),  # 55 of 100
        ("甲" * 44 + "特征在于" + "乙" * 52, 48.0),  # 48 of 100
        ("短", None),
        ("   一种装置   ", None),  # under 10 characters once trimmed
    ],
)
def test_claim_breadth_scale(claim: str, score: float | None) -> None:
    """With a characterising clause: the share of the claim before the features; without: linear from
    100 at 150 characters to 0 at 1000; shorter than 10 characters is missing."""
    assert _score(GradingInput(main_claim=claim), "claim_breadth").score == score


@pytest.mark.parametrize(
    ("count", "score"), [(0, 0.0), (1, 20.0), (4, 80.0), (5, 100.0), (50, 100.0), (None, None)]
)
def test_forward_citations_scale(count: int | None, score: float | None) -> None:
    """20 points per citing patent; zero citations is a real 0, unknown is missing."""
    assert _score(GradingInput(cited_by_count=count), "forward_citations").score == score


@pytest.mark.parametrize(
    ("citations", "score"),
    [(["CN1A"], 10.0), (["CN1A"] * 3, 30.0), (["CN1A"] * 12, 100.0), ([], None), (None, None)],
)
def test_backward_citations_scale(citations: list[str] | None, score: float | None) -> None:
    """10 points per cited document, full at 10."""
    assert _score(GradingInput(citations=citations), "backward_citations").score == score


@pytest.mark.parametrize(
    ("ipc", "score"),
    [
        (["H01M10/0525", "H01M4/131"], 25.0),  # one subclass
        (["H01M10/0525", "F25B30/02"], 50.0),
        (["H01M10/0525", "F25B30/02", "G06F16/33", "A61K36/898", "C12N15/10"], 100.0),
        (["  ", ""], None),
        ([], None),
    ],
)
def test_ipc_breadth_counts_subclasses(ipc: list[str], score: float | None) -> None:
    """25 points per distinct subclass (not per symbol), blanks ignored."""
    assert _score(GradingInput(ipc=ipc), "ipc_breadth").score == score


@pytest.mark.parametrize(
    ("counts", "score"),
    [
        ((3, 1, 2), 100.0),  # a licence is the strongest signal whatever else happened
        ((3, 0, 2), 80.0),
        ((0, 0, 2), 70.0),
        ((0, 0, 0), 20.0),
        ((0, None, None), 20.0),  # one recorded zero is data
        ((None, None, None), None),
    ],
)
def test_transactions_priority(
    counts: tuple[int | None, int | None, int | None], score: float | None
) -> None:
    """Licence 100 > transfer 80 > pledge 70 > none recorded 20; no counts at all is missing."""
    transfer, licence, pledge = counts
    patent = GradingInput(transfer_count=transfer, license_count=licence, pledge_count=pledge)
    assert _score(patent, "transactions").score == score


@pytest.mark.parametrize(
    ("kind", "score"),
    [
        ("enterprise", 80.0),
        ("institute", 55.0),
        ("university", 50.0),
        ("individual", 30.0),
        ("unknown", None),
        (None, None),
    ],
)
def test_applicant_kind_scale(kind: str | None, score: float | None) -> None:
    """Enterprises are closest to use; unknown kind is missing."""
    assert _score(GradingInput(applicant_kind=kind), "applicant_kind").score == score


@pytest.mark.parametrize(
    ("applicants", "score"),
    [(["甲公司"], 40.0), (["甲公司", "乙大学"], 80.0), (["甲公司", "  "], 40.0), ([" "], None), ([], None)],
)
def test_co_applicants_scale(applicants: list[str], score: float | None) -> None:
    """Joint filings score higher than single ones; blank names do not count."""
    assert _score(GradingInput(applicants=applicants), "co_applicants").score == score


@pytest.mark.parametrize(
    ("days_old", "score"),
    [(0, 100.0), (1096, 100.0), (4200, 50.0), (7305, 0.0), (9000, 0.0), (-30, 100.0)],
)
def test_age_scale(days_old: int, score: float) -> None:
    """Full marks within 3 years of filing, falling linearly to 0 at 20 years."""
    found = _score(GradingInput(filing_date=AS_OF - dt.timedelta(days=days_old)), "age")
    assert found.score == pytest.approx(score, abs=0.1)
    assert _score(GradingInput(), "age").score is None


@pytest.mark.parametrize(("needs", "score"), [(None, None), (0, 0.0), (3, 60.0), (5, 100.0), (6, 100.0)])
def test_demand_signal_scale(needs: int | None, score: float | None) -> None:
    """20 points per matching need on the platform; zero is real, unknown is missing."""
    assert _score(GradingInput(demand_needs=needs), "demand_signal").score == score


@given(
    st.builds(
        GradingInput,
        patent_type=st.sampled_from([None, "invention", "utility_model", "design"]),
        legal_status=st.sampled_from([None, *list(LegalState)]),
        filing_date=st.one_of(st.none(), st.dates(dt.date(1985, 1, 1), dt.date(2030, 1, 1))),
        expiry_date=st.one_of(st.none(), st.dates(dt.date(1995, 1, 1), dt.date(2060, 1, 1))),
        claims_count=st.one_of(st.none(), st.integers(0, 500)),
        main_claim=st.text(max_size=1200),
        family=st.lists(st.text(alphabet="CNUSEPJWOB0123456789 ", max_size=14), max_size=6),
        family_size=st.one_of(st.none(), st.integers(0, 100)),
        cited_by_count=st.one_of(st.none(), st.integers(0, 1000)),
        citations=st.one_of(st.none(), st.lists(st.just("CN1A"), max_size=30)),
        ipc=st.lists(st.sampled_from(["H01M10/0525", "F25B30/02", "", "G06F"]), max_size=5),
        sei_codes=st.one_of(st.none(), st.lists(st.just("1.1"), max_size=3)),
        transfer_count=st.one_of(st.none(), st.integers(0, 5)),
        license_count=st.one_of(st.none(), st.integers(0, 5)),
        pledge_count=st.one_of(st.none(), st.integers(0, 5)),
        applicant_kind=st.sampled_from(
            [None, "enterprise", "university", "institute", "individual", "unknown"]
        ),
        applicants=st.lists(st.text(max_size=5), max_size=3),
        demand_needs=st.one_of(st.none(), st.integers(0, 50)),
    )
)
def test_every_indicator_stays_in_range_with_a_reason(patent: GradingInput) -> None:
    """Property: on any input every indicator is None or within 0–100, always with a reason, and the
    grade's score and coverage stay within their ranges."""
    for indicator in compute_indicators(patent, AS_OF):
        assert indicator.reason
        assert indicator.score is None or 0.0 <= indicator.score <= 100.0
        assert indicator.missing == (indicator.score is None)
    grade = grade_patent(patent, AS_OF)
    assert 0.0 <= grade.score <= 100.0 and 0.0 <= grade.coverage <= 1.0
    assert grade.grade in "ABCD"


# --- weighting and grade lines -------------------------------------------------------------------------


def test_weighted_mean_over_available_indicators() -> None:
    """(100×1 + 50×3) / 4 = 62.5 with both indicators known; with one known its score and a quarter
    of the weight as coverage."""
    policy = _policy()
    both = compute_indicators(GradingInput(legal_status="granted", patent_type="utility_model"), AS_OF)
    assert weighted_score(both, policy) == (62.5, 1.0)
    only_status = compute_indicators(GradingInput(legal_status="granted"), AS_OF)
    assert weighted_score(only_status, policy) == (100.0, 0.25)
    assert weighted_score(compute_indicators(GradingInput(), AS_OF), policy) == (0.0, 0.0)


def test_left_out_indicators_leave_the_weight_total_too() -> None:
    """Leaving an indicator out removes it from both the mean and the coverage denominator."""
    policy = _policy()
    found = compute_indicators(GradingInput(legal_status="granted", patent_type="utility_model"), AS_OF)
    assert weighted_score(found, policy, leave_out={"patent_type"}) == (100.0, 1.0)
    assert weighted_score(found, policy, leave_out={"legal_status", "patent_type"}) == (0.0, 0.0)


def test_unweighted_and_zero_weight_indicators_are_ignored() -> None:
    """An indicator the policy does not weigh (or weighs 0) changes neither score nor coverage."""
    policy = _policy(weights={"legal_status": 1.0, "patent_type": 0.0})
    found = compute_indicators(
        GradingInput(legal_status="granted", patent_type="design", claims_count=3), AS_OF
    )
    assert weighted_score(found, policy) == (100.0, 1.0)


@pytest.mark.parametrize(
    ("score", "letter"),
    [(100.0, "A"), (80.0, "A"), (79.9, "B"), (60.0, "B"), (59.9, "C"), (40.0, "C"), (39.9, "D"), (0.0, "D")],
)
def test_grade_lines_are_inclusive_lower_bounds(score: float, letter: str) -> None:
    """A score exactly on a boundary takes the higher grade (shipped boundaries 80/60/40)."""
    assert policy_for(AS_OF).grade_for(score) == letter


def test_grade_is_provisional_below_minimum_coverage() -> None:
    """Coverage 0.25 under min_coverage 0.5 is not sufficient; at exactly the minimum it is."""
    policy = _policy()
    thin = grade_patent(GradingInput(legal_status="granted"), AS_OF, policy)
    assert (thin.score, thin.coverage, thin.sufficient, thin.grade) == (100.0, 0.25, False, "A")
    exact = grade_patent(GradingInput(legal_status="granted"), AS_OF, _policy(min_coverage=0.25))
    assert exact.sufficient
    assert thin.label == "A"  # no label in the policy: the letter itself
    assert thin.as_dict()["sufficient"] is False and thin.as_dict()["policy_version"] == "T-1"


def test_shipped_labels_and_grade_dictionary() -> None:
    """Shipped grades carry their Chinese label; the stored dictionary lists every indicator and flag."""
    patent = GradingInput(
        patent_type="invention", legal_status="granted", filing_date=dt.date(2010, 1, 1), claims_count=10
    )
    grade = grade_patent(patent, AS_OF)
    data = grade.as_dict()
    assert grade.label.startswith(grade.grade + " ")
    assert [i["key"] for i in data["indicators"]] == list(INDICATOR_KEYS)
    assert [f["code"] for f in data["flags_checked"]] == list(FLAG_LABELS)
    assert data["high_value_flags"] == [f for f in data["flags_checked"] if f["met"]]
    assert data["high_value"] == bool(data["high_value_flags"])


# --- policies -------------------------------------------------------------------------------------------


def _write(path: Path, policies: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"policies": policies}, ensure_ascii=False), encoding="utf-8")
    return path


def _shipped_entry() -> dict[str, Any]:
    entry: dict[str, Any] = json.loads(DEFAULT_POLICY_FILE.read_text(encoding="utf-8"))["policies"][0]
    return entry


def test_policy_selection_by_date_with_unsorted_entries(tmp_path: Path) -> None:
    """The version in force is the latest effective on or before the date, whatever the file order."""
    first, second, third = (dict(_shipped_entry()) for _ in range(3))
    first.update(version="V1", effective_from="2024-01-01")
    second.update(version="V2", effective_from="2025-07-01")
    third.update(version="V3", effective_from="2027-01-01")
    path = _write(tmp_path / "p.json", [third, first, second])
    assert [p.version for p in load_policies(path)] == ["V1", "V2", "V3"]
    assert policy_for(dt.date(2025, 6, 30), path).version == "V1"
    assert policy_for(dt.date(2025, 7, 1), path).version == "V2"
    assert policy_for(dt.date(2026, 12, 31), path).version == "V2"
    assert policy_for(dt.date(2030, 1, 1), path).version == "V3"
    with pytest.raises(ValueError, match="2023-12-31 没有生效"):
        policy_for(dt.date(2023, 12, 31), path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"boundaries": {"A": 80, "B": 80, "C": 40}}, "A > B > C"),
        ({"boundaries": {"A": 80, "B": 30, "C": 40}}, "A > B > C"),
        ({"weights": {"legal_status": -1, "patent_type": 5}}, "非负"),
        ({"weights": {"legal_status": 0, "patent_type": 0}}, "不全为零"),
    ],
)
def test_invalid_policies_are_refused(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    """A policy table with disordered grade lines or unusable weights is refused as a whole."""
    entry = _shipped_entry()
    entry.update(version="BAD", **change)
    with pytest.raises(ValueError, match=message):
        load_policies(_write(tmp_path / "bad.json", [entry]))


def test_duplicate_versions_are_refused(tmp_path: Path) -> None:
    """Versions identify the rules behind stored grades, so they must be unique."""
    a, b = _shipped_entry(), _shipped_entry()
    b["effective_from"] = "2030-01-01"
    with pytest.raises(ValueError, match="重复"):
        load_policies(_write(tmp_path / "dup.json", [a, b]))


def test_a_changed_policy_file_is_read_again(tmp_path: Path) -> None:
    """Editing the file (new content) is seen without a restart."""
    entry = _shipped_entry()
    path = _write(tmp_path / "p.json", [entry])
    assert [p.version for p in load_policies(path)] == [entry["version"]]
    newer = dict(entry, version="PB-GRADE-2099.1-LONGER-NAME", effective_from="2099-01-01")
    _write(path, [entry, newer])
    assert [p.version for p in load_policies(path)] == [entry["version"], newer["version"]]


def test_policy_dictionary_reloads_to_the_same_policy(tmp_path: Path) -> None:
    """as_dict is complete: writing it back as a table entry yields an equal policy."""
    shipped = policy_for(AS_OF)
    path = _write(tmp_path / "round.json", [shipped.as_dict()])
    assert load_policies(path) == (shipped,)


def test_defaults_of_optional_policy_fields(tmp_path: Path) -> None:
    """A minimal entry gets its version as title, min coverage 0.5 and empty flag/list rules."""
    minimal = {
        "version": "MIN",
        "effective_from": "2020-01-01",
        "weights": {"legal_status": 1},
        "boundaries": {"A": 3, "B": 2, "C": 1},
    }
    [policy] = load_policies(_write(tmp_path / "min.json", [minimal]))
    assert (policy.title, policy.min_coverage, policy.high_value, policy.public_list) == ("MIN", 0.5, {}, {})
    assert policy.grade_labels == {} and policy.basis == ""


# --- high-value conditions ------------------------------------------------------------------------------

VALID = GradingInput(
    patent_type="invention",
    legal_status="granted",
    filing_date=dt.date(2012, 2, 29),
    grant_date=dt.date(2015, 6, 10),
    sei_codes=["1.1", "7.1", "3.3", "4.4"],
    family=["CN102000000A", "US9000000B2"],
    pledge_count=0,
)


def _flags(
    patent: GradingInput, as_of: dt.date = AS_OF, policy: GradingPolicy | None = None
) -> dict[str, Any]:
    return {f.code: f for f in high_value_flags(patent, as_of, policy or policy_for(AS_OF))}


def test_five_conditions_are_always_reported_in_order() -> None:
    """C1–C5 are all present, in order, each with evidence and its official label."""
    flags = high_value_flags(VALID, AS_OF, policy_for(AS_OF))
    assert [f.code for f in flags] == ["C1", "C2", "C3", "C4", "C5"]
    assert all(f.evidence and f.label == FLAG_LABELS[f.code] for f in flags)


@pytest.mark.parametrize(
    ("changes", "met", "reason"),
    [
        ({"patent_type": None}, None, "缺少专利类型"),
        ({"patent_type": "utility_model"}, False, "仅发明专利"),
        ({"patent_type": "design"}, False, "仅发明专利"),
        ({"legal_status": "substantive_exam"}, False, "仅有效发明专利"),
        ({"legal_status": "expired"}, False, "仅有效发明专利"),
        ({"legal_status": None}, False, "仅有效发明专利"),
    ],
)
def test_only_valid_inventions_can_be_high_value(
    changes: dict[str, Any], met: bool | None, reason: str
) -> None:
    """Every condition takes the same verdict and reason when the patent cannot qualify at all."""
    flags = high_value_flags(dataclasses.replace(VALID, **changes), AS_OF, policy_for(AS_OF))
    assert {f.met for f in flags} == {met}
    assert all(reason in f.evidence for f in flags)


def test_c1_strategic_industry() -> None:
    """Met with the first three SEI codes as evidence; not met when classified outside; unknown when
    not yet classified."""
    c1 = _flags(VALID)["C1"]
    assert c1.met is True and "1.1、7.1、3.3" in c1.evidence and "4.4" not in c1.evidence
    assert _flags(dataclasses.replace(VALID, sei_codes=[]))["C1"].met is False
    assert _flags(dataclasses.replace(VALID, sei_codes=None))["C1"].met is None


@pytest.mark.parametrize(
    ("member", "met"),
    [
        ("US9000000B2", True),
        ("EP3000000B1", True),
        ("EP 3 000 000 B1", True),
        ("JP6543210B2", True),
        ("KR101234567B1", True),
        ("DE102015000001B4", True),
        ("us9000000b2", True),
        ("US20200123456A1", False),  # an application, not a right
        ("EP3000000A1", False),
        ("WO2020123456A1", False),
        ("CN110513902B", False),  # the Chinese grant is not a foreign family member
    ],
)
def test_c2_needs_a_granted_foreign_member(member: str, met: bool) -> None:
    """Only a granted (B/C/E/U/Y/S kind) member outside CN and WO meets C2."""
    flag = _flags(dataclasses.replace(VALID, family=["CN102000000A", member]))["C2"]
    assert flag.met is met
    if met:
        assert member.strip() in flag.evidence


def test_c2_without_family_data_is_unknown() -> None:
    """No family listed: C2 is unknown (a family-size count alone does not show a granted member)."""
    assert _flags(dataclasses.replace(VALID, family=[], family_size=5))["C2"].met is None


def test_c3_maintenance_from_a_29_february_filing() -> None:
    """Filed 2012-02-29: ten years end on 2022-02-28 (细则 Art. 5); C3 is met only after that day."""
    assert _flags(VALID, dt.date(2022, 2, 28))["C3"].met is False
    flag = _flags(VALID, dt.date(2022, 3, 1))["C3"]
    assert flag.met is True and "2022-02-28" in flag.evidence and "申请日" in flag.evidence


def test_c3_follows_the_policys_anchor_and_years() -> None:
    """A policy counting 5 years from grant uses the grant date; a missing anchor makes C3 unknown."""
    policy = _policy(high_value={"maintenance_years": 5, "maintenance_anchor": "grant_date"})
    assert _flags(VALID, dt.date(2020, 6, 10), policy)["C3"].met is False
    flag = _flags(VALID, dt.date(2020, 6, 11), policy)["C3"]
    assert flag.met is True and "授权日" in flag.evidence and "5 年" in flag.evidence
    assert _flags(dataclasses.replace(VALID, grant_date=None), AS_OF, policy)["C3"].met is None


@pytest.mark.parametrize(
    ("extra", "pledges", "met"),
    [
        ({"pledge_amount_cny": 10_000_000}, 1, True),  # exactly the threshold
        ({"pledge_amount_cny": 9_999_999.99}, 1, False),
        ({"pledge_amount_cny": 25_000_000.5}, 2, True),
        ({}, 0, False),  # no pledge recorded at all
        ({}, None, None),
        ({}, 3, None),  # pledged, but the amount is unknown
        ({"pledge_amount_cny": "12000000"}, 1, None),  # text is not an amount
    ],
)
def test_c4_pledge_amount_threshold(extra: dict[str, Any], pledges: int | None, met: bool | None) -> None:
    """C4 compares the recorded pledge amount with the policy's threshold (≥ 10 million CNY)."""
    assert _flags(dataclasses.replace(VALID, pledge_count=pledges, extra=extra))["C4"].met is met


@pytest.mark.parametrize(
    ("award", "met"),
    [
        ("第二十二届中国专利金奖", True),
        ("第二十四届中国专利优秀奖", True),
        ("中国专利银奖", True),
        ("山东省科学技术进步奖一等奖", False),
        ("", None),
        (None, None),
    ],
)
def test_c5_awards(award: str | None, met: bool | None) -> None:
    """China Patent Awards count; a provincial award does not; no award data is unknown."""
    extra = {"award": award} if award is not None else {}
    flag = _flags(dataclasses.replace(VALID, extra=extra))["C5"]
    assert flag.met is met
    if met is False:
        assert "不在认定范围内" in flag.evidence


@pytest.mark.parametrize(
    "award", ["国家科学技术进步奖二等奖", "国家技术发明奖一等奖", "国家自然科学奖二等奖"]
)
def test_c5_national_science_and_technology_awards(award: str) -> None:
    """The national S&T awards named in the CNIPA definition meet C5."""
    assert _flags(dataclasses.replace(VALID, extra={"award": award}))["C5"].met is True


def test_high_value_grade_needs_one_met_condition() -> None:
    """Grade.high_value is true exactly when some flag is met (unknown flags do not count)."""
    unknown_only = dataclasses.replace(VALID, sei_codes=None, family=[], filing_date=None, pledge_count=None)
    assert not grade_patent(unknown_only, AS_OF).high_value
    assert grade_patent(VALID, AS_OF).high_value


# --- public implementation list -------------------------------------------------------------------------

FUNDED = ListCandidate(
    id="201610000001.0",
    fiscal_funded=True,
    legal_status="granted",
    grant_date=dt.date(2020, 2, 29),
    filing_date=dt.date(2016, 2, 29),
    province="山东",
    city="济南",
)


def _list(
    patents: list[ListCandidate], as_of: dt.date, policy: GradingPolicy | None = None
) -> list[tuple[str, str]]:
    return [(e.id, e.jurisdiction) for e in list_entries(patents, as_of, policy or policy_for(AS_OF))]


def _list_policy(**rule: Any) -> GradingPolicy:
    return _policy(public_list={"jurisdictions": {"all": {"label": "全国", **rule}}})


def test_leap_day_grant_enters_the_list_on_28_february() -> None:
    """Granted 2020-02-29: 3 years end 2023-02-28 (Shandong), 5 years 2025-02-28 (Jinan)."""
    assert _list([FUNDED], dt.date(2023, 2, 27)) == []
    assert _list([FUNDED], dt.date(2023, 2, 28)) == [(FUNDED.id, "shandong")]
    assert _list([FUNDED], dt.date(2025, 2, 27)) == [(FUNDED.id, "shandong")]
    assert _list([FUNDED], dt.date(2025, 2, 28)) == [(FUNDED.id, "shandong"), (FUNDED.id, "jinan")]


def test_leap_to_leap_anniversary_keeps_29_february() -> None:
    """A 4-year rule from 2020-02-29 lands on 2024-02-29, not the 28th."""
    policy = _list_policy(years=4)
    [entry] = list_entries([FUNDED], dt.date(2024, 2, 29), policy)
    assert entry.since == dt.date(2024, 2, 29)
    assert list_entries([FUNDED], dt.date(2024, 2, 28), policy) == []


def test_filing_date_anchor_and_reason() -> None:
    """A rule anchored on the filing date counts from it and says so in its reason."""
    policy = _list_policy(years=2, anchor="filing_date", government_use=True)
    [entry] = list_entries([FUNDED], dt.date(2018, 2, 28), policy)
    assert (
        entry.since == dt.date(2018, 2, 28)
        and "申请于 2016-02-29" in entry.reason
        and "满 2 年" in entry.reason
    )
    assert entry.government_use and entry.jurisdiction_label == "全国" and entry.policy_version == "T-1"
    assert entry.as_dict()["application_number"] == FUNDED.id and entry.as_dict()["since"] == "2018-02-28"
    assert list_entries([dataclasses.replace(FUNDED, filing_date=None)], dt.date(2030, 1, 1), policy) == []


@pytest.mark.parametrize(
    ("changes", "listed"),
    [
        ({}, True),
        ({"fiscal_funded": False}, False),
        ({"fiscal_funded": None}, False),
        ({"legal_status": "expired"}, False),
        ({"legal_status": "substantive_exam"}, False),
        ({"transfer_count": 1}, False),
        ({"license_count": 2}, False),
        ({"transfer_count": 0, "license_count": 0}, True),
        ({"implemented_on": dt.date(2026, 1, 1)}, False),
        ({"implemented_on": dt.date(2026, 1, 2)}, True),  # implemented only after the as-of date
    ],
)
def test_who_is_on_the_list(changes: dict[str, Any], listed: bool) -> None:
    """Only valid, fiscally funded patents without implementation, transfer or licence by the date."""
    assert bool(_list([dataclasses.replace(FUNDED, **changes)], dt.date(2026, 1, 1))) is listed


@pytest.mark.parametrize(
    ("province", "city", "jurisdictions"),
    [
        ("山东", "济南", {"shandong", "jinan"}),
        ("山东省", "济南市", {"shandong", "jinan"}),
        ("山东", "青岛", {"shandong"}),
        ("山东", "", {"shandong"}),
        ("", "济南", set()),  # a city without its province does not place the patent
        ("江苏", "南京", set()),
    ],
)
def test_jurisdiction_membership(province: str, city: str, jurisdictions: set[str]) -> None:
    """Province and city are matched by prefix so 山东省/济南市 spellings count."""
    patent = dataclasses.replace(FUNDED, province=province, city=city)
    assert {j for _, j in _list([patent], dt.date(2026, 1, 1))} == jurisdictions


def test_a_rule_without_place_applies_everywhere_and_order_is_kept() -> None:
    """With no province/city the rule covers every patent; entries keep the input order."""
    policy = _list_policy(years=1)
    a = dataclasses.replace(FUNDED, id="a", province="")
    b = dataclasses.replace(FUNDED, id="b", province="江苏")
    assert _list([b, a], dt.date(2022, 1, 1), policy) == [("b", "all"), ("a", "all")]
    assert _list([a], dt.date(2022, 1, 1), _policy()) == []  # no list rules at all


# --- back-test -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "outcomes", "value"),
    [
        ([0.1, 0.4, 0.35, 0.8], [False, False, True, True], 0.75),  # the textbook example
        ([1, 2, 3], [False, True, False], 0.5),
        ([1, 2, 2, 3], [False, True, False, True], 0.875),  # one tie counts half: 3.5 of 4 pairs
        ([3, 1, 2], [True, False, False], 1.0),  # input order does not matter
        ([1, 1, 1], [True, False, False], 0.5),
        ([2, 1], [False, True], 0.0),
        ([1, 2], [False, False], None),
        ([], [], None),
    ],
)
def test_auc_on_hand_computed_examples(
    scores: list[float], outcomes: list[bool], value: float | None
) -> None:
    """AUC = share of (positive, negative) pairs where the positive scores higher, ties half."""
    assert auc(scores, outcomes) == value


@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=2, max_size=30))
def test_auc_equals_pair_counting(pairs: list[tuple[int, bool]]) -> None:
    """Property: the rank formula equals brute-force pair counting, and flipping outcomes gives 1 − AUC."""
    scores = [s for s, _ in pairs]
    outcomes = [o for _, o in pairs]
    pos = [s for s, o in pairs if o]
    neg = [s for s, o in pairs if not o]
    value = auc(scores, outcomes)
    if not pos or not neg:
        assert value is None
        return
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    assert value == pytest.approx(wins / (len(pos) * len(neg)), abs=1e-4)
    flipped = auc(scores, [not o for o in outcomes])
    assert flipped is not None and value + flipped == pytest.approx(1.0, abs=2e-4)


@pytest.mark.parametrize(
    ("counts", "outcome"),
    [
        ((None, None, None), None),
        ((0, None, None), False),
        ((0, 0, 0), False),
        ((0, 0, 1), True),
        ((None, 2, None), True),
    ],
)
def test_had_outcome(counts: tuple[int | None, ...], outcome: bool | None) -> None:
    """Transferred, licensed or pledged at least once; unknown when nothing is recorded."""
    transfer, licence, pledge = counts
    patent = GradingInput(transfer_count=transfer, license_count=licence, pledge_count=pledge)
    assert had_outcome(patent) is outcome


_BASE = GradingInput(
    patent_type="invention",
    legal_status="granted",
    filing_date=dt.date(2015, 1, 1),
    expiry_date=dt.date(2034, 12, 31),
    claims_count=8,
    transfer_count=0,
    license_count=0,
    pledge_count=0,
)


def test_identical_patents_differing_only_in_outcome_are_a_coin_toss() -> None:
    """With the outcome left out of the score, 10 transferred and 10 idle copies of one patent tie:
    AUC 0.5, judged weak; all land in one grade with lift 1."""
    positives = [dataclasses.replace(_BASE, transfer_count=1)] * MIN_CLASS
    negatives = [_BASE] * MIN_CLASS
    report = backtest(positives + negatives, AS_OF, policy_for(AS_OF))
    assert report.auc == 0.5 and "区分力弱" in report.verdict
    populated = {k: v for k, v in report.by_grade.items() if v["patents"]}
    assert len(populated) == 1
    [(_, row)] = populated.items()
    assert row == {"patents": 20, "with_outcome": 10, "outcome_rate": 0.5, "lift": 1.0}
    empty = [v for v in report.by_grade.values() if not v["patents"]]
    assert all(v["outcome_rate"] is None and v["lift"] is None for v in empty)


def test_minimum_class_size_boundary() -> None:
    """Ten of each class is enough to conclude; nine positives is not."""
    policy = policy_for(AS_OF)
    strong = dataclasses.replace(_BASE, claims_count=10, cited_by_count=5, license_count=1)
    weak = dataclasses.replace(_BASE, claims_count=1)
    enough = backtest([strong] * 10 + [weak] * 10, AS_OF, policy)
    assert enough.auc == 1.0 and "有区分力" in enough.verdict
    thin = backtest([strong] * 9 + [weak] * 10, AS_OF, policy)
    assert thin.auc == 1.0 and "数据太少" in thin.verdict and "9 件" in thin.verdict


def test_patents_without_outcome_data_are_counted_but_not_scored() -> None:
    """Rows without any transaction count appear in 'patents' only."""
    unknown = dataclasses.replace(_BASE, transfer_count=None, license_count=None, pledge_count=None)
    report = backtest([unknown] * 4 + [_BASE], AS_OF, policy_for(AS_OF))
    assert (report.patents, report.with_outcome_data, report.positives, report.auc) == (5, 1, 0, None)
    assert report.as_dict()["left_out_indicators"] == ["transactions"]
    empty = backtest([], AS_OF, policy_for(AS_OF))
    assert empty.auc is None and all(v["patents"] == 0 for v in empty.by_grade.values())
