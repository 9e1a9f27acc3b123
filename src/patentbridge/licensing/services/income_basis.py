"""Where an income distribution starts (guide §2.d IncomeDistribution): the platform organisation's
part of one receipt after the co-owner split (专利法 Art. 14), the deductions its policy allows, the
dated inventor-share floors, and the default inventor splits. ``income`` computes from these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal
from typing import Any

from patentbridge.accounts.choices import OrgKindChoices
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, Payment
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.income import Floor, coowner_split
from patentbridge_engine.licensing.money import allocate, money

__all__ = ["SHARE_PLACES", "IncomeBasis", "default_inventor_splits", "income_basis"]

SHARE_PLACES = Decimal("0.0001")  # IncomeLine.share / inventor_share keep four decimals


class IncomeBasis:
    """What a distribution of one payment starts from: the platform organisation's part of the
    receipt (after the co-owner split), the deductions allowed and the floors in force."""

    def __init__(self, payment: Payment) -> None:
        contract = payment.receivable.contract
        org = contract.licensor_org
        self.payment = payment
        self.contract = contract
        self.as_of: dt.date = payment.paid_on
        self.coowners: list[tuple[str, Decimal]] = _coowner_parts(contract, payment.amount)
        self.gross: Decimal = _platform_part(contract, self.coowners, payment.amount)
        deductions = policy.param("NET_INCOME_DEDUCTIONS", as_of=self.as_of)
        self.allowed: tuple[str, ...] = tuple(str(k) for k in deductions.value)
        self.floors: list[Floor] = []
        self.versions: list[str] = [policy.version_id(deductions)]
        national = policy.param("INVENTOR_SHARE_MIN_LICENCE", as_of=self.as_of)
        rows = [national]
        regional = policy.param("INVENTOR_SHARE_MIN_LICENCE", as_of=self.as_of, region_code=org.region_code)
        if regional.jurisdiction != "CN" and org.state_run:
            rows.append(regional)
        for row in rows:
            self.floors.append(
                Floor(Decimal(str(row.value)), row.label, f"{row.source_doc}{row.source_article}")
            )
            self.versions.append(policy.version_id(row))
        self.state_run: bool = bool(org.state_run)


def _licensors(contract: LicenceContract) -> list[Mapping[str, Any]]:
    return [x for x in (contract.licensors or []) if isinstance(x, Mapping) and x.get("name")]


def _coowner_parts(contract: LicenceContract, amount: Decimal) -> list[tuple[str, Decimal]]:
    """The receipt shared among the co-owner licensors (专利法 Art. 14). The contract stores
    each licensor's fee share or none; licensors without a share split what the others leave
    equally (all without: equal shares). Shares that leave part of the fee to nobody are refused."""
    licensors = _licensors(contract)
    if len(licensors) < 2:
        return []
    names = [str(x["name"]) for x in licensors]
    given = {str(x["name"]): Decimal(str(x["share"])) for x in licensors if x.get("share") not in (None, "")}
    missing = [n for n in names if n not in given]
    try:
        if not given or not missing:
            return coowner_split(amount, [(n, given.get(n)) for n in names])
        left = Decimal(1) - sum(given.values(), Decimal(0))
        if left <= 0:
            raise ValueError("已填写的份额合计已达 100%，未填写份额的共有人无从分配")
        # Weights, not fractions: a third of the remainder has no exact decimal, allocate() sums exactly.
        weights = [given.get(n, left / len(missing)) for n in names]
        return list(zip(names, allocate(money(amount), weights), strict=True))
    except (ValueError, ArithmeticError) as exc:
        raise LicensingRefused("L4", f"共有人许可费分成有误：{exc}") from None


def _platform_part(contract: LicenceContract, parts: list[tuple[str, Decimal]], amount: Decimal) -> Decimal:
    """The licensor organisation's part: the licensor entry named like it or with its USCC."""
    if not parts:
        return amount
    org = contract.licensor_org
    usccs = {str(x["name"]): str(x.get("uscc") or "") for x in _licensors(contract)}
    for name, part in parts:
        if name == org.name or (org.uscc and usccs.get(name) == org.uscc):
            return part
    raise LicensingRefused("L4", f"合同的许可人名单中没有{org.name}，无法确定本单位应分配的份额")


def income_basis(payment: Payment) -> IncomeBasis:
    """The starting figures of a distribution of ``payment`` (refuses a non-university licensor)."""
    contract = payment.receivable.contract
    if contract.licensor_org.kind != OrgKindChoices.UNIVERSITY:
        raise LicensingRefused(
            "INCOME_NOT_UNIVERSITY", "许可方不是高校或科研院所，本平台不对其许可收入做职务科技成果收益分配"
        )
    return IncomeBasis(payment)


def default_inventor_splits(contract: LicenceContract) -> list[tuple[str, Decimal]]:
    """Equal shares among the licensed patents' inventors (names in first-seen order), four
    decimals each, the rounding remainder spread over the first names one unit each, so they
    sum to exactly 100 % and differ by at most 0.01 %."""
    names: list[str] = []
    for patent in contract.patents.order_by("application_number"):
        for name in patent.inventors or []:
            clean = str(name).strip()
            if clean and clean not in names:
                names.append(clean)
    if not names:
        return []
    each = (Decimal(1) / len(names)).quantize(SHARE_PLACES, rounding=ROUND_DOWN)
    # The remainder goes one smallest unit at a time to the first names, so six inventors get
    # 16.67 % ×4 and 16.66 % ×2 rather than 16.7 % and 16.66 % ×5.
    leftover = int((Decimal(1) - each * len(names)) / SHARE_PLACES)
    shares = [each + (SHARE_PLACES if i < leftover else 0) for i in range(len(names))]
    return list(zip(names, shares, strict=True))
