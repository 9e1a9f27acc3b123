"""The deal pipeline board (``/licensing/``) for operators and TTOs, and the enterprise's
我的试用与许可 (``/licensing/mine/``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.accounts.models import Organization
from patentbridge.core.restrict import restrict
from patentbridge.licensing.choices import ContractStateChoices
from patentbridge.licensing.models import ContractPatent, LicenceApplication, LicenceContract
from patentbridge.licensing.services import filing as filing_services
from patentbridge.licensing.services import money, pipeline
from patentbridge.licensing.services.applications import offers_for_patent
from patentbridge.licensing.services.deal_filter import DEAL_FILTER_PARAMS, DealFilter, deal_filter_problems
from patentbridge.licensing.services.deal_regions import region_label, region_prefix
from patentbridge.licensing.views.deal_common import optional_url
from patentbridge.matching.choices import FeedbackChoices
from patentbridge.matching.models import MatchItem
from patentbridge.matching.queries import restrict_items
from patentbridge.patents.models import IndustryChain
from patentbridge_engine.licensing.fees import FeeSchedule

__all__ = ["board", "mine"]

_C = ContractStateChoices
_TRIAL_STATES = (_C.ACTIVE_TRIAL, _C.CONVERSION_DUE)
# Money pages of the money module, linked only once their URL names exist (an enterprise-wide
# payables page is not there yet; each contract page carries its receivables and usage reports).
_MONEY_LINKS = (("licensing:money_payables", "应付款项与付款记录"),)
# Rows of the "what it owes" table: the nearest due first.
_OWED_ROWS = 20
# Open receivables read to fill it (future royalty periods are skipped, so read more than shown).
_SCANNED = 500


def _owed(user: Any, today: dt.date) -> list[dict[str, Any]]:
    """What the enterprise owes on its licences, nearest due first: known amounts still unpaid, and
    royalty periods already over whose usage report is still missing (a period still running
    owes nothing yet)."""
    rows: list[dict[str, Any]] = []
    items = money.visible_receivables(user).filter(state__in=money.OPEN_STATES).order_by("due_date", "pk")
    for r in items[:_SCANNED]:
        owed = money.outstanding(r)
        if owed is None and (r.period_end is None or r.period_end >= today):
            continue
        label = money.display_label(r)
        component = money.COMPONENT_LABELS.get(r.component, r.component)
        rows.append(
            {
                "contract": r.contract,
                "label": label if label.startswith(component) else f"{component} · {label}",
                "due_date": r.due_date,
                "owed": money.cny(owed),
                "awaiting_report": owed is None,
                "overdue_days": money.overdue_days(r, today),
            }
        )
        if len(rows) == _OWED_ROWS:
            break
    return rows


def _filter_options(user: Any) -> dict[str, Any]:
    """What the board's filter selects offer: licensors and licensee regions the user can see."""
    contracts = restrict(LicenceContract.objects.all(), user)
    apps = restrict(LicenceApplication.objects.all(), user)
    org_ids = set(contracts.values_list("licensor_org_id", flat=True)) | set(
        apps.values_list("offer__publisher_org_id", flat=True)
    )
    codes = set(contracts.values_list("licensee_org__region_code", flat=True)) | set(
        apps.values_list("applicant_org__region_code", flat=True)
    )
    counties = sorted({region_prefix(c) for c in codes if c})
    return {
        "universities": Organization.objects.filter(pk__in=org_ids).order_by("name"),
        "counties": [(c, region_label(c)) for c in counties],
        "chains": IndustryChain.objects.all(),
    }


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """交易看板: columns by stage with counts, filters by university, county and chain, and the
    conversion funnel over the same filtered set. Enterprises are sent to their own page."""
    if policies.can(request.user, "licensing.apply"):
        return redirect("licensing:mine")
    policies.require(request.user, "licensing.pipeline")
    for problem in deal_filter_problems(request.GET).values():
        messages.warning(request, problem)
    flt = DealFilter.from_mapping(request.GET)
    today = timezone.localdate()
    context = {
        "board": pipeline.board(request.user, flt, as_of=today),
        "funnel": pipeline.funnel(pipeline.visible_contracts(request.user, flt)),
        "filter": flt,
        "labels": DEAL_FILTER_PARAMS,
        "today": today,
        "may_offer": policies.can(request.user, "licensing.offer"),
        **_filter_options(request.user),
    }
    template = (
        "licensing/deals/_board.html" if getattr(request, "htmx", False) else "licensing/deals/board.html"
    )
    return render(request, template, context)


def _trial_outlook(contract: LicenceContract, today: dt.date) -> dict[str, Any]:
    """Days left and what happens when the trial ends, in the enterprise's words."""
    left = (contract.trial_end - today).days if contract.trial_end else None
    fee = FeeSchedule.from_dict(contract.fee_schedule).describe() if contract.fee_schedule else ""
    if contract.state == _C.CONVERSION_DUE:
        outcome = "试用期已满：请在合同页确认转为付费许可或结束试用"
    elif contract.conversion_mode == "negotiate" or not fee:
        outcome = "试用期满后与许可方协商付费条件；不转化则试用结束、停止实施"
    else:
        outcome = f"试用期满后按约定转为付费许可：{fee}"
    if contract.usage_report_required:
        outcome += "；试用结束时须提交使用情况报告"
    return {"contract": contract, "days_left": left, "outcome": outcome}


def _interest_items(user: Any) -> list[tuple[Any, Any]]:
    """Pushed patents the enterprise marked 有意向 that a published offer can licence, without an
    application yet: (item, offer) for the one-click trial button."""
    items = (
        restrict_items(MatchItem.objects.select_related("need", "patent"), user)
        .filter(feedback=FeedbackChoices.INTERESTED)
        .exclude(licence_applications__isnull=False)
        .order_by("-feedback_at", "-pk")[:20]
    )
    out = []
    for item in items:
        offers = offers_for_patent(user, item.patent)
        if offers:
            out.append((item, offers[0]))
    return out


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的试用与许可: the enterprise's applications, trials (days left, what happens at the end),
    licences, filings due and the way to what it owes."""
    if policies.can(request.user, "licensing.pipeline"):
        return redirect("licensing:board")
    policies.require(request.user, "licensing.apply")
    today = timezone.localdate()
    contracts = (
        restrict(LicenceContract.objects.all(), request.user)
        .select_related("licensor_org")
        .prefetch_related(
            # The scope rows, so a patent that left the scope is marked 已失效 in the lists.
            Prefetch(
                "scope",
                queryset=ContractPatent.objects.select_related("patent").order_by(
                    "patent__application_number"
                ),
            ),
            "filings",
        )
        .order_by("-created_at")
    )
    applications = (
        restrict(LicenceApplication.objects.all(), request.user)
        .select_related("offer__publisher_org")
        .prefetch_related("patents")
        .order_by("-created_at")[:50]
    )
    trials = [_trial_outlook(c, today) for c in contracts.filter(state__in=_TRIAL_STATES)]
    licences = contracts.filter(~Q(state__in=_TRIAL_STATES))
    money_links = [(url, label) for name, label in _MONEY_LINKS if (url := optional_url(name))]
    return render(
        request,
        "licensing/deals/mine.html",
        {
            "applications": applications,
            "trials": trials,
            "licences": licences,
            "filings": filing_services.filings_due(request.user, as_of=today, within_days=90),
            "money_links": money_links,
            "owed": _owed(request.user, today),
            "interest": _interest_items(request.user),
            "today": today,
        },
    )
