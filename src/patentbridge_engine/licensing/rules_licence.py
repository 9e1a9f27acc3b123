"""Directed-licence checks L1–L11 (transactions-and-analytics.md §2.d; domain-rules §5): may this licence be
signed — or, with ``for_filing``, filed with CNIPA? This module holds the rules about each patent's rights
and burdens (L1–L6); the contract-term rules (L7, L8, L10, L11) live in ``rules_licence_terms``; L9 (fee
schedule) arrives from the fees module and is merged; L12/L13 are money rules computed elsewhere."""

from __future__ import annotations

import datetime as dt

from patentbridge_engine.licensing.findings import Finding, Severity, Verdict
from patentbridge_engine.licensing.ledger import FeeState, RightEvent, RightKind
from patentbridge_engine.licensing.rules_common import (
    EXCLUSIVE_KINDS,
    LicenceRequest,
    PatentCheck,
    event_ref,
    licence_finding,
    licence_kind_of,
    normalise_name,
    overlaps,
    patent_subject,
    region_prefix,
    unique_events,
)
from patentbridge_engine.licensing.rules_licence_terms import (
    pricing_findings,
    region_findings,
    sublicence_findings,
    trial_findings,
)

__all__ = ["licence_allowed"]


def licence_allowed(req: LicenceRequest, as_of: dt.date) -> Verdict:
    """Check a licence request against rules L1–L11 on ``as_of``. Each finding has its rule code, a
    Chinese reason naming the patent and the fact, and the legal source; L9 findings are passed in
    through ``req.fee_findings`` and merged. ``allowed`` is false as soon as one finding blocks."""
    findings: list[Finding] = []
    if not req.patents:
        findings.append(licence_finding("L1", Severity.BLOCK, "许可合同未列明任何专利"))
    if req.end < req.start:
        findings.append(
            licence_finding(
                "L1", Severity.BLOCK, f"许可终止日 {req.end} 早于起始日 {req.start}，请更正许可期限"
            )
        )
    for pc in req.patents:
        findings += _validity(pc, req, as_of)
        findings += _open_licence_conflict(pc, req)
        findings += _overlapping_licences(pc, req)
        findings += _co_owners(pc, req)
        findings += _pledges(pc, req)
        findings += _filing_holds(pc, req)
    findings += pricing_findings(req)
    findings += sublicence_findings(req)
    findings += req.fee_findings
    findings += trial_findings(req)
    findings += region_findings(req)
    return Verdict.of(findings)


def _validity(pc: PatentCheck, req: LicenceRequest, as_of: dt.date) -> list[Finding]:
    """L1: granted and in force, and the licence ends no later than the patent (民法典 Art. 865)."""
    f, subject, no = pc.facts, patent_subject(pc.facts), pc.facts.application_number
    if not f.granted:
        return [licence_finding("L1", Severity.BLOCK, f"{subject}尚未授权，不能许可他人实施", no)]
    if not f.valid or pc.enc.lapsed:
        reason = f"{subject}在 {as_of} 的法律状态不是有效，不能签订许可合同"
        return [licence_finding("L1", Severity.BLOCK, reason, no)]
    out: list[Finding] = []
    if f.lapse_date is not None and f.lapse_date <= req.end:
        reason = f"{subject}的专利权于 {f.lapse_date} 终止，许可期限（{req.start} 至 {req.end}）不能超出专利权有效期"
        out.append(licence_finding("L1", Severity.BLOCK, reason, no))
    if f.expiry_date is None:
        reason = f"{subject}的期限届满日未知，无法核对许可期限是否超出专利权期限"
        out.append(licence_finding("L1", Severity.WARN, reason, no))
    elif req.start > f.expiry_date:
        reason = f"{subject}的专利权于 {f.expiry_date} 届满，许可起始日 {req.start} 已在届满之后"
        out.append(licence_finding("L1", Severity.BLOCK, reason, no))
    elif req.end > f.expiry_date:
        reason = (
            f"{subject}的专利权于 {f.expiry_date} 届满，许可终止日 {req.end} 超出专利权期限，"
            "请把终止日改到届满日或之前"
        )
        out.append(licence_finding("L1", Severity.BLOCK, reason, no))
    if pc.enc.invalidation_pending:
        reason = (
            f"{subject}正处于无效宣告程序中；如被宣告无效，专利权视为自始不存在，"
            "已履行的许可费一般不予返还，请告知被许可人"
        )
        out.append(licence_finding("L1", Severity.WARN, reason, no))
    return out


