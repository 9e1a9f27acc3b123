"""Grading: each indicator (including missing data), the weighted grade, policy versions, flags."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from patentbridge_engine.grading import (
    GradingInput,
    grade_patent,
    high_value_flags,
    load_policies,
    policy_for,
)
from patentbridge_engine.grading.indicators import INDICATOR_KEYS, compute_indicators

AS_OF = dt.date(2026, 6, 1)
FULL = GradingInput(
    patent_type="invention",
    legal_status="granted",
    filing_date=dt.date(2014, 5, 1),
    grant_date=dt.date(2016, 3, 1),
    expiry_date=dt.date(2034, 4, 30),
    claims_count=12,
    main_claim="一种高温热泵，包括压缩机和冷凝器，其特征在于，冷凝器出口设闪蒸罐。",
    family=["CN105000000A", "US10000000B2", "EP3000000A1"],
    cited_by_count=3,
    citations=["CN1", "CN2"],
    ipc=["F25B30/02", "F25B40/00", "F22B1/00"],
    sei_codes=["7.1.3"],
    transfer_count=0,
    license_count=1,
    pledge_count=0,
    applicant_kind="university",
    applicants=["西安交通大学", "某能源公司"],
    demand_needs=2,
)
EMPTY = GradingInput()


def _by_key(patent: GradingInput) -> dict:
    return {i.key: i for i in compute_indicators(patent, AS_OF)}


def test_every_indicator_scores_with_a_reason_when_data_exists():
    found = _by_key(FULL)
    assert list(found) == list(INDICATOR_KEYS)
    assert all(i.score is not None and 0 <= i.score <= 100 and i.reason for i in found.values())
    assert found["legal_status"].score == 100
    assert found["remaining_life"].score == pytest.approx(100 * 7.91 / 20, abs=0.5)
    assert found["foreign_family"].score == 50 and "US" in found["foreign_family"].reason
    assert found["claims_count"].score == 100
    assert found["claim_breadth"].score > 40 and "特征部分" in found["claim_breadth"].reason
    assert found["forward_citations"].score == 60
    assert found["ipc_breadth"].score == 50  # F25B, F22B
    assert found["strategic_industry"].score == 100
    assert found["transactions"].score == 100 and "许可" in found["transactions"].reason
    assert found["co_applicants"].score == 80
    assert found["demand_signal"].score == 40


def test_missing_data_is_missing_not_zero():
    """A record with nothing known: every indicator is missing, with a reason that says so."""
    found = _by_key(EMPTY)
    assert all(i.score is None and i.missing for i in found.values())
    assert "缺少" in found["claims_count"].reason
    grade = grade_patent(EMPTY, AS_OF)
    assert grade.coverage == 0 and not grade.sufficient and grade.grade == "D"


def test_zero_is_a_real_value_distinct_from_missing():
    """No transactions recorded (all counts 0) scores low; unknown counts score nothing."""
    none_recorded = dataclasses.replace(FULL, transfer_count=0, license_count=0, pledge_count=0)
    unknown = dataclasses.replace(FULL, transfer_count=None, license_count=None, pledge_count=None)
    assert _by_key(none_recorded)["transactions"].score == 20
    assert _by_key(unknown)["transactions"].score is None
    assert _by_key(dataclasses.replace(FULL, sei_codes=[]))["strategic_industry"].score == 0
    assert _by_key(dataclasses.replace(FULL, sei_codes=None))["strategic_industry"].score is None


def test_lapsed_and_pending_patents():
    lapsed = _by_key(dataclasses.replace(FULL, legal_status="lapsed_non_payment"))
    assert lapsed["legal_status"].score == 0 and lapsed["remaining_life"].score == 0
    pending = _by_key(dataclasses.replace(FULL, legal_status="substantive_exam"))
    assert pending["legal_status"].score == 50


def test_grade_is_the_weighted_mean_of_available_indicators():
    """Leaving an indicator out re-weights the rest; the grade follows the policy boundaries."""
    policy = policy_for(AS_OF)
    grade = grade_patent(FULL, AS_OF)
    indicators = grade.indicators
    expected = sum(policy.weights[i.key] * i.score for i in indicators) / sum(policy.weights.values())
    assert grade.score == pytest.approx(expected, abs=0.1)
    assert grade.coverage == 1.0 and grade.sufficient
    assert grade.grade == policy.grade_for(grade.score) and grade.policy_version == "PB-GRADE-2024.1"
    assert grade.label.startswith(grade.grade)
    weak = grade_patent(dataclasses.replace(FULL, legal_status="lapsed_non_payment", license_count=0), AS_OF)
    assert weak.score < grade.score
    assert {"grade", "score", "policy_version", "high_value_flags", "indicators"} <= set(grade.as_dict())


def test_policy_versions_are_dated(tmp_path):
    """A later version takes over from its date; earlier dates keep the earlier version; bad tables fail."""
    table = json.loads(load_policies.__globals__["DEFAULT_POLICY_FILE"].read_text(encoding="utf-8"))
    later = json.loads(json.dumps(table["policies"][0]))
    later.update(
        version="PB-GRADE-2027.1", effective_from="2027-01-01", boundaries={"A": 90, "B": 70, "C": 50}
    )
    table["policies"].append(later)
    path = tmp_path / "policies.json"
    path.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    assert policy_for(dt.date(2026, 12, 31), path).version == "PB-GRADE-2024.1"
    strict = policy_for(dt.date(2027, 1, 1), path)
    assert strict.version == "PB-GRADE-2027.1" and strict.grade_for(85) == "B"
    assert grade_patent(FULL, dt.date(2027, 3, 1), strict).policy_version == "PB-GRADE-2027.1"
    with pytest.raises(ValueError, match="没有生效"):
        policy_for(dt.date(2020, 1, 1), path)
    later["boundaries"] = {"A": 50, "B": 60, "C": 40}
    later["version"] = "PB-BAD"
    path.write_text(json.dumps({"policies": [later]}), encoding="utf-8")
    with pytest.raises(ValueError, match="A > B > C"):
        load_policies(path)


def _flags(patent: GradingInput, as_of: dt.date = AS_OF) -> dict:
    return {f.code: f for f in high_value_flags(patent, as_of, policy_for(AS_OF))}


def test_high_value_flags_with_evidence():
    flags = _flags(FULL)
    assert flags["C1"].met and "7.1.3" in flags["C1"].evidence
    assert flags["C2"].met and "US10000000B2" in flags["C2"].evidence
    assert flags["C3"].met  # filed 2014-05-01, checked 2026
    assert flags["C4"].met is False and flags["C5"].met is None
    assert grade_patent(FULL, AS_OF).high_value


def test_high_value_edge_cases():
    """domain-rules §1.2 cases: UM never; lapsed never; A-kind foreign member is not a right; the
    10-year line is strict; pledge amount and awards count when recorded."""
    assert not any(
        f.met
        for f in high_value_flags(
            dataclasses.replace(FULL, patent_type="utility_model"), AS_OF, policy_for(AS_OF)
        )
    )
    assert not any(
        f.met
        for f in high_value_flags(dataclasses.replace(FULL, legal_status="expired"), AS_OF, policy_for(AS_OF))
    )
    only_a = _flags(dataclasses.replace(FULL, family=["CN105000000A", "US20160000000A1"]))
    assert only_a["C2"].met is False
    assert _flags(dataclasses.replace(FULL, family=[]))["C2"].met is None
    young = dataclasses.replace(FULL, filing_date=dt.date(2014, 5, 1))
    assert _flags(young, dt.date(2024, 5, 1))["C3"].met is False
    assert _flags(young, dt.date(2024, 5, 2))["C3"].met is True
    pledged = dataclasses.replace(
        FULL, pledge_count=1, extra={"pledge_amount_cny": 12_000_000, "award": "第二十四届中国专利优秀奖"}
    )
    assert _flags(pledged)["C4"].met and _flags(pledged)["C5"].met
    assert _flags(dataclasses.replace(FULL, pledge_count=2))["C4"].met is None


# --- back-test ---------------------------------------------------------------------------

from patentbridge_engine.grading.backtest import auc, backtest, had_outcome  # noqa: E402


def test_auc_matches_hand_computed_values():
    assert auc([1, 2, 3, 4], [False, False, True, True]) == 1.0
    assert auc([1, 2, 3, 4], [True, True, False, False]) == 0.0
    assert auc([5, 5, 5, 5], [True, False, True, False]) == 0.5  # ties count half
    assert auc([1, 3, 2, 4], [False, True, False, True]) == 1.0
    assert auc([1, 2], [True, True]) is None


def test_backtest_leaves_out_the_outcome_and_says_when_data_is_thin():
    """Scores exclude the transaction indicator; a small sample is declared inconclusive."""
    policy = policy_for(AS_OF)
    strong = [dataclasses.replace(FULL, license_count=1) for _ in range(3)]
    weak = [
        dataclasses.replace(FULL, claims_count=1, family=[], sei_codes=[], license_count=0) for _ in range(3)
    ]
    unknown = [dataclasses.replace(FULL, transfer_count=None, license_count=None, pledge_count=None)]
    report = backtest(strong + weak + unknown, AS_OF, policy)
    assert (report.patents, report.with_outcome_data, report.positives) == (7, 6, 3)
    assert report.auc == 1.0
    assert "数据太少" in report.verdict
    assert had_outcome(unknown[0]) is None
    # Flipping only the outcome must not change the scores: the outcome is not an input.
    flipped = backtest(
        [dataclasses.replace(p, license_count=0) for p in strong]
        + [dataclasses.replace(p, license_count=1) for p in weak],
        AS_OF,
        policy,
    )
    assert flipped.auc == 0.0


def test_backtest_with_enough_data_reports_lift_by_grade():
    policy = policy_for(AS_OF)
    good = [dataclasses.replace(FULL, license_count=1) for _ in range(12)]
    poor = [
        dataclasses.replace(
            FULL, legal_status="lapsed_non_payment", claims_count=1, family=[], sei_codes=[], license_count=0
        )
        for _ in range(12)
    ]
    report = backtest(good + poor, AS_OF, policy).as_dict()
    assert report["auc"] == 1.0 and "区分力" in report["verdict"]
    graded = {k: v for k, v in report["lift_by_grade"].items() if v["patents"]}
    assert sum(v["patents"] for v in graded.values()) == 24
    assert max(v["lift"] for v in graded.values()) == 2.0
    assert report["left_out_indicators"] == ["transactions"]


# --- public implementation list ------------------------------------------------------------

from patentbridge_engine.grading.public_list import ListCandidate, list_entries  # noqa: E402

JINAN = ListCandidate(
    id="201810000001.1",
    fiscal_funded=True,
    legal_status="granted",
    grant_date=dt.date(2020, 2, 29),
    filing_date=dt.date(2018, 1, 5),
    province="山东省",
    city="济南市",
)


def _entries(patent: ListCandidate, as_of: dt.date) -> dict:
    return {e.jurisdiction: e for e in list_entries([patent], as_of, policy_for(AS_OF))}


def test_list_entry_dates_per_jurisdiction():
    """Granted 2020-02-29: Shandong from 2023-02-28 (细则 Art. 5), Jinan from 2025-02-28."""
    assert _entries(JINAN, dt.date(2023, 2, 27)) == {}
    on_day = _entries(JINAN, dt.date(2023, 2, 28))
    assert set(on_day) == {"shandong"} and on_day["shandong"].since == dt.date(2023, 2, 28)
    assert "满 3 年" in on_day["shandong"].reason and on_day["shandong"].policy_version == "PB-GRADE-2024.1"
    both = _entries(JINAN, dt.date(2025, 3, 1))
    assert set(both) == {"shandong", "jinan"} and both["jinan"].government_use
    assert both["jinan"].since == dt.date(2025, 2, 28)


def test_list_rules_exclude_and_release():
    """Not funded, not valid, outside the province, or implemented/licensed: not on the list."""
    later = dt.date(2026, 1, 1)
    assert _entries(dataclasses.replace(JINAN, fiscal_funded=None), later) == {}
    assert _entries(dataclasses.replace(JINAN, legal_status="lapsed_non_payment"), later) == {}
    assert _entries(dataclasses.replace(JINAN, province="江苏省", city="南京市"), later) == {}
    assert set(_entries(dataclasses.replace(JINAN, city="青岛市"), later)) == {"shandong"}
    assert _entries(dataclasses.replace(JINAN, license_count=1), later) == {}
    implemented = dataclasses.replace(JINAN, implemented_on=dt.date(2025, 6, 1))
    assert set(_entries(implemented, dt.date(2025, 5, 31))) == {"shandong", "jinan"}
    assert _entries(implemented, dt.date(2025, 6, 1)) == {}
    assert _entries(dataclasses.replace(JINAN, grant_date=None), later) == {}
