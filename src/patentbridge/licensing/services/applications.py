"""Enterprises' applications for a free trial or a licence under a published offer (guide §2.d
``LicenceApplication``), also made with one click from a pushed patent marked 有意向.

The publisher accepts — which creates the contract draft through ``contracts.create_contract``
with the offer's terms, the trial starting on the acceptance date — or rejects with a reason; the
applicant may withdraw. Rule L11: an applicant outside an offer's target regions is flagged
``out_of_region`` (counted as an out-of-region deal); when the offer is ``region_only`` the
publisher must confirm before accepting. ``max_trials_per_patent`` caps the enterprises that may
trial one patent: accepted trial applications take the places."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.licensing.choices import (
    ApplicationStateChoices,
    LicenceKindChoices,
    ModeChoices,
    OfferStateChoices,
    OriginChoices,
)
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceApplication, LicenceContract, LicenceOffer
from patentbridge.licensing.services.application_queries import (
    DEFAULT_TERM_MONTHS,
    default_end,
    needs_region_confirmation,
    offers_for_patent,
    trial_places_left,
)
from patentbridge.licensing.services.deal_regions import within
from patentbridge.matching.choices import FeedbackChoices
from patentbridge_engine.licensing.states import (
    ApplicationEvent,
    ApplicationState,
    TransitionRefused,
    application_transition,
)

__all__ = [
    "APPLICABLE_MODES",
    "DEFAULT_TERM_MONTHS",
    "accept_application",
    "apply_for_licence",
    "apply_from_interest",
    "confirm_region",
    "default_end",
    "needs_region_confirmation",
    "offers_for_patent",
    "reject_application",
    "trial_places_left",
    "withdraw_application",
]

TRIAL = ModeChoices.TRIAL_THEN_PAID.value
# Modes an application can ask for here; an open licence is accepted on its declaration (M7), a
# transfer or equity deal is negotiated outside the licence workflow.
APPLICABLE_MODES = (TRIAL, ModeChoices.PAID.value)
_USE_LIMIT = 2000


def _org(user: Any) -> Any:
    member = policies.membership_of(user)
    return None if member is None else member.org


def _require_publisher(actor: Any, offer: LicenceOffer) -> None:
    policies.require(actor, "licensing.manage")
    if policies.is_platform_wide(actor):
        return
    org = _org(actor)
    if org is None or org.pk != offer.publisher_org_id:
        raise LicensingRefused("NOT_PUBLISHER", "只有发布单位或运营中心可以处理该申请")


def _step(application: LicenceApplication, event: ApplicationEvent) -> str:
    try:
        return application_transition(ApplicationState(application.state), event).value
    except TransitionRefused as exc:
        raise LicensingRefused(exc.code, exc.reason) from None


def _check_trial_places(offer: LicenceOffer, patents: Iterable[Any], applicant_org: Any) -> None:
    for patent in patents:
        if trial_places_left(offer, patent, applicant_org=applicant_org) == 0:
            raise LicensingRefused(
                "MAX_TRIALS",
                f"专利 {patent.application_number}（{patent.title}）的免费试用名额已满："
                f"本项目每件专利最多 {offer.max_trials_per_patent} 家企业试用，可改为申请付费许可",
            )


@transaction.atomic
def apply_for_licence(
    actor: Any,
    offer: LicenceOffer,
    *,
    patents: Iterable[Any],
    requested_mode: str,
    intended_use: str = "",
    match_item: Any = None,
    is_demo: bool = False,
) -> LicenceApplication:
    """The actor's enterprise applies under a published offer for some of its patents."""
    policies.require(actor, "licensing.apply")
    org = _org(actor)
    offer = LicenceOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.state != OfferStateChoices.PUBLISHED:
        raise LicensingRefused("OFFER_NOT_PUBLISHED", "该许可项目未在发布中，暂不接受申请")
    if requested_mode not in APPLICABLE_MODES or requested_mode not in offer.modes:
        offered = "、".join(ModeChoices(m).label for m in offer.modes if m in APPLICABLE_MODES) or "无"
        raise ValidationError({"requested_mode": f"该项目可申请的方式：{offered}"})
    in_offer = {p.pk: p for p in offer.patents.all()}
    chosen = list(dict.fromkeys(patents))
    if not chosen:
        raise ValidationError({"patents": "请至少选择一件专利"})
    outside = [p.application_number for p in chosen if p.pk not in in_offer]
    if outside:
        raise ValidationError({"patents": f"专利 {'、'.join(outside)} 不在该许可项目中"})
    intended_use = (intended_use or "").strip()
    if len(intended_use) > _USE_LIMIT:
        raise ValidationError({"intended_use": f"拟实施产品/用途最多 {_USE_LIMIT} 个字符"})
    if LicenceApplication.objects.filter(
        offer=offer, applicant_org=org, state=ApplicationStateChoices.SUBMITTED
    ).exists():
        raise LicensingRefused("APPLICATION_PENDING", "贵单位已就该项目提交申请，正在等待发布单位处理")
    if requested_mode == TRIAL:
        _check_trial_places(offer, chosen, org)
    application = LicenceApplication.objects.create(
        offer=offer,
        applicant_org=org,
        requested_mode=requested_mode,
        intended_use=intended_use,
        match_item=match_item,
        out_of_region=not within(org.region_code, offer.target_regions),
        is_demo=is_demo,
        created_by=actor,
    )
    application.patents.set(chosen)
    audit.record(
        "licensing.application.submitted",
        actor=actor,
        target=application,
        data={
            "offer": offer.pk,
            "requested_mode": requested_mode,
            "patents": [p.application_number for p in chosen],
            "out_of_region": application.out_of_region,
        },
    )
    return application


