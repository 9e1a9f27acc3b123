"""REST API routes (open licences), with the same permissions as the pages:

* ``GET /open-licences`` — the public catalogue with the page's filters; anonymous callers allowed;
* ``GET /open-licences/{id}`` — one declaration (public when published, else its declarant side);
* ``POST /open-licences`` — a TTO declares on its own patent (operators on mandate): draft + self-check;
  a blocking finding answers 422 with the rule's code and Chinese reason and stores nothing;
* ``POST /open-licences/{id}/publish`` — record CNIPA's announcement (submission first if needed);
* ``POST /open-licences/{id}/accept`` — an enterprise's written notice → an ordinary licence;
* ``POST /open-licences/{id}/withdraw`` — withdrawal with a reason (and its announcement date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from patentbridge.accounts import policies
from patentbridge.accounts.models import ApiToken
from patentbridge.accounts.tokens import touch_token
from patentbridge.core.ids import MAX_PK
from patentbridge.licensing.api.schemas_open import (
    AcceptIn,
    AcceptOut,
    DeclarationIn,
    DeclarationOut,
    OpenListOut,
    PublishIn,
    WithdrawIn,
    parse_bool,
    parse_date,
    parse_int,
    parse_names,
    parse_text,
)
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import OpenLicenceAcceptance, OpenLicenceDeclaration
from patentbridge.licensing.services import open_licence
from patentbridge.patents.filters import page_number
from patentbridge.patents.queries import get_patent

__all__ = ["PUBLIC_AUTH", "declaration_out", "router"]

router = Router(tags=["开放许可"])


class _TokenIfGiven(HttpBearer):
    """A bearer token, when one is sent (the same lookup as ``patentbridge.api.auth.TokenAuth``,
    which this app cannot import: it sits below ``patentbridge.api``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "user__membership")
            .filter(key_hash=ApiToken.hash_key(token))
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        touch_token(found)
        request.user = found.user
        return found.user


def _anyone(request: HttpRequest) -> bool:
    """Anonymous callers pass too: the public routes show them public facts only."""
    return True


# The public routes: the browser session or a bearer token when given (so a declarant sees its own
# drafts), else anonymous.
PUBLIC_AUTH = [SessionAuth(), _TokenIfGiven(), _anyone]
MAX_PAGE_SIZE = 100


def _today() -> dt.date:
    return timezone.localdate()


def declaration_out(decl: OpenLicenceDeclaration, *, internal: bool = True) -> dict[str, Any]:
    """A declaration as the API shows it: to its declarant side (``internal``) with the self-check
    findings, the origin and the withdrawal in progress; to everyone else only what was published
    (a withdrawal not yet announced is not public, the declaration reads as published)."""
    public = decl.state in open_licence.IN_FORCE and decl.published_at is not None
    out = {
        "id": decl.pk,
        "version": decl.version,
        "state": decl.state,
        "state_label": decl.get_state_display(),
        "application_number": decl.patent.application_number,
        "title": decl.patent.title,
        "declarant": decl.declarant_org.name,
        "patentees": list(decl.patentees or []),
        "signed_by": list(decl.signed_by or []),
        "fee_schedule": dict(decl.fee_schedule or {}),
        "fee": open_licence.describe_fee(decl),
        "fee_type": open_licence.fee_type(decl.fee_schedule),
        "fee_text": decl.fee_text,
        "term_kind": decl.term_kind,
        "term": open_licence.describe_term(decl),
        "term_years": decl.term_years,
        "term_until": decl.term_until,
        "other_terms": decl.other_terms,
        "contact": decl.contact,
        "origin": decl.origin,
        "submitted_at": decl.submitted_at,
        "published_at": decl.published_at,
        "announcement_no": decl.announcement_no,
        "withdrawal_reason": decl.withdrawal_reason if decl.withdrawal_published_at else "",
        "withdrawal_submitted_at": decl.withdrawal_submitted_at,
        "withdrawal_published_at": decl.withdrawal_published_at,
        "findings": [
            {k: f.get(k, "") for k in ("code", "severity", "reason", "source", "patent")}
            for f in decl.check_result or []
        ],
        "public_url": reverse("licensing:open_detail", args=[decl.pk]) if public else "",
    }
    if not internal:
        out.update(
            state="published",
            state_label="已公告",
            origin="",
            submitted_at=None,
            withdrawal_reason="",
            withdrawal_submitted_at=None,
            withdrawal_published_at=None,
            findings=[],
        )
    return out


