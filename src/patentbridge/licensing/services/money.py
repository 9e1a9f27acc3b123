"""Receivables of a licence: the plan of a paid phase, overdue marking and ageing (guide §2.d
Receivable, rule L13). Usage reports are in ``money_usage``, payments in ``money_payments``.

A paid phase starts (signing a paid licence, or converting a trial) → ``plan_receivables`` writes
one receivable per entry fee, instalment, royalty report period and milestone, from the engine's
``payment_plan``. Royalty amounts stay empty until the licensee's usage report for the period.
When the entry fee is due at conversion and the schedule has a royalty, the entry fee is billed
with the first royalty period (rule L13: "entry fee once in the first paid period") instead of as
a receivable of its own — the §13 vector "¥50,000 entry fee + 3 % of net sales, min ¥10,000, year-1
net sales ¥200,000 → ¥60,000 due" is that first period's amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from patentbridge.core import audit
from patentbridge.core.restrict import restrict
from patentbridge.licensing.choices import ReceivableStateChoices
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, Receivable
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.dates import days_overdue
from patentbridge_engine.licensing.fees import EntryFeeDue, FeeSchedule, FeeScheduleError
from patentbridge_engine.licensing.money import format_cny
from patentbridge_engine.licensing.royalty import AGEING_BUCKETS, ageing, payment_plan, report_periods
from patentbridge_engine.licensing.states import (
    ReceivableEvent,
    ReceivableState,
    TransitionRefused,
    receivable_transition,
)

__all__ = [
    "AGEING_LABELS",
    "COMPONENT_LABELS",
    "OPEN_STATES",
    "ageing_for",
    "cny",
    "display_label",
    "fee_description",
    "mark_overdue",
    "outstanding",
    "overdue_days",
    "plan_receivables",
    "receivables_of",
    "schedule_of",
    "step_state",
    "visible_receivables",
]

COMPONENT_LABELS = {
    "entry_fee": "入门费",
    "lump_sum": "一次性许可费",
    "royalty": "提成",
    "milestone": "里程碑",
}
# Receivables that still wait for money (WAIVED and PAID are settled).
OPEN_STATES = (
    ReceivableStateChoices.OPEN,
    ReceivableStateChoices.PARTIAL,
    ReceivableStateChoices.OVERDUE,
)
AGEING_LABELS = tuple(label for label, _ in AGEING_BUCKETS)
_LABEL_MAX = 40  # Receivable.period_label max_length


def cny(amount: Decimal | None) -> str:
    """``¥12,345.00`` for pages and statements; "—" when the amount is not known yet."""
    return "—" if amount is None else format_cny(amount)


def schedule_of(contract: LicenceContract) -> FeeSchedule:
    """The contract's fee schedule as the engine reads it; a malformed stored dict is a refusal."""
    try:
        return FeeSchedule.from_dict(contract.fee_schedule or {"free": True, "components": []})
    except FeeScheduleError as exc:
        raise LicensingRefused("L9", f"合同付费条件有误（{exc.field}）：{exc.reason}") from None


def fee_description(contract: LicenceContract) -> str:
    """The fee schedule in one Chinese line (e.g. ``入门费 ¥50,000.00（转为付费时支付）+ …``)."""
    try:
        return FeeSchedule.from_dict(contract.fee_schedule or {"free": True, "components": []}).describe()
    except FeeScheduleError:
        return "付费条件格式有误，请联系许可方更正"


