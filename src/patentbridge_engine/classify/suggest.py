"""Text-based IPC subclass suggestion for records (and later needs) that carry no IPC.

A naive-Bayes style scorer trained on the official Chinese IPC titles: each subclass is
represented by the character bigrams of its own title and all titles below it. A text's
score for a subclass sums, over the text's bigrams, the log ratio of the bigram's
probability in the subclass to its probability in the whole scheme, so bigrams common
everywhere ("一种", "装置") carry no weight. The top bigrams of each hit are returned as the
words that drove it, so an operator can see why.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["IpcSuggester", "IpcSuggestion", "text_features"]

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]+|\d+[A-Za-z]+[A-Za-z0-9]*")
# Parenthesised cross-references in IPC titles ("（…入A01C5/00）") describe other places.
_XREF = re.compile(r"[（(][^（）()]*[A-H]\d{2}[A-Z][^（）()]*[）)]")
# Laplace smoothing mass per bigram; small because subclass documents are short.
_ALPHA = 0.1


def text_features(text: str) -> list[str]:
    """Character bigrams of CJK runs plus Latin tokens (``CO2``, ``LED``), lower-cased."""
    feats: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            feats.append(run)
        feats.extend(run[i : i + 2] for i in range(len(run) - 1))
    feats.extend(tok.lower() for tok in _LATIN.findall(text))
    return feats


@dataclass(frozen=True, slots=True)
class IpcSuggestion:
    """One suggested subclass with its share of the top scores and the bigrams behind it."""

    subclass: str
    title: str
    score: float
    drivers: tuple[str, ...]


class IpcSuggester:
    """Scores IPC subclasses for a piece of text. Build once; ``suggest`` is read-only."""

    def __init__(self, titles: Mapping[str, str]) -> None:
        counts: dict[str, Counter[str]] = {}
        self._titles: dict[str, str] = {}
        for code, title in titles.items():
            if len(code) < 4 or not code[3].isalpha():
                continue
            subclass = code[:4]
            if len(code) == 4:
                self._titles[subclass] = title
            counts.setdefault(subclass, Counter()).update(text_features(_XREF.sub("", title)))
        background: Counter[str] = Counter()
        for counter in counts.values():
            background.update(counter)
        self._vocab_size = len(background)
        bg_total = sum(background.values())
        self._bg_log = {f: math.log(c / bg_total) for f, c in background.items()}
        # score(s) = n·unseen(s) + Σ_{f in text ∩ s} (log P(f|s) − unseen(s)) − Σ_f log P(f)
        # so a query only walks the postings of its own features.
        self._unseen: dict[str, float] = {}
        self._postings: dict[str, dict[str, float]] = {}
        for subclass, counter in counts.items():
            total = sum(counter.values()) + _ALPHA * self._vocab_size
            unseen = math.log(_ALPHA / total)
            self._unseen[subclass] = unseen
            for feature, count in counter.items():
                self._postings.setdefault(feature, {})[subclass] = math.log((count + _ALPHA) / total) - unseen

    def suggest(self, text: str, k: int = 3) -> list[IpcSuggestion]:
        """Top-``k`` subclasses for ``text``; empty when the text shares nothing with the scheme."""
        feats = [f for f in text_features(text) if f in self._bg_log]
        if not feats:
            return []
        n = len(feats)
        totals = {subclass: n * unseen for subclass, unseen in self._unseen.items()}
        for f in feats:
            for subclass, delta in self._postings[f].items():
                totals[subclass] += delta
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:k]
        scored = []
        for subclass, total in ranked:
            unseen = self._unseen[subclass]
            contributions = [
                (self._postings[f].get(subclass, 0.0) + unseen - self._bg_log[f], f) for f in feats
            ]
            scored.append((total, subclass, contributions))
        top = scored
        best = top[0][0]
        weights = [math.exp((s - best) / max(len(feats), 1)) for s, _, _ in top]
        norm = sum(weights)
        out = []
        for (_, subclass, contributions), weight in zip(top, weights, strict=True):
            drivers: list[str] = []
            for value, feature in sorted(contributions, reverse=True):
                if value <= 0 or feature in drivers:
                    continue
                drivers.append(feature)
                if len(drivers) == 5:
                    break
            out.append(
                IpcSuggestion(
                    subclass=subclass,
                    title=self._titles.get(subclass, ""),
                    score=round(weight / norm, 4),
                    drivers=tuple(drivers),
                )
            )
        return out
