"""Optional re-ranking of the top hybrid candidates with the strong encoder (E5).

The hybrid list (BM25 + static vectors, fused by RRF) finds the right patents for real needs but
orders them poorly (issue 14: most grade ≥ 2 patents are already in the keyword top 100). E5
reads the need and each candidate's opening text far better than static word vectors, but costs
hundreds of milliseconds per passage on two cores, so it is spent only on the top ``depth``
candidates of background need matching, never on the interactive search box.

Fusion: E5 is a third RRF list restricted to the top ``depth`` candidates — each one's hybrid
score plus ``weight / (constant + its rank by E5 cosine)``. The tail beyond ``depth`` keeps its
hybrid score, so the re-ranked head always stays above it and the candidate set is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["RerankSettings", "fuse_rerank"]


@dataclass(frozen=True, slots=True)
class RerankSettings:
    """Depth, weight and text lengths of the E5 re-rank.

    Chosen on the tune half of the real needs (bench/eval/rerank_e5.py, 12 settings: depth 20 / 30,
    RRF weight 0.5 / 1 / 2, linear share 0.3 / 0.5 / 0.7): depth 20 with weight 1 was best on tune on
    both corpora (nDCG@10 small 0.699 → 0.762, large 0.575 → 0.615) and held on holdout (small
    0.657 → 0.706, large 0.561 → 0.584); bench/results/eval_ablations.json, "e5_rerank".
    """

    depth: int = 20
    weight: float = 1.0
    constant: float = 5.0
    # The first characters of the reduced need that E5 reads (title and technical problem come
    # first; E5's cost grows with the length).
    query_chars: int = 128


def fuse_rerank(
    ranked: Sequence[tuple[str, float]], cosines: dict[str, float], settings: RerankSettings
) -> list[tuple[str, float]]:
    """``ranked`` (id, hybrid score, best first) with its first ``settings.depth`` entries re-scored
    by their E5 cosine (missing cosine: ranked last by E5) and re-sorted; the rest unchanged."""
    head = list(ranked[: settings.depth])
    tail = list(ranked[settings.depth :])
    by_cosine = sorted(head, key=lambda item: (-cosines.get(item[0], float("-inf")), item[0]))
    e5_rank = {doc_id: r for r, (doc_id, _) in enumerate(by_cosine, start=1)}
    fused = [
        (doc_id, score + settings.weight / (settings.constant + e5_rank[doc_id])) for doc_id, score in head
    ]
    fused.sort(key=lambda item: (-item[1], item[0]))
    return fused + tail
