"""How strongly a hit answers its query: 强相关 / 可能相关 / 弱相关, with a Chinese explanation.

Ranks say which patent is better than another, not whether any is good: a need that the library
cannot answer still gets ten hits. The strength of a hit combines its rank with evidence that
does not depend on the other hits:

- ``title_coverage``: the share (specificity-weighted) of the patent title's words that the query
  uses — the patent's own subject named in the need;
- ``match_weight``: the summed 0–1 specificity of the distinct query words the patent shares
  (generic words such as 系统, 方法 count for almost nothing);
- ``query_match``: the hit's BM25 score over the query's own score (the score of an average-length
  document holding every query term once): how much of the query — weighted by specificity and
  by how often the need repeats a term — the patent answers. The best single signal on the dev
  set (ROC AUC of grade ≥ 2 among judged top-10 hits: 0.72 tune / 0.64 holdout, against 0.68 /
  0.59 for the title coverage);
- ``keyword_rank``: strong hits must be among the first keyword results; a hit found only by
  meaning is never strong.

Measured honestly, this is a modest signal: on the real-need development set the thresholds
were chosen on the "tune" half (best F1 of strong vs grade ≥ 2 over rank, query match, title
coverage and match weight) and on the "holdout" half "strong" has precision ≈ 0.18 and recall
≈ 0.23 (before the query match: 0.17 / 0.20) against a 7 % base rate of grade ≥ 2 among judged
top-10 hits (bench/results/eval.json, ``strength_calibration``). "Strong" therefore means "look
at this one first", and a list without any strong hit is reported as having no good match.
Evidence objects without a query match (``None``: explained without ranking, or older callers)
are judged on the other evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

__all__ = [
    "STRENGTH_EXPLANATIONS",
    "STRENGTH_LABELS",
    "Strength",
    "StrengthThresholds",
    "classify_strength",
    "has_strong",
]


class Strength(StrEnum):
    """Strength levels, strongest first."""

    STRONG = "strong"
    POSSIBLE = "possible"
    WEAK = "weak"


STRENGTH_LABELS: dict[Strength, str] = {
    Strength.STRONG: "强相关",
    Strength.POSSIBLE: "可能相关",
    Strength.WEAK: "弱相关",
}
STRENGTH_EXPLANATIONS: dict[Strength, str] = {
    Strength.STRONG: "强相关：专利与需求共享多个专业术语，覆盖需求的主要技术内容，值得优先联系评估。",
    Strength.POSSIBLE: "可能相关：专利与需求有部分共同术语或同属一个技术方向，需人工核对是否解决需求中的问题。",
    Strength.WEAK: "弱相关：仅有个别通用词或语义相近，可能只是同一行业，一般不能直接解决该需求。",
}


class _Evidence(Protocol):
    @property
    def keyword_rank(self) -> int | None: ...

    @property
    def match_weight(self) -> float: ...

    @property
    def title_coverage(self) -> float: ...


@dataclass(frozen=True, slots=True)
class StrengthThresholds:
    """Cut-offs on the evidence; the defaults are the calibrated ones (see the module docstring)."""

    # Strong: among the first 10 keyword hits, answering ≥ 20 % of the query's own BM25 score,
    # ≥ 30 % of the title's weight used by the query and at least two fully specific shared words
    # (tune-half optimum of the grid in bench/eval/strength.py).
    strong_rank: int = 10
    strong_query_match: float = 0.2
    strong_title_coverage: float = 0.3
    strong_weight: float = 2.0
    # Possible: a keyword hit with a fifth of the title or one and a half specific shared words.
    possible_title_coverage: float = 0.2
    possible_weight: float = 1.5


DEFAULT_THRESHOLDS = StrengthThresholds()


def classify_strength(hit: _Evidence, thresholds: StrengthThresholds = DEFAULT_THRESHOLDS) -> Strength:
    """The strength of one hit (see the module docstring for the evidence and its calibration)."""
    t = thresholds
    if hit.keyword_rank is None:
        return Strength.WEAK
    # Optional evidence: structural protocols cannot declare it, so it is read by name.
    query_match: float | None = getattr(hit, "query_match", None)
    if (
        hit.keyword_rank <= t.strong_rank
        and (query_match is None or query_match >= t.strong_query_match)
        and hit.title_coverage >= t.strong_title_coverage
        and hit.match_weight >= t.strong_weight
    ):
        return Strength.STRONG
    if hit.title_coverage >= t.possible_title_coverage or hit.match_weight >= t.possible_weight:
        return Strength.POSSIBLE
    return Strength.WEAK


def has_strong(hits: Iterable[_Evidence], thresholds: StrengthThresholds = DEFAULT_THRESHOLDS) -> bool:
    """True when any hit is strong: without one, a page should say honestly that the library holds
    no good match (and show the rest as possible / weak leads)."""
    return any(classify_strength(h, thresholds) is Strength.STRONG for h in hits)
