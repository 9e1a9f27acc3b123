"""Need → library patents, with reasons."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from patentbridge.demands.models import TechNeed
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.models import Patent
from patentbridge.search.index import get_index

__all__ = ["Match", "library_numbers", "match_need", "need_text"]


@dataclass(frozen=True)
class Match:
    """A library patent for a need, and why."""

    patent: Patent
    score: float
    terms: tuple[str, ...]
    sentence: str
    shared_ipc: tuple[str, ...]
    keyword_match: bool = True

    @property
    def weak(self) -> bool:
        """Found only by meaning, or sharing a single short word: shown, but marked 弱相关."""
        return not self.keyword_match or (len(self.terms) <= 1 and not self.shared_ipc)


def need_text(need: TechNeed) -> str:
    """The query text of a need."""
    return f"{need.title}。{need.description}"


def library_numbers() -> set[str]:
    """Application numbers of the approved library (the only patents offered to enterprises)."""
    return set(
        Patent.objects.filter(library_status=LibraryStatusChoices.IN_LIBRARY).values_list(
            "application_number", flat=True
        )
    )


def match_need(need: TechNeed, k: int = 10, *, exclude: Collection[str] = ()) -> list[Match]:
    """The best ``k`` approved library patents for ``need``, leaving out ``exclude`` (application
    numbers already curated for it); enterprises only ever get the library."""
    allowed = library_numbers() - set(exclude)
    if not allowed:
        return []
    hits = get_index().search(need_text(need), k, allowed=allowed, query_ipc=need.ipc)
    patents = {
        p.application_number: p for p in Patent.objects.filter(application_number__in=[h.id for h in hits])
    }
    out: list[Any] = []
    for hit in hits:
        if hit.id in patents:
            out.append(
                Match(
                    patents[hit.id],
                    hit.score,
                    hit.terms,
                    hit.sentence,
                    hit.shared_ipc,
                    keyword_match=hit.keyword_rank is not None,
                )
            )
    return out
