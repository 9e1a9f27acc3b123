"""Usage reports (使用情况报告) and the royalty they make due (rule L13).

The licensee's enterprise reports the measured base of one royalty period; the service computes
the period's royalty with the engine's ``royalty_for_period`` (contract year counted from the
paid phase's start, the yearly minimum and cap scaled to the period, the total cap against the
royalties of earlier periods, the entry fee in the first paid period when it is due at
conversion) and fills the period's receivable, keeping the statement lines in ``inputs``.

Decisions: reports come in period order (the total cap and the contract year need the earlier
periods); a period that has not started yet cannot be reported; a loss (negative profit) is a
valid report and owes no profit royalty (the minimum still applies) — every other negative figure
is refused. A free trial owes nothing (rule L10): the trial's one usage report is stored without
a receivable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, Receivable, UsageReport
from patentbridge.licensing.services.money import step_state
from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError
from patentbridge_engine.licensing.money import MAX_AMOUNT, parse_decimal
from patentbridge_engine.licensing.royalty import contract_year_of, royalty_for_period
from patentbridge_engine.licensing.states import ReceivableEvent

__all__ = [
    "REPORT_FIELDS",
    "ReportablePeriod",
    "base_field",
    "format_figure",
    "reportable_periods",
    "submit_usage_report",
]

# The measured figures a report may carry (UsageReport fields) and their Chinese names.
REPORT_FIELDS = {
    "units": "产量/销量（件）",
    "sales": "销售额",
    "net_sales": "净销售额",
    "profit": "利润",
    "new_output_value": "新增产值",
}
TRIAL_LABEL = "试用期"
_NOTE_MAX = 2000


@dataclass(frozen=True)
class ReportablePeriod:
    """A period the licensee may report: a paid royalty period (with its receivable) or the trial."""

    label: str
    start: dt.date
    end: dt.date
    receivable: Receivable | None
    reported: bool


def _royalty_receivables(contract: LicenceContract) -> list[Receivable]:
    return list(
        contract.receivables.filter(component="royalty", period_start__isnull=False).order_by("period_start")
    )


def _trial_period(contract: LicenceContract) -> tuple[dt.date, dt.date] | None:
    if contract.trial_end is None:
        return None
    end = contract.trial_end
    if contract.paid_start is not None:
        end = min(end, contract.paid_start - dt.timedelta(days=1))
    return (contract.start_date, end) if end >= contract.start_date else None


def format_figure(field: str, value: Decimal | None) -> str:
    """A reported figure as read: ``200,000.00`` (yuan) or ``800`` (units); "—" when not given."""
    if value is None:
        return "—"
    return f"{value.normalize():,f}" if field == "units" else f"{value:,.2f}"


def _period_name(label: str) -> str:
    """``提成（2026年第1季度）`` → ``2026年第1季度`` (the plan's royalty labels name the period)."""
    if label.startswith("提成（") and label.endswith("）"):
        return label[3:-1]
    return label


def reportable_periods(contract: LicenceContract) -> list[ReportablePeriod]:
    """The trial (if any) and every royalty period of the paid phase, with what is reported."""
    reported = set(contract.usage_reports.values_list("period_start", flat=True))
    out = []
    trial = _trial_period(contract)
    if trial is not None:
        out.append(ReportablePeriod(TRIAL_LABEL, trial[0], trial[1], None, trial[0] in reported))
    for r in _royalty_receivables(contract):
        assert r.period_start is not None and r.period_end is not None  # filtered above
        label = _period_name(r.period_label)
        out.append(ReportablePeriod(label, r.period_start, r.period_end, r, r.period_start in reported))
    return out


def base_field(contract: LicenceContract) -> str | None:
    """The UsageReport field the royalty is charged on (None for a schedule without royalty)."""
    try:
        royalty = FeeSchedule.from_dict(contract.fee_schedule or {"free": True, "components": []}).royalty
    except FeeScheduleError:
        return None
    return None if royalty is None or royalty.base is None else royalty.base.value


def _parse_figures(values: Mapping[str, object], required: str | None) -> dict[str, Decimal | None]:
    figures: dict[str, Decimal | None] = {}
    for field, label in REPORT_FIELDS.items():
        raw = values.get(field)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            figures[field] = None
            continue
        try:
            value = parse_decimal(raw.replace(",", "") if isinstance(raw, str) else raw, places=2, what=label)
        except ValueError as exc:
            raise LicensingRefused("USAGE_INVALID", str(exc)) from None
        # The column holds 12 integer digits; a larger figure is a typo, not a report.
        if abs(value) >= MAX_AMOUNT:
            raise LicensingRefused("USAGE_INVALID", f"{label}数值过大（须小于 10^12），请核对")
        if value < 0 and field != "profit":
            raise LicensingRefused("USAGE_INVALID", f"{label}不能为负数")
        figures[field] = value
    if required is not None and figures.get(required) is None:
        raise LicensingRefused(
            "USAGE_BASE_MISSING",
            f"本合同按{REPORT_FIELDS[required]}计提提成，报告必须填写{REPORT_FIELDS[required]}",
        )
    if all(v is None for v in figures.values()):
        raise LicensingRefused("USAGE_INVALID", "使用情况报告至少须填写一项数据")
    return figures


def _check_actor(actor: Any, contract: LicenceContract) -> None:
    policies.require(actor, "licensing.report_usage")
    member = policies.membership_of(actor)
    if member is None or member.org_id != contract.licensee_org_id:
        raise PermissionDenied("只有被许可企业可以提交本合同的使用情况报告")


def _find_period(contract: LicenceContract, period_start: dt.date) -> ReportablePeriod:
    for p in reportable_periods(contract):
        if p.start == period_start:
            if p.reported:
                raise LicensingRefused("USAGE_DUPLICATE", f"{p.label}的使用情况报告已经提交，不能重复提交")
            return p
    raise LicensingRefused(
        "USAGE_PERIOD", f"{period_start.isoformat()} 起的报告期不在本合同的试用期或付费期报告周期内"
    )


def _paid_so_far(contract: LicenceContract, before: dt.date) -> Decimal:
    """Royalties (entry fee excluded) due in the periods before ``before``: the total cap's usage."""
    total = Decimal("0.00")
    for r in contract.receivables.filter(
        component="royalty", period_start__lt=before, amount_due__isnull=False
    ):
        total += Decimal(str(r.inputs.get("computation", {}).get("royalty", r.amount_due)))
    return total


def _compute(contract: LicenceContract, receivable: Receivable, base_value: Decimal) -> dict[str, Any]:
    inputs = receivable.inputs
    schedule = FeeSchedule.from_dict(inputs.get("schedule") or contract.fee_schedule)
    paid_start = dt.date.fromisoformat(str(inputs.get("paid_start") or contract.paid_start))
    assert receivable.period_start is not None  # royalty receivables carry their period
    try:
        result = royalty_for_period(
            schedule,
            contract_year=contract_year_of(paid_start, receivable.period_start),
            base_value=base_value,
            period_fraction=Decimal(str(inputs.get("period_fraction", "1"))),
            paid_so_far_total=_paid_so_far(contract, receivable.period_start),
            include_entry_fee=bool(inputs.get("includes_entry_fee")),
        )
    except ValueError as exc:
        raise LicensingRefused("L13", str(exc)) from None
    return {
        "amount": str(result.amount),
        "royalty": str(result.inputs.get("royalty", result.amount)),
        "lines": [[label, str(amount)] for label, amount in result.lines],
        "inputs": result.inputs,
    }


def submit_usage_report(
    actor: Any,
    contract: LicenceContract,
    *,
    period_start: dt.date,
    values: Mapping[str, object],
    note: str = "",
    on: dt.date,
) -> UsageReport:
    """The licensee reports one period (``values``: units / sales / net_sales / profit /
    new_output_value as strings). For a paid period the royalty is computed and the period's
    receivable gets its amount; the trial's report owes nothing. Raises ``PermissionDenied`` for
    anyone but the licensee's enterprise users and ``LicensingRefused`` (Chinese reason) for a
    period outside the contract's report periods, a duplicate, a report out of order, a period
    not yet begun, a missing base figure, or a negative or absurd number."""
    _check_actor(actor, contract)
    if len(note) > _NOTE_MAX:
        raise LicensingRefused("USAGE_INVALID", f"说明不能超过 {_NOTE_MAX} 字")
    with transaction.atomic():
        contract = LicenceContract.objects.select_for_update().get(pk=contract.pk)
        if contract.signed_at is None:
            raise LicensingRefused("USAGE_PERIOD", "合同尚未签订，不能提交使用情况报告")
        period = _find_period(contract, period_start)
        if period.start > on:
            raise LicensingRefused("USAGE_PERIOD", f"{period.label}尚未开始，不能提前报告")
        required = base_field(contract) if period.receivable is not None else None
        figures = _parse_figures(values, required)
        if period.receivable is not None:
            missing = [
                p.label
                for p in reportable_periods(contract)
                if p.receivable is not None and p.start < period.start and not p.reported
            ]
            if missing:
                raise LicensingRefused(
                    "USAGE_ORDER", f"请先提交{missing[0]}的使用情况报告（按报告期顺序提交）"
                )
        try:
            with transaction.atomic():
                report = UsageReport.objects.create(
                    contract=contract,
                    period_label=period.label[:40],
                    period_start=period.start,
                    period_end=period.end,
                    note=note.strip(),
                    submitted_by=actor,
                    **figures,
                )
        except IntegrityError:
            raise LicensingRefused(
                "USAGE_DUPLICATE", f"{period.label}的使用情况报告已经提交，不能重复提交"
            ) from None
        data: dict[str, Any] = {"period": period.label, "on": on.isoformat()}
        data.update({k: str(v) for k, v in figures.items() if v is not None})
        if period.receivable is not None:
            receivable = Receivable.objects.select_for_update().get(pk=period.receivable.pk)
            assert required is not None  # a royalty receivable implies a royalty base
            computation = _compute(contract, receivable, figures[required] or Decimal(0))
            receivable.amount_due = Decimal(computation["amount"])
            receivable.usage_report = report
            receivable.inputs = {**receivable.inputs, "computation": computation, "report": report.pk}
            if receivable.amount_due <= 0:  # a total cap already reached: nothing to collect
                receivable.state = step_state(receivable, ReceivableEvent.PAY_FULL)
            receivable.save(update_fields=["amount_due", "usage_report", "inputs", "state"])
            data.update(receivable=receivable.pk, amount_due=computation["amount"])
        else:
            data["trial"] = True
        audit.record(
            "licensing.usage_report.submitted",
            actor=actor,
            target=report,
            org=contract.licensee_org,
            data=data,
        )
    return report
