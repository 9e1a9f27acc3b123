"""The contract page (``/licensing/contracts/<id>/``): header, timeline, rule-check results, the
action buttons ``contracts.allowed_actions`` offers (each posting to ``contract_act``, which calls
the service), the filing block, documents and the panels other licensing modules register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.licensing.choices import ContractStateChoices
from patentbridge.licensing.models import LicenceContract
from patentbridge.licensing.services import contracts
from patentbridge.licensing.services.contract_actions import ACTION_EVENTS, ActionInput, run_action
from patentbridge.licensing.services.contract_states import ACTION_LABELS, is_licensee, is_manager
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge.licensing.services.documents import DOCUMENT_KINDS, MAX_DOCUMENT_BYTES
from patentbridge.licensing.services.scope import contract_scope
from patentbridge.licensing.views.deal_common import flash_form_errors, run, visible_or_404
from patentbridge.licensing.views.forms_contract import (
    DocumentForm,
    FiledForm,
    FilingSubmitForm,
    RefusedForm,
    action_form,
)
from patentbridge.licensing.views.forms_fee import FeeScheduleForm
from patentbridge_engine.licensing.fees import FeeSchedule
from patentbridge_engine.licensing.states import ContractState, is_terminal

__all__ = ["contract_act", "contract_detail", "contract_queryset", "step_label"]

_PRE_SIGN = ("draft", "in_approval", "approved", "public_notice")
_STATE_LABELS = dict(ContractStateChoices.choices)


def contract_queryset() -> Any:
    return LicenceContract.objects.select_related("licensor_org", "licensee_org", "offer", "application")


def step_label(event: str) -> str:
    """A timeline entry's Chinese name (「提交审批」, 「新建草稿」…)."""
    label = ACTION_LABELS.get(f"licensing.contract.{event}", "")
    return label.split("：", 1)[-1] if label else "其他操作"


def _findings(contract: LicenceContract, today: dt.date) -> tuple[list[Any], str]:
    """The rule check to show: before signing the signing check; while live the filing check."""
    if is_terminal(ContractState(contract.state)):
        return [], ""
    pre = contract.state in _PRE_SIGN
    verdict = contracts.check_contract(contract, as_of=today, for_filing=not pre)
    return list(verdict.findings), ("签订前检查" if pre else "备案检查")


def _filings(contract: LicenceContract, user: Any, today: dt.date) -> list[dict[str, Any]]:
    may_file = policies.can(user, "licensing.file") and (
        is_manager(user, contract) or is_licensee(user, contract)
    )
    out = []
    for f in contract.filings.all().order_by("due_date", "pk"):
        out.append(
            {
                "filing": f,
                "days_left": (f.due_date - today).days,
                "may_submit": may_file and f.state in ("due", "refused"),
                "may_record": may_file and f.state == "submitted",
            }
        )
    return out


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """许可合同: everything about one contract the user may see."""
    policies.require(request.user, "licensing.view")
    contract = visible_or_404(contract_queryset(), request.user, pk)
    today = timezone.localdate()
    findings, check_label = _findings(contract, today)
    actions = contracts.allowed_actions(request.user, contract)
    party = is_manager(request.user, contract) or is_licensee(request.user, contract)
    # Rule L11: an operator confirms an out-of-region licence once — here, unless the publisher
    # already confirmed the application it came from.
    application = contract.application
    needs_region = (
        policies.is_platform_wide(request.user)
        and any(f.code == "L11" for f in findings)
        and not (application is not None and application.region_confirmed_by_id is not None)
        and not contract.steps.filter(event="region_confirmed").exists()
    )
    # A free licence in force is 实施中（免费） in its timeline as in its header.
    state_labels = (
        {**_STATE_LABELS, "active_paid": contract.state_label}
        if contract.state == "active_paid"
        else _STATE_LABELS
    )
    return render(
        request,
        "licensing/deals/contract_detail.html",
        {
            "contract": contract,
            "patents": list(contract.patents.order_by("application_number")),
            # Co-patentees still granting today; one whose patents all left the scope is named apart.
            "scope": contract_scope(contract, as_of=today),
            "licensee_region": region_label(contract.licensee_org.region_code),
            "fee_text": FeeSchedule.from_dict(contract.fee_schedule).describe()
            if contract.fee_schedule
            else "",
            "timeline": [
                (
                    s,
                    step_label(s.event),
                    state_labels.get(s.from_state, ""),
                    state_labels.get(s.to_state, ""),
                )
                for s in contracts.transition_log(contract)
            ],
            "findings": findings,
            "check_label": check_label,
            "actions": [(event, label, action_form(event, today=today)) for event, label in actions],
            # New paid terms are entered by the licensor side only (the licensee converts as agreed).
            "convert_fee": FeeScheduleForm(prefix="fee")
            if any(e == "convert" for e, _ in actions) and is_manager(request.user, contract)
            else None,
            "needs_region_confirmation": needs_region,
            "notice": getattr(contract, "public_notice", None),
            "filings": _filings(contract, request.user, today),
            "filing_forms": {
                # The side that files is preset to the viewer's own side (an enterprise files as 被许可方).
                "submit": FilingSubmitForm(
                    today=today,
                    prefix="submit",
                    initial={"side": "licensee" if is_licensee(request.user, contract) else "licensor"},
                ),
                "filed": FiledForm(today=today, prefix="filed"),
                "refused": RefusedForm(today=today, prefix="refused"),
            },
            "documents": contract.documents.select_related("uploaded_by"),
            "document_kinds": DOCUMENT_KINDS,
            "document_form": DocumentForm() if party else None,
            "max_mb": MAX_DOCUMENT_BYTES // (1024 * 1024),
            "today": today,
        },
    )


@login_required
@require_POST
def contract_act(request: HttpRequest, pk: int, event: str) -> HttpResponse:
    """Run one contract action through its service; a refusal is flashed with its reason and rule."""
    policies.require(request.user, "licensing.view")
    contract = visible_or_404(contract_queryset(), request.user, pk)
    if event not in ACTION_EVENTS:
        raise PermissionDenied("未知的合同操作")
    today = timezone.localdate()
    form = action_form(event, request.POST, today=today)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("licensing:contract", pk=contract.pk)
    schedule = None
    if event == "convert":
        fee = FeeScheduleForm(request.POST, prefix="fee")
        if not fee.is_valid():
            flash_form_errors(request, fee)
            return redirect("licensing:contract", pk=contract.pk)
        schedule = fee.schedule or None
    data = form.cleaned_data
    action = ActionInput(
        on=data["on"],
        note=data.get("note", "") or "",
        reason=data.get("reason", "") or "",
        reason_code=data.get("reason_code", "") or "",
        months=data.get("months"),
        result_name=data.get("result_name", "") or "",
        proposed_price=data.get("proposed_price", "") or "",
        objections=data.get("objections", "") or "",
        fee_schedule=schedule,
    )
    label = dict(contracts.allowed_actions(request.user, contract)).get(event) or step_label(event)
    run(request, lambda: run_action(request.user, contract, event, action), f"已办理：{label}")
    return redirect("licensing:contract", pk=contract.pk)
