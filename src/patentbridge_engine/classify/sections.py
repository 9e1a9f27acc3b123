"""IPC section model: which of the eight sections (A–H) a short text belongs to.

The subclass scorer in ``suggest.py`` knows ~640 subclasses from the scheme's wording and two
regional portfolios, but a title's section is decided by everyday words ("生产用…装置" is
usually B, "…检测方法" G) that those sources under-represent. This model is a multinomial
naive-Bayes classifier over eight classes, with character bigrams and whole words (the project
tokenizer: jieba + patent term dictionary) as features. With only eight classes every feature has
plenty of evidence, so it can be trained on section-labelled titles as well as on the real
IPC-labelled patents and the IPC scheme's own titles.

The counts are built by ``bench/eval/build_ipc_examples.py`` (``build_section_counts``) and
shipped as ``data/ipc_section_counts.json.gz``; ``IpcSuggester`` combines this model's section
scores with its own subclass posterior (see ``suggest.py``).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from patentbridge_engine.classify.data import DATA_DIR

__all__ = [
    "SECTIONS",
    "SectionModel",
    "build_section_counts",
    "load_section_model",
    "section_features",
]

SECTIONS = "ABCDEFGH"
_FILE = "ipc_section_counts.json.gz"
# Laplace smoothing per feature and section; chosen with the 2-fold split of the title set
# (0.1 and 0.5 within 0.2 points).
_ALPHA = 0.1
# Features seen less than this often (summed over sections) are dropped from the shipped file:
# they rarely decide a section and would double its size.
_MIN_TOTAL = 2.0


def section_features(text: str) -> list[str]:
    """Character bigrams (as the subclass scorer) plus ``w:``-prefixed tokenizer words of ≥ 2 characters."""
    from patentbridge_engine.classify.suggest import text_features
    from patentbridge_engine.text.tokenize import default_tokenizer

    words = [f"w:{w}" for w in default_tokenizer().words(text) if len(w) >= 2]
    return text_features(text) + words


def build_section_counts(
    documents: Iterable[tuple[Sequence[str], Mapping[str, float], float]],
) -> dict[str, list[float]]:
    """Feature → eight per-section counts from ``(features, section shares, weight)`` documents.

    ``section shares`` maps a section letter to its share of the document (they sum to 1 for a
    multi-label document); ``weight`` scales the whole document. Rare features are pruned and
    counts rounded to one decimal so the shipped file stays small.
    """
    counts: dict[str, list[float]] = {}
    for feats, shares, weight in documents:
        spread = [(SECTIONS.index(s), share * weight) for s, share in shares.items() if s in SECTIONS]
        for feature in feats:
            row = counts.setdefault(feature, [0.0] * len(SECTIONS))
            for index, amount in spread:
                row[index] += amount
    return {
        feature: [round(c, 1) for c in row]
        for feature, row in sorted(counts.items())
        if sum(row) >= _MIN_TOTAL
    }


class SectionModel:
    """Naive-Bayes section scores for a text; build once, ``log_scores`` is read-only."""

    def __init__(self, counts: Mapping[str, Sequence[float]], *, alpha: float = _ALPHA) -> None:
        totals = [0.0] * len(SECTIONS)
        for row in counts.values():
            for i, c in enumerate(row):
                totals[i] += c
        grand = sum(totals) or 1.0
        vocab = max(len(counts), 1)
        self._prior = [math.log(max(t, alpha) / grand) for t in totals]
        self._log: dict[str, list[float]] = {
            f: [math.log((c + alpha) / (totals[i] + alpha * vocab)) for i, c in enumerate(row)]
            for f, row in counts.items()
        }

    def __len__(self) -> int:
        return len(self._log)

    def log_scores(self, features: Sequence[str]) -> list[float] | None:
        """Section log-scores (prior + feature log-likelihoods scaled by 1/√n), or None when the
        text shares no feature with the model. The 1/√n tempering keeps long texts from becoming
        certain on correlated features (bigrams overlap, words repeat their bigrams)."""
        rows = [self._log[f] for f in features if f in self._log]
        if not rows:
            return None
        scale = 1.0 / math.sqrt(len(rows))
        return [self._prior[i] + scale * sum(r[i] for r in rows) for i in range(len(SECTIONS))]

    def word_support(self, word: str, section: str) -> float:
        """How much more likely ``word`` (a whole word) is in ``section`` than in the average
        section (log ratio; ≤ 0 when it does not speak for the section or is unknown)."""
        row = self._log.get(f"w:{word}")
        if row is None or section not in SECTIONS:
            return 0.0
        return row[SECTIONS.index(section)] - sum(row) / len(row)


@lru_cache(maxsize=1)
def load_section_model() -> SectionModel | None:
    """The shipped section model, or None when its counts file has not been built."""
    path = DATA_DIR / _FILE
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        counts: dict[str, list[float]] = json.load(fh)["counts"]
    return SectionModel(counts)