def apply_from_interest(actor: Any, item: Any) -> LicenceApplication:
    """One click from the inbox: the enterprise marked a pushed patent 有意向; apply for a free
    trial of that patent under the newest published offer that has it (a paid licence when no
    offer has a trial), naming the need as the intended use."""
    policies.require(actor, "licensing.apply")
    org = _org(actor)
    if org is None or item.need.org_id != org.pk:
        raise LicensingRefused("NOT_OWN_ITEM", "只能为本单位收到的推送申请试用")
    if item.feedback != FeedbackChoices.INTERESTED:
        raise LicensingRefused("NOT_INTERESTED", "请先在推送收件箱中对该专利反馈“有意向”")
    offers = offers_for_patent(actor, item.patent)
    offer = next((o for o in offers if TRIAL in o.modes), None) or next(
        (o for o in offers if ModeChoices.PAID in o.modes), None
    )
    if offer is None:
        raise LicensingRefused("NO_OFFER", "该专利目前没有发布中的许可项目，请联系运营中心")
    mode = TRIAL if TRIAL in offer.modes else ModeChoices.PAID.value
    return apply_for_licence(
        actor,
        offer,
        patents=[item.patent],
        requested_mode=mode,
        intended_use=f"技术需求：{item.need.title}"[:_USE_LIMIT],
        match_item=item,
    )


@transaction.atomic
def confirm_region(actor: Any, application: LicenceApplication) -> LicenceApplication:
    """Rule L11: the publisher (or an operator) confirms an out-of-region applicant."""
    application = (
        LicenceApplication.objects.select_for_update().select_related("offer").get(pk=application.pk)
    )
    _require_publisher(actor, application.offer)
    if not application.out_of_region:
        raise LicensingRefused("L11", "申请人在定向地区内，无需确认")
    if application.state != ApplicationStateChoices.SUBMITTED:
        raise LicensingRefused("APPLICATION_STATE", "只能确认待处理的申请")
    application.region_confirmed_by = actor
    application.save(update_fields=["region_confirmed_by"])
    audit.record(
        "licensing.application.region_confirmed", actor=actor, target=application, data={"rule": "L11"}
    )
    return application


