"""Income distribution per receipt (收益分配, guide §2.d IncomeDistribution, rule L12).

A payment on a licence granted by a university is shared as follows: the gross receipt is first
split among the co-owner licensors (专利法 Art. 14, engine ``coowner_split``) when the contract
names several — only the platform organisation's share is distributed here; the TTO enters the
deductions its unit's rule allows (policy ``NET_INCOME_DEDUCTIONS``); the inventors' share is the
unit's own rule held to the dated floors (policy ``INVENTOR_SHARE_MIN_LICENCE``: the national one
and, for a 政府设立 unit, its province's — 山东 70 %); the rest goes to the TTO and the unit. One
TTO user or operator computes, a different one approves; every step is audited.

Decision: a provincial floor applies only to state-run units (山东条例 Art. 34 names 政府设立的
研究开发机构、高等院校); other units get the national floor when they have no rule of their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.core import audit
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import IncomeDistribution, IncomeLine, LicenceContract, Payment
from patentbridge.licensing.services.income_basis import (
    SHARE_PLACES,
    IncomeBasis,
    default_inventor_splits,
    income_basis,
)
from patentbridge_engine.licensing.income import (
    DEDUCTION_LABELS,
    income_split,
    net_income,
)
from patentbridge_engine.licensing.money import format_rate

__all__ = [
    "DEDUCTION_LABELS",
    "IncomeBasis",
    "approve_distribution",
    "can_manage_income",
    "compute_distribution",
    "default_inventor_splits",
    "income_basis",
    "own_income_lines",
]


def can_manage_income(user: Any, contract: LicenceContract) -> bool:
    """Operators and admins anywhere; a TTO for its own organisation's licences."""
    if not policies.can(user, "licensing.income"):
        return False
    if policies.is_platform_wide(user):
        return True
    member = policies.membership_of(user)
    return member is not None and member.org_id == contract.licensor_org_id


def _inventor_users(contract: LicenceContract) -> dict[str, Any]:
    """Inventor accounts of the licensor organisation by every name they go by (username, full
    name either way round); a name two accounts share links to neither."""
    found: dict[str, Any] = {}
    clash: set[str] = set()
    users = get_user_model().objects.filter(
        membership__org=contract.licensor_org, membership__role=RoleChoices.INVENTOR, is_active=True
    )
    for user in users:
        names = {
            user.get_username(),
            f"{user.last_name}{user.first_name}",
            f"{user.first_name}{user.last_name}",
        }
        names |= {user.get_full_name()}
        for name in {n.strip() for n in names if n and n.strip()}:
            if name in found and found[name].pk != user.pk:
                clash.add(name)
            found[name] = user
    return {k: v for k, v in found.items() if k not in clash}


def _check_deductions(basis: IncomeBasis, deductions: Mapping[str, Decimal]) -> dict[str, Decimal]:
    clean = {k: v for k, v in deductions.items() if v}
    if sum(clean.values(), Decimal(0)) > basis.gross:
        raise LicensingRefused("INCOME_INVALID", "扣除合计超过本单位收入，请核对扣除金额")
    return clean


