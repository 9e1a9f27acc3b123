"""A patent's grade: the policy-weighted mean of its available indicators, with reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from patentbridge_engine.grading.high_value import HighValueFlag, high_value_flags
from patentbridge_engine.grading.indicators import GradingInput, IndicatorScore, compute_indicators
from patentbridge_engine.grading.policy import GradingPolicy, policy_for

__all__ = ["Grade", "grade_patent", "weighted_score"]


@dataclass(frozen=True)
class Grade:
    """Grade, score (0–100), coverage (share of policy weight with data), policy version, reasons."""

    grade: str
    label: str
    score: float
    coverage: float
    policy_version: str
    indicators: list[IndicatorScore]
    flags: list[HighValueFlag] = field(default_factory=list)
    # Whether enough of the policy's weight had data (below ``min_coverage`` the grade is provisional).
    sufficient: bool = False

    @property
    def high_value(self) -> bool:
        return any(f.met for f in self.flags)

    def as_dict(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "label": self.label,
            "score": self.score,
            "coverage": self.coverage,
            "sufficient": self.sufficient,
            "policy_version": self.policy_version,
            "high_value": self.high_value,
            "high_value_flags": [f.as_dict() for f in self.flags if f.met],
            "flags_checked": [f.as_dict() for f in self.flags],
            "indicators": [i.as_dict() for i in self.indicators],
        }


def weighted_score(
    indicators: list[IndicatorScore], policy: GradingPolicy, *, leave_out: Collection[str] = ()
) -> tuple[float, float]:
    """(score, coverage): the weighted mean over indicators with data; coverage is the share of
    the policy's total weight that had data."""
    total = sum(w for k, w in policy.weights.items() if k not in leave_out)
    used = weighted = 0.0
    for indicator in indicators:
        weight = policy.weights.get(indicator.key, 0.0)
        if indicator.key in leave_out or indicator.score is None or not weight:
            continue
        used += weight
        weighted += weight * indicator.score
    if not used:
        return 0.0, 0.0
    return round(weighted / used, 1), round(used / total, 3) if total else 0.0


def grade_patent(patent: GradingInput, as_of: dt.date, policy: GradingPolicy | None = None) -> Grade:
    """Grade ``patent`` under the policy in force on ``as_of`` (or the one given)."""
    policy = policy or policy_for(as_of)
    indicators = compute_indicators(patent, as_of)
    score, coverage = weighted_score(indicators, policy)
    letter = policy.grade_for(score)
    return Grade(
        grade=letter,
        label=policy.grade_labels.get(letter, letter),
        score=score,
        coverage=coverage,
        policy_version=policy.version,
        indicators=indicators,
        flags=high_value_flags(patent, as_of, policy),
        sufficient=coverage >= policy.min_coverage,
    )
