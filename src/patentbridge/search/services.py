"""Hybrid search over what the caller may see, with the library's structured filters.

The filter definition is the library list's own (``PatentFilter``): its structured part
narrows the allowed set in the database first, then the index ranks inside that set, so a
filter never drops relevant hits that a post-filter on a short list would lose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from patentbridge.accounts import policies
from patentbridge.patents.filters import PatentFilter
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import allowed_numbers, restrict
from patentbridge.search.index import get_index
from patentbridge_engine.search.hybrid import Hit

__all__ = ["MODES", "SearchResult", "search_patents"]

MODES = {"hybrid": "综合（关键词+语义）", "keyword": "关键词", "semantic": "语义"}
# Hits ranked per query; pages and facets are drawn from these.
MAX_HITS = 200


@dataclass(frozen=True)
class SearchResult:
    """A patent the caller may see, with the index's explanation of the hit."""

    patent: Patent
    hit: Hit


def search_patents(
    user: Any, text: str, flt: PatentFilter | None = None, *, mode: str = "hybrid", limit: int = MAX_HITS
) -> list[SearchResult]:
    """Ranked, explained results for ``text`` among the patents ``user`` may view under ``flt``."""
    policies.require(user, "patents.view")
    text = text.strip()
    if not text:
        return []
    structured = dataclasses.replace(flt or PatentFilter(), q="")
    allowed: Set[str] | None
    if structured.active():
        scoped = structured.apply(restrict(Patent.objects.all(), user)).order_by()
        allowed = set(scoped.values_list("application_number", flat=True))
    else:
        # The caller's whole view scope: cached per scope until the library changes (None for
        # platform roles, who see everything) instead of two counts and an id read per query.
        allowed = allowed_numbers(user)
    if allowed is not None and not allowed:
        return []
    hits = get_index().search(text, limit, allowed=allowed, mode=mode if mode in MODES else "hybrid")
    patents = Patent.objects.in_bulk([h.id for h in hits], field_name="application_number")
    return [SearchResult(patents[h.id], h) for h in hits if h.id in patents]
