"""The search page (every role): hybrid search, facets over the hits, highlighted snippets."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from patentbridge.accounts import policies
from patentbridge.patents.filters import (
    FILTER_PARAMS,
    PatentFilter,
    facet_counts,
    filter_problems,
    page_number,
)
from patentbridge.patents.models import Patent
from patentbridge.search.services import MODES, search_patents
from patentbridge_engine.search.strength import STRENGTH_EXPLANATIONS

PAGE_SIZE = 20


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """检索: results ranked by the hybrid index among what this user may view."""
    policies.require(request.user, "patents.view")
    for problem in filter_problems(request.GET).values():
        messages.warning(request, problem)
    flt = PatentFilter.from_mapping(request.GET)
    mode = request.GET.get("mode", "hybrid")
    results = search_patents(request.user, flt.q, flt, mode=mode)
    page = Paginator(results, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    params = request.GET.copy()
    params.pop("page", None)
    hit_pks = [r.patent.pk for r in results]
    hit_set = Patent.objects.filter(pk__in=hit_pks)
    context: dict[str, Any] = {
        "page": page,
        "filter": flt,
        "mode": mode if mode in MODES else "hybrid",
        "modes": MODES,
        "active": {k: v for k, v in flt.active().items() if k != "q"},
        "facets": facet_counts(hit_set, pks=hit_pks) if results else {},
        "facet_labels": {k: v[0] for k, v in FILTER_PARAMS.items()},
        "querystring": params.urlencode(),
        # Counts by strength: "强相关 N 件", never "N related patents" for everything sharing a word.
        "strength_counts": Counter(str(r.hit.strength) for r in results),
        "strength_explanations": list(STRENGTH_EXPLANATIONS.values()),
    }
    return render(request, "search/search.html", context)
