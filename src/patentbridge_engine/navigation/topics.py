"""Topic clusters of a navigation scope: patents grouped by IPC main group, each labelled with the
words most frequent in its titles. Cheap and deterministic (no random initialisation), which a
reproducible report needs; a main group is the finest shared classification every record has.
The snapshot holds the largest groups with their sizes and a fixed sample of titles (the first
``MAX_TITLES`` by application number), so labelling costs the same whatever the scope's size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from patentbridge_engine.navigation.aggregate import MAX_TITLES
from patentbridge_engine.text.tokenize import Tokenizer, default_tokenizer

__all__ = ["MAX_TITLES", "topic_clusters"]

# Title words every patent uses; they would label every cluster alike.
_GENERIC = frozenset({"方法", "装置", "系统", "一种", "及其", "用于", "设备", "结构", "制备", "应用", "基于"})


def topic_clusters(
    topics: Sequence[Sequence[Any]], n: int = 8, words: int = 4, tokenizer: Tokenizer | None = None
) -> list[Any]:
    """``[group, patents, "word、word…"]`` for the ``n`` largest of ``topics`` (``[group,
    patents, titles]``, ties by group code), named by the most frequent title words."""
    ordered = sorted(topics, key=lambda t: (-int(t[1]), str(t[0])))[:n]
    if not ordered:
        return []
    tok = tokenizer or default_tokenizer()
    out = []
    for group, size, titles in ordered:
        bag: Counter[str] = Counter()
        for title in list(titles)[:MAX_TITLES]:
            bag.update({w for w in tok.words(title) if len(w) > 1 and w not in _GENERIC})
        best = sorted(bag.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[:words]
        out.append([group, size, "、".join(w for w, _ in best)])
    return out
