"""Outbound licences (池外统一许可, guide §4.d P4): the managing agency licenses the pool's admitted
patents to an outside licensee as one ordinary licence under the pool's single published tariff,
through the licensing contract services (create → submit → approve → sign), on behalf of the
contributing members, who are named as the licensing patentees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from patentbridge.core import audit
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract
from patentbridge.licensing.services import contracts
from patentbridge.pools.choices import PatentStatusChoices, PoolStateChoices
from patentbridge.pools.models import Pool, PoolLicence, PoolMember, PoolPatent
from patentbridge.pools.services.common import locked_pool, require_agency
from patentbridge.pools.services.ledger import refresh_patent
from patentbridge_engine.legal.terms import add_years

__all__ = ["MAX_LEAD_DAYS", "RUNNING_STATES", "grant_outbound", "licensable_patents", "running_licence"]

# Licence contracts that still license the pool's patents (not ended, not refused).
RUNNING_STATES = (
    "draft",
    "in_approval",
    "public_notice",
    "approved",
    "signed",
    "active_trial",
    "conversion_due",
    "active_paid",
    "suspended",
)
# How far ahead of the signing day a licence may start (the request form's bound too).
MAX_LEAD_DAYS = 366


def running_licence(pool: Pool, org: Any) -> PoolLicence | None:
    """The pool's outbound licence of ``org`` that has not ended, if any."""
    return (
        PoolLicence.objects.filter(pool=pool, contract__licensee_org=org, contract__state__in=RUNNING_STATES)
        .select_related("contract")
        .first()
    )


def licensable_patents(pool: Pool, on: dt.date) -> list[PoolPatent]:
    """The pool patents in the pool on ``on`` after bringing their status up to that day."""
    for pp in PoolPatent.objects.filter(pool=pool).exclude(status=PatentStatusChoices.REMOVED):
        refresh_patent(pp, on)
    return list(
        PoolPatent.objects.filter(pool=pool, status=PatentStatusChoices.ADMITTED)
        .select_related("patent", "member__org")
        .order_by("pk")
    )


@transaction.atomic
def grant_outbound(
    actor: Any,
    pool: Pool,
    licensee_org: Any,
    *,
    start: dt.date,
    on: dt.date,
    sign: bool = True,
    is_demo: bool = False,
) -> PoolLicence:
    """An ordinary licence of every admitted patent on ``on`` to ``licensee_org`` for the pool's
    tariff term, under the tariff. ``sign`` walks the contract to signature (the agency signs for
    the contributors); otherwise it stays a draft on the licensing contract page."""
    require_agency(actor, pool)
    pool = locked_pool(pool)
    if pool.state != PoolStateChoices.OPERATING:
        raise ValidationError({"pool": f"专利池当前为「{pool.get_state_display()}」，不能对外许可"})
    if licensee_org is None:
        raise ValidationError({"licensee": "请选择被许可企业"})
    if PoolMember.objects.filter(pool=pool, org=licensee_org, left_on__isnull=True).exists():
        raise ValidationError({"licensee": "该机构是专利池成员，已享有池内交叉许可，无需池外许可"})
    if not pool.tariff:
        raise ValidationError({"tariff": "专利池尚未公布池外统一许可费"})
    # A licence over days already past would license use nobody asked for at the tariff, and a
    # start years ahead overflows the term arithmetic (a 500, not an answer): both refused.
    if start < on:
        raise ValidationError({"start": f"许可开始日 {start} 不能早于签订日 {on}"})
    if start > on + dt.timedelta(days=MAX_LEAD_DAYS):
        raise ValidationError({"start": "许可开始日应在签订日后一年以内"})
    # One running licence per enterprise and pool: a second would bill the same tariff twice.
    held = running_licence(pool, licensee_org)
    if held is not None:
        raise ValidationError(
            {"licensee": f"该企业已持有本专利池的许可合同 {held.contract.contract_no}，不能重复许可"}
        )
    entries = licensable_patents(pool, on)
    if not entries:
        raise ValidationError({"patents": "专利池中没有在池专利，不能对外许可"})
    licensors = list(dict.fromkeys(pp.member.org.name for pp in entries))
    end = add_years(start, pool.tariff_years) - dt.timedelta(days=1)
    try:
        contract = contracts.create_contract(
            actor,
            licensor_org=pool.agency_org,
            licensee_org=licensee_org,
            patents=[pp.patent for pp in entries],
            kind="ordinary",
            origin="negotiated",
            start=start,
            end=end,
            fee_schedule=pool.tariff,
            price_method="listing",
            licensors=[{"name": name} for name in licensors],
            field_of_use=pool.technical_field,
            is_demo=is_demo,
            on=on,
        )
        if sign:
            contracts.submit(actor, contract, on=on)
            contracts.approve(actor, contract, on=on, note=f"{pool.name}池外统一许可，按公布的统一许可费")
            contracts.sign(actor, contract, on=on)
    except LicensingRefused as exc:
        raise ValidationError({"contract": str(exc)}) from None
    contract = LicenceContract.objects.get(pk=contract.pk)
    licence = PoolLicence.objects.create(pool=pool, contract=contract, created_on=on)
    audit.record(
        "pools.licence.granted",
        actor=actor,
        target=pool,
        org=pool.agency_org,
        data={
            "contract": contract.contract_no,
            "licensee": licensee_org.name,
            "patents": [pp.patent.application_number for pp in entries],
            "contract_state": contract.state,
        },
    )
    return licence