def compute_distribution(
    actor: Any,
    payment: Payment,
    *,
    deductions: Mapping[str, Decimal],
    own_rule_share: Decimal | None,
    tto_share: Decimal,
    inventors: Sequence[tuple[str, Decimal]],
    on: dt.date,
) -> IncomeDistribution:
    """Compute (or recompute, while not approved) the distribution of ``payment``: shares are
    fractions (``Decimal("0.7")`` = 70 %), ``deductions`` amounts by kind. Refuses with the
    engine's L12 finding (e.g. an own rule of 40 % at a state-run unit: Art. 45 ¶2), a deduction
    kind the policy does not allow, or inventor splits that do not sum to 100 %."""
    contract = payment.receivable.contract
    policies.require(actor, "licensing.income")
    if not can_manage_income(actor, contract):
        raise PermissionDenied("只有许可方的技术转移人员或运营人员可以计算本合同的收益分配")
    basis = income_basis(payment)
    for _, share in inventors:
        if share != share.quantize(SHARE_PLACES):
            raise LicensingRefused("INCOME_INVALID", "发明人分配比例最多保留两位小数的百分比（如 33.33%）")
    clean = _check_deductions(basis, deductions)
    try:
        net = net_income(basis.gross, clean, basis.allowed)
        split = income_split(
            net,
            floors=basis.floors,
            state_run=basis.state_run,
            own_rule_share=own_rule_share,
            tto_share=tto_share,
            inventors=[(n.strip(), s) for n, s in inventors],
        )
    except ValueError as exc:
        raise LicensingRefused("INCOME_INVALID", str(exc)) from None
    if split.verdict.first_block() is not None:
        raise LicensingRefused.from_verdict(split.verdict)
    users = _inventor_users(contract)
    record = {
        "as_of": basis.as_of.isoformat(),
        "computed_on": on.isoformat(),
        "versions": basis.versions,
        "payment_amount": str(payment.amount),
        "coowners": [[n, str(a)] for n, a in basis.coowners],
        "split": split.inputs,
        "basis": [f"{f.label} {format_rate(f.share)}（{f.source}）" for f in basis.floors],
    }
    with transaction.atomic():
        existing = IncomeDistribution.objects.select_for_update().filter(payment=payment).first()
        if existing is not None and existing.state == "approved":
            raise LicensingRefused("INCOME_APPROVED", "该笔收款的收益分配已审批，不能再修改")
        values = {
            "gross": basis.gross,
            "deductions": {k: str(v) for k, v in clean.items()},
            "net": split.net,
            "inventor_share": split.inventor_share.quantize(SHARE_PLACES),
            "inventor_pool": split.inventor_pool,
            "tto_amount": split.tto_amount,
            "unit_amount": split.unit_amount,
            "policy": record,
            "computed_by": actor,
        }
        dist, created = IncomeDistribution.objects.update_or_create(payment=payment, defaults=values)
        dist.lines.all().delete()
        shares = dict((n.strip(), s) for n, s in inventors)
        IncomeLine.objects.bulk_create(
            IncomeLine(
                distribution=dist, person=name, user=users.get(name), share=shares[name], amount=amount
            )
            for name, amount in split.per_inventor
        )
        audit.record(
            "licensing.income.computed" if created else "licensing.income.recomputed",
            actor=actor,
            target=dist,
            org=contract.licensor_org,
            data={
                "payment": payment.pk,
                "gross": str(basis.gross),
                "net": str(split.net),
                "inventor_pool": str(split.inventor_pool),
                "tto_amount": str(split.tto_amount),
                "unit_amount": str(split.unit_amount),
                "versions": basis.versions,
            },
        )
    return dist


def approve_distribution(actor: Any, distribution: IncomeDistribution, *, on: dt.date) -> IncomeDistribution:
    """A second TTO user or operator (never the one who computed it) approves the distribution."""
    contract = distribution.payment.receivable.contract
    policies.require(actor, "licensing.income")
    if not can_manage_income(actor, contract):
        raise PermissionDenied("只有许可方的技术转移人员或运营人员可以审批本合同的收益分配")
    with transaction.atomic():
        dist = IncomeDistribution.objects.select_for_update().get(pk=distribution.pk)
        if dist.state == "approved":
            raise LicensingRefused("INCOME_APPROVED", "该收益分配已经审批")
        if dist.computed_by_id == actor.pk:
            raise LicensingRefused("INCOME_SAME_USER", "收益分配须由计算人以外的另一位人员审批")
        dist.state = "approved"
        dist.approved_by = actor
        dist.approved_at = timezone.now()
        dist.save(update_fields=["state", "approved_by", "approved_at"])
        audit.record(
            "licensing.income.approved",
            actor=actor,
            target=dist,
            org=contract.licensor_org,
            data={
                "on": on.isoformat(),
                "computed_by": dist.computed_by_id,
                "inventor_pool": str(dist.inventor_pool),
            },
        )
    return dist


def own_income_lines(user: Any) -> QuerySet[IncomeLine]:
    """The inventor's own lines (never anyone else's), newest receipt first."""
    policies.require(user, "licensing.income_own")
    return (
        IncomeLine.objects.filter(user=user)
        .select_related(
            "distribution",
            "distribution__payment",
            "distribution__payment__receivable",
            "distribution__payment__receivable__contract",
        )
        .order_by("-distribution__payment__paid_on", "pk")
    )
