"""Directed licence offers (定向发布, guide §2.d ``LicenceOffer``): a TTO — or an operator on behalf
of the owner organisation — drafts a package of its in-library patents with the modes on offer,
the free-trial terms and the paid terms, submits it for internal review, publishes, pauses and
closes it. Every step is audited in its transaction; the state machine is the engine's
``offer_transition``. Invalid input raises ``ValidationError`` keyed by field; a refused step
raises ``LicensingRefused`` with a Chinese reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.core.restrict import restrict
from patentbridge.licensing.choices import (
    ModeChoices,
    OfferStateChoices,
    PriceMethodChoices,
)
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceOffer
from patentbridge.licensing.services.offer_terms import (
    clean_fee_schedule,
    clean_offer_values,
    offer_patents,
    resolve_patents,
)
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.fees import FeeSchedule, schedule_findings
from patentbridge_engine.licensing.states import OfferEvent, OfferState, TransitionRefused, offer_transition

__all__ = [
    "OFFER_EVENTS",
    "clean_fee_schedule",
    "create_offer",
    "may_manage_offer",
    "offer_step",
    "offer_warnings",
    "resolve_patents",
    "update_offer",
]

TRIAL = ModeChoices.TRIAL_THEN_PAID.value
PAID = ModeChoices.PAID.value
# event → audit verb
OFFER_EVENTS: dict[str, str] = {
    OfferEvent.SUBMIT.value: "submitted",
    OfferEvent.APPROVE.value: "published",
    OfferEvent.REJECT.value: "returned",
    OfferEvent.PAUSE.value: "paused",
    OfferEvent.RESUME.value: "resumed",
    OfferEvent.CLOSE.value: "closed",
}
_AUDITED = (
    "title",
    "description",
    "modes",
    "licence_kind",
    "territory",
    "field_of_use",
    "target_regions",
    "region_only",
    "trial_months",
    "trial_usage_report_required",
    "trial_conversion_mode",
    "trial_extensions_allowed",
    "max_trials_per_patent",
    "paid_terms",
    "price_method",
)


def may_manage_offer(user: Any, offer: LicenceOffer) -> bool:
    """The publisher's TTO, operators and admins may edit and move an offer."""
    return policies.can(user, "licensing.offer") and (
        restrict(LicenceOffer.objects.filter(pk=offer.pk), user, "change").exists()
    )


def _require_publisher(actor: Any, org: Any) -> None:
    policies.require(actor, "licensing.offer")
    if policies.is_platform_wide(actor):
        return
    member = policies.membership_of(actor)
    if member is None or member.org_id != getattr(org, "pk", None):
        raise LicensingRefused("NOT_PUBLISHER", "只能为本单位的专利发布许可项目")


@transaction.atomic
def create_offer(
    actor: Any,
    *,
    publisher_org: Any,
    patents: Iterable[Any],
    target_chains: Iterable[Any] = (),
    on: dt.date,
    is_demo: bool = False,
    **values: Any,
) -> LicenceOffer:
    """A DRAFT offer of ``publisher_org`` (the actor's own organisation, or any for an operator
    acting on the owner's behalf). ``values``: title, description, modes, licence_kind, territory,
    field_of_use, target_regions, region_only, trial_months (default policy
    TRIAL_DEFAULT_MONTHS on ``on``), trial_usage_report_required, trial_conversion_mode,
    trial_extensions_allowed, max_trials_per_patent, paid_terms (FeeSchedule dict), price_method."""
    _require_publisher(actor, publisher_org)
    cleaned = clean_offer_values(values, publisher_org, on=on)
    chosen = offer_patents(publisher_org, patents)
    offer = LicenceOffer.objects.create(
        publisher_org=publisher_org, created_by=actor, is_demo=is_demo, **cleaned
    )
    offer.patents.set(chosen)
    offer.target_chains.set(list(target_chains))
    audit.record(
        "licensing.offer.created",
        actor=actor,
        target=offer,
        org=publisher_org,
        data={"after": {k: cleaned[k] for k in _AUDITED}, "patents": [p.application_number for p in chosen]},
    )
    return offer


