"""The five high-value invention conditions (CNIPA 2021; domain-rules §1), each with evidence.

A high-value invention patent is a valid invention patent meeting at least one condition:
C1 strategic emerging industry, C2 granted foreign family member, C3 maintained more than
N years, C4 pledge financing at or above the threshold, C5 China Patent Award / national S&T
award. Where the record lacks the data a condition needs, the flag says "no data" instead of
"not met".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patentbridge_engine.legal.status import LegalState
from patentbridge_engine.legal.terms import add_years

if TYPE_CHECKING:
    from patentbridge_engine.grading.indicators import GradingInput
    from patentbridge_engine.grading.policy import GradingPolicy

__all__ = ["FLAG_LABELS", "HighValueFlag", "high_value_flags"]

FLAG_LABELS = {
    "C1": "战略性新兴产业的发明专利",
    "C2": "在海外有同族专利权的发明专利",
    "C3": "维持年限超过10年的发明专利",
    "C4": "实现较高质押融资金额的发明专利",
    "C5": "获得国家科学技术奖或中国专利奖的发明专利",
}
# A granted publication: B (invention grant), C (re-issued), U/Y (utility model), S (design);
# EP grants are B1/B2; US grants B1/B2. A-kind documents are applications, not rights.
_GRANTED_KIND = re.compile(r"^([A-Z]{2})\d[\d.]*(B\d?|C\d?|E\d?|U\d?|Y\d?|S\d?)$")


@dataclass(frozen=True)
class HighValueFlag:
    """One condition: met / not met / unknown (``met`` is None), with its evidence."""

    code: str
    met: bool | None
    evidence: str

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.code]

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "label": self.label, "met": self.met, "evidence": self.evidence}


def _granted_foreign(family: list[str]) -> list[str]:
    out = []
    for member in family:
        m = _GRANTED_KIND.match(member.replace(" ", "").upper())
        if m and m.group(1) not in ("CN", "WO"):
            out.append(member.strip())
    return out


def high_value_flags(patent: GradingInput, as_of: dt.date, policy: GradingPolicy) -> list[HighValueFlag]:
    """C1–C5 for ``patent`` on ``as_of``. A patent that cannot be high-value at all (not a valid
    invention) gets all five as not met, each with that reason; an unknown type, all unknown."""
    rules = policy.high_value
    if patent.patent_type is None:
        return [HighValueFlag(code, None, "缺少专利类型") for code in FLAG_LABELS]
    if patent.patent_type != "invention" or patent.legal_status != LegalState.GRANTED:
        reason = (
            "仅发明专利可认定为高价值专利"
            if patent.patent_type != "invention"
            else "仅有效发明专利可认定为高价值专利"
        )
        return [HighValueFlag(code, False, reason) for code in FLAG_LABELS]
    flags = []
    if patent.sei_codes is None:
        flags.append(HighValueFlag("C1", None, "尚未做战略性新兴产业分类"))
    else:
        flags.append(
            HighValueFlag(
                "C1",
                bool(patent.sei_codes),
                f"战略性新兴产业：{'、'.join(patent.sei_codes[:3])}"
                if patent.sei_codes
                else "IPC 不在参照关系表中",
            )
        )
    if patent.family:
        foreign = _granted_foreign(list(patent.family))
        flags.append(
            HighValueFlag(
                "C2",
                bool(foreign),
                f"海外已授权同族：{'、'.join(foreign[:3])}" if foreign else "同族中没有海外已授权成员",
            )
        )
    else:
        flags.append(HighValueFlag("C2", None, "缺少同族成员数据"))
    years = int(rules.get("maintenance_years", 10))
    anchor_name = str(rules.get("maintenance_anchor", "filing_date"))
    anchor = patent.grant_date if anchor_name == "grant_date" else patent.filing_date
    if anchor is None:
        flags.append(HighValueFlag("C3", None, "缺少维持年限的起算日"))
    else:
        threshold = add_years(anchor, years)
        met = as_of > threshold
        label = "授权日" if anchor_name == "grant_date" else "申请日"
        flags.append(
            HighValueFlag(
                "C3",
                met,
                f"{label} {anchor.isoformat()}，{'已' if met else '未'}超过 {years} 年（{threshold.isoformat()}）",
            )
        )
    amount = patent.extra.get("pledge_amount_cny")
    minimum = float(rules.get("pledge_min_cny", 10_000_000))
    if isinstance(amount, int | float):
        flags.append(
            HighValueFlag("C4", amount >= minimum, f"质押融资 {amount:,.0f} 元（门槛 {minimum:,.0f} 元）")
        )
    elif patent.pledge_count == 0:
        flags.append(HighValueFlag("C4", False, "无质押记录"))
    else:
        flags.append(HighValueFlag("C4", None, "缺少质押金额数据"))
    award = patent.extra.get("award")
    if isinstance(award, str) and award:
        kinds = [str(k) for k in rules.get("award_kinds", [])]
        met = any(k in award for k in kinds)
        flags.append(HighValueFlag("C5", met, f"获奖：{award}" if met else f"奖项“{award}”不在认定范围内"))
    else:
        flags.append(HighValueFlag("C5", None, "无获奖记录数据"))
    return flags
