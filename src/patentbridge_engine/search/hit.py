"""One search result with its explanation and strength evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from patentbridge_engine.search.strength import (
    STRENGTH_EXPLANATIONS,
    STRENGTH_LABELS,
    Strength,
    classify_strength,
)

__all__ = ["Hit"]


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result with its explanation."""

    id: str
    score: float
    keyword_rank: int | None = None
    semantic_rank: int | None = None
    terms: tuple[str, ...] = ()
    sentence: str = ""
    shared_ipc: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    # Evidence for the strength label (search/strength.py): summed 0–1 specificity of the shared
    # query words, its share of the query's total, the share of the title's weight in the query.
    match_weight: float = 0.0
    coverage: float = 0.0
    title_coverage: float = 0.0
    # The BM25 score over the query's own score (KeywordIndex.self_score); None when the keyword
    # retriever did not find the hit or the hit was explained without ranking.
    query_match: float | None = None

    @property
    def strength(self) -> Strength:
        """强相关 / 可能相关 / 弱相关, calibrated on the real-need development set."""
        return classify_strength(self)

    @property
    def strength_label(self) -> str:
        """The level in Chinese (强相关, 可能相关, 弱相关)."""
        return STRENGTH_LABELS[self.strength]

    @property
    def strength_explanation(self) -> str:
        """One Chinese sentence saying what the level means ("强相关：…")."""
        return STRENGTH_EXPLANATIONS[self.strength]

    @property
    def weak(self) -> bool:
        """Shown, but marked 弱相关: found only by meaning or sharing little specific vocabulary
        (kept for existing callers; ``strength`` has the three levels)."""
        return self.strength is Strength.WEAK
