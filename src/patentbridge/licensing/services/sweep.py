"""The daily sweep (``patentbridge sweep``; ``serve`` runs it every day): everything the calendar
drives, in one idempotent, audited pass for a business date ``as_of``.

In order: contracts take their due calendar steps (a licensed patent ended → ENDED_BY_PATENT,
term passed → EXPIRED, trial's last day → CONVERSION_DUE, conversion grace passed without an answer
→ TRIAL_ENDED "no_answer"); trial-ending reminders; filing reminders and overdue flags;
receivables overdue; open-licence withdrawals taking effect and declarations of lapsed patents
ended; the ledger caught up with imported right records; then the library regraded and the public
implementation list recomputed for ``as_of``.

Every step goes through its service (which audits it); the run writes one summary audit event
(``licensing.sweep.completed``). Each action taken is one JSON-able dict with an ``action`` key; a
second run for the same date takes none. A refusal of one contract's step is reported as a problem
and the rest of the run goes on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from patentbridge.core import audit
from patentbridge.core.labels import ACTION_LABELS
from patentbridge.core.models import AuditEvent
from patentbridge.grading.public_list import recompute_public_list
from patentbridge.grading.services import grade_numbers
from patentbridge.licensing.services import money, open_licence, rights_import
from patentbridge.licensing.services.sweep_contracts import contract_steps, trial_reminders
from patentbridge.licensing.services.sweep_filings import filing_reminders

__all__ = ["SUMMARY_ACTION", "SweepResult", "daily_sweep", "last_daily_run", "register_labels", "run_sweep"]

SUMMARY_ACTION = "licensing.sweep.completed"
Action = dict[str, Any]

# Chinese names of the audit actions the sweep writes itself (the services label their own).
_LABELS = {
    SUMMARY_ACTION: "每日例行任务：运行完成",
    "licensing.contract.trial_reminder": "许可合同：试用到期提醒",
    "licensing.filing.reminder": "许可合同备案：备案到期提醒",
    "licensing.filing.overdue": "许可合同备案：逾期未备案",
    "licensing.right_event.removed": "权利负担台账：删除导入记录",
    "licensing.patent_counts.updated": "权利负担台账：更新许可/质押/转让次数",
}


@dataclass
class SweepResult:
    """One run: its date, the actions taken (one dict each), the problems met, and the
    recomputation counts (patents graded; public list entered/left/active)."""

    as_of: dt.date
    actions: list[Action] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    graded: int = 0
    public_list: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many actions of each kind, for the summary."""
        return dict(sorted(Counter(a["action"] for a in self.actions).items()))


def _ledger_actions() -> list[Action]:
    """Catch the ledger up with imported right records (normally done by the import's own event)."""
    return [
        {
            "action": "ledger_synced",
            "patent": r.application_number,
            "created": r.created,
            "updated": r.updated,
            "removed": r.removed,
            "counts": {k: list(v) for k, v in r.counts.items()},
        }
        for r in rights_import.sync_numbers(None)
    ]


def run_sweep(as_of: dt.date | None = None, *, recompute: bool = True) -> SweepResult:
    """Run everything due by ``as_of`` (default today). ``recompute=False`` skips the regrading
    and the public list (tests of the licensing steps; the command always recomputes)."""
    day = as_of or timezone.localdate()
    result = SweepResult(day)
    with audit.request_id_scope():
        result.actions += contract_steps(day, result.problems.append)
        result.actions += trial_reminders(day)
        result.actions += filing_reminders(day)
        result.actions += money.mark_overdue(day)
        result.actions += open_licence.apply_withdrawals(day)
        result.actions += open_licence.end_declarations_for_lapsed(day)
        result.actions += _ledger_actions()
        if recompute:
            result.graded = grade_numbers(as_of=day)
            result.public_list = recompute_public_list(day)
            if result.public_list.get("entered") or result.public_list.get("left"):
                result.actions.append({"action": "public_list_changed", **result.public_list})
        with transaction.atomic():
            audit.record(
                SUMMARY_ACTION,
                actor=None,
                data={
                    "as_of": day.isoformat(),
                    # A run for the current date counts as that day's run for the scheduler.
                    "daily": day == timezone.localdate(),
                    "actions": result.counts(),
                    "problems": result.problems[:50],
                    "graded": result.graded,
                    "public_list": result.public_list,
                },
            )
    return result


@task()
def daily_sweep(as_of: str) -> dict[str, Any]:
    """Background job of ``serve``'s scheduler: the sweep for ``as_of`` (ISO date); returns the
    counts the summary audit event also holds."""
    result = run_sweep(dt.date.fromisoformat(as_of))
    return {
        "as_of": as_of,
        "actions": result.counts(),
        "problems": len(result.problems),
        "graded": result.graded,
    }


def last_daily_run() -> dt.date | None:
    """The business date of the latest run made for its own day (scheduled or by hand), or None."""
    row = (
        AuditEvent.objects.filter(action=SUMMARY_ACTION, data__daily=True)
        .order_by("-timestamp", "-pk")
        .values_list("data", flat=True)
        .first()
    )
    if not isinstance(row, dict):
        return None
    try:
        return dt.date.fromisoformat(str(row.get("as_of")))
    except ValueError:
        return None


def register_labels() -> None:
    """Chinese names of the sweep's audit actions (called at start-up with the ledger wiring)."""
    ACTION_LABELS.update(_LABELS)
