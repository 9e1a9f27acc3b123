"""REST routes of imports: batches, their progress, rejected rows and the reject report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router

from patentbridge.core.restrict import restrict
from patentbridge.ingest.api_schemas import BatchOut, IssueOut
from patentbridge.ingest.models import ImportBatch
from patentbridge.ingest.reports import reject_report_csv

__all__ = ["router"]

router = Router(tags=["数据导入"])


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