@transaction.atomic
def accept_application(
    actor: Any, application: LicenceApplication, *, on: dt.date, end: dt.date | None = None
) -> LicenceContract:
    """Accept: a DRAFT contract (origin directed_trial or directed) with the offer's terms, the
    licence starting on ``on`` (the trial starts the day it is accepted); the publisher then runs
    submit/approve/(公示)/sign on the contract page."""
    from patentbridge.licensing.services import contracts

    application = (
        LicenceApplication.objects.select_for_update().select_related("offer").get(pk=application.pk)
    )
    # Lock the offer too: two acceptances at once must not both take the last trial place.
    offer = LicenceOffer.objects.select_for_update().get(pk=application.offer_id)
    _require_publisher(actor, offer)
    state = _step(application, ApplicationEvent.ACCEPT)
    if needs_region_confirmation(application):
        raise LicensingRefused(
            "L11",
            "申请人不在定向发布地区内，且该项目仅面向定向地区：请先确认区域外申请（将计为区域外成交），再接受申请",
        )
    patents = list(application.patents.all())
    trial = application.requested_mode == TRIAL
    if trial:
        _check_trial_places(offer, patents, application.applicant_org)
    end = end or default_end(application, on)
    if end <= on:
        raise ValidationError({"end": "许可结束日须晚于开始日"})
    contract = contracts.create_contract(
        actor,
        licensor_org=offer.publisher_org,
        licensee_org=application.applicant_org,
        patents=patents,
        kind=LicenceKindChoices.ORDINARY.value if trial else offer.licence_kind,
        origin=(OriginChoices.DIRECTED_TRIAL if trial else OriginChoices.DIRECTED).value,
        start=on,
        end=end,
        trial_months=offer.trial_months if trial else None,
        fee_schedule=offer.paid_terms or None,
        price_method=offer.price_method,
        offer=offer,
        application=application,
        field_of_use=offer.field_of_use,
        territory=offer.territory,
        usage_report_required=trial and offer.trial_usage_report_required,
        conversion_mode=offer.trial_conversion_mode if trial else "",
        extensions_allowed=offer.trial_extensions_allowed if trial else 0,
        is_demo=application.is_demo,
    )
    application.state = state
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "decided_at"])
    audit.record(
        "licensing.application.accepted",
        actor=actor,
        target=application,
        data={"contract": contract.contract_no, "start": on.isoformat(), "end": end.isoformat()},
    )
    return contract


@transaction.atomic
def reject_application(actor: Any, application: LicenceApplication, *, reason: str) -> LicenceApplication:
    """The publisher declines with a reason the applicant reads."""
    application = (
        LicenceApplication.objects.select_for_update().select_related("offer").get(pk=application.pk)
    )
    _require_publisher(actor, application.offer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写拒绝理由"})
    if len(reason) > _USE_LIMIT:
        raise ValidationError({"reason": f"理由最多 {_USE_LIMIT} 个字符"})
    application.state = _step(application, ApplicationEvent.REJECT)
    application.decision_reason = reason
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "decision_reason", "decided_at"])
    audit.record("licensing.application.rejected", actor=actor, target=application, data={"reason": reason})
    return application


@transaction.atomic
def withdraw_application(actor: Any, application: LicenceApplication) -> LicenceApplication:
    """The applicant withdraws a pending application."""
    policies.require(actor, "licensing.apply")
    application = LicenceApplication.objects.select_for_update().get(pk=application.pk)
    org = _org(actor)
    if org is None or org.pk != application.applicant_org_id:
        raise LicensingRefused("NOT_APPLICANT", "只能撤回本单位的申请")
    application.state = _step(application, ApplicationEvent.WITHDRAW)
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "decided_at"])
    audit.record("licensing.application.withdrawn", actor=actor, target=application)
    return application
