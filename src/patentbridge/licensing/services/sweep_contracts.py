"""The contract half of the daily sweep: the calendar steps of running contracts (a licensed patent
ended — it leaves the scope of a contract that still has other patents in force, and ends a
contract whose last patent it was —, the licence term passed, the trial's last day reached, the conversion grace passed without
an answer) and the trial-ending reminders.

Each step is taken through the contract services (audited, with a timeline entry) on the day it
fell due, not on the day the sweep noticed it, and a contract takes its due steps in date order:
a sweep that has not run for months leaves the same history as daily runs would have. Steps and
reminders are idempotent: a contract that has taken a step is no longer in the state that step
leaves, and a reminder is a timeline entry a second run finds.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from patentbridge.core.models import Notification
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import ContractPatent, LicenceContract
from patentbridge.licensing.services import contracts
from patentbridge.licensing.services.contract_lifecycle import live_patents, patent_leaves
from patentbridge.licensing.services.contract_states import add_step
from patentbridge.licensing.services.ledger import encumbrances_for, patent_facts
from patentbridge.patents.models import Patent
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.ledger import RightKind
from patentbridge_engine.licensing.states import ContractEvent, ContractState, allowed_events

__all__ = ["LIVE_STATES", "contract_steps", "notify", "patent_end", "trial_reminders"]

logger = logging.getLogger("patentbridge.licensing.sweep")

LIVE_STATES = ("signed", "active_trial", "conversion_due", "active_paid", "suspended")
# A contract takes at most this many calendar steps in one run (trial end → no answer → …), plus
# one per licensed patent (each may leave the scope); the bound only guards against a state
# machine that would let a step repeat.
_MAX_STEPS = 6
Action = dict[str, Any]


def contract_url(contract: LicenceContract) -> str:
    """The contract page, or "" while the deal pages are not installed."""
    try:
        return reverse("licensing:contract", args=[contract.pk])
    except NoReverseMatch:
        return ""


def notify(contract: LicenceContract, message: str) -> None:
    """The same notice to the licensor's and the licensee's organisation (their users read it)."""
    url = contract_url(contract)
    for org_id in dict.fromkeys((contract.licensor_org_id, contract.licensee_org_id)):
        Notification.objects.create(org_id=org_id, message=message[:500], url=url)


def patent_end(patent: Patent, as_of: dt.date) -> tuple[dt.date, str] | None:
    """The day ``patent`` stopped being in force and why, or None while it is in force on ``as_of``
    (expiry, a recorded lapse date, a lapse or invalidity in the ledger)."""
    facts = patent_facts(patent, as_of)
    enc = encumbrances_for(patent, as_of)
    if facts.valid and not enc.lapsed:
        return None
    found: list[tuple[dt.date, str]] = []
    if patent.expiry_date is not None and patent.expiry_date < as_of:
        found.append((patent.expiry_date, "专利权期限届满"))
    if patent.lapse_date is not None and patent.lapse_date <= as_of:
        found.append((patent.lapse_date, "专利权终止"))
    for row in patent.right_events.filter(start_date__lte=as_of).order_by("start_date"):
        if row.kind == RightKind.LAPSE.value:
            found.append((row.start_date, "专利权因未缴年费终止"))
        elif row.kind == RightKind.INVALIDATION_DECISION.value and row.sub_kind == "invalid":
            found.append((row.start_date, "专利权被宣告无效"))
    if not found:
        return as_of, "专利权已不在有效状态"
    return min(found)


def _grace_start(contract: LicenceContract) -> dt.date | None:
    """When the conversion became due: the day of the latest step into CONVERSION_DUE."""
    step = (
        contract.steps.filter(to_state=ContractState.CONVERSION_DUE.value).order_by("-on_date", "-pk").first()
    )
    return step.on_date if step is not None else contract.trial_end


# A due step: (day, priority, step, reason, patent pk — 0 unless the step is a patent's end).
Step = tuple[dt.date, int, str, str, int]


def _next_step(
    contract: LicenceContract, as_of: dt.date, ends: dict[int, tuple[dt.date, str] | None]
) -> Step | None:
    """The earliest calendar step due by ``as_of``. On one day a patent's end comes first, then
    expiry, then the trial's end, then the missed answer. Only patents still in the contract's
    scope count: one that has left it on an earlier run is not ended again."""
    state = ContractState(contract.state)
    allowed = set(allowed_events(state))
    due: list[Step] = []
    if ContractEvent.PATENT_ENDED in allowed:
        for patent in live_patents(contract):
            if patent.pk not in ends:
                ends[patent.pk] = patent_end(patent, as_of)
            end = ends[patent.pk]
            if end is not None:
                reason = f"专利 {patent.application_number}：{end[1]}（{end[0]}）"
                due.append((end[0], 0, "patent", reason, patent.pk))
    if ContractEvent.EXPIRE in allowed and contract.end_date < as_of:
        due.append((contract.end_date + dt.timedelta(days=1), 1, "expire", "", 0))
    if state is ContractState.ACTIVE_TRIAL and contract.trial_end is not None and contract.trial_end <= as_of:
        due.append((contract.trial_end, 2, "trial_end", "", 0))
    if state is ContractState.CONVERSION_DUE:
        start = _grace_start(contract)
        if start is not None:
            grace = int(policy.value("CONVERSION_GRACE_DAYS", as_of=start))
            deadline = start + dt.timedelta(days=grace)
            if deadline < as_of:
                due.append((deadline + dt.timedelta(days=1), 3, "no_answer", deadline.isoformat(), 0))
    return min(due) if due else None


def _patent_step(contract: LicenceContract, patent_pk: int, on: dt.date, reason: str) -> Action:
    """A licensed patent ended: it leaves the scope while other patents of the contract are still
    in it; the contract ends with its last patent (专利法 Art. 47 either way)."""
    no = contract.contract_no
    patent = Patent.objects.get(pk=patent_pk)
    remaining = [p for p in live_patents(contract) if p.pk != patent_pk]
    if not remaining:
        contracts.end_by_patent(contract, on=on, reason=reason, patent=patent)
        notify(contract, f"许可合同 {no} 因{reason}而终止（专利法第四十七条：已支付的许可使用费不予返还）")
        return {"action": "contract_ended_by_patent", "contract": no, "on": on.isoformat(), "reason": reason}
    patent_leaves(contract, patent, on=on, reason=reason)
    notify(
        contract,
        f"许可合同 {no}：{reason}，该专利自 {on} 起退出许可范围；合同对其余 {len(remaining)} 件专利继续有效"
        "（专利法第四十七条：已支付的许可使用费不予返还）",
    )
    return {
        "action": "contract_patent_left",
        "contract": no,
        "patent": patent.application_number,
        "on": on.isoformat(),
        "reason": reason,
        "remaining": len(remaining),
    }


def _take(contract: LicenceContract, step: Step) -> Action:
    """Take one step through the contract services and notify both parties."""
    on, _, kind, reason, patent_pk = step
    no = contract.contract_no
    if kind == "patent":
        return _patent_step(contract, patent_pk, on, reason)
    if kind == "expire":
        contracts.expire(contract, on=on)
        notify(contract, f"许可合同 {no} 的许可期限已于 {contract.end_date} 届满，合同终止")
        return {"action": "contract_expired", "contract": no, "on": on.isoformat()}
    if kind == "trial_end":
        contracts.end_trial(None, contract, on=on)
        start = on
        grace = int(policy.value("CONVERSION_GRACE_DAYS", as_of=start))
        deadline = start + dt.timedelta(days=grace)
        notify(
            contract,
            f"许可合同 {no} 的免费试用期已于 {on} 届满：请被许可方在 {deadline} 前确认是否转为付费许可，逾期视为不转化",
        )
        return {
            "action": "trial_ended",
            "contract": no,
            "on": on.isoformat(),
            "answer_by": deadline.isoformat(),
        }
    contracts.decline(None, contract, on=on, reason_code="no_answer", note=f"答复期限 {reason} 已过")
    notify(contract, f"许可合同 {no} 试用期满后至 {reason} 未答复是否转为付费许可，按未转化处理，许可已结束")
    return {"action": "conversion_no_answer", "contract": no, "on": on.isoformat(), "answer_by": reason}


def contract_steps(as_of: dt.date, problem: Callable[[str], None]) -> list[Action]:
    """Every calendar step due by ``as_of`` on running contracts, in date order per contract; a
    step a service refuses is reported through ``problem`` and the contract is left as it is."""
    out: list[Action] = []
    ends: dict[int, tuple[dt.date, str] | None] = {}
    ids = list(
        LicenceContract.objects.filter(state__in=LIVE_STATES).order_by("pk").values_list("pk", flat=True)
    )
    for pk in ids:
        bound = _MAX_STEPS + ContractPatent.objects.filter(licencecontract_id=pk).count()
        for _ in range(bound):
            contract = LicenceContract.objects.select_related("licensor_org", "licensee_org").get(pk=pk)
            if contract.state not in LIVE_STATES:
                break
            step = _next_step(contract, as_of, ends)
            if step is None:
                break
            kind = step[2]
            try:
                with transaction.atomic():
                    out.append(_take(contract, step))
            except LicensingRefused as exc:
                problem(f"合同 {contract.contract_no}：{exc.display()}")
                logger.warning(
                    "sweep: contract %s step %s refused: %s", contract.contract_no, kind, exc.reason
                )
                break
    return out


def _reminder_sent_since(contract: LicenceContract, since: dt.date) -> bool:
    return contract.steps.filter(event="trial_reminder", on_date__gte=since).exists()


def trial_reminders(as_of: dt.date) -> list[Action]:
    """Notices before a trial ends (policy TRIAL_REMINDER_DAYS, e.g. 30 and 7 days): the most
    imminent reminder due by ``as_of`` is sent once (a timeline entry plus a notice to both
    parties); a reminder already sent on or after its scheduled day, in this trial period, is
    not sent again."""
    out: list[Action] = []
    days = sorted(int(d) for d in policy.value("TRIAL_REMINDER_DAYS", as_of=as_of))
    live = LicenceContract.objects.filter(state=ContractState.ACTIVE_TRIAL.value, trial_end__gt=as_of)
    for contract in live.select_related("licensor_org", "licensee_org").order_by("trial_end", "pk"):
        assert contract.trial_end is not None
        due = [k for k in days if contract.trial_end - dt.timedelta(days=k) <= as_of]
        if not due:
            continue
        k = min(due)
        scheduled = contract.trial_end - dt.timedelta(days=k)
        extended = contract.steps.filter(event=ContractEvent.EXTEND.value).order_by("-on_date").first()
        since = max(scheduled, extended.on_date) if extended is not None else scheduled
        if _reminder_sent_since(contract, since):
            continue
        left = (contract.trial_end - as_of).days
        with transaction.atomic():
            add_step(
                None,
                contract,
                "trial_reminder",
                on=as_of,
                note=f"试用期将于 {contract.trial_end} 结束（提前 {k} 天提醒，还有 {left} 天）",
                data={"days_left": left, "reminder_days": k, "trial_end": contract.trial_end.isoformat()},
            )
            notify(
                contract,
                f"许可合同 {contract.contract_no} 的免费试用期将于 {contract.trial_end} 结束（还有 {left} 天），"
                f"请被许可方及时确认是否转为付费许可",
            )
        out.append(
            {
                "action": "trial_reminder",
                "contract": contract.contract_no,
                "days_left": left,
                "trial_end": contract.trial_end.isoformat(),
            }
        )
    return out
