"""Licensing start-up hooks: the Chinese labels of the contract, ledger and filing audit actions, and
the domain-event subscription that ends running contracts when a licensed patent's stored legal
status says it has ended (expiry, lapse for non-payment, abandonment)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from patentbridge.core import events
from patentbridge.core.labels import ACTION_LABELS

__all__ = ["end_contracts_of_ended_patents", "register"]

logger = logging.getLogger("patentbridge.licensing")

# Contract states in which the licence still runs or is about to (the patent's end ends them).
_LIVE = ("signed", "active_trial", "conversion_due", "active_paid", "suspended")
_ENDED_STATUS = {
    "expired": "专利权期限届满",
    "lapsed_non_payment": "专利权因未缴年费终止",
    "abandoned": "专利权人放弃专利权",
}


def _end_date(patent: object) -> dt.date | None:
    """The day the patent's right ended, when the record knows it."""
    status = getattr(patent, "legal_status", "")
    if status == "expired":
        return getattr(patent, "expiry_date", None)
    return getattr(patent, "lapse_date", None)


def end_contracts_of_ended_patents(numbers: Iterable[str]) -> int:
    """End (ENDED_BY_PATENT) every running contract that licenses one of ``numbers`` whose legal
    status is now expired, lapsed or abandoned with a known date; the business date is that date.
    Returns how many contracts ended. A contract refused by its state machine is logged and left."""
    from patentbridge.licensing.errors import LicensingRefused
    from patentbridge.licensing.models import LicenceContract
    from patentbridge.licensing.services.contracts import end_by_patent
    from patentbridge.patents.models import Patent

    ended = 0
    patents = Patent.objects.filter(
        application_number__in=list(numbers), legal_status__in=list(_ENDED_STATUS)
    )
    for patent in patents:
        on = _end_date(patent)
        if on is None:
            continue
        for contract in LicenceContract.objects.filter(patents=patent, state__in=_LIVE).order_by("pk"):
            reason = f"专利 {patent.application_number}：{_ENDED_STATUS[patent.legal_status]}（{on}）"
            try:
                end_by_patent(contract, on=on, reason=reason)
            except LicensingRefused as exc:
                logger.warning("contract %s not ended: %s", contract.contract_no, exc.reason)
                continue
            ended += 1
    return ended


def register() -> None:
    """Labels of the audit actions; the PATENTS_CHANGED subscription."""
    from patentbridge.licensing.services.contract_states import ACTION_LABELS as CONTRACT_ACTIONS

    ACTION_LABELS.update(CONTRACT_ACTIONS)
    events.subscribe(events.PATENTS_CHANGED, end_contracts_of_ended_patents)
