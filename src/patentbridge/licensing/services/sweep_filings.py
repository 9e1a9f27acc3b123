"""The filing half of the daily sweep: reminders before a licence filing (实施许可合同备案) falls due
(policy FILING_REMINDER_DAYS, e.g. 30 and 7 days) and a flag once it is overdue.

A filing is overdue after the last day it is still on time: its due date moved to the next working
day when that is a weekend (细则 Art. 5; engine ``dates.next_working_day``). What was sent is kept
on the filing (``reminders_sent``: ``{"days": 30, "sent_on": …}`` or ``{"overdue": true, …}``), so
a second run sends nothing; each notice is audited and goes to both parties."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from patentbridge.core import audit
from patentbridge.licensing.choices import FilingStateChoices
from patentbridge.licensing.models import LicenceFiling
from patentbridge.licensing.services.sweep_contracts import notify
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.dates import days_overdue, next_working_day

__all__ = ["OPEN_FILING_STATES", "filing_reminders"]

# Filings still to be (re)submitted: due, or refused and to be filed again.
OPEN_FILING_STATES = (FilingStateChoices.DUE, FilingStateChoices.REFUSED)
Action = dict[str, Any]


def _sent(filing: LicenceFiling) -> list[dict[str, Any]]:
    return [r for r in (filing.reminders_sent or []) if isinstance(r, dict)]


def _record(filing: LicenceFiling, entry: dict[str, Any], action: str, message: str) -> None:
    """Append ``entry`` to the filing's sent list (row locked), audit it and notify both parties."""
    with transaction.atomic():
        locked = LicenceFiling.objects.select_for_update().get(pk=filing.pk)
        locked.reminders_sent = [*_sent(locked), entry]
        locked.save(update_fields=["reminders_sent"])
        audit.record(
            f"licensing.filing.{action}",
            actor=None,
            target=locked,
            org=filing.contract.licensor_org,
            data={
                "contract_no": filing.contract.contract_no,
                "due_date": filing.due_date.isoformat(),
                **entry,
            },
        )
        notify(filing.contract, message)


def filing_reminders(as_of: dt.date) -> list[Action]:
    """Remind before the due date (the most imminent reminder due, once) and flag overdue filings
    (once); returns one action per notice sent."""
    out: list[Action] = []
    days = sorted(int(d) for d in policy.value("FILING_REMINDER_DAYS", as_of=as_of))
    filings = (
        LicenceFiling.objects.filter(state__in=OPEN_FILING_STATES)
        .select_related("contract", "contract__licensor_org", "contract__licensee_org")
        .order_by("due_date", "pk")
    )
    for filing in filings:
        sent = _sent(filing)
        no, label, due = filing.contract.contract_no, filing.get_kind_display(), filing.due_date
        last_day = next_working_day(due)
        base = {"contract": no, "filing": filing.pk, "kind": filing.kind, "due_date": due.isoformat()}
        if as_of > last_day:
            if any(r.get("overdue") for r in sent):
                continue
            late = days_overdue(last_day, as_of)
            _record(
                filing,
                {"overdue": True, "sent_on": as_of.isoformat()},
                "overdue",
                f"许可合同 {no} 的{label}已超过备案期限 {due}（逾期 {late} 天），请尽快向国家知识产权局办理备案",
            )
            out.append({"action": "filing_overdue", **base, "days_overdue": late})
            continue
        due_now = [k for k in days if due - dt.timedelta(days=k) <= as_of]
        if not due_now or as_of > due:
            continue
        k = min(due_now)
        if any(isinstance(r.get("days"), int) and r["days"] <= k for r in sent):
            continue
        left = (due - as_of).days
        _record(
            filing,
            {"days": k, "sent_on": as_of.isoformat()},
            "reminder",
            f"许可合同 {no} 的{label}应于 {due} 前办理（还有 {left} 天）",
        )
        out.append({"action": "filing_reminder", **base, "days_left": left})
    return out