def _unique_label(label: str, taken: set[str]) -> str:
    """A period label that fits the column and is unique within the plan (two milestones may
    share an event name), so the (contract, component, label) key stays deterministic."""
    base = label[:_LABEL_MAX]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"#{n}"
        candidate = base[: _LABEL_MAX - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def _suspend_days_version(on_date: dt.date) -> list[str]:
    try:
        return [policy.version_id(policy.param("PAYMENT_DEFAULT_SUSPEND_DAYS", as_of=on_date))]
    except KeyError:
        return []


def plan_receivables(contract: LicenceContract, *, on_date: dt.date, actor: Any = None) -> list[Receivable]:
    """Write the receivables of the contract's paid phase (idempotent on (contract, component,
    period label): a second call creates nothing and returns the existing rows).

    The paid phase runs from ``contract.paid_start`` (else ``on_date``) to ``contract.end_date``;
    the signing date is ``contract.signed_at`` (else ``on_date``). Each row's ``inputs`` records
    the schedule, the phase, the period's share of a year and the policy versions in force.
    Raises ``LicensingRefused`` when the schedule cannot be planned (rule L9)."""
    schedule = schedule_of(contract)
    paid_start = contract.paid_start or on_date
    signing = contract.signed_at or on_date
    if schedule.is_free or contract.end_date < paid_start:
        return []
    try:
        plan = payment_plan(schedule, paid_start=paid_start, paid_end=contract.end_date, signing_date=signing)
    except ValueError as exc:
        raise LicensingRefused("L9", str(exc)) from None
    royalty = schedule.royalty
    fractions: dict[dt.date, str] = {}
    if royalty is not None and royalty.report_period is not None:
        periods = report_periods(paid_start, contract.end_date, royalty.report_period.value)
        fractions = {p.start: str(p.fraction) for p in periods}
    entry = schedule.entry_fee
    # Rule L13 / §13: an entry fee due at conversion is billed with the first royalty period.
    fold_entry = entry is not None and entry.due is EntryFeeDue.CONVERSION and royalty is not None
    first_royalty = min(
        (p.period_start for p in plan if p.component == "royalty" and p.period_start), default=None
    )
    versions = _suspend_days_version(on_date)
    taken: set[str] = set()
    rows: list[Receivable] = []
    created: list[str] = []
    with transaction.atomic():
        for item in plan:
            if fold_entry and item.component == "entry_fee":
                continue
            label = _unique_label(item.label, taken)
            inputs: dict[str, Any] = {
                "schedule": schedule.to_dict(),
                "paid_start": paid_start.isoformat(),
                "paid_end": contract.end_date.isoformat(),
                "signing_date": signing.isoformat(),
                "planned_on": on_date.isoformat(),
                "policy_versions": versions,
            }
            if item.component == "royalty" and item.period_start is not None:
                inputs["period_fraction"] = fractions.get(item.period_start, "1")
                inputs["includes_entry_fee"] = fold_entry and item.period_start == first_royalty
            row, made = Receivable.objects.get_or_create(
                contract=contract,
                component=item.component,
                period_label=label,
                defaults={
                    "period_start": item.period_start,
                    "period_end": item.period_end,
                    "due_date": item.due_date,
                    "amount_due": item.amount,
                    "inputs": inputs,
                },
            )
            rows.append(row)
            if made:
                created.append(label)
        if created:
            audit.record(
                "licensing.receivables.planned",
                actor=actor,
                target=contract,
                org=contract.licensor_org,
                data={"on": on_date.isoformat(), "created": created, "paid_start": paid_start.isoformat()},
            )
    return rows


def step_state(receivable: Receivable, event: ReceivableEvent) -> str:
    """The receivable's next state under the engine's machine; a refused step is a refusal."""
    try:
        return str(receivable_transition(ReceivableState(receivable.state), event).value)
    except TransitionRefused as exc:
        raise LicensingRefused(exc.code, exc.reason) from None


def outstanding(receivable: Receivable) -> Decimal | None:
    """What is still owed (None while a royalty period waits for its usage report)."""
    if receivable.amount_due is None:
        return None
    if receivable.state == ReceivableStateChoices.WAIVED:
        return Decimal("0.00")
    return max(Decimal("0.00"), receivable.amount_due - receivable.amount_paid)


def overdue_days(receivable: Receivable, as_of: dt.date) -> int:
    """Whole days past the due date on ``as_of`` while money is still owed (0 otherwise)."""
    if receivable.due_date is None or receivable.state not in OPEN_STATES:
        return 0
    return days_overdue(receivable.due_date, as_of)


def display_label(receivable: Receivable) -> str:
    """The row's Chinese label, naming an entry fee billed with the first royalty period."""
    if receivable.inputs.get("includes_entry_fee"):
        return f"{receivable.period_label}（含入门费）"
    return receivable.period_label


def receivables_of(contract: LicenceContract) -> QuerySet[Receivable]:
    """The contract's receivables by due date (milestones, which have none, last)."""
    return contract.receivables.select_related("usage_report").order_by("due_date", "pk")


def visible_receivables(user: Any) -> QuerySet[Receivable]:
    """Receivables of the contracts ``user`` may see (operators all, a TTO its own licences)."""
    contracts = restrict(LicenceContract.objects.all(), user, "view")
    return Receivable.objects.filter(contract__in=contracts).select_related(
        "contract", "contract__licensor_org", "contract__licensee_org"
    )


def mark_overdue(as_of: dt.date, *, actor: Any = None) -> list[dict[str, Any]]:
    """Mark every receivable past its due date with money still owed as OVERDUE (the daily sweep;
    idempotent). A royalty period without a usage report has no amount yet and is left to the
    report reminder. Returns one JSON-able dict per change."""
    changes: list[dict[str, Any]] = []
    with transaction.atomic():
        due = (
            Receivable.objects.select_for_update()
            .filter(
                state__in=(ReceivableStateChoices.OPEN, ReceivableStateChoices.PARTIAL),
                due_date__lt=as_of,
                amount_due__isnull=False,
            )
            .select_related("contract")
            .order_by("due_date", "pk")
        )
        for r in due:
            owed = outstanding(r)
            if owed is None or owed <= 0:
                continue
            before = r.state
            r.state = step_state(r, ReceivableEvent.FALL_OVERDUE)
            r.save(update_fields=["state"])
            change = {
                "action": "receivable_overdue",
                "receivable": r.pk,
                "contract": r.contract.contract_no,
                "label": r.period_label,
                "due_date": r.due_date.isoformat() if r.due_date else None,
                "days_overdue": overdue_days(r, as_of),
                "outstanding": str(owed),
                "from_state": before,
                "to_state": r.state,
            }
            audit.record(
                "licensing.receivable.overdue",
                actor=actor,
                target=r,
                org=r.contract.licensor_org,
                data=change,
            )
            changes.append(change)
    return changes


def ageing_for(user: Any, *, as_of: dt.date) -> dict[str, Decimal]:
    """Outstanding amounts of the user's visible receivables by overdue bucket on ``as_of`` (engine
    ``royalty.ageing``); every bucket present. Royalty periods without a report are left out."""
    items = []
    for r in visible_receivables(user).filter(state__in=OPEN_STATES, amount_due__isnull=False):
        owed = outstanding(r)
        if owed and owed > 0 and r.due_date is not None:
            items.append((r.due_date, owed))
    return ageing(items, as_of)
