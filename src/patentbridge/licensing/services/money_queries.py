"""Read helpers of the money pages: a contract or receivable the user may see (else 404), and
the contract's receivables as the contract page shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404

from patentbridge.core.ids import MAX_PK
from patentbridge.core.restrict import restrict
from patentbridge.licensing.models import IncomeDistribution, LicenceContract, Payment, Receivable
from patentbridge.licensing.services.money import (
    COMPONENT_LABELS,
    OPEN_STATES,
    cny,
    display_label,
    outstanding,
    overdue_days,
    receivables_of,
    visible_receivables,
)
from patentbridge_engine.licensing.dates import days_overdue

__all__ = ["get_contract", "get_distribution", "get_payment", "get_receivable", "receivable_rows"]


def _key(pk: object) -> int:
    """A primary key from a URL or form; anything else (or a probe past the integer column) is 404."""
    text = str(pk)
    # ASCII digits only: int() would also read "١" (Arabic-Indic one) or " 7 " as a key.
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        raise Http404("未找到")
    key = int(text)
    if not 0 < key < MAX_PK:
        raise Http404("未找到")
    return key


def get_contract(user: Any, pk: object) -> LicenceContract:
    """A contract ``user`` may see, or 404 (a bad id is a 404 too, never a 500)."""
    key = _key(pk)
    found = restrict(LicenceContract.objects.all(), user, "view").filter(pk=key).first()
    if found is None:
        raise Http404("未找到合同")
    return found


def get_receivable(user: Any, pk: object) -> Receivable:
    """A receivable of a contract ``user`` may see, or 404."""
    key = _key(pk)
    found = visible_receivables(user).filter(pk=key).first()
    if found is None:
        raise Http404("未找到应收款")
    return found


def receivable_rows(contract: LicenceContract, *, as_of: dt.date) -> list[dict[str, Any]]:
    """The contract's receivables as the contract page shows them: Chinese labels, ¥ amounts,
    days overdue on ``as_of`` and whether a royalty period still waits for its report."""
    rows = []
    for r in receivables_of(contract).prefetch_related("payments"):
        owed = outstanding(r)
        waiting = r.amount_due is None
        late_report = waiting and r.due_date is not None and r.due_date < as_of
        period = (
            f"{r.period_start:%Y-%m-%d}～{r.period_end:%Y-%m-%d}" if r.period_start and r.period_end else ""
        )
        rows.append(
            {
                "r": r,
                "label": display_label(r),
                "component": COMPONENT_LABELS.get(r.component, r.component),
                "period": period,
                "due": r.amount_due,
                "due_text": "待报告" if waiting else cny(r.amount_due),
                "paid_text": cny(r.amount_paid),
                "owed": owed,
                "owed_text": cny(owed),
                "state": r.state,
                "state_label": r.get_state_display(),
                "overdue_days": overdue_days(r, as_of) if not waiting else 0,
                "report_late_days": days_overdue(r.due_date, as_of) if late_report and r.due_date else 0,
                "payable": owed is not None and owed > 0 and r.state in OPEN_STATES,
                "payments": [(p, cny(p.amount)) for p in r.payments.all()],
            }
        )
    return rows


def get_payment(user: Any, pk: object) -> Payment:
    """A payment on a contract ``user`` may see, or 404."""
    key = _key(pk)
    found = (
        Payment.objects.filter(receivable__in=visible_receivables(user), pk=key)
        .select_related("receivable", "receivable__contract", "receivable__contract__licensor_org")
        .first()
    )
    if found is None:
        raise Http404("未找到收款记录")
    return found


def get_distribution(user: Any, pk: object) -> IncomeDistribution:
    """A distribution of a payment ``user`` may see, or 404."""
    payment_ids = Payment.objects.filter(receivable__in=visible_receivables(user)).values("pk")
    found = IncomeDistribution.objects.filter(pk=_key(pk), payment__in=payment_ids).first()
    if found is None:
        raise Http404("未找到收益分配")
    return found