def _open_licence_conflict(pc: PatentCheck, req: LicenceRequest) -> list[Finding]:
    """L2: no exclusive or sole licence while an open-licence declaration is in force (Law Art. 51 ¶3);
    a declaration withdrawn before the requested start does not stand in the way."""
    if req.kind not in EXCLUSIVE_KINDS:
        return []
    declared = [pc.enc.open_licence] if pc.enc.open_licence is not None else []
    declared += [e for e in pc.window_events if e.kind is RightKind.OPEN_LICENCE]
    out: list[Finding] = []
    for ev in unique_events(declared):
        if not overlaps(ev, req.start, req.end):
            continue
        when = f"自 {ev.start} 起，" + (f"至 {ev.end}" if ev.end else "尚未撤回")
        ref = f"（声明 {event_ref(ev)}，{when}）" if event_ref(ev) else f"（{when}）"
        reason = (
            f"{patent_subject(pc.facts)}已发布开放许可声明{ref}，开放许可实施期间不能签订{req.kind.label}，"
            "只能签订普通许可"
        )
        out.append(licence_finding("L2", Severity.BLOCK, reason, pc.facts.application_number))
    return out


def _overlapping_licences(pc: PatentCheck, req: LicenceRequest) -> list[Finding]:
    """L3: an exclusive/sole licence tolerates no other licence over the same territory, field and time;
    an ordinary licence cannot be granted while an exclusive or sole one covers that scope (a sole licence
    too promises the licensor will license nobody else, 技术合同解释 Art. 25)."""
    candidates = [*pc.enc.exclusive_or_sole, *pc.enc.ordinary]
    candidates += [e for e in pc.window_events if e.kind is RightKind.LICENCE]
    out: list[Finding] = []
    for ev in unique_events(candidates):
        if req.own_ref and req.own_ref in (ev.ref, ev.record_no):
            continue
        if not (overlaps(ev, req.start, req.end) and _same_scope(ev, req)):
            continue
        existing = licence_kind_of(ev)
        if req.kind not in EXCLUSIVE_KINDS and existing not in EXCLUSIVE_KINDS:
            continue  # ordinary beside ordinary is what ordinary licences are for
        details = [f"合同 {event_ref(ev)}" if event_ref(ev) else "未记录合同号"]
        if ev.counterparty:
            details.append(f"被许可人 {ev.counterparty}")
        details.append(f"至 {ev.end}" if ev.end else "未约定终止日")
        reason = (
            f"{patent_subject(pc.facts)}在 {max(ev.start, req.start)} 已有{existing.label}"
            f"（{'，'.join(details)}）有效，不能再签订{req.kind.label}"
        )
        out.append(licence_finding("L3", Severity.BLOCK, reason, pc.facts.application_number))
    return out


