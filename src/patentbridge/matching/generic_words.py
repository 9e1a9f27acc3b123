"""Words that are generic in the needs corpus, for reverse matching (patent → needs).

A patent's abstract is long and full of words that almost every enterprise need also uses
(系统, 控制, 设计, 生产, 提高): a heat-pump patent would otherwise reach every need that mentions a
control system. The needs index's own weighting cannot fix this for short corpora, so before a
patent is run against the needs its text loses the words found in more than ``GENERIC_SHARE`` of
the open needs (document frequency, counted on whole words of the project tokenizer).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable

import rjieba
from django.db.models import Max

from patentbridge.demands.models import TechNeed
from patentbridge_engine.text.tokenize import default_tokenizer

__all__ = ["GENERIC_SHARE", "MIN_NEEDS", "generic_need_words", "generic_words_of", "strip_generic"]

# A word in more than a fifth of the needs says nothing about which need a patent answers; on the
# 176 real BDCI needs this selects 技术, 系统, 产品, 控制, 设计, 生产, 提高 … but keeps 热泵, 电池.
GENERIC_SHARE = 0.2
# With fewer needs than this, shares are noise (one need is 100 %): nothing counts as generic.
MIN_NEEDS = 5

_lock = threading.Lock()
_cache: dict[tuple[int, str], frozenset[str]] = {}


def _parts(word: str) -> list[str]:
    """The shorter dictionary words inside ``word`` (控制系统 → 控制, 系统)."""
    return [p for p in rjieba.cut_for_search(word) if len(p) >= 2 and p != word]


def _vocabulary(text: str) -> set[str]:
    """Words of ``text`` and the words inside them: 控制系统 counts for 控制 and 系统 too, so a
    need saying 控制系统 and one saying 自动控制 share 控制."""
    out: set[str] = set()
    for word in default_tokenizer().words(text):
        if len(word) >= 2:
            out.add(word)
            out.update(_parts(word))
    return out


def generic_words_of(texts: Iterable[str], share: float = GENERIC_SHARE) -> frozenset[str]:
    """Words present in more than ``share`` of ``texts`` (each text counted once per word)."""
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        df.update(_vocabulary(text))
    if n < MIN_NEEDS:
        return frozenset()
    return frozenset(w for w, c in df.items() if c / n > share)


def generic_need_words() -> frozenset[str]:
    """Generic words of the open needs, recomputed when a need is added, edited or closed."""
    open_needs = TechNeed.objects.filter(status="open")
    stamp = open_needs.aggregate(latest=Max("updated_at"))["latest"]
    key = (open_needs.count(), stamp.isoformat() if stamp else "")
    with _lock:
        if key in _cache:
            return _cache[key]
    words = generic_words_of(f"{t}。{d}" for t, d in open_needs.values_list("title", "description"))
    with _lock:
        _cache.clear()  # only the current corpus matters
        _cache[key] = words
    return words


def strip_generic(text: str, generic: frozenset[str]) -> str:
    """``text`` as its content words without the generic ones, space-separated (the search index
    re-tokenises it; the semantic side reads the remaining technical words). A compound made only
    of generic words (控制系统) goes too; one with a specific part (热泵系统) stays."""
    if not generic:
        return text
    kept = []
    for word in default_tokenizer().words(text):
        parts = _parts(word)
        if word in generic or (parts and all(p in generic for p in parts)):
            continue
        kept.append(word)
    return " ".join(kept)
