"""Text-based IPC subclass suggestion for records and needs that carry no IPC.

A multinomial naive-Bayes scorer over character bigrams. Each subclass is described by two
sources: the official Chinese IPC titles (its own and all below it), and aggregated bigram counts
of real IPC-labelled patents (``data/ipc_example_counts.json.gz``: 35k SYSU/CNKI and Tai'an
patents, built by ``bench/eval/build_ipc_examples.py``). Titles alone name things the way the
scheme does ("热泵" sits under F25B, but so do many words), while real abstracts show how
applicants write; together they lifted section top-1 accuracy on 9,986 unseen real titles from
54 % to the figure in bench/results/ipc_suggest.json.

A text's score for a subclass sums, over its bigrams, the log ratio of the bigram's probability
in the subclass to its probability overall, so bigrams common everywhere ("一种", "装置") carry
no weight. Reasons are whole words of the text (dictionary words that hold the strongest
bigrams), never bare bigrams. ``suggest(..., abstain=True)`` returns nothing when the best
subclass does not stand out (see ``IpcSuggestion.confident``).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from patentbridge_engine.classify.data import DATA_DIR
from patentbridge_engine.classify.sections import SECTIONS, SectionModel, load_section_model, section_features

__all__ = ["IpcSuggester", "IpcSuggestion", "load_example_counts", "text_features"]

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]+|\d+[A-Za-z]+[A-Za-z0-9]*")
# Parenthesised cross-references in IPC titles ("（…入A01C5/00）") describe other places.
_XREF = re.compile(r"[（(][^（）()]*[A-H]\d{2}[A-Z][^（）()]*[）)]")
# Laplace smoothing mass per bigram; small because subclass documents are short.
_ALPHA = 0.1
# One IPC title bigram counts as much as this many bigrams of example patents: the scheme's
# own wording is precise but short. Chosen on the even rows of the title set (0.01: 61.6 %,
# 2: 64.5 %, 5: 64.3 %, 50: 59.6 %), odd rows agree (63.8 % at 2). A log prior by subclass size
# was tried and lowered accuracy.
_TITLE_WEIGHT = 2.0
# Abstain below this share of the top-3 probability mass for the first subclass (IpcSuggestion.score)...
_CONFIDENT_SHARE = 0.5
# ...or when the first subclass explains the text's bigrams less than this much better than the
# whole scheme does (mean log-likelihood ratio per bigram, nats): generic texts ("一种系统及其方法")
# fit everything equally. On the even title rows 0.5 keeps 64.5 % of titles at 70.7 % section
# accuracy (odd rows: 64.0 %, 69.9 %); 1.0 keeps 29 % at 78 %.
_MIN_EVIDENCE = 0.5
_EXAMPLES = "ipc_example_counts.json.gz"
# Example mass per subclass is scaled down to at most this many bigrams: the labelled patents
# come from two portfolios (a university strong in chemistry, a city strong in farming), and an
# uncapped subclass such as B01D soaks up every generic process word ("回收", "低温", "冷凝"),
# which pulled a heat-pump draft away from F25B. Even title rows: 500 → 63.1 %, 1,000 → 64.6 %,
# 2,000 → 64.8 %, 10,000 → 64.5 %; uncapped 64.3 % with the heat-pump draft in B01D.
_EXAMPLE_CAP = 2_000.0
# Weight of the subclass posterior summed per section against the section model's own scores
# when deciding the section (2-fold title split: 0 → 73.9 %, 0.5 → 74.5 %, 1 → 74.7 %, 2 → 74.6 %).
_VOTE_WEIGHT = 1.0
# The section model decides only for short texts (titles, a one-line draft). On title + abstract
# the subclass scorer has enough evidence of its own, and the section model's title-set prior pulled
# held-out SYSU/CNKI and Tai'an patents away from their subclass (top-3 79.3 % → 74.2 %).
_SECTION_MODEL_MAX_FEATURES = 60
# With a section model, the first suggestion is confident when its section holds at least this
# posterior (and the text carries evidence, _MIN_EVIDENCE). See bench/results/ipc_suggest.json.
_CONFIDENT_SECTION = 0.6


def text_features(text: str) -> list[str]:
    """Character bigrams of CJK runs plus Latin tokens (``CO2``, ``LED``), lower-cased."""
    feats: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            feats.append(run)
        feats.extend(run[i : i + 2] for i in range(len(run) - 1))
    feats.extend(tok.lower() for tok in _LATIN.findall(text))
    return feats


@lru_cache(maxsize=1)
def load_example_counts() -> dict[str, dict[str, float]]:
    """Subclass → bigram → count from real IPC-labelled patents (empty when the file is absent)."""
    path = DATA_DIR / _EXAMPLES
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        counts: dict[str, dict[str, float]] = json.load(fh)["counts"]
    return counts


@dataclass(frozen=True, slots=True)
class IpcSuggestion:
    """One suggested subclass with its share of the top scores and the words behind it."""

    subclass: str
    title: str
    score: float
    drivers: tuple[str, ...]
    # False when the first suggestion does not stand out from the next ones (an operator should
    # choose); always False for the second and later suggestions.
    confident: bool = False


def _default_words(text: str) -> list[str]:
    from patentbridge_engine.text.tokenize import default_tokenizer

    tok = default_tokenizer()
    return [w for w in tok.words(text) if len(w) >= 2 and tok.is_dictionary_word(w)]


class IpcSuggester:
    """Scores IPC subclasses for a piece of text. Build once; ``suggest`` is read-only.

    ``examples`` (subclass → bigram → count) defaults to the shipped real-patent statistics,
    restricted to the subclasses of ``titles``; pass ``{}`` for a titles-only model.
    ``words`` splits a text into whole words for the reasons (default: jieba dictionary words).
    """

    def __init__(
        self,
        titles: Mapping[str, str],
        examples: Mapping[str, Mapping[str, float]] | None = None,
        *,
        words: Callable[[str], list[str]] | None = None,
        sections: SectionModel | None = None,
    ) -> None:
        counts: dict[str, Counter[str]] = {}
        # The section model belongs to the shipped statistics: a custom or titles-only model
        # (examples given) ranks by its own subclass scores unless a section model is passed.
        self._sections = sections if sections is not None or examples is not None else load_section_model()
        self._titles: dict[str, str] = {}
        self._words = words or _default_words
        for code, title in titles.items():
            if len(code) < 4 or not code[3].isalpha():
                continue
            subclass = code[:4]
            if len(code) == 4:
                self._titles[subclass] = title
            counts.setdefault(subclass, Counter()).update(text_features(_XREF.sub("", title)))
        weighted: dict[str, dict[str, float]] = {
            s: {f: _TITLE_WEIGHT * c for f, c in counter.items()} for s, counter in counts.items()
        }
        for subclass, feats in (load_example_counts() if examples is None else examples).items():
            if subclass in weighted:
                row = weighted[subclass]
                scale = min(1.0, _EXAMPLE_CAP / max(sum(feats.values()), 1.0))
                for feature, count in feats.items():
                    row[feature] = row.get(feature, 0.0) + count * scale
        background: Counter[str] = Counter()
        for row in weighted.values():
            background.update(row)
        self._vocab_size = len(background)
        bg_total = sum(background.values())
        self._bg_log = {f: math.log(c / bg_total) for f, c in background.items()}
        # score(s) = n·unseen(s) + Σ_{f in text ∩ s} (log P(f|s) − unseen(s)) − Σ_f log P(f)
        # so a query only walks the postings of its own features.
        self._unseen: dict[str, float] = {}
        self._postings: dict[str, dict[str, float]] = {}
        for subclass, row in weighted.items():
            total = sum(row.values()) + _ALPHA * self._vocab_size
            unseen = math.log(_ALPHA / total)
            self._unseen[subclass] = unseen
            for feature, count in row.items():
                self._postings.setdefault(feature, {})[subclass] = math.log((count + _ALPHA) / total) - unseen

    def suggest(self, text: str, k: int = 3, *, abstain: bool = False) -> list[IpcSuggestion]:
        """Top-``k`` subclasses for ``text``; empty when the text shares nothing with the scheme,
        and with ``abstain`` also when the first subclass is not confident."""
        feats = [f for f in text_features(text) if f in self._bg_log]
        if not feats:
            return []
        n = len(feats)
        totals = {subclass: n * unseen for subclass, unseen in self._unseen.items()}
        for f in feats:
            for subclass, delta in self._postings[f].items():
                totals[subclass] += delta
        evidence_best = max(totals.values())
        evidence = (evidence_best - sum(self._bg_log[f] for f in feats)) / n
        section_model = self._sections
        section_scores = (
            section_model.log_scores(section_features(text))
            if section_model is not None and n <= _SECTION_MODEL_MAX_FEATURES
            else None
        )
        if section_scores is not None:
            return self._suggest_by_section(text, k, abstain, totals, n, evidence, section_scores)
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[: max(k, 3)]
        best = ranked[0][1]
        # Posterior shares among the top 3, tempered by the text length (bigrams are not independent).
        weights = [math.exp((s - best) / max(math.sqrt(n), 1.0)) for _, s in ranked[:3]]
        weights += [0.0] * (len(ranked) - len(weights))
        norm = sum(weights)
        confident = weights[0] / norm >= _CONFIDENT_SHARE and evidence >= _MIN_EVIDENCE
        if abstain and not confident:
            return []
        words = self._words(text)
        out = []
        for position, ((subclass, _), weight) in enumerate(zip(ranked[:k], weights, strict=False)):
            out.append(
                IpcSuggestion(
                    subclass=subclass,
                    title=self._titles.get(subclass, ""),
                    score=round(weight / norm, 4),
                    drivers=self._drivers(subclass, feats, words),
                    confident=confident and position == 0,
                )
            )
        return out

    def _suggest_by_section(
        self,
        text: str,
        k: int,
        abstain: bool,
        totals: dict[str, float],
        n: int,
        evidence: float,
        section_scores: list[float],
    ) -> list[IpcSuggestion]:
        """Rank subclasses as P(section) · P(subclass | section).

        P(subclass) is the subclass scorer's posterior tempered by √n; P(section) combines the
        section model's scores with that posterior summed per section (the two disagree most on
        everyday titles, where the section model is the better judge). The first suggestion is
        the best subclass of the most likely section, so a top-1 section is never lost to a
        section whose mass is spread thinly over many subclasses.
        """
        temper = max(math.sqrt(n), 1.0)
        top = max(totals.values())
        posterior = {s: math.exp((v - top) / temper) for s, v in totals.items()}
        norm = sum(posterior.values())
        mass = dict.fromkeys(SECTIONS, 0.0)
        for subclass, p in posterior.items():
            mass[subclass[0]] = mass.get(subclass[0], 0.0) + p / norm
        combined = [
            score + _VOTE_WEIGHT * math.log(mass[section] + 1e-9)
            for section, score in zip(SECTIONS, section_scores, strict=True)
        ]
        peak = max(combined)
        expo = [math.exp(c - peak) for c in combined]
        section_p = {section: e / sum(expo) for section, e in zip(SECTIONS, expo, strict=True)}
        joint = {s: section_p[s[0]] * (p / norm) / max(mass[s[0]], 1e-12) for s, p in posterior.items()}
        best_section = max(SECTIONS, key=lambda sec: section_p[sec])
        first = max(
            (s for s in joint if s[0] == best_section),
            key=lambda s: (joint[s], s),
            default=None,
        )
        ranked = sorted(joint, key=lambda s: (-joint[s], s))
        if first is not None:
            ranked = [first, *(s for s in ranked if s != first)]
        confident = section_p[best_section] >= _CONFIDENT_SECTION and evidence >= _MIN_EVIDENCE
        if abstain and not confident:
            return []
        feats = [f for f in text_features(text) if f in self._bg_log]
        words = self._words(text)
        return [
            IpcSuggestion(
                subclass=subclass,
                title=self._titles.get(subclass, ""),
                score=round(joint[subclass], 4),
                drivers=self._drivers(subclass, feats, words),
                confident=confident and position == 0,
            )
            for position, subclass in enumerate(ranked[:k])
        ]

    def _drivers(self, subclass: str, feats: list[str], words: list[str]) -> tuple[str, ...]:
        """Up to five whole words of the text whose bigrams speak most for ``subclass``."""
        unseen = self._unseen[subclass]
        value = {f: self._postings[f].get(subclass, 0.0) + unseen - self._bg_log[f] for f in set(feats)}
        scored: dict[str, float] = {}
        for word in words:
            parts = text_features(word)
            gain = max((value.get(p, 0.0) for p in parts), default=0.0)
            if gain > 0:
                scored[word] = max(scored.get(word, 0.0), gain)
        drivers = sorted(scored, key=lambda w: -scored[w])[:5]
        if not drivers and self._sections is not None:
            # No word of the text is typical of the subclass itself (it was chosen for its
            # section): name the words that speak for the section instead, still whole words.
            support = {w: self._sections.word_support(w, subclass[0]) for w in dict.fromkeys(words)}
            drivers = sorted((w for w, v in support.items() if v > 0), key=lambda w: -support[w])[:3]
        return tuple(drivers)
