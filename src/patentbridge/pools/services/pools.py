"""Setting up a pool: creation by its managing agency (or an operator naming the agency), the
charter (criteria, fee, sharing rule, tariff) and opening it for applications and licences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.regions import region_prefix
from patentbridge.core import audit
from patentbridge.licensing.services.contract_terms import clean_schedule
from patentbridge.patents.models import IndustryChain
from patentbridge.pools.choices import PoolStateChoices, SharingRuleChoices
from patentbridge.pools.models import GRADE_MIN_CHOICES, Pool, PoolMember
from patentbridge.pools.services.common import (
    clean_decimal,
    clean_list,
    clean_text,
    locked_pool,
    org_of,
    require_agency,
)

__all__ = [
    "CHARTER_FIELDS",
    "create_pool",
    "lump_sum_tariff",
    "open_pool",
    "set_agreed_shares",
    "set_charter",
]

CHARTER_FIELDS = (
    "ipc_prefixes",
    "keywords",
    "min_grade",
    "essential_required",
    "mgmt_fee_rate",
    "sharing_rule",
    "grade_weights",
    "tariff",
    "tariff_years",
    "tariff_note",
)
_MAX_FEE_RATE = Decimal("0.5")  # a management fee above half the income is a typo


def _charter(values: dict[str, Any]) -> dict[str, Any]:
    """Cleaned charter values (only the keys given)."""
    out: dict[str, Any] = {}
    if "ipc_prefixes" in values:
        out["ipc_prefixes"] = [
            "".join(p.split()).upper()
            for p in clean_list(values["ipc_prefixes"], "ipc_prefixes", label="IPC 分类")
        ]
    if "keywords" in values:
        out["keywords"] = clean_list(values["keywords"], "keywords", label="关键词")
    if "min_grade" in values:
        grade = str(values["min_grade"] or "")
        if grade not in dict(GRADE_MIN_CHOICES):
            raise ValidationError({"min_grade": "最低分级须为 A、B、C 或不限"})
        out["min_grade"] = grade
    if "essential_required" in values:
        flag = values["essential_required"]
        if not isinstance(flag, bool):
            # bool("false") is True: a string or number here is a caller's mistake, not a yes.
            raise ValidationError({"essential_required": "是否仅接纳必要专利应为 true 或 false"})
        out["essential_required"] = flag
    if "mgmt_fee_rate" in values:
        out["mgmt_fee_rate"] = clean_decimal(
            values["mgmt_fee_rate"], "mgmt_fee_rate", low=Decimal(0), high=_MAX_FEE_RATE, label="管理费比例"
        ).quantize(Decimal("0.0001"))
    if "sharing_rule" in values:
        if values["sharing_rule"] not in SharingRuleChoices.values:
            raise ValidationError({"sharing_rule": "请选择收益分配规则"})
        out["sharing_rule"] = values["sharing_rule"]
    if "grade_weights" in values:
        weights = values["grade_weights"] or {}
        if not isinstance(weights, dict) or set(weights) - {"A", "B", "C", "D"}:
            raise ValidationError({"grade_weights": "分级权重须按 A、B、C、D 填写"})
        out["grade_weights"] = {
            k: str(clean_decimal(v, "grade_weights", low=Decimal(0), high=Decimal(100), label="分级权重"))
            for k, v in weights.items()
        }
    if "tariff" in values:
        try:
            out["tariff"] = clean_schedule(values["tariff"] or {})
        except ValidationError as exc:
            raise ValidationError({"tariff": "；".join(exc.messages)}) from None
    if "tariff_years" in values:
        try:
            years = int(str(values["tariff_years"])[:3])
        except ValueError:
            raise ValidationError({"tariff_years": "池外许可期限须为 1 至 20 年"}) from None
        if not 1 <= years <= 20:
            raise ValidationError({"tariff_years": "池外许可期限须为 1 至 20 年"})
        out["tariff_years"] = years
    if "tariff_note" in values:
        out["tariff_note"] = clean_text(values["tariff_note"], "tariff_note", 300, label="许可费说明")
    return out


def _agency_for(actor: Any, agency_org: Any) -> Any:
    """The agency the pool is created for: the actor's own agency organisation, or any agency
    organisation an operator names."""
    policies.require(actor, "pools.manage")
    if policies.is_platform_wide(actor):
        if agency_org is None or agency_org.kind != OrgKindChoices.AGENCY:
            raise ValidationError({"agency_org": "请选择作为运营管理机构的服务机构"})
        return agency_org
    own = org_of(actor)
    if policies.role_of(actor) != RoleChoices.TTO or own is None or own.kind != OrgKindChoices.AGENCY:
        raise PermissionDenied("只有服务机构（专利池运营管理机构）可以设立专利池")
    if agency_org is not None and agency_org.pk != own.pk:
        raise PermissionDenied("只能以本机构为运营管理机构设立专利池")
    return own


@transaction.atomic
def create_pool(
    actor: Any,
    *,
    name: str,
    chain: IndustryChain | None,
    founded_on: dt.date,
    agency_org: Any = None,
    technical_field: str = "",
    region_code: str = "",
    is_demo: bool = False,
    **charter: Any,
) -> Pool:
    """A FORMING pool on ``chain`` managed by the agency; IPC prefixes and keywords default to
    the chain's (its ``*`` wildcards dropped)."""
    agency = _agency_for(actor, agency_org)
    title = clean_text(name, "name", 200, required=True, label="专利池名称")
    if Pool.objects.filter(agency_org=agency, name=title).exists():
        raise ValidationError({"name": f"本机构已有名为「{title}」的专利池"})
    region = (region_code or agency.region_code or "").strip()
    if not region_prefix(region):
        raise ValidationError({"region_code": "请填写 6 位行政区划代码"})
    if chain is not None:
        charter.setdefault("ipc_prefixes", [p.rstrip("*") for p in chain.ipc_patterns])
        charter.setdefault("keywords", list(chain.keywords))
    values = _charter(charter)
    pool = Pool.objects.create(
        name=title,
        chain=chain,
        region_code=region,
        technical_field=clean_text(technical_field, "technical_field", 200, label="技术领域"),
        agency_org=agency,
        founded_on=founded_on,
        is_demo=is_demo,
        created_by=actor,
        **values,
    )
    audit.record(
        "pools.pool.created",
        actor=actor,
        target=pool,
        org=agency,
        data={"name": pool.name, "chain": chain.name if chain else "", "pool_state": pool.state},
    )
    return pool