@transaction.atomic
def update_offer(
    actor: Any,
    offer: LicenceOffer,
    *,
    patents: Iterable[Any],
    target_chains: Iterable[Any] = (),
    on: dt.date,
    **values: Any,
) -> LicenceOffer:
    """Edit a DRAFT offer (one returned from review is a draft again); the diff is audited."""
    offer = LicenceOffer.objects.select_for_update().get(pk=offer.pk)
    _require_publisher(actor, offer.publisher_org)
    if offer.state != OfferStateChoices.DRAFT:
        raise LicensingRefused(
            "OFFER_STATE", f"许可项目当前状态为「{offer.get_state_display()}」，只有草稿可以修改"
        )
    cleaned = clean_offer_values(values, offer.publisher_org, on=on)
    chosen = offer_patents(offer.publisher_org, patents)
    before = {k: getattr(offer, k) for k in _AUDITED}
    before_patents = sorted(offer.patents.values_list("application_number", flat=True))
    for name, value in cleaned.items():
        setattr(offer, name, value)
    offer.save()
    offer.patents.set(chosen)
    offer.target_chains.set(list(target_chains))
    change = audit.diff(before, {k: cleaned[k] for k in _AUDITED})
    after_patents = sorted(p.application_number for p in chosen)
    if after_patents != before_patents:
        change["before"]["patents"], change["after"]["patents"] = before_patents, after_patents
    audit.record("licensing.offer.updated", actor=actor, target=offer, org=offer.publisher_org, data=change)
    return offer


def _publish_refusal(offer: LicenceOffer, on: dt.date) -> LicensingRefused | None:
    """What stops an offer from going public: no patent left in the library, or paid terms that
    are missing or not computable (rule L9) where the enterprise must see them up front."""
    patents = list(offer.patents.all())
    if not patents:
        return LicensingRefused("OFFER_EMPTY", "许可项目没有专利，不能发布")
    for patent in patents:
        if (
            patent.library_status != LibraryStatusChoices.IN_LIBRARY
            or patent.owner_org_id != offer.publisher_org_id
        ):
            return LicensingRefused(
                "OFFER_PATENT", f"专利 {patent.application_number} 已不在本单位资源库中，不能发布"
            )
    needs_terms = PAID in offer.modes or (
        TRIAL in offer.modes and offer.trial_conversion_mode == "pre_agreed"
    )
    if not needs_terms:
        return None
    if not offer.paid_terms:
        return LicensingRefused(
            "L9", "付费许可或“按预先约定条件转化”的试用须在发布前填写付费条件（或明确免费）"
        )
    findings = schedule_findings(
        FeeSchedule.from_dict(offer.paid_terms),
        guide_max_fixed=policy.value("OL_GUIDE_MAX_FIXED_CNY", as_of=on),
        guide_max_net_sales=policy.value("OL_GUIDE_MAX_ROYALTY_NET_SALES", as_of=on),
        guide_max_profit=policy.value("OL_GUIDE_MAX_ROYALTY_PROFIT", as_of=on),
        for_open_licence=False,
    )
    blocks = [f for f in findings if f.severity.value == "block"]
    return LicensingRefused(blocks[0].code, blocks[0].reason, findings) if blocks else None


@transaction.atomic
def offer_step(actor: Any, offer: LicenceOffer, event: str, *, on: dt.date, note: str = "") -> LicenceOffer:
    """Run one offer event (submit, approve = publish, reject = back to draft, pause, resume,
    close) through the engine's machine; publishing re-checks the package and the paid terms."""
    offer = LicenceOffer.objects.select_for_update().get(pk=offer.pk)
    _require_publisher(actor, offer.publisher_org)
    if event not in OFFER_EVENTS:
        raise LicensingRefused("OFFER_EVENT", "未知的许可项目操作")
    note = (note or "").strip()[:500]
    try:
        target = offer_transition(OfferState(offer.state), OfferEvent(event))
    except TransitionRefused as exc:
        raise LicensingRefused(exc.code, exc.reason) from None
    if target is OfferState.PUBLISHED:
        refusal = _publish_refusal(offer, on)
        if refusal is not None:
            raise refusal
    before = offer.state
    offer.state = target.value
    if target is OfferState.PUBLISHED and offer.published_at is None:
        offer.published_at = timezone.now()
    offer.save(update_fields=["state", "published_at"])
    audit.record(
        f"licensing.offer.{OFFER_EVENTS[event]}",
        actor=actor,
        target=offer,
        org=offer.publisher_org,
        data={
            "before": {"state": before},
            "after": {"state": offer.state},
            "note": note,
            "on": on.isoformat(),
        },
    )
    return offer


def offer_warnings(offer: LicenceOffer) -> list[str]:
    """Things the publisher should know before publishing (nothing here blocks)."""
    out: list[str] = []
    if offer.region_only and not offer.target_regions:
        out.append("已勾选“仅面向定向地区”，但未填写定向地区，该选项不起作用")
    if offer.publisher_org.state_run and not offer.price_method:
        out.append("发布单位为政府设立的高校或科研机构：签订合同前须确定定价方式（规则 L7）")
    if offer.price_method == PriceMethodChoices.AGREEMENT and offer.publisher_org.state_run:
        out.append("协议定价须在本单位公示拟交易价格，公示期满无异议后才能签订合同（规则 L7）")
    if TRIAL in offer.modes and offer.trial_conversion_mode == "negotiate":
        out.append("试用结束后再协商付费条件：企业申请时看不到付费标准，转化时须另行约定")
    return out