def _co_owners(pc: PatentCheck, req: LicenceRequest) -> list[Finding]:
    """L4: Art. 14 — absent an agreement one co-owner may grant an ordinary licence alone (the fee is
    shared); exclusive or sole needs every co-owner. Also warns when no licensor is a recorded patentee,
    one of 62号令's refusal cases (a warning: name variants are common in the data)."""
    subject, no = patent_subject(pc.facts), pc.facts.application_number
    patentees = pc.enc.co_owners or pc.facts.patentees
    licensors = {normalise_name(p) for p in req.licensor_parties}
    if patentees and licensors and not any(normalise_name(p) in licensors for p in patentees):
        reason = (
            f"{subject}的专利权人为{'、'.join(patentees)}，许可方（{'、'.join(req.licensor_parties)}）不在其中；"
            "备案要求许可方为合法专利权人，请核对权属或委托文件"
        )
        return [licence_finding("L4", Severity.WARN, reason, no)]
    missing = [p for p in patentees if normalise_name(p) not in licensors]
    if len(patentees) < 2 or req.coowner_consent or not missing:
        return []
    owners = "、".join(patentees)
    if req.kind in EXCLUSIVE_KINDS:
        reason = f"{subject}为{owners}共有，签订{req.kind.label}须经全体共有人书面同意，尚缺{'、'.join(missing)}的同意"
        return [licence_finding("L4", Severity.BLOCK, reason, no)]
    reason = (
        f"{subject}为{owners}共有，{'、'.join(req.licensor_parties)}可以单独许可他人普通实施，但收取的使用费"
        f"应当在共有人之间分配，请在合同中记录分配比例（{'、'.join(missing)}未参与签约）"
    )
    return [licence_finding("L4", Severity.WARN, reason, no)]


def _pledges(pc: PatentCheck, req: LicenceRequest) -> list[Finding]:
    """L5: a pledge without the pledgee's consent — a warning at signing, a block of the filing."""
    severity = Severity.BLOCK if req.for_filing else Severity.WARN
    if req.for_filing:
        consequence = "备案会被拒绝，请先取得质权人书面同意"
    else:
        consequence = "请在签订前取得质权人书面同意，否则备案会被拒绝"
    out: list[Finding] = []
    for p in pc.enc.pledges:
        if "pledgee" in p.consents:
            continue
        reason = f"{patent_subject(pc.facts)}自 {p.start} 起已质押{_pledge_detail(p)}，尚无质权人同意许可的书面文件；{consequence}"
        out.append(licence_finding("L5", severity, reason, pc.facts.application_number))
    return out


def _pledge_detail(p: RightEvent) -> str:
    parts = [f"质权人 {p.counterparty}"] if p.counterparty else []
    if p.record_no:
        parts.append(f"登记号 {p.record_no}")
    return f"（{'，'.join(parts)}）" if parts else ""


def _filing_holds(pc: PatentCheck, req: LicenceRequest) -> list[Finding]:
    """L6: late fee period, suspension or preservation — the contract may be signed, the filing fails."""
    causes: list[str] = []
    if pc.enc.fee_state is FeeState.LATE:
        months = f"已滞纳 {pc.enc.late_months} 个月" if pc.enc.late_months else "滞纳中"
        causes.append(f"处于年费滞纳期（{months}）")
    if pc.enc.suspended:
        causes.append("有关程序已中止（权属纠纷）")
    if pc.enc.preserved:
        causes.append("被人民法院采取保全措施")
    if not causes:
        return []
    subject, what = patent_subject(pc.facts), "、".join(causes)
    if req.for_filing:
        reason = f"{subject}{what}：备案会被拒绝，须在该情形消除后再提交备案"
        return [licence_finding("L6", Severity.BLOCK, reason, pc.facts.application_number)]
    reason = f"{subject}{what}：可以签订但备案会被拒绝，请在该情形消除后再备案"
    return [licence_finding("L6", Severity.WARN, reason, pc.facts.application_number)]


def _same_scope(ev: RightEvent, req: LicenceRequest) -> bool:
    """Territories are CN or GB/T 2260 prefixes (one inside the other overlaps); fields of use are free
    text, where empty means every field."""
    a, b = _territory(ev.territory), _territory(req.territory)
    territory_meets = not a or not b or a.startswith(b) or b.startswith(a)
    fields_meet = not ev.field_of_use or not req.field_of_use or ev.field_of_use == req.field_of_use
    return territory_meets and fields_meet


def _territory(text: str) -> str:
    """ "" for the whole country, else the region prefix."""
    t = text.strip().upper()
    return "" if t in ("", "CN", "中国", "全国") else region_prefix(t)
