"""REST routes: the patent list (same filters as the HTML list), a patent, import batches."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from patentbridge.accounts import policies
from patentbridge.api.schemas import BatchOut, IssueOut, PatentDetailOut, PatentListOut, SearchOut
from patentbridge.core.restrict import restrict
from patentbridge.ingest.models import ImportBatch
from patentbridge.ingest.reports import reject_report_csv
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
from patentbridge.search.services import MODES, search_patents

router = Router()
_MAX_PAGE_SIZE = 200


@router.get(
    "/patents",
    response=PatentListOut,
    summary="专利列表（与网页列表相同的筛选参数）",
    description="筛选参数：" + "、".join(f"{k}（{v[0]}）" for k, v in FILTER_PARAMS.items()),
)
def list_patents(request: HttpRequest, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    policies.require(request.user, "patents.view")
    flt = _filter(request)
    qs = flt.apply(restrict(Patent.objects.all(), request.user)).order_by(
        "-filing_date", "application_number"
    )
    scope = view_scope(request.user)
    paginator = Paginator(qs, max(1, min(page_size, _MAX_PAGE_SIZE)))
    paginator.count = cached_count(scope, flt, qs)
    current = paginator.get_page(page_number(page))
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": paginator.per_page,
        "results": list(current.object_list),
        "facets": cached_facets(scope, flt, qs),
    }


def _filter(request: HttpRequest) -> PatentFilter:
    """The shared filter from the query string; an invalid value is a 400 with the reason."""
    problems = filter_problems(request.GET)
    if problems:
        raise HttpError(400, "；".join(problems.values()))
    return PatentFilter.from_mapping(request.GET)


@router.get("/patents/{number}", response=PatentDetailOut, summary="单件专利")
def patent_detail(request: HttpRequest, number: str) -> Patent:
    return get_patent(request.user, number)


@router.get("/imports", response=list[BatchOut], summary="导入批次")
def list_batches(request: HttpRequest) -> Any:
    return list(restrict(ImportBatch.objects.select_related("org", "created_by"), request.user)[:100])


@router.get("/imports/{batch_id}", response=BatchOut, summary="导入批次进度")
def batch_detail(request: HttpRequest, batch_id: int) -> Any:
    return get_object_or_404(
        restrict(ImportBatch.objects.select_related("org", "created_by"), request.user), pk=batch_id
    )


@router.get("/imports/{batch_id}/issues", response=list[IssueOut], summary="被拒绝的行与警告")
def batch_issues(request: HttpRequest, batch_id: int) -> Any:
    batch = get_object_or_404(
        restrict(ImportBatch.objects.select_related("org", "created_by"), request.user), pk=batch_id
    )
    return list(batch.issues.order_by("-severity", "row_number")[:5000])


@router.get("/imports/{batch_id}/rejects.csv", summary="拒绝报告（CSV）")
def batch_report(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(
        restrict(ImportBatch.objects.select_related("org", "created_by"), request.user), pk=batch_id
    )
    response = HttpResponse(reject_report_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-rejects.csv"'
    return response


@router.get(
    "/search",
    response=SearchOut,
    summary="综合检索（关键词+语义），仅返回调用者有权查看的专利",
    description="q：检索文本；mode：hybrid / keyword / semantic；其余筛选参数与专利列表相同。",
)
def search(request: HttpRequest, q: str, mode: str = "hybrid", limit: int = 20) -> dict[str, Any]:
    flt = _filter(request)
    results = search_patents(request.user, q, flt, mode=mode, limit=max(1, min(limit, _MAX_PAGE_SIZE)))
    return {
        "count": len(results),
        "mode": mode if mode in MODES else "hybrid",
        "results": [
            {
                "patent": r.patent,
                "score": r.hit.score,
                "keyword_match": r.hit.keyword_rank is not None,
                "terms": list(r.hit.terms),
                "sentence": r.hit.sentence,
            }
            for r in results
        ],
    }
