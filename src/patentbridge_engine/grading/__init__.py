"""Patent value grading (分类分级), high-value invention flags, the public implementation list
and their dated policies; plain Python, no Django."""

from patentbridge_engine.grading.grade import Grade, grade_patent
from patentbridge_engine.grading.high_value import HighValueFlag, high_value_flags
from patentbridge_engine.grading.indicators import GradingInput, IndicatorScore, compute_indicators
from patentbridge_engine.grading.policy import GradingPolicy, load_policies, policy_for

__all__ = [
    "Grade",
    "GradingInput",
    "GradingPolicy",
    "HighValueFlag",
    "IndicatorScore",
    "compute_indicators",
    "grade_patent",
    "high_value_flags",
    "load_policies",
    "policy_for",
]
