"""Licence rules about the contract's own terms rather than the patents' burdens: pricing procedure
(L7), sub-licensing (L8), the free trial (L10) and regional targeting (L11)
(transactions-and-analytics.md §2.d)."""

from __future__ import annotations

from patentbridge_engine.legal.terms import add_months
from patentbridge_engine.licensing.findings import Finding, Severity
from patentbridge_engine.licensing.ledger import LicenceKind
from patentbridge_engine.licensing.rules_common import (
    PRICE_METHODS,
    LicenceRequest,
    licence_finding,
    region_prefix,
)

__all__ = ["pricing_findings", "region_findings", "sublicence_findings", "trial_findings"]


def pricing_findings(req: LicenceRequest) -> list[Finding]:
    """L7: a state-run university or institute prices by agreement, listing or auction, and an agreed
    price is published inside the unit (公示) before the contract is signed (促进科技成果转化法 Art. 18)."""
    if not req.state_run_licensor:
        return []
    if req.price_method not in PRICE_METHODS:
        return [
            licence_finding(
                "L7",
                Severity.BLOCK,
                "许可方为国家设立的研究开发机构或高等院校，须先确定定价方式（协议定价、挂牌交易、拍卖或开放许可）",
            )
        ]
    if req.price_method == "agreement" and not req.public_notice_completed:
        return [
            licence_finding(
                "L7",
                Severity.BLOCK,
                "采用协议定价的，须在本单位公示科技成果名称和拟交易价格，公示完成后才能签订合同",
            )
        ]
    return []


def sublicence_findings(req: LicenceRequest) -> list[Finding]:
    """L8: the licensee may let nobody else practise the patent unless the contract says so (Art. 12)."""
    if not req.sublicence_allowed or req.sublicence_stated:
        return []
    return [
        licence_finding(
            "L8",
            Severity.BLOCK,
            "合同允许被许可人再许可他人实施，但合同条款中没有明确约定分许可；被许可人无权允许合同以外的人"
            "实施该专利，请在合同中写明分许可的范围，或取消该选项",
        )
    ]


def trial_findings(req: LicenceRequest) -> list[Finding]:
    """L10: a free trial is a free ordinary licence ending on the corresponding day ``trial_months`` on
    (细则 Art. 5 month arithmetic: 2026-01-15 + 6 → 2026-07-15)."""
    if not req.is_trial:
        return []
    out: list[Finding] = []
    if req.kind is not LicenceKind.ORDINARY:
        out.append(
            licence_finding("L10", Severity.BLOCK, f"限时免费试用只能是普通许可，不能是{req.kind.label}")
        )
    if not req.trial_fee_free:
        out.append(licence_finding("L10", Severity.BLOCK, "限时免费试用期内不得收取许可使用费"))
    if req.trial_months is None or req.trial_months <= 0:
        out.append(licence_finding("L10", Severity.BLOCK, "限时免费试用须写明试用月数（正整数）"))
    else:
        expected = add_months(req.start, req.trial_months)
        if req.end != expected:
            out.append(
                licence_finding(
                    "L10",
                    Severity.BLOCK,
                    f"试用 {req.trial_months} 个月自 {req.start} 起应于 {expected} 结束，合同写的是 {req.end}",
                )
            )
    return out


def region_findings(req: LicenceRequest) -> list[Finding]:
    """L11: the region is targeting, never a legal limit (§2.b item 7) — an applicant outside an offer's
    ``target_regions`` with ``region_only`` set is a warning an operator confirms, never a block."""
    targets = [t for t in (region_prefix(t) for t in req.target_regions) if t]
    if not (req.region_only and targets):
        return []
    listed = "、".join(req.target_regions)
    applicant = region_prefix(req.applicant_region)
    if not applicant:
        return [
            licence_finding(
                "L11",
                Severity.WARN,
                f"本次许可只面向 {listed} 定向发布，但申请人所在地区未知；请运营人员核实并确认后继续",
            )
        ]
    if any(applicant.startswith(t) for t in targets):
        return []
    return [
        licence_finding(
            "L11",
            Severity.WARN,
            f"申请人所在地区 {req.applicant_region} 不在定向发布区域（{listed}）内；区域只用于定向推送，"
            "不是法定限制，须运营人员确认后继续，并计为区域外成交",
        )
    ]
