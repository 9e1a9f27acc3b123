"""Topic clusters of a navigation scope: patents grouped by IPC main group, each labelled with the
words most frequent in its titles. Cheap and deterministic (no random initialisation), which a
reproducible report needs; a main group is the finest shared classification every record has."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

from patentbridge_engine.text.tokenize import Tokenizer, default_tokenizer

__all__ = ["topic_clusters"]

# Title words every patent uses; they would label every cluster alike.
MAX_TITLES = 300
_GENERIC = frozenset({"方法", "装置", "系统", "一种", "及其", "用于", "设备", "结构", "制备", "应用", "基于"})


class Titled(Protocol):
    """What a row needs for clustering."""

    @property
    def group(self) -> str: ...

    @property
    def title(self) -> str: ...


def topic_clusters(
    rows: Sequence[Titled], n: int = 8, words: int = 4, tokenizer: Tokenizer | None = None
) -> list[Any]:
    """The ``n`` largest main groups: ``[group, patents, "word、word…"]``, ties by group code.
    ``rows`` need ``group`` and ``title`` attributes."""
    sizes: Counter[str] = Counter(r.group for r in rows if r.group)
    top = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    if not top:
        return []
    tok = tokenizer or default_tokenizer()
    wanted = {g for g, _ in top}
    bags: dict[str, Counter[str]] = {g: Counter() for g in wanted}
    seen: Counter[str] = Counter()
    for r in rows:
        # Segmenting is the costly part: a few hundred titles name a cluster as well as all of
        # them. Rows arrive in application-number order (the snapshot's), so the sample is fixed.
        if r.group in wanted and r.title and seen[r.group] < MAX_TITLES:
            seen[r.group] += 1
            bags[r.group].update({w for w in tok.words(r.title) if len(w) > 1 and w not in _GENERIC})
    out = []
    for group, size in top:
        best = sorted(bags[group].items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[:words]
        out.append([group, size, "、".join(w for w, _ in best)])
    return out