@transaction.atomic
def set_charter(actor: Any, pool: Pool, **values: Any) -> Pool:
    """Change criteria, fee, sharing rule or tariff (audited with before/after)."""
    pool = locked_pool(pool)
    require_agency(actor, pool)
    if pool.state == PoolStateChoices.DISSOLVED:
        raise ValidationError({"state": "专利池已解散，不能修改章程"})
    cleaned = _charter({k: v for k, v in values.items() if k in CHARTER_FIELDS})
    before = {k: str(getattr(pool, k)) for k in cleaned}
    for key, value in cleaned.items():
        setattr(pool, key, value)
    after = {k: str(getattr(pool, k)) for k in cleaned}
    if before == after:
        return pool
    pool.save(update_fields=list(cleaned))
    audit.record(
        "pools.pool.charter_changed",
        actor=actor,
        target=pool,
        org=pool.agency_org,
        data=audit.diff(before, after),
    )
    return pool


@transaction.atomic
def open_pool(actor: Any, pool: Pool, *, on: dt.date) -> Pool:
    """FORMING (or SUSPENDED) → OPERATING: the pool is published to enterprises and accepts outbound
    licences. A pool needs its tariff first (rule P4: one published tariff for every licensee)."""
    pool = locked_pool(pool)
    require_agency(actor, pool)
    if pool.state not in (PoolStateChoices.FORMING, PoolStateChoices.SUSPENDED):
        raise ValidationError({"state": f"专利池当前为「{pool.get_state_display()}」，不能开始运营"})
    if not pool.tariff:
        raise ValidationError({"tariff": "请先公布池外统一许可费，再开始运营"})
    before = pool.state
    pool.state = PoolStateChoices.OPERATING
    pool.save(update_fields=["state"])
    audit.record(
        "pools.pool.opened",
        actor=actor,
        target=pool,
        org=pool.agency_org,
        data={"before": {"pool_state": before}, "after": {"pool_state": pool.state}, "on": on.isoformat()},
    )
    return pool


@transaction.atomic
def set_agreed_shares(actor: Any, pool: Pool, shares: dict[int, Any]) -> Pool:
    """The members' agreed fractions for the agreed-shares rule (``{org id: "0.5"}``); every current
    member must be given one and together they must make exactly 1 (100 %)."""
    pool = locked_pool(pool)
    require_agency(actor, pool)
    members = {
        m.org_id: m for m in PoolMember.objects.filter(pool=pool, left_on__isnull=True).select_related("org")
    }
    if not members:
        raise ValidationError({"shares": "专利池尚无成员，不能约定分配比例"})
    unknown = set(shares) - set(members)
    if unknown:
        raise ValidationError({"shares": "约定比例中有不是本池成员的机构"})
    cleaned: dict[int, Decimal] = {}
    for org_id, member in members.items():
        if org_id not in shares:
            raise ValidationError({"shares": f"请填写{member.org.name}的约定比例"})
        cleaned[org_id] = clean_decimal(
            shares[org_id],
            "shares",
            low=Decimal(0),
            high=Decimal("1.000001"),
            label=f"{member.org.name}的约定比例",
        ).quantize(Decimal("0.000001"))
    if sum(cleaned.values(), Decimal(0)) != 1:
        raise ValidationError(
            {"shares": f"约定比例合计为 {sum(cleaned.values(), Decimal(0)):f}，须等于 1（100%）"}
        )
    before = {members[k].org.name: str(members[k].agreed_share) for k in members}
    for org_id, value in cleaned.items():
        members[org_id].agreed_share = value
        members[org_id].save(update_fields=["agreed_share"])
    after = {members[k].org.name: str(members[k].agreed_share) for k in members}
    audit.record(
        "pools.pool.charter_changed",
        actor=actor,
        target=pool,
        org=pool.agency_org,
        data=audit.diff(before, after),
    )
    return pool


def lump_sum_tariff(amount: Any) -> dict[str, Any]:
    """The tariff schedule of a one-off fee paid at signing (the pages' simple tariff form)."""
    value = clean_decimal(
        amount, "tariff", low=Decimal("0.01"), high=Decimal(10) ** 10, label="池外统一许可费"
    )
    return {"free": False, "components": [{"type": "lump_sum", "amount": f"{value:.2f}", "instalments": []}]}
