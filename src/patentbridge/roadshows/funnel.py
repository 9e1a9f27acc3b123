"""The funnel of an event (guide §6.d reports): items → registrations → intentions → deals, with
the 意向金额 stated at the event and the amounts of the deals. A deal is an intention whose linked
licence contract has been signed; its amount is the contract's fixed fees (entry fee, lump sum,
milestones — royalties depend on future sales and are not summed), read from licensing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.services.money import schedule_of
from patentbridge.roadshows.models import RoadshowEvent, RoadshowIntention

__all__ = ["EventFunnel", "deal_amount", "event_funnel", "is_deal"]

ZERO = Decimal("0.00")


def is_deal(intention: RoadshowIntention) -> bool:
    """The linked contract has been signed (whatever happened to it since)."""
    contract = intention.contract
    return contract is not None and contract.signed_at is not None


def deal_amount(intention: RoadshowIntention) -> Decimal:
    """The fixed fees of the signed contract (0 for a free licence or a malformed schedule)."""
    contract = intention.contract
    if contract is None or contract.signed_at is None:
        return ZERO
    try:
        return schedule_of(contract).fixed_total
    except LicensingRefused:
        return ZERO


@dataclass
class EventFunnel:
    """Counts and amounts of one event (or of several, summed)."""

    items: int = 0
    invited: int = 0
    registered: int = 0
    attended: int = 0
    intentions: int = 0
    intention_amount: Decimal = ZERO
    outcomes: int = 0
    deals: int = 0
    deal_amount: Decimal = ZERO
    royalty_deals: int = 0
    by_mode: dict[str, int] = field(default_factory=dict)

    def steps(self) -> list[dict[str, Any]]:
        """The chart's steps: each with its count and its share of the first step."""
        base = self.items or 1
        rows = (
            ("items", "路演专利", self.items),
            ("registered", "报名企业", self.registered),
            ("intentions", "意向", self.intentions),
            ("deals", "成交（已签许可合同）", self.deals),
        )
        return [{"key": k, "label": label, "count": n, "rate": n / base} for k, label, n in rows]


def event_funnel(event: RoadshowEvent, intentions: Iterable[RoadshowIntention] | None = None) -> EventFunnel:
    """The funnel of ``event``; ``intentions`` restricts the intention part to the rows a user may
    see (default: all of the event's)."""
    rows = list(
        intentions if intentions is not None else event.intentions.select_related("contract", "application")
    )
    out = EventFunnel(
        items=event.items.count(),
        invited=event.invitations.count(),
        registered=event.registrations.count(),
        attended=event.registrations.filter(attended=True).count(),
    )
    for intention in rows:
        out.intentions += 1
        out.intention_amount += intention.amount
        out.by_mode[intention.mode] = out.by_mode.get(intention.mode, 0) + 1
        if intention.application_id or intention.contract_id:
            out.outcomes += 1
        contract = intention.contract
        if contract is not None and contract.signed_at is not None:
            out.deals += 1
            out.deal_amount += deal_amount(intention)
            try:
                if schedule_of(contract).royalty is not None:
                    out.royalty_deals += 1
            except LicensingRefused:
                pass
    return out
