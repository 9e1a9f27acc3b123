"""Need → library patents, with reasons (the matching app owns need ↔ patent logic; search is the index adapter)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings

from patentbridge.demands.models import TechNeed
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.classification import get_classifier
from patentbridge.patents.models import Patent
from patentbridge.search.index import get_index
from patentbridge_engine.search.hybrid import Hit, RerankSettings

__all__ = ["HitView", "Match", "library_numbers", "match_need", "need_text", "rerank_settings"]


def rerank_settings() -> RerankSettings | None:
    """The E5 re-rank need matching uses, or None when ``PATENTBRIDGE_NEED_RERANK`` is off.

    Issue 14: real-need nDCG@10 on the holdout half +0.05 small / +0.02 large
    (bench/results/eval_ablations.json). E5 vectors of patents are cached beside the index and
    warmed by ``matching.tasks.warm_need_rerank`` when a need changes, so a page pays for the
    need's own text and for patents not seen before."""
    return RerankSettings() if settings.PATENTBRIDGE_NEED_RERANK == "on" else None


class HitView:
    """What pages read of a hit, for any result that wraps one in ``hit`` (a patent for a need, a need
    for a patent): its score, reasons and strength (强相关 / 可能相关 / 弱相关)."""

    hit: Hit

    @property
    def score(self) -> float:
        return self.hit.score

    @property
    def terms(self) -> tuple[str, ...]:
        return self.hit.terms

    @property
    def sentence(self) -> str:
        return self.hit.sentence

    @property
    def shared_ipc(self) -> tuple[str, ...]:
        return self.hit.shared_ipc

    @property
    def shared_ipc_named(self) -> tuple[str, ...]:
        """Shared IPC subclasses with their Chinese titles ("F25B 制冷机，制冷设备或系统…"), so a
        reader sees what the shared field is, not just its code."""
        return tuple(_ipc_with_title(code) for code in self.hit.shared_ipc)

    @property
    def weak(self) -> bool:
        return self.hit.weak

    @property
    def strength(self) -> str:
        """The level as a code (strong, possible, weak)."""
        return str(self.hit.strength)

    @property
    def strength_label(self) -> str:
        return self.hit.strength_label

    @property
    def strength_explanation(self) -> str:
        return self.hit.strength_explanation


# Characters of an IPC title shown after its code (the full titles run to hundreds of characters).
_IPC_TITLE_CHARS = 16


def _ipc_with_title(code: str) -> str:
    title = get_classifier().ipc_title(code)
    if not title:
        return code
    short = title if len(title) <= _IPC_TITLE_CHARS else f"{title[:_IPC_TITLE_CHARS]}…"
    return f"{code} {short}"


@dataclass(frozen=True)
class Match(HitView):
    """A library patent for a need, and the index's explanation of the hit."""

    patent: Patent
    hit: Hit


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
    library = library_numbers()
    excluded = set(exclude) & library
    if not library - excluded:
        return []
    # Rank over the whole library and drop the curated ones afterwards: removing documents from the
    # fused lists would shift the others' ranks and reorder what the operator already saw.
    hits = get_index().search(
        need_text(need), k + len(excluded), allowed=library, query_ipc=need.ipc, rerank=rerank_settings()
    )
    hits = [hit for hit in hits if hit.id not in excluded][:k]
    patents = Patent.objects.in_bulk([h.id for h in hits], field_name="application_number")
    return [Match(patents[hit.id], hit) for hit in hits if hit.id in patents]
