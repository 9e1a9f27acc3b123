"""Import pages: upload, batch list, live progress, reject report."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from patentbridge.accounts import policies
from patentbridge.core.restrict import restrict
from patentbridge.ingest.forms import UploadForm
from patentbridge.ingest.models import ImportBatch
from patentbridge.ingest.reports import reject_report_csv
from patentbridge.ingest.services import create_batch
from patentbridge.ingest.tasks import run_import
from patentbridge.ingest.template import template_xlsx
from patentbridge.ingest.uploads import TOO_LARGE_ATTR, too_large_message

if TYPE_CHECKING:
    from patentbridge.core.http import HtmxHttpRequest


def visible_batches(user: object) -> QuerySet[ImportBatch]:
    """The batches this user may see (the ImportBatch rule of ``core.restrict``)."""
    return restrict(ImportBatch.objects.select_related("org", "created_by"), user)


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    """Upload form and the recent batches."""
    batches = visible_batches(request.user)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if not policies.is_platform_wide(request.user):
        del form.fields["org"]
    dropped = getattr(request, TOO_LARGE_ATTR, None)
    if dropped is not None:  # the upload handler dropped the file for size: say so, not "required"
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", too_large_message(dropped))
    elif request.method == "POST" and form.is_valid():
        try:
            batch = _start_upload(request, form)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            return redirect("ingest:detail", pk=batch.pk)
    return render(request, "ingest/list.html", {"form": form, "batches": batches[:50]})


def _start_upload(request: HttpRequest, form: UploadForm) -> ImportBatch:

    upload = form.cleaned_data["file"]
    mapping = {}
    if form.cleaned_data.get("mapping"):
        try:
            mapping = json.loads(form.cleaned_data["mapping"].read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValidationError(f"映射文件不是有效的 JSON：{exc}") from exc
        if not isinstance(mapping, dict):
            raise ValidationError("映射文件应为 JSON 对象")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        # #f: not wrapped in a transaction here: create_batch stores, hashes and inspects the
        # file first and only then opens its own short transaction for the batch row.
        batch = create_batch(
            actor=request.user,
            source=path,
            original_name=upload.name,
            org=form.cleaned_data.get("org"),
            fmt=form.cleaned_data.get("format") or None,
            mapping={str(k): str(v) for k, v in mapping.items()},
            initial_status=form.cleaned_data.get("initial_status") or None,
        )
    # Runs at once outside a transaction; inside one (tests, ATOMIC_REQUESTS) after its commit.
    transaction.on_commit(lambda: run_import.enqueue(batch.pk))
    messages.success(request, f"已上传 {upload.name}，正在后台导入")
    return batch


@login_required
def batch_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Batch page; HTMX polls the progress partial until the batch finishes."""
    batch = get_object_or_404(visible_batches(request.user), pk=pk)
    template = "ingest/_progress.html" if request.htmx else "ingest/detail.html"
    issues = batch.issues.order_by("-severity", "row_number")[:100]
    return render(request, template, {"batch": batch, "issues": issues})


@login_required
def batch_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The reject report (CSV, UTF-8 with BOM)."""
    batch = get_object_or_404(visible_batches(request.user), pk=pk)
    response = HttpResponse(reject_report_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-rejects.csv"'
    return response


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """导入模板: the XLSX with the importer's Chinese headers, an example row and instructions."""

    policies.require(request.user, "ingest.import")
    response = HttpResponse(
        template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E4%B8%93%E5%88%A9%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response
