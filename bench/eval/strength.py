"""Calibration of the hit strength (强相关 / 可能相关 / 弱相关) against the real-need judgments.

For every need, the hybrid top 10 is searched; each judged hit gives (grade, evidence). "Strong"
should mean grade ≥ 2 (worth a shortlist). Thresholds are chosen on the "tune" half only
(maximum F1 of strong vs grade ≥ 2 over rank, query match, title coverage and match weight) and
reported on "holdout". ``auc`` gives each evidence's ROC AUC on both halves, to choose what to use.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

from bench.eval.real_needs import Need
from bench.eval.run_halves import half
from patentbridge_engine.search.hybrid import RerankSettings, SearchIndex
from patentbridge_engine.search.strength import Strength, StrengthThresholds, classify_strength

Row = tuple[str, int, Any]  # (half, grade, hit)


def collect(
    index: SearchIndex, needs: Iterable[Need], k: int = 10, rerank: RerankSettings | None = None
) -> list[Row]:
    """(half, grade, hit) for every judged hit in each need's hybrid top ``k`` (re-ranked by E5
    with ``rerank``)."""
    rows: list[Row] = []
    for need in needs:
        if not need.grades:
            continue
        for hit in index.search(need.text, k, rerank=rerank):
            if hit.id in need.grades:
                rows.append((half(need), need.grades[hit.id], hit))
    return rows


def report(rows: list[Row], thresholds: StrengthThresholds) -> dict[str, Any]:
    """Precision and recall of "strong" (vs grade ≥ 2) and the grade mix of each level."""
    out: dict[str, Any] = {}
    for part in ("all", "tune", "holdout"):
        sel = [(g, classify_strength(h, thresholds)) for p, g, h in rows if part in ("all", p)]
        strong = [g for g, s in sel if s is Strength.STRONG]
        relevant = [g for g, _ in sel if g >= 2]
        hits = sum(g >= 2 for g in strong)
        out[part] = {
            "judged_hits": len(sel),
            "strong": len(strong),
            "strong_precision_grade2": round(hits / len(strong), 3) if strong else None,
            "strong_recall_grade2": round(hits / len(relevant), 3) if relevant else None,
            "mean_grade": {
                level.value: round(sum(g for g, s in sel if s is level) / n, 2)
                for level in Strength
                if (n := sum(1 for _, s in sel if s is level))
            },
        }
    return out


_EVIDENCE = ("query_match", "title_coverage", "match_weight", "coverage")


def auc(rows: list[Row]) -> dict[str, dict[str, float]]:
    """ROC AUC of each evidence (and of the keyword rank, lower is better) for grade ≥ 2, per half:
    the chance that a random grade ≥ 2 hit has more of it than a random lower-graded one."""
    out: dict[str, dict[str, float]] = {}
    for part in ("tune", "holdout"):
        sel = [(g >= 2, h) for p, g, h in rows if p == part]
        out[part] = {}
        for name in (*_EVIDENCE, "keyword_rank"):

            def value(h: Any, name: str = name) -> float:
                v = getattr(h, name)
                if name == "keyword_rank":
                    return -float(v) if v is not None else -1e9
                return float(v) if v is not None else 0.0

            pos = [value(h) for y, h in sel if y]
            neg = sorted(value(h) for y, h in sel if not y)
            if not pos or not neg:
                continue
            wins = sum(
                bisect.bisect_left(neg, v) + 0.5 * (bisect.bisect_right(neg, v) - bisect.bisect_left(neg, v))
                for v in pos
            )
            out[part][name] = round(wins / (len(pos) * len(neg)), 3)
    return out


def fit(rows: list[Row]) -> tuple[StrengthThresholds, float]:
    """The grid point with the best F1 of strong vs grade ≥ 2 on the tune half."""
    tune = [(g, h) for p, g, h in rows if p == "tune"]
    relevant = sum(g >= 2 for g, _ in tune)
    best = (StrengthThresholds(), -1.0)
    grid = [
        StrengthThresholds(
            strong_rank=rank, strong_query_match=match, strong_title_coverage=cover, strong_weight=weight
        )
        for rank in (1, 2, 3, 5, 10, 100)
        for match in (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
        for cover in (0.0, 0.2, 0.3, 0.4, 0.5)
        for weight in (0.0, 1.5, 2.0, 3.0)
    ]
    for t in grid:
        strong = [g for g, h in tune if classify_strength(h, t) is Strength.STRONG]
        tp = sum(g >= 2 for g in strong)
        if len(strong) < 10 or not tp:
            continue  # a handful of hits is no calibration
        p, r = tp / len(strong), tp / relevant
        f1 = 2 * p * r / (p + r)
        if f1 > best[1]:
            best = (t, f1)
    return best
