"""REST API routes (money): the licensee's usage reports and a licence's receivables.

Same permissions as the pages: only the licensee's enterprise users report; whoever may see the
contract (licensor TTO, licensee, operators) reads its receivables. A refused report answers 422
with the rule's code and Chinese reason (the API's LicensingRefused handler)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from patentbridge.accounts import policies
from patentbridge.licensing.api.schemas_money import ReceivableOut, UsageReportIn, UsageResultOut
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import Receivable, UsageReport
from patentbridge.licensing.services.money import COMPONENT_LABELS, display_label, outstanding, overdue_days
from patentbridge.licensing.services.money_queries import get_contract
from patentbridge.licensing.services.money_usage import submit_usage_report

__all__ = ["receivable_out", "router"]

router = Router(tags=["许可"])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def receivable_out(r: Receivable, as_of: dt.date) -> dict[str, Any]:
    """A receivable as the API shows it (amounts as strings, Chinese labels beside the codes)."""
    lines = (r.inputs.get("computation") or {}).get("lines") or []
    return {
        "id": r.pk,
        "component": r.component,
        "component_label": COMPONENT_LABELS.get(r.component, r.component),
        "label": display_label(r),
        "period_start": r.period_start,
        "period_end": r.period_end,
        "due_date": r.due_date,
        "amount_due": _text(r.amount_due),
        "amount_paid": str(r.amount_paid),
        "outstanding": _text(outstanding(r)),
        "state": r.state,
        "state_label": r.get_state_display(),
        "days_overdue": overdue_days(r, as_of),
        "computation": [[str(a), str(b)] for a, b in lines],
    }


def _report_out(report: UsageReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "period_label": report.period_label,
        "period_start": report.period_start,
        "period_end": report.period_end,
        **{
            k: _text(getattr(report, k))
            for k in ("units", "sales", "net_sales", "profit", "new_output_value")
        },
    }


def _period(raw: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw)[:10]) if raw else dt.date.min
    except ValueError:
        raise LicensingRefused("USAGE_PERIOD", "报告期开始日格式应为 YYYY-MM-DD") from None


@router.post(
    "/licences/{contract_id}/usage-reports",
    response=UsageResultOut,
    summary="提交使用情况报告（被许可企业）",
)
def post_usage_report(request: HttpRequest, contract_id: str, payload: UsageReportIn) -> dict[str, Any]:
    contract = get_contract(request.user, contract_id)
    policies.require(request.user, "licensing.report_usage")
    if not payload.period_start:
        raise LicensingRefused("USAGE_PERIOD", "请填写报告期开始日 period_start（YYYY-MM-DD）")
    note = payload.note if isinstance(payload.note, str) else ""
    report = submit_usage_report(
        request.user,
        contract,
        period_start=_period(payload.period_start),
        values=payload.model_dump(exclude={"period_start", "note"}),
        note=note,
        on=timezone.localdate(),
    )
    receivable = Receivable.objects.filter(usage_report=report).first()
    today = timezone.localdate()
    return {
        "report": _report_out(report),
        "receivable": receivable_out(receivable, today) if receivable else None,
    }


@router.get("/licences/{contract_id}/receivables", response=list[ReceivableOut], summary="许可合同的应收款")
def list_receivables(request: HttpRequest, contract_id: str) -> list[dict[str, Any]]:
    policies.require(request.user, "licensing.view")
    contract = get_contract(request.user, contract_id)
    today = timezone.localdate()
    return [receivable_out(r, today) for r in contract.receivables.order_by("due_date", "pk")]
