"""The declarant's open-licence pages (TTO of the patentee, or an operator on its mandate): the
declaration form (prefilled from the patent, or from the public implementation list's "open
licence" route), its management page with every self-check finding, and the CNIPA steps —
submission, publication, return, withdrawal and its announcement. Every change goes through
``services.open_licence``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import OpenLicenceDeclaration
from patentbridge.licensing.services import open_licence
from patentbridge.licensing.services.open_documents import (
    DECLARATION_DOCUMENT_KINDS,
    attach_declaration_document,
    declaration_document_path,
)
from patentbridge.licensing.views.deal_common import form_errors, refused_text, run, visible_or_404
from patentbridge.licensing.views.forms_fee import fee_initial
from patentbridge.licensing.views.forms_open import (
    DeclarationForm,
    OpenFeeForm,
    PublishForm,
    ReturnForm,
    SubmitForm,
    WithdrawalPublishedForm,
    WithdrawForm,
)
from patentbridge.patents.queries import get_patent

__all__ = ["declaration_act", "declaration_edit", "declaration_new", "document_download", "manage"]


def _today() -> dt.date:
    return timezone.localdate()


def _decl(request: HttpRequest, pk: int, action: str = "view") -> OpenLicenceDeclaration:
    qs = OpenLicenceDeclaration.objects.select_related("patent", "declarant_org", "created_by")
    return visible_or_404(qs, request.user, pk, action)


def _initial(decl: OpenLicenceDeclaration | None, origin: str) -> dict[str, Any]:
    if decl is None:
        return {"term_kind": "until_patent_expiry", "origin": origin}
    fields = ("fee_text", "term_kind", "term_years", "term_until", "other_terms", "evaluation_report_no")
    values = {f: getattr(decl, f) for f in fields}
    values.update(
        evaluation_issued_at=decl.evaluation_issued_at,
        evaluation_conclusion=decl.evaluation_conclusion,
        pledgee_consent=decl.pledgee_consent,
        contact=decl.contact,
        origin=decl.origin,
    )
    return values


def _input(form: DeclarationForm, fee: OpenFeeForm) -> open_licence.DeclarationInput:
    data = form.cleaned_data
    return open_licence.DeclarationInput(
        fee_schedule=fee.schedule,
        fee_text=data["fee_text"],
        term_kind=data["term_kind"],
        term_years=data["term_years"],
        term_until=data["term_until"],
        other_terms=data["other_terms"],
        signed_by=tuple(form.signed_by()),
        evaluation_report_no=data["evaluation_report_no"],
        evaluation_issued_at=data["evaluation_issued_at"],
        evaluation_conclusion=data["evaluation_conclusion"],
        pledgee_consent=data["pledgee_consent"],
        contact=data["contact"],
        origin=data.get("origin") or "platform",
    )


def _attach_uploads(request: HttpRequest, decl: OpenLicenceDeclaration, form: DeclarationForm) -> None:
    uploads = [("coowner_consent", name, f) for name, f in form.consent_files()]
    if form.cleaned_data.get("pledgee_doc"):
        uploads.append(("pledgee_consent", "质权人", form.cleaned_data["pledgee_doc"]))
    for kind, note, upload in uploads:

        def attach(kind: str = kind, note: str = note, upload: Any = upload) -> Any:
            return attach_declaration_document(request.user, decl, upload, kind=kind, note=note)

        run(request, attach)


def _form_page(
    request: HttpRequest, patent: Any, decl: OpenLicenceDeclaration | None, origin: str = "platform"
) -> HttpResponse:
    """The declaration form (new or edit): save, attach the consent files, run the self-check."""
    today = _today()
    patentees = open_licence.current_patentees(patent, today)
    own = patent.owner_org.name if patent.owner_org else ""
    initial = _initial(decl, origin)
    if decl is not None:
        signed = set(decl.signed_by or [])
        initial.update({f"signed_{i}": n in signed for i, n in enumerate(patentees)})
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = DeclarationForm(post, files, patentees=patentees, own_name=own, initial=initial)
    fee = OpenFeeForm(post, prefix="fee", initial=fee_initial(decl.fee_schedule if decl else None))
    if post is not None and form.is_valid() and fee.is_valid():
        data = _input(form, fee)
        try:
            if decl is None:
                saved = open_licence.draft_declaration(request.user, patent, data, on=today)
            else:
                saved = open_licence.update_draft(request.user, decl, data, on=today)
        except ValidationError as exc:
            form_errors(form, exc)
        except LicensingRefused as exc:
            form.add_error(None, refused_text(exc))
        else:
            _attach_uploads(request, saved, form)
            verdict = open_licence.check_declaration(saved, today, actor=request.user)
            if verdict.allowed:
                messages.success(request, "声明已保存，自检通过，可以提交国家知识产权局")
            else:
                messages.error(request, "声明已保存为草稿，自检发现不能声明的情形，请按下方理由处理")
            return redirect("licensing:open_manage", pk=saved.pk)
    return render(
        request,
        "licensing/open/form.html",
        {"form": form, "fee": fee, "patent": patent, "decl": decl, "patentees": patentees, "own": own},
    )


@login_required
def declaration_new(request: HttpRequest) -> HttpResponse:
    """声明开放许可 for ``?patent=<application number>`` (``&origin=public_list`` from the list's route)."""
    policies.require(request.user, "licensing.declare")
    number = (request.GET.get("patent") or request.POST.get("patent") or "").strip()[:40]
    if not number:
        messages.error(request, "请从专利页面点击“声明开放许可”，或在地址中指明专利申请号")
        return redirect("licensing:open_mine")
    patent = get_patent(request.user, number)
    open_licence.may_declare(request.user, patent)
    origin = "public_list" if request.GET.get("origin") == "public_list" else "platform"
    return _form_page(request, patent, None, origin)


@login_required
def declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decl = _decl(request, pk, "change")
    open_licence.may_declare(request.user, decl.patent)
    if decl.state not in open_licence.EDITABLE_STATES:
        messages.error(request, "已提交或已公告的声明不能修改；如需变更请先撤回再重新声明")
        return redirect("licensing:open_manage", pk=decl.pk)
    return _form_page(request, decl.patent, decl)


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The declaration with its findings, documents, CNIPA steps and acceptances."""
    decl = _decl(request, pk)
    today = _today()
    may_act = open_licence.declarations_for(request.user, "change").filter(pk=decl.pk).exists()
    if not may_act:
        # The self-check findings and CNIPA steps are the declarant side's; others read the
        # public page of the declaration.
        return redirect("licensing:open_detail", pk=decl.pk)
    acceptances = list(open_licence.acceptances_for(request.user).filter(declaration=decl))
    return render(
        request,
        "licensing/open/manage.html",
        {
            "decl": decl,
            "fee_text": open_licence.describe_fee(decl),
            "term_text": open_licence.describe_term(decl),
            "findings": decl.check_result or [],
            "blocked": any(f.get("severity") == "block" for f in decl.check_result or []),
            "may_act": may_act,
            "documents": decl.documents.all() if may_act else [],
            "document_kinds": DECLARATION_DOCUMENT_KINDS,
            "acceptances": acceptances,
            "forms": {
                "submit": SubmitForm(initial={"on": today}, prefix="submit"),
                "publish": PublishForm(initial={"published_at": today}, prefix="publish"),
                "return": ReturnForm(initial={"on": today}, prefix="return"),
                "withdraw": WithdrawForm(initial={"on": today}, prefix="withdraw"),
                "withdrawal_published": WithdrawalPublishedForm(
                    initial={"published_at": today}, prefix="withdrawal_published"
                ),
                "withdrawal_refused": SubmitForm(initial={"on": today}, prefix="withdrawal_refused"),
            },
            "editable": decl.state in open_licence.EDITABLE_STATES,
            "ref": open_licence.declaration_ref(decl),
        },
    )


def _date_error(request: HttpRequest, form: Any) -> None:
    errors = "；".join(
        f"{form.fields[k].label}：{'，'.join(v)}" for k, v in form.errors.items() if k in form.fields
    )
    messages.error(request, errors or "请检查填写的内容")


@login_required
@require_POST
def declaration_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One CNIPA step or the self-check, from the management page's forms."""
    decl = _decl(request, pk, "change")
    user, today = request.user, _today()
    if action == "check":
        verdict = open_licence.check_declaration(decl, today, actor=user)
        if verdict.allowed:
            messages.success(request, "自检通过")
        else:
            messages.error(request, "自检未通过：" + "；".join(f.reason for f in verdict.blocks))
        return redirect("licensing:open_manage", pk=decl.pk)
    forms = {
        "submit": SubmitForm,
        "publish": PublishForm,
        "return": ReturnForm,
        "withdraw": WithdrawForm,
        "withdrawal_published": WithdrawalPublishedForm,
        "withdrawal_refused": SubmitForm,
    }
    if action not in forms:
        messages.error(request, "未知的操作")
        return redirect("licensing:open_manage", pk=decl.pk)
    form = forms[action](request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        _date_error(request, form)
        return redirect("licensing:open_manage", pk=decl.pk)
    data = form.cleaned_data
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "submit": (
            lambda: open_licence.submit_declaration(user, decl, on=data["on"]),
            "已记录提交国家知识产权局",
        ),
        "publish": (
            lambda: open_licence.record_publication(
                user, decl, published_at=data["published_at"], announcement_no=data["announcement_no"]
            ),
            "已记录公告，声明进入公开的开放许可目录",
        ),
        "return": (
            lambda: open_licence.record_return(user, decl, on=data["on"], reason=data["reason"]),
            "已记录退回，可修改后重新提交",
        ),
        "withdraw": (
            lambda: open_licence.request_withdrawal(
                user, decl, on=data["on"], reason=data["reason"], coowners_consent=data["coowners_consent"]
            ),
            "已记录撤回申请；撤回自公告之日起生效，此前已获得的许可不受影响",
        ),
        "withdrawal_published": (
            lambda: open_licence.record_withdrawal_published(
                user, decl, published_at=data["published_at"], on=today
            ),
            "已记录撤回公告日期",
        ),
        "withdrawal_refused": (
            lambda: open_licence.record_withdrawal_refused(user, decl, on=data["on"]),
            "已记录撤回未获准，声明继续有效",
        ),
    }
    call, success = calls[action]
    done, _ = run(request, call, success)
    if done and action == "withdraw" and data.get("consent_doc"):
        run(
            request,
            lambda: attach_declaration_document(user, decl, data["consent_doc"], kind="withdrawal_consent"),
        )
    return redirect("licensing:open_manage", pk=decl.pk)


@login_required
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    """A declaration's document, for the declarant side only, always as a download."""
    decl = _decl(request, pk, "change")
    document = get_object_or_404(decl.documents, pk=doc_pk)
    try:
        handle = declaration_document_path(document).open("rb")
    except OSError as exc:  # the record survives but the file was removed from the data directory
        raise Http404("文件已不在存储目录中，请重新上传。") from exc
    return FileResponse(handle, as_attachment=True, filename=document.name)
