"""REST routes of the library: the patent list (same filters as the HTML list) and a patent."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from patentbridge.accounts import policies
from patentbridge.core.restrict import restrict
from patentbridge.patents.api_schemas import PatentDetailOut, PatentListOut
from patentbridge.patents.filters import (
    FILTER_PARAMS,
    PatentFilter,
    cached_count,
    cached_facets,
    filter_problems,
    page_number,
)
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import get_patent, view_scope

__all__ = ["MAX_PAGE_SIZE", "filter_from_request", "router"]

router = Router(tags=["专利资源库"])
MAX_PAGE_SIZE = 200


@router.get(
    "/patents",
    response=PatentListOut,
    summary="专利列表（与网页列表相同的筛选参数）",
    description="筛选参数：" + "、".join(f"{k}（{v[0]}）" for k, v in FILTER_PARAMS.items()),
)
def list_patents(request: HttpRequest, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    policies.require(request.user, "patents.view")
    flt = filter_from_request(request)
    qs = flt.apply(restrict(Patent.objects.all(), request.user)).order_by(
        "-filing_date", "application_number"
    )
    scope = view_scope(request.user)
    paginator = Paginator(qs, max(1, min(page_size, MAX_PAGE_SIZE)))
    paginator.count = cached_count(scope, flt, qs)
    current = paginator.get_page(page_number(page))
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": paginator.per_page,
        "results": list(current.object_list),
        "facets": cached_facets(scope, flt, qs),
    }


def filter_from_request(request: HttpRequest) -> PatentFilter:
    """The shared filter from the query string; an invalid value is a 400 with the reason."""
    problems = filter_problems(request.GET)
    if problems:
        raise HttpError(400, "；".join(problems.values()))
    return PatentFilter.from_mapping(request.GET)


@router.get("/patents/{number}", response=PatentDetailOut, summary="单件专利")
def patent_detail(request: HttpRequest, number: str) -> Patent:
    return get_patent(request.user, number)
