"""The contract page's filing block (submit, record filed or refused, the CNIPA filing-form prefill as
XLSX) and its documents (upload with a size cap, download as an attachment)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.core.ids import MAX_PK
from patentbridge.core.spreadsheet import xlsx_sheets
from patentbridge.licensing.models import Document, LicenceFiling
from patentbridge.licensing.services import documents as doc_services
from patentbridge.licensing.services import filing as filing_services
from patentbridge.licensing.services.contract_states import is_licensee, is_manager
from patentbridge.licensing.views.contract import contract_queryset
from patentbridge.licensing.views.deal_common import flash_form_errors, run, visible_or_404
from patentbridge.licensing.views.forms_contract import DocumentForm, FiledForm, FilingSubmitForm, RefusedForm

__all__ = ["document_download", "document_upload", "filing_act", "filing_form_xlsx", "filing_rows"]

_FORMS = {"submit": FilingSubmitForm, "filed": FiledForm, "refused": RefusedForm}


@login_required
@require_POST
def filing_act(request: HttpRequest, pk: int, filing_pk: int, action: str) -> HttpResponse:
    """提交备案 / 登记备案号 / 登记不予备案 on one of the contract's filings."""
    policies.require(request.user, "licensing.view")
    contract = visible_or_404(contract_queryset(), request.user, pk)
    if action not in _FORMS:
        raise PermissionDenied("未知的备案操作")
    filing = (
        LicenceFiling.objects.filter(contract=contract, pk=filing_pk).first() if filing_pk < MAX_PK else None
    )
    if filing is None:
        raise Http404("未找到")
    form = _FORMS[action](request.POST, today=timezone.localdate(), prefix=action)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("licensing:contract", pk=contract.pk)
    data, user = form.cleaned_data, request.user
    if action == "submit":
        run(
            request,
            lambda: filing_services.submit_filing(user, filing, side=data["side"], on=data["on"]),
            "已登记提交备案",
        )
    elif action == "filed":
        run(
            request,
            lambda: filing_services.record_filed(
                user, filing, record_no=data["record_no"], filed_on=data["on"]
            ),
            "已登记备案号",
        )
    else:
        run(
            request,
            lambda: filing_services.record_refused(user, filing, reason=data["reason"], on=data["on"]),
            "已登记不予备案",
        )
    return redirect("licensing:contract", pk=contract.pk)


def filing_rows(form: dict[str, Any]) -> list[tuple[str, Any]]:
    """The prefill as (label, value) rows in the order of the CNIPA form."""
    licensor, licensee = form["licensor"], form["licensee"]
    rows: list[tuple[str, Any]] = [
        ("合同编号", form["contract_no"]),
        ("许可人（让与人）", licensor["name"]),
        ("许可人统一社会信用代码", licensor["uscc"]),
        ("许可人地址", licensor["address"]),
    ]
    for co in form["co_licensors"]:
        rows.append(("共有专利权人", f"{co['name']}（分成比例 {co['share'] or '未约定'}）"))
    for name in form.get("left_co_licensors", []):
        # Named so the filer sees why a co-owner of the signed contract is missing above.
        rows.append(("不再列为共有专利权人", f"{name}（其专利均已退出许可范围）"))
    rows += [
        ("被许可人（受让人）", licensee["name"]),
        ("被许可人统一社会信用代码", licensee["uscc"]),
        ("被许可人地址", licensee["address"]),
        ("许可类型", form["kind_label"]),
        ("地域范围", form["territory"]),
        ("实施领域", form["field_of_use"]),
        ("是否允许分许可", "是" if form["sublicence_allowed"] else "否"),
        ("许可期限", f"{form['start_date']} 至 {form['end_date']}"),
        ("免费试用结束日", form["trial_end"]),
        ("合同签订日", form["signed_at"]),
        ("使用费及支付方式", form["fee"]),
        ("专利件数", len(form["patents"])),
    ]
    for p in form.get("left_patents", []):
        rows.append(
            (
                "已退出许可范围的专利",
                f"{p['patent_no']} {p['title']}：{p['ended_on']} 起退出（{p['reason']}）",
            )
        )
    return rows


@login_required
def filing_form_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The CNIPA filing-form prefill (parties, patents with 专利号/申请日/授权公告日, kind, term)."""
    policies.require(request.user, "licensing.file")
    contract = visible_or_404(contract_queryset(), request.user, pk)
    # Generated today: a patent that has left the scope by now is not filed as licensed.
    form = filing_services.filing_form(contract, as_of=timezone.localdate())
    patents = [
        (p["patent_no"], p["title"], p["patent_type"], p["filing_date"], p["grant_date"], p["grant_number"])
        for p in form["patents"]
    ]
    content = xlsx_sheets(
        [
            ("备案信息", ["项目", "内容"], filing_rows(form), [24.0, 60.0]),
            (
                "专利清单",
                ["专利号", "专利名称", "专利类型", "申请日", "授权公告日", "授权公告号"],
                patents,
                None,
            ),
        ]
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="filing-{contract.pk}.xlsx"'
    return response


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document (any type, size-capped, hashed) for a party of the contract."""
    policies.require(request.user, "licensing.view")
    contract = visible_or_404(contract_queryset(), request.user, pk)
    if not (is_manager(request.user, contract) or is_licensee(request.user, contract)):
        raise PermissionDenied("只有合同当事人或运营人员可以上传文件")
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("licensing:contract", pk=contract.pk)
    run(
        request,
        lambda: doc_services.attach_document(
            request.user, contract, form.cleaned_data["file"], kind=form.cleaned_data["kind"]
        ),
        lambda d: f"已上传“{d.name}”（SHA-256 {d.sha256[:12]}…）",
    )
    return redirect("licensing:contract", pk=contract.pk)


@login_required
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    """Download a document of a contract the user may see (always as an attachment)."""
    policies.require(request.user, "licensing.view")
    contract = visible_or_404(contract_queryset(), request.user, pk)
    document = Document.objects.filter(contract=contract, pk=doc_pk).first() if doc_pk < MAX_PK else None
    if document is None:
        raise Http404("未找到")
    path = doc_services.document_path(document)
    if not path.is_file():
        raise Http404("文件已不存在")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=document.name, content_type="application/octet-stream"
    )
