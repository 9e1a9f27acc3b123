"""The open-licence annual-fee reduction (财税〔2024〕23号 §2; 国家知识产权局公告第594号): during the
open licence's implementation the annual fee is reduced by ``OL_ANNUAL_FEE_REDUCTION`` (15 %); when
another reduction also applies (费减 85 % / 70 %) the single most favourable one is chosen, never
both (guide §3.c, §13 vector: invention year 5, ¥1,200, 85 % relief + open licence → ¥180).

When the reduction period starts is an open question (guide §12 item 2); the policy switch
``OL_REDUCTION_STARTS`` holds the choice: ``publication`` (default — a published declaration not yet
withdrawn on the fee's due date) or ``first_licence`` (only once a licence has been obtained under it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from patentbridge.licensing.models import OpenLicenceAcceptance, OpenLicenceDeclaration
from patentbridge.licensing.services import ledger
from patentbridge.patents.models import Patent
from patentbridge_engine.legal.terms import add_years
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.income import annual_fee
from patentbridge_engine.licensing.money import format_cny

__all__ = [
    "ANNUAL_FEES",
    "FEE_RELIEF_RATES",
    "FeeFlag",
    "annual_fee_plan",
    "declaration_for_ref",
    "next_fee_due",
    "open_licence_fee_flag",
]

# CNIPA annual fees per fee year (国家知识产权局专利收费标准; the amounts CNIPA's payment notices use).
# (first year, last year, CNY). The §13 vector's "invention year 5 = ¥1,200" is the 4–6 band.
ANNUAL_FEES: dict[str, tuple[tuple[int, int, int], ...]] = {
    "invention": ((1, 3, 900), (4, 6, 1200), (7, 9, 2000), (10, 12, 4000), (13, 15, 6000), (16, 20, 8000)),
    "utility_model": ((1, 3, 600), (4, 5, 900), (6, 8, 1200), (9, 10, 2000)),
    "design": ((1, 3, 600), (4, 5, 900), (6, 8, 1200), (9, 10, 2000), (11, 15, 3000)),
}
# 专利费用减缴办法: one patentee (individual, small enterprise, university …) 85 %, several 70 %.
FEE_RELIEF_RATES: dict[str, tuple[str, Decimal]] = {
    "fee_relief_85": ("费用减缴 85%（单一权利人）", Decimal("0.85")),
    "fee_relief_70": ("费用减缴 70%（多个权利人）", Decimal("0.70")),
}
_OPEN = "open_licence_15"


@dataclass(frozen=True)
class FeeFlag:
    """Whether the open-licence reduction applies to a fee due on ``as_of``, and why."""

    applies: bool
    rate: Decimal
    mode: str
    reason: str
    declaration_id: int | None = None
    policy_versions: tuple[str, ...] = ()


def declaration_for_ref(ref: str) -> OpenLicenceDeclaration | None:
    """The declaration a ledger ``source_ref`` ``OL-<id>-v<version>`` names."""
    parts = ref.split("-")
    if len(parts) != 3 or parts[0] != "OL" or not parts[1].isdigit():
        return None
    return OpenLicenceDeclaration.objects.filter(pk=int(parts[1])).first()


def open_licence_fee_flag(patent: Patent, as_of: dt.date) -> FeeFlag:
    """Does the 15 % reduction apply to an annual fee due on ``as_of``? Read from the ledger's
    open-licence event in force that day and, under ``first_licence``, the acceptances before it."""
    try:
        rate_row = policy.param("OL_ANNUAL_FEE_REDUCTION", as_of=as_of)
        mode_row = policy.param("OL_REDUCTION_STARTS", as_of=as_of)
    except KeyError:
        return FeeFlag(False, Decimal(0), "", f"{as_of} 开放许可年费减缴政策尚未施行（2024-08-06 起）")
    versions = (policy.version_id(rate_row), policy.version_id(mode_row))
    rate, mode = Decimal(str(rate_row.value)), str(mode_row.value)
    event = ledger.encumbrances_for(patent, as_of).open_licence
    if event is None:
        return FeeFlag(False, rate, mode, f"{as_of} 无已公告且未撤回的开放许可声明", None, versions)
    decl = declaration_for_ref(event.ref)
    decl_id = decl.pk if decl is not None else None
    since = f"开放许可声明自 {event.start} 公告（{event.record_no or '公告号未登记'}）"
    if mode == "first_licence":
        licensed = OpenLicenceAcceptance.objects.filter(
            declaration_id=decl_id, notified_at__lte=as_of, contract__isnull=False
        ).exists()
        if not licensed:
            return FeeFlag(
                False, rate, mode, f"{since}，但尚无企业据此获得许可（按“首项许可”起算）", decl_id, versions
            )
        return FeeFlag(True, rate, mode, f"{since}，已有企业据此获得许可", decl_id, versions)
    return FeeFlag(True, rate, mode, f"{since}，在年费缴纳日处于开放许可实施期间", decl_id, versions)


def _fee_for_year(patent_type: str, year: int) -> int | None:
    for first, last, amount in ANNUAL_FEES.get(patent_type, ()):
        if first <= year <= last:
            return amount
    return None


def next_fee_due(patent: Patent, as_of: dt.date) -> tuple[int, dt.date] | None:
    """(fee year, due date) of the next annual fee on or after ``as_of``. Fee years run from the
    filing date; the fee for year n is paid before year n − 1 ends (细则: 授予专利权当年以后的年费应当在上一年度期满前缴纳), so it is due
    on the last day of year n − 1: filing date + (n − 1) years − 1 day."""
    if patent.filing_date is None or patent.patent_type not in ANNUAL_FEES:
        return None
    last_year = ANNUAL_FEES[patent.patent_type][-1][1]
    for year in range(2, last_year + 1):
        due = add_years(patent.filing_date, year - 1) - dt.timedelta(days=1)
        if due >= as_of:
            return year, due
    return None


def annual_fee_plan(patent: Patent, as_of: dt.date) -> dict[str, Any] | None:
    """The next annual fee with the reductions compared (no stacking): the full fee, the payable
    amount with the open-licence reduction alone, and with a 85 % fee relief held as well — the
    engine picks the single best. None when the fee year or amount is unknown."""
    due = next_fee_due(patent, as_of)
    if due is None:
        return None
    year, due_date = due
    full = _fee_for_year(patent.patent_type, year)
    if full is None:
        return None
    flag = open_licence_fee_flag(patent, due_date)
    reductions = {_OPEN: flag.rate} if flag.applies else {}
    alone = annual_fee(Decimal(full), reductions)
    relief_label, relief_rate = FEE_RELIEF_RATES["fee_relief_85"]
    both = annual_fee(Decimal(full), {**reductions, "fee_relief_85": relief_rate})
    labels = {_OPEN: f"开放许可减缴 {flag.rate * 100:.0f}%", "fee_relief_85": relief_label}
    return {
        "year": year,
        "due_date": due_date,
        "full": format_cny(Decimal(full)),
        "flag": flag,
        "payable": format_cny(alone.payable),
        "with_relief": format_cny(both.payable),
        "with_relief_choice": labels.get(both.chosen_reduction_key or "", "无"),
        "relief_label": relief_label,
    }
