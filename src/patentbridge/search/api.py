"""REST route of search: hybrid / keyword / semantic over what the caller may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from patentbridge.patents.api import MAX_PAGE_SIZE, filter_from_request
from patentbridge.search.api_schemas import SearchOut
from patentbridge.search.services import MODES, search_patents

__all__ = ["router"]

router = Router(tags=["检索"])


@router.get(
    "/search",
    response=SearchOut,
    summary="综合检索（关键词+语义），仅返回调用者有权查看的专利",
    description="q：检索文本；mode：hybrid / keyword / semantic；其余筛选参数与专利列表相同。",
)
def search(request: HttpRequest, q: str, mode: str = "hybrid", limit: int = 20) -> dict[str, Any]:
    flt = filter_from_request(request)
    results = search_patents(request.user, q, flt, mode=mode, limit=max(1, min(limit, MAX_PAGE_SIZE)))
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
