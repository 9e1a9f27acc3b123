"""REST API of statistics: ``GET /api/stats?as_of=&region=`` — every platform indicator for the
caller's scope (a gov_officer its region, a TTO its organisation, an enterprise its own side, an
inventor its own patents) and, under a separate key, the official figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from patentbridge.analytics.report import build_report
from patentbridge.analytics.scope import ScopeError, parse_as_of, parse_region, scope_for

__all__ = ["router"]

router = Router(tags=["统计监测"])


@router.get("/stats", summary="统计指标（平台口径）与官方公布数据（分开列出）")
def stats(request: HttpRequest, as_of: str = "", region: str = "") -> dict[str, Any]:
    """``as_of`` YYYY-MM-DD (default today), ``region`` a GB/T 2260 code or prefix; a bad value
    answers 422 with a Chinese reason, a region outside the caller's own 403."""
    try:
        day = parse_as_of(as_of[:40], timezone.localdate())
        prefix = parse_region(region[:40])
    except ScopeError as exc:
        raise ValidationError(str(exc)) from exc
    return build_report(scope_for(request.user, as_of=day, region=prefix)).as_dict()
