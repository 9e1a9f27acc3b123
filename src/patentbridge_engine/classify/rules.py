"""Rule-based assignment of patents to classification categories (domain-rules §8.2).

One rule = included IPC patterns, excluded IPC patterns, and an optional keyword condition.
A rule assigns its category when one of the patent's IPC symbols falls under an included
pattern and under none of the excluded ones, and — for keyword-constrained rows — a keyword
occurs in the title, abstract or claims (and no excluded keyword does). Every assignment
carries the symbol, the entry and the keyword that produced it, so the UI can show why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from patentbridge_engine.classify.ipc import IpcCode, IpcPattern

__all__ = ["Assignment", "Rule", "RuleIndex", "assign", "first_keyword"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of a concordance table."""

    scheme: str
    code: str
    name: str
    include: tuple[IpcPattern, ...]
    exclude: tuple[IpcPattern, ...] = ()
    keywords: tuple[str, ...] = ()
    keyword_exclude: tuple[str, ...] = ()
    parent_name: str = ""


@dataclass(frozen=True, slots=True)
class Assignment:
    """A category assigned to a patent, with its reason in Chinese."""

    scheme: str
    code: str
    name: str
    method: str  # "rule" (IPC concordance), "keyword" (chain keyword), "score" (text model)
    reason: str
    matched_ipc: str = ""
    entry: str = ""
    keyword: str = ""
    score: float | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _first_match(patterns: Sequence[IpcPattern], code: IpcCode) -> IpcPattern | None:
    for pattern in patterns:
        if pattern.matches(code):
            return pattern
    return None


class RuleIndex:
    """Rules bucketed by the section/class/subclass their include patterns start with.

    A symbol only needs the rules filed under its own section, class and subclass, and the
    IPC half of the test (include and not exclude) depends on the symbol alone, so its result
    is memoised per symbol; only the keyword half runs per patent.
    """

    # Bound on memoised symbols; the IPC scheme has ~77k symbols, real corpora use far fewer.
    CACHE_LIMIT = 50_000

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = tuple(rules)
        self._buckets: dict[str, list[int]] = {}
        for position, rule in enumerate(self.rules):
            for prefix in {p.prefix for p in rule.include}:
                self._buckets.setdefault(prefix, []).append(position)
        self._ipc_hits: dict[str, list[tuple[int, IpcPattern]]] = {}

    def ipc_hits(self, ipc: IpcCode) -> list[tuple[int, IpcPattern]]:
        """(rule position, matching entry) for every rule whose IPC condition ``ipc`` meets."""
        cached = self._ipc_hits.get(ipc.code)
        if cached is not None:
            return cached
        positions: set[int] = set()
        for key in (ipc.section, ipc.class_code, ipc.subclass):
            positions.update(self._buckets.get(key, ()))
        hits = []
        for position in sorted(positions):
            rule = self.rules[position]
            entry = _first_match(rule.include, ipc)
            if entry is not None and _first_match(rule.exclude, ipc) is None:
                hits.append((position, entry))
        if len(self._ipc_hits) >= self.CACHE_LIMIT:
            self._ipc_hits.clear()
        self._ipc_hits[ipc.code] = hits
        return hits


@lru_cache(maxsize=4096)
def _alternation(keywords: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so the reported keyword is the most specific one that occurs.
    return re.compile("|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True)))


def first_keyword(keywords: tuple[str, ...], text: str) -> str:
    """A keyword of ``keywords`` that occurs in ``text`` ("" if none); one regex scan."""
    if not keywords:
        return ""
    match = _alternation(keywords).search(text)
    return match.group(0) if match else ""


def _keyword_condition(rule: Rule, text: str) -> tuple[bool, str]:
    keyword = ""
    if rule.keywords:
        keyword = first_keyword(rule.keywords, text)
        if not keyword:
            return False, ""
    if rule.keyword_exclude and first_keyword(rule.keyword_exclude, text):
        return False, ""
    return True, keyword


def _assignment(rule: Rule, ipc: IpcCode, entry: IpcPattern, keyword: str) -> Assignment:
    reason = f"IPC {ipc.code} 属于参照表条目 {entry.source}"
    if keyword:
        reason += f"，且文本含关键词“{keyword}”"
    return Assignment(
        scheme=rule.scheme,
        code=rule.code,
        name=rule.name,
        method="rule",
        reason=reason,
        matched_ipc=ipc.code,
        entry=entry.source,
        keyword=keyword,
    )


def assign(rules: Iterable[Rule] | RuleIndex, ipc_codes: Sequence[IpcCode], text: str) -> list[Assignment]:
    """Apply ``rules`` to one patent; returns at most one assignment per (scheme, code)."""
    index = rules if isinstance(rules, RuleIndex) else RuleIndex(rules)
    found: dict[tuple[str, str], Assignment] = {}
    checked: dict[int, tuple[bool, str]] = {}
    for ipc in ipc_codes:
        for position, entry in index.ipc_hits(ipc):
            rule = index.rules[position]
            key = (rule.scheme, rule.code)
            if key in found:
                continue
            if position not in checked:
                checked[position] = _keyword_condition(rule, text)
            ok, keyword = checked[position]
            if ok:
                found[key] = _assignment(rule, ipc, entry, keyword)
    return list(found.values())
