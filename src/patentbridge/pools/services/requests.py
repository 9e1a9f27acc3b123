"""An enterprise's request for a pool's outbound licence (guide §4.d: "enterprises apply for
outbound licences"): the enterprise asks an operating pool with a published tariff; the managing
agency signs it through ``licences.grant_outbound`` (which creates and signs the licensing
contract) or declines it with a reason; the enterprise may withdraw a request that still waits.
Every step is audited and the other side is notified."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices
from patentbridge.core import audit
from patentbridge.core.models import Notification
from patentbridge.pools.choices import LicenceRequestStateChoices as State
from patentbridge.pools.choices import PoolStateChoices
from patentbridge.pools.models import Pool, PoolLicenceRequest, PoolMember
from patentbridge.pools.services import licences
from patentbridge.pools.services.common import clean_text, locked_pool, org_of, require_agency
from patentbridge.pools.services.licences import MAX_LEAD_DAYS, running_licence

__all__ = ["decline_request", "grant_request", "request_licence", "running_licence", "withdraw_request"]


def _pool_url(pool: Pool) -> str:
    try:
        return reverse("pools:detail", args=[pool.pk])
    except NoReverseMatch:
        return ""


def _notify(org_id: int, pool: Pool, message: str) -> None:
    Notification.objects.create(org_id=org_id, message=message[:500], url=_pool_url(pool))


def _locked_request(req: PoolLicenceRequest) -> PoolLicenceRequest:
    row = PoolLicenceRequest.objects.select_for_update().select_related("pool", "org").get(pk=req.pk)
    if row.state != State.SUBMITTED:
        raise ValidationError({"request": f"该申请当前为「{row.get_state_display()}」，不能再处理"})
    return row


@transaction.atomic
def request_licence(
    actor: Any, pool: Pool, *, on: dt.date, intended_use: str, start: dt.date | None = None
) -> PoolLicenceRequest:
    """The actor's enterprise asks ``pool`` for its outbound licence from ``start`` (default
    ``on``). Refused unless the pool operates with a published tariff, for a pool member (it
    already has the in-pool cross-licence), while the enterprise holds a running licence of the
    pool or has a request waiting."""
    policies.require(actor, "pools.request_licence")
    org = org_of(actor)
    if org is None or org.kind != OrgKindChoices.ENTERPRISE:
        raise PermissionDenied("只有企业用户可以申请池外统一许可")
    use = clean_text(intended_use, "intended_use", 300, required=True, label="拟实施用途")
    start = start or on
    if start < on:
        raise ValidationError({"start": "希望许可开始日不能早于申请日"})
    if start > on + dt.timedelta(days=MAX_LEAD_DAYS):
        raise ValidationError({"start": "希望许可开始日应在一年以内"})
    pool = locked_pool(pool)
    if pool.state != PoolStateChoices.OPERATING:
        raise ValidationError({"pool": f"专利池当前为「{pool.get_state_display()}」，暂不受理池外许可申请"})
    if not pool.tariff:
        raise ValidationError({"pool": "专利池尚未公布池外统一许可费，暂不受理池外许可申请"})
    if PoolMember.objects.filter(pool=pool, org=org, left_on__isnull=True).exists():
        raise ValidationError({"pool": "贵单位是专利池成员，已享有池内交叉许可，无需申请池外许可"})
    held = running_licence(pool, org)
    if held is not None:
        raise ValidationError(
            {"pool": f"贵单位已持有本专利池的许可合同 {held.contract.contract_no}，无需重复申请"}
        )
    if PoolLicenceRequest.objects.filter(pool=pool, org=org, state=State.SUBMITTED).exists():
        raise ValidationError({"pool": "贵单位已有一份待处理的池外许可申请"})
    try:
        with transaction.atomic():
            req = PoolLicenceRequest.objects.create(
                pool=pool, org=org, requested_by=actor, requested_on=on, start_date=start, intended_use=use
            )
    except IntegrityError:
        # A concurrent request of the same enterprise won the race (one waiting request per pool).
        raise ValidationError({"pool": "贵单位已有一份待处理的池外许可申请"}) from None
    audit.record(
        "pools.licence_request.submitted",
        actor=actor,
        target=pool,
        org=org,
        data={"request": req.pk, "enterprise": org.name, "start": start.isoformat(), "intended_use": use},
    )
    _notify(
        pool.agency_org_id, pool, f"{org.name} 申请{pool.name}的池外统一许可（希望自 {start} 起），请审核"
    )
    return req


@transaction.atomic
def grant_request(
    actor: Any, req: PoolLicenceRequest, *, on: dt.date, start: dt.date | None = None
) -> PoolLicenceRequest:
    """The agency signs the request: ``licences.grant_outbound`` licenses the pool's admitted
    patents to the enterprise under the tariff from ``start`` (default the requested start, not
    before ``on``) and the request points at the licence."""
    require_agency(actor, req.pool)
    row = _locked_request(req)
    begin = start or max(row.start_date, on)
    licence = licences.grant_outbound(actor, row.pool, row.org, start=begin, on=on, is_demo=row.is_demo)
    row.state, row.decided_by, row.decided_on, row.licence = State.GRANTED, actor, on, licence
    row.save(update_fields=["state", "decided_by", "decided_on", "licence"])
    no = licence.contract.contract_no
    audit.record(
        "pools.licence_request.granted",
        actor=actor,
        target=row.pool,
        org=row.pool.agency_org,
        data={"request": row.pk, "enterprise": row.org.name, "contract": no, "start": begin.isoformat()},
    )
    _notify(row.org_id, row.pool, f"{row.pool.name}已同意贵单位的池外许可申请，许可合同 {no} 已签订")
    return row


@transaction.atomic
def decline_request(actor: Any, req: PoolLicenceRequest, *, on: dt.date, reason: str) -> PoolLicenceRequest:
    """The agency declines the request with a reason the enterprise reads."""
    require_agency(actor, req.pool)
    text = clean_text(reason, "reason", 500, required=True, label="未予许可的理由")
    row = _locked_request(req)
    row.state, row.decided_by, row.decided_on, row.decline_reason = State.DECLINED, actor, on, text
    row.save(update_fields=["state", "decided_by", "decided_on", "decline_reason"])
    audit.record(
        "pools.licence_request.declined",
        actor=actor,
        target=row.pool,
        org=row.pool.agency_org,
        data={"request": row.pk, "enterprise": row.org.name, "reason": text},
    )
    _notify(row.org_id, row.pool, f"{row.pool.name}未同意贵单位的池外许可申请：{text}")
    return row


@transaction.atomic
def withdraw_request(actor: Any, req: PoolLicenceRequest, *, on: dt.date) -> PoolLicenceRequest:
    """The requesting enterprise withdraws a request that still waits."""
    policies.require(actor, "pools.request_licence")
    org = org_of(actor)
    if org is None or org.pk != req.org_id:
        raise PermissionDenied("只能撤回本单位的申请")
    row = _locked_request(req)
    row.state, row.decided_on = State.WITHDRAWN, on
    row.save(update_fields=["state", "decided_on"])
    audit.record(
        "pools.licence_request.withdrawn",
        actor=actor,
        target=row.pool,
        org=org,
        data={"request": row.pk, "enterprise": org.name},
    )
    _notify(row.pool.agency_org_id, row.pool, f"{org.name} 撤回了{row.pool.name}的池外许可申请")
    return row
