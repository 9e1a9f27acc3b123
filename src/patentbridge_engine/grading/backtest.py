"""How well the score ranks patents that were later transferred, licensed or pledged.

Outcome-derived indicators (the transaction counts themselves) are left out of the score being
tested, otherwise the test would grade the answer key. AUC is the Mann-Whitney probability that
a random patent with an outcome scores above a random one without (ties count half); lift by
grade is the outcome rate in a grade over the overall rate. With fewer than ``MIN_CLASS``
patents on either side the report says the data is too thin to conclude.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from patentbridge_engine.grading.grade import weighted_score
from patentbridge_engine.grading.indicators import OUTCOME_INDICATORS, GradingInput, compute_indicators
from patentbridge_engine.grading.policy import GradingPolicy

__all__ = ["MIN_CLASS", "BacktestReport", "auc", "backtest", "had_outcome"]

MIN_CLASS = 10


def had_outcome(patent: GradingInput) -> bool | None:
    """Transferred, licensed or pledged at least once; None when no counts are recorded."""
    counts = (patent.transfer_count, patent.license_count, patent.pledge_count)
    if all(c is None for c in counts):
        return None
    return any((c or 0) > 0 for c in counts)


def auc(scores: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Mann-Whitney AUC with average ranks for ties; None without both classes."""
    pairs = sorted(zip(scores, outcomes, strict=True), key=lambda p: p[0])
    positives = sum(outcomes)
    negatives = len(outcomes) - positives
    if not positives or not negatives:
        return None
    rank_sum, position = 0.0, 0
    while position < len(pairs):
        end = position
        while end + 1 < len(pairs) and pairs[end + 1][0] == pairs[position][0]:
            end += 1
        average_rank = (position + end) / 2 + 1
        rank_sum += average_rank * sum(1 for k in range(position, end + 1) if pairs[k][1])
        position = end + 1
    return round((rank_sum - positives * (positives + 1) / 2) / (positives * negatives), 4)


@dataclass
class BacktestReport:
    """AUC, lift by grade and a plain-language verdict."""

    policy_version: str
    patents: int
    with_outcome_data: int
    positives: int
    auc: float | None
    by_grade: dict[str, dict[str, Any]] = field(default_factory=dict)
    verdict: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy_version": self.policy_version,
            "patents": self.patents,
            "with_outcome_data": self.with_outcome_data,
            "positives": self.positives,
            "auc": self.auc,
            "lift_by_grade": self.by_grade,
            "left_out_indicators": sorted(OUTCOME_INDICATORS),
            "verdict": self.verdict,
        }


def backtest(patents: Sequence[GradingInput], as_of: dt.date, policy: GradingPolicy) -> BacktestReport:
    """Back-test ``policy`` on ``patents`` (only those with recorded transaction counts count)."""
    scored: list[tuple[float, bool]] = []
    for patent in patents:
        outcome = had_outcome(patent)
        if outcome is None:
            continue
        score, _ = weighted_score(compute_indicators(patent, as_of), policy, leave_out=OUTCOME_INDICATORS)
        scored.append((score, outcome))
    positives = sum(o for _, o in scored)
    negatives = len(scored) - positives
    report = BacktestReport(
        policy.version,
        len(patents),
        len(scored),
        positives,
        auc([s for s, _ in scored], [o for _, o in scored]),
    )
    base = positives / len(scored) if scored else 0.0
    for letter in ("A", "B", "C", "D"):
        members = [o for s, o in scored if policy.grade_for(s) == letter]
        rate = sum(members) / len(members) if members else None
        report.by_grade[letter] = {
            "patents": len(members),
            "with_outcome": sum(members),
            "outcome_rate": round(rate, 3) if rate is not None else None,
            "lift": round(rate / base, 2) if rate is not None and base else None,
        }
    if positives < MIN_CLASS or negatives < MIN_CLASS:
        report.verdict = (
            f"数据太少，无法下结论：有交易记录的专利 {positives} 件、无交易的 {negatives} 件"
            f"（每类至少需要 {MIN_CLASS} 件）。需要带转让/许可/质押记录的更大样本。"
        )
    elif report.auc is not None and report.auc >= 0.6:
        report.verdict = f"分数对后来发生交易的专利有区分力（AUC {report.auc}）。"
    else:
        report.verdict = f"分数区分力弱（AUC {report.auc}），不宜据此筛选专利。"
    return report
