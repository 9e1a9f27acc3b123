"""Ledger pages: one patent's 权利负担台账 (events, "on date D what burdens it", a manual entry) and
the dated policy parameters (read-only, every logged-in user)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.licensing.choices import RightKindChoices
from patentbridge.licensing.services import ledger_display
from patentbridge.licensing.views.deal_common import run
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import get_patent

__all__ = ["ManualEventForm", "add_event", "patent_ledger", "policy_page"]

# Dates outside this window are typing accidents (a patent ledger spans at most a few decades).
_EARLIEST, _LATEST = dt.date(1985, 4, 1), dt.date(2100, 12, 31)


def _parse_day(text: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if _EARLIEST <= day <= _LATEST else None


def _as_of(request: HttpRequest) -> tuple[dt.date, str]:
    """The ``on`` query date (default today) and an error text when it was given but unusable."""
    raw = request.GET.get("on", "")
    if not raw:
        return timezone.localdate(), ""
    day = _parse_day(raw[:40])
    if day is None:
        return (
            timezone.localdate(),
            f"日期“{raw[:40]}”无法识别（应为 {_EARLIEST:%Y}–{_LATEST:%Y} 年间的 YYYY-MM-DD），已按今天显示",
        )
    return day, ""


class ManualEventForm(forms.Form):
    """A right fact entered by hand; the service checks the role and the patent's organisation."""

    kind = forms.ChoiceField(label="事件类型", choices=RightKindChoices.choices)
    sub_kind = forms.CharField(label="细分类型", max_length=24, required=False)
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label="结束日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="持续中的留空",
    )
    counterparty = forms.CharField(
        label="相对方", max_length=300, required=False, help_text="被许可人、质权人、受让人等"
    )
    record_no = forms.CharField(label="备案/登记号", max_length=64, required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)

    def clean_start(self) -> dt.date:
        day: dt.date = self.cleaned_data["start"]
        if not _EARLIEST <= day <= _LATEST:
            raise ValidationError(f"开始日期应在 {_EARLIEST:%Y} 至 {_LATEST:%Y} 年之间")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, sub_kind = data.get("kind", ""), (data.get("sub_kind") or "").strip()
        allowed = dict(ledger_display.SUB_KINDS.get(kind, ()))
        if sub_kind and sub_kind not in allowed:
            choices = "、".join(allowed.values()) or "无（请留空）"
            self.add_error("sub_kind", f"该事件类型的细分类型可选：{choices}")
        data["sub_kind"] = sub_kind
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "结束日期早于开始日期")
        return data


def _ledger_patent(request: HttpRequest, number: str) -> Patent:
    """The patent if the user keeps ledgers (TTO, operator, admin) and, as a TTO, its organisation
    owns it; 403 for roles without ledger work, 404 otherwise (a library patent another university
    owns is visible, its ledger is not)."""
    policies.require(request.user, "licensing.ledger")
    patent = get_patent(request.user, number[:40])
    if not policies.is_platform_wide(request.user):
        member = policies.membership_of(request.user)
        if member is None or patent.owner_org_id != member.org_id:
            raise Http404("未找到")
    return patent


def _page(request: HttpRequest, patent: Patent, form: ManualEventForm, status: int = 200) -> HttpResponse:
    as_of, date_error = _as_of(request)
    enc, burdens = ledger_display.burdens_on(patent, as_of)
    context = {
        "patent": patent,
        "as_of": as_of,
        "date_error": date_error,
        "burdens": burdens,
        "fee_state": ledger_display.fee_label(enc),
        "rows": ledger_display.event_rows(patent),
        "form": form,
        "sub_kinds": [
            (dict(RightKindChoices.choices)[kind], options)
            for kind, options in ledger_display.SUB_KINDS.items()
        ],
    }
    return render(request, "licensing/ledger/patent.html", context, status=status)


@login_required
def patent_ledger(request: HttpRequest, number: str) -> HttpResponse:
    """权利负担台账 of one patent: every event, and what burdens it on the chosen date."""
    patent = _ledger_patent(request, number)
    return _page(request, patent, ManualEventForm())


@login_required
@require_POST
def add_event(request: HttpRequest, number: str) -> HttpResponse:
    """登记权利事件 by hand (audited); a form error re-shows the page with the errors."""
    patent = _ledger_patent(request, number)
    form = ManualEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, "登记未保存：请按提示修改")
        return _page(request, patent, form, status=400)
    data = form.cleaned_data
    ok, _ = run(
        request,
        lambda: ledger_display.record_manual_event(
            request.user,
            patent,
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            sub_kind=data["sub_kind"],
            counterparty=data["counterparty"].strip(),
            record_no=data["record_no"].strip(),
            note=data["note"].strip(),
        ),
        "权利事件已登记",
    )
    if not ok:
        return _page(request, patent, form, status=400)
    return redirect(reverse("licensing:ledger_patent", args=[patent.application_number]))


@login_required
def policy_page(request: HttpRequest) -> HttpResponse:
    """许可政策参数: the values in force on a date and every dated version, read-only."""
    as_of, date_error = _as_of(request)
    in_force, every = ledger_display.policy_rows(as_of)
    return render(
        request,
        "licensing/ledger/policy.html",
        {
            "as_of": as_of,
            "date_error": date_error,
            "in_force": in_force,
            "every": every,
            "tags": list(ledger_display.TAG_LABELS.items()),
        },
    )