def _key(pk: int) -> int:
    if not 0 < pk < MAX_PK:
        raise Http404
    return pk


def _managed(request: HttpRequest, pk: int) -> OpenLicenceDeclaration:
    found = open_licence.declarations_for(request.user, "change").filter(pk=_key(pk)).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/open-licences", response=OpenListOut, auth=PUBLIC_AUTH, summary="专利开放许可目录（公开，无需登录）"
)
def list_open_licences(request: HttpRequest, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    """Published declarations, filtered like the page: q, chain, grade, ipc, patent_type, fee_type
    (free/fixed/royalty), university (organisation id). An invalid filter value answers 400."""
    flt, problems = open_licence.CatalogueFilter.from_mapping(request.GET)
    if problems:
        raise HttpError(400, "；".join(problems.values()))
    paginator = Paginator(open_licence.public_declarations(flt), max(1, min(page_size, MAX_PAGE_SIZE)))
    current = paginator.get_page(page_number(page))
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": paginator.per_page,
        "results": open_licence.page_rows(current.object_list),
    }


@router.get("/open-licences/{pk}", response=DeclarationOut, auth=PUBLIC_AUTH, summary="一份开放许可声明")
def get_open_licence(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Public when published; otherwise only its declarant side (and operators) see it."""
    mine = open_licence.declarations_for(request.user, "change").filter(pk=_key(pk)).first()
    if mine is not None:
        return declaration_out(mine)
    found = open_licence.public_declarations().filter(pk=pk).first()
    if found is None:
        raise Http404
    return declaration_out(found, internal=False)


@router.post("/open-licences", response={201: DeclarationOut}, summary="声明开放许可（起草并自检）")
def create_open_licence(request: HttpRequest, payload: DeclarationIn) -> Status[dict[str, Any]]:
    policies.require(request.user, "licensing.declare")
    number = parse_text(payload.application_number, "application_number", "申请号", 40).strip()
    if not number:
        raise ValidationError({"application_number": "请填写申请号"})
    patent = get_patent(request.user, number)
    if not isinstance(payload.fee_schedule, dict):
        raise ValidationError(
            {"fee_schedule": 'fee_schedule 须为许可使用费对象，例如 {"free": true, "components": []}'}
        )
    data = open_licence.DeclarationInput(
        fee_schedule=payload.fee_schedule,
        fee_text=parse_text(payload.fee_text, "fee_text", "许可使用费说明", 300),
        term_kind=parse_text(payload.term_kind, "term_kind", "许可期限类型", 30),
        term_years=parse_int(payload.term_years, "term_years", "许可年限"),
        term_until=parse_date(payload.term_until, "term_until", "许可期限截止日"),
        other_terms=parse_text(payload.other_terms, "other_terms", "其他事项", 5000),
        signed_by=parse_names(payload.signed_by),
        evaluation_report_no=parse_text(
            payload.evaluation_report_no, "evaluation_report_no", "评价报告编号", 40
        ),
        evaluation_issued_at=parse_date(
            payload.evaluation_issued_at, "evaluation_issued_at", "评价报告出具日"
        ),
        evaluation_conclusion=parse_text(
            payload.evaluation_conclusion, "evaluation_conclusion", "评价报告结论", 20
        ),
        pledgee_consent=parse_bool(payload.pledgee_consent, "pledgee_consent", "质权人同意"),
        contact=parse_text(payload.contact, "contact", "联系方式", 200),
        origin=parse_text(payload.origin, "origin", "来源", 20) or "platform",
    )
    as_of = parse_date(payload.as_of, "as_of", "自检日期", _today())
    assert as_of is not None
    decl, _ = open_licence.declare(request.user, patent, data, on=as_of)
    return Status(201, declaration_out(decl))


@router.post("/open-licences/{pk}/publish", response=DeclarationOut, summary="登记国家知识产权局公告")
def publish_open_licence(request: HttpRequest, pk: int, payload: PublishIn) -> dict[str, Any]:
    policies.require(request.user, "licensing.declare")
    decl = _managed(request, pk)
    published = parse_date(payload.published_at, "published_at", "公告日期")
    if published is None:
        raise ValidationError({"published_at": "请填写公告日期"})
    submitted = parse_date(payload.submitted_at, "submitted_at", "提交日期", published)
    assert submitted is not None
    if decl.state == "checked":
        open_licence.submit_declaration(request.user, decl, on=submitted)
    number = parse_text(payload.announcement_no, "announcement_no", "公告号", 40)
    open_licence.record_publication(request.user, decl, published_at=published, announcement_no=number)
    decl.refresh_from_db()
    return declaration_out(decl)


def _acceptance_out(acc: OpenLicenceAcceptance) -> dict[str, Any]:
    contract = acc.contract
    assert contract is not None
    filing = contract.filings.filter(kind="initial").first()
    return {
        "acceptance_id": acc.pk,
        "state": acc.state,
        "state_label": acc.get_state_display(),
        "declaration_id": acc.declaration_id,
        "licensee": acc.licensee_org.name,
        "notified_at": acc.notified_at,
        "contract_id": contract.pk,
        "contract_no": contract.contract_no,
        "contract_state": contract.state,
        "contract_state_label": contract.get_state_display(),
        "effective_at": contract.effective_at,
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "filing_due": filing.due_date if filing else None,
    }


@router.post("/open-licences/{pk}/accept", response={201: AcceptOut}, summary="接受开放许可（书面通知）")
def accept_open_licence(request: HttpRequest, pk: int, payload: AcceptIn) -> Status[dict[str, Any]]:
    policies.require(request.user, "licensing.accept")
    decl = (
        OpenLicenceDeclaration.objects.select_related("patent", "declarant_org")
        .filter(pk=_key(pk), published_at__isnull=False)
        .first()
    )
    if decl is None:
        raise Http404
    today = _today()
    notified = parse_date(payload.notified_at, "notified_at", "书面通知日期", today)
    assert notified is not None
    if notified > today:
        raise ValidationError({"notified_at": f"书面通知日期不能晚于今天（{today}）"})
    acc = open_licence.accept_declaration(
        request.user,
        decl,
        notified_at=notified,
        intended_use=parse_text(payload.intended_use, "intended_use", "拟实施用途", 2000),
    )
    return Status(201, _acceptance_out(acc))


@router.post("/open-licences/{pk}/withdraw", response=DeclarationOut, summary="撤回开放许可声明")
def withdraw_open_licence(request: HttpRequest, pk: int, payload: WithdrawIn) -> dict[str, Any]:
    policies.require(request.user, "licensing.declare")
    decl = _managed(request, pk)
    today = _today()
    submitted = parse_date(payload.submitted_at, "submitted_at", "撤回申请日期", today)
    published = parse_date(payload.published_at, "published_at", "撤回公告日期")
    assert submitted is not None
    if decl.state == "published":
        open_licence.request_withdrawal(
            request.user,
            decl,
            on=submitted,
            reason=parse_text(payload.reason, "reason", "撤回理由", 2000),
            coowners_consent=parse_bool(payload.coowners_consent, "coowners_consent", "全体专利权人同意"),
        )
    elif published is None:
        raise LicensingRefused("STATE", f"开放许可声明当前状态为「{decl.get_state_display()}」，不能申请撤回")
    if published is not None:
        open_licence.record_withdrawal_published(request.user, decl, published_at=published, on=today)
    decl.refresh_from_db()
    return declaration_out(decl)
