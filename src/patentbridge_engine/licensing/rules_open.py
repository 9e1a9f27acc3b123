"""Open-licence declaration checks (专利开放许可, transactions-and-analytics.md §3.d eligibility table;
专利法 Arts. 50–51; 细则 Arts. 85–86): may this patent be declared open on these terms? The codes are
exactly the guide's table; fee findings (FEE_NOT_COMPUTABLE, FEE_ABOVE_GUIDE) arrive from the fees
module and are merged with what the fee text itself shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from patentbridge_engine.legal.terms import PatentType
from patentbridge_engine.licensing.findings import Finding, Severity, Verdict
from patentbridge_engine.licensing.ledger import FeeState, RightKind
from patentbridge_engine.licensing.rules_common import (
    EXCLUSIVE_KINDS,
    PatentCheck,
    event_ref,
    licence_kind_of,
    normalise_name,
    patent_subject,
    unique_events,
)
from patentbridge_engine.licensing.rules_open_text import (
    advertising_words,
    ambiguous_limits,
    licensee_filters,
    names_all_of_china,
    negotiation_words,
    territory_limits,
)

__all__ = ["OPEN_RULES", "OpenLicenceDeclarationFacts", "check_open_licence"]

_GUIDE_2024 = "国家知识产权局关于全面推进专利开放许可制度实施工作的通知（2024）"
_FORM = "国家知识产权局开放许可声明要求及常见问题解答"

# code -> (Chinese title for the UI's rule list, source cited on every finding).
OPEN_RULES: dict[str, tuple[str, str]] = {
    "NOT_GRANTED_OR_INVALID": ("专利须已授权公告且有效", f"专利法实施细则 第85条第1款；{_FORM}"),
    "EXCLUSIVE_OR_SOLE_ACTIVE": ("专利处于独占或排他许可有效期内", "专利法实施细则 第86条第1项"),
    "SUSPENDED_OR_PRESERVED": ("专利权因权属纠纷中止或被保全", "专利法实施细则 第86条第2项"),
    "ANNUAL_FEE_UNPAID": (
        "未按规定缴纳年费（滞纳期视为未缴）",
        "专利法实施细则 第86条第3项；滞纳期按未缴处理为平台解读",
    ),
    "PLEDGED_NO_CONSENT": ("专利权已质押且未经质权人同意", "专利法实施细则 第86条第4项"),
    "OTHER_IMPEDIMENT": ("其他妨碍专利权有效实施的情形", "专利法实施细则 第86条第5项"),
    "NOT_ALL_PATENTEES": ("全体专利权人须共同声明", _FORM),
    "NO_EVALUATION_REPORT": ("实用新型、外观设计须提供专利权评价报告", "专利法 第50条第1款"),
    "REPORT_NEGATIVE": ("评价报告结论须为符合授予专利权条件", _FORM),
    "TERRITORY_NOT_CHINA": ("许可地域须为中国境内", f"{_FORM}；{_GUIDE_2024}"),
    "LICENSEE_FILTER": ("不得限定被许可人范围（对所有被许可人一视同仁）", f"{_FORM}；{_GUIDE_2024}"),
    "FEE_NOT_COMPUTABLE": ("许可使用费须无需协商即可计算", "专利法 第50条、第51条"),
    "ADVERTISING_WORDS": ("声明不得出现商业性宣传用语", "专利法实施细则 第85条第3款"),
    "TERM_BEYOND_PATENT": ("许可期限不得超过专利权期限", "民法典 第865条（推论）"),
    "FEE_ABOVE_GUIDE": ("许可使用费高于指导标准（仅提示）", _GUIDE_2024),
}

# How a check reports: (code, severity, reason that follows the patent's name).
_AddFn = Callable[[str, Severity, str], None]

# Conclusions as stored on the ledger's evaluation_report event or typed from the report.
_REPORT_NEGATIVE = ("not_meets", "不符合", "不具备", "不满足", "不能授予", "不应授予")
_REPORT_POSITIVE = ("meets_conditions", "符合", "具备", "满足")


@dataclass(frozen=True, kw_only=True)
class OpenLicenceDeclarationFacts:
    """A declaration about to be checked. ``evaluation_report`` is the report's conclusion
    (``meets_conditions``/``not_meets`` or the report's Chinese wording); None takes it from the ledger
    (``patent.enc.evaluation_report``). ``pledgee_consent``: a consent document is attached to the
    declaration. ``other_impediment``: a human-stated impediment (细则 Art. 86(5)); empty = none."""

    patent: PatentCheck
    signed_by: tuple[str, ...]
    territory_text: str = ""
    other_terms: str = ""
    fee_findings: tuple[Finding, ...] = ()
    fee_text: str = ""
    term_end: dt.date | None = None
    evaluation_report: str | None = None
    pledgee_consent: bool = False
    other_impediment: str = ""


def check_open_licence(decl: OpenLicenceDeclarationFacts, as_of: dt.date) -> Verdict:
    """Check an open-licence declaration on ``as_of`` against the §3.d eligibility table; each finding
    has the table's code, a Chinese reason naming the patent and the fact, and the source."""
    facts = decl.patent.facts
    subject, no = patent_subject(facts), facts.application_number
    out: list[Finding] = []

    def add(code: str, severity: Severity, reason: str) -> None:
        out.append(Finding(code, severity, f"{subject}{reason}", OPEN_RULES[code][1], no))

    _rights(decl, as_of, add)
    _burdens(decl, as_of, add)
    _signatures(decl, add)
    _report(decl, add)
    _terms_text(decl, add)
    out += decl.fee_findings
    if not any(f.code == "FEE_NOT_COMPUTABLE" for f in decl.fee_findings):
        words = negotiation_words(decl.fee_text)
        if words:
            add(
                "FEE_NOT_COMPUTABLE",
                Severity.BLOCK,
                f"的许可使用费标准含「{'」「'.join(words)}」等待定表述；开放许可的费用须能由任何被许可人按公布的标准直接计算",
            )
    ads = advertising_words(" ".join((decl.territory_text, decl.other_terms, decl.fee_text)))
    if ads:
        add(
            "ADVERTISING_WORDS",
            Severity.WARN,
            f"的声明含商业性宣传用语「{'」「'.join(ads)}」，请删改并经人工复核",
        )
    if decl.term_end is not None and facts.expiry_date is not None and decl.term_end > facts.expiry_date:
        add(
            "TERM_BEYOND_PATENT",
            Severity.BLOCK,
            f"的许可期限至 {decl.term_end}，超过专利权期限届满日 {facts.expiry_date}",
        )
    return Verdict.of(out)


def _rights(decl: OpenLicenceDeclarationFacts, as_of: dt.date, add: _AddFn) -> None:
    """NOT_GRANTED_OR_INVALID and EXCLUSIVE_OR_SOLE_ACTIVE (细则 Arts. 85 ¶1, 86(1))."""
    facts, enc = decl.patent.facts, decl.patent.enc
    if not facts.granted:
        add("NOT_GRANTED_OR_INVALID", Severity.BLOCK, "尚未授权公告，授权公告后才能声明开放许可")
    elif not facts.valid or enc.lapsed or (facts.lapse_date is not None and facts.lapse_date <= as_of):
        add("NOT_GRANTED_OR_INVALID", Severity.BLOCK, f"在 {as_of} 的法律状态不是有效，不能声明开放许可")
    elif facts.expiry_date is not None and facts.expiry_date < as_of:
        add("NOT_GRANTED_OR_INVALID", Severity.BLOCK, f"的专利权已于 {facts.expiry_date} 届满")
    licences = [*enc.exclusive_or_sole]
    licences += [e for e in decl.patent.window_events if e.kind is RightKind.LICENCE]
    for ev in unique_events(licences):
        kind = licence_kind_of(ev)
        if kind not in EXCLUSIVE_KINDS or (ev.end is not None and ev.end < as_of):
            continue
        ref = f"合同 {event_ref(ev)}，" if event_ref(ev) else ""
        until = f"至 {ev.end}" if ev.end else "未约定终止日"
        add(
            "EXCLUSIVE_OR_SOLE_ACTIVE",
            Severity.BLOCK,
            f"有{kind.label}（{ref}自 {ev.start} 起，{until}）处于有效期内，期满或解除前不能声明开放许可",
        )


def _burdens(decl: OpenLicenceDeclarationFacts, as_of: dt.date, add: _AddFn) -> None:
    """SUSPENDED_OR_PRESERVED, ANNUAL_FEE_UNPAID, PLEDGED_NO_CONSENT, OTHER_IMPEDIMENT (细则 Art. 86(2)–(5))."""
    enc = decl.patent.enc
    if enc.suspended or enc.preserved:
        what = "、".join(
            w
            for w, on in (("因权属纠纷中止有关程序", enc.suspended), ("被采取保全措施", enc.preserved))
            if on
        )
        add("SUSPENDED_OR_PRESERVED", Severity.BLOCK, f"{what}，在中止或保全解除前不能声明开放许可")
    if enc.fee_state is FeeState.LATE:
        months = f"，已滞纳 {enc.late_months} 个月" if enc.late_months else ""
        add(
            "ANNUAL_FEE_UNPAID",
            Severity.BLOCK,
            f"处于年费滞纳期{months}；平台按未按规定缴纳年费处理，请补缴年费和滞纳金后再声明",
        )
    elif enc.fee_state is FeeState.LAPSED:
        add("ANNUAL_FEE_UNPAID", Severity.BLOCK, "未缴纳年费，专利权已终止")
    elif enc.fee_state is FeeState.UNKNOWN:
        add("ANNUAL_FEE_UNPAID", Severity.WARN, f"在 {as_of} 的年费缴纳情况未知，请核对缴费记录后再提交")
    unconsented = [p for p in enc.pledges if "pledgee" not in p.consents]
    if unconsented and not decl.pledgee_consent:
        pledgees = "、".join(p.counterparty for p in unconsented if p.counterparty) or "质权人"
        add("PLEDGED_NO_CONSENT", Severity.BLOCK, f"已质押，尚无{pledgees}同意开放许可的书面文件")
    if decl.other_impediment.strip():
        add("OTHER_IMPEDIMENT", Severity.BLOCK, f"存在妨碍有效实施的情形：{decl.other_impediment.strip()}")
    if enc.invalidation_pending:
        add(
            "OTHER_IMPEDIMENT",
            Severity.WARN,
            "正处于无效宣告程序中，请人工判断是否妨碍有效实施；如被宣告无效，开放许可随之失去依据",
        )


def _signatures(decl: OpenLicenceDeclarationFacts, add: _AddFn) -> None:
    """NOT_ALL_PATENTEES: every current patentee joins the declaration (names compared width-folded)."""
    patentees = decl.patent.enc.co_owners or decl.patent.facts.patentees
    signed = {normalise_name(s) for s in decl.signed_by if s.strip()}
    if not signed:
        add("NOT_ALL_PATENTEES", Severity.BLOCK, "的开放许可声明尚无专利权人签署")
        return
    if not patentees:
        add("NOT_ALL_PATENTEES", Severity.WARN, "的专利权人名单未知，无法核对是否全体专利权人均已签署")
        return
    missing = [p for p in patentees if normalise_name(p) not in signed]
    if missing:
        add(
            "NOT_ALL_PATENTEES",
            Severity.BLOCK,
            f"的专利权人为{'、'.join(patentees)}，开放许可声明须由全体专利权人共同提出，尚缺{'、'.join(missing)}签署",
        )


def _report(decl: OpenLicenceDeclarationFacts, add: _AddFn) -> None:
    """NO_EVALUATION_REPORT / REPORT_NEGATIVE: utility models and designs only (专利法 Art. 50 ¶1)."""
    ptype = decl.patent.facts.patent_type
    if ptype is PatentType.INVENTION:
        return
    if ptype is None:
        add("NO_EVALUATION_REPORT", Severity.WARN, "的专利类型未知，无法判断是否须提供专利权评价报告")
        return
    report = decl.patent.enc.evaluation_report
    typed = (decl.evaluation_report or "").strip()
    conclusion = typed or (report.sub_kind if report is not None else None)
    if conclusion is None:
        add("NO_EVALUATION_REPORT", Severity.BLOCK, f"为{ptype.label}专利，声明开放许可须提供专利权评价报告")
        return
    text = conclusion.strip()
    if any(m in text for m in _REPORT_NEGATIVE):
        add("REPORT_NEGATIVE", Severity.BLOCK, f"的专利权评价报告结论为「{text}」，不能声明开放许可")
    elif not any(m in text for m in _REPORT_POSITIVE):
        add(
            "REPORT_NEGATIVE",
            Severity.WARN,
            f"的专利权评价报告结论「{text or '未填写'}」无法识别，请人工核对",
        )


def _terms_text(decl: OpenLicenceDeclarationFacts, add: _AddFn) -> None:
    """TERRITORY_NOT_CHINA / LICENSEE_FILTER: the whole of China, the same terms for every licensee."""
    terms = " ".join((decl.territory_text, decl.other_terms))
    limits = territory_limits(terms)
    territory = decl.territory_text.strip()
    if territory and not names_all_of_china(territory) and not limits:
        limits = [territory]
    if limits:
        add(
            "TERRITORY_NOT_CHINA",
            Severity.BLOCK,
            f"的声明把实施地域限定为「{'」「'.join(limits)}」；开放许可须允许任何单位或者个人在中国境内实施",
        )
    filters = licensee_filters(" ".join((terms, decl.fee_text)))
    if filters:
        add(
            "LICENSEE_FILTER",
            Severity.BLOCK,
            f"的声明限定了被许可人范围（「{'」「'.join(filters)}」）；开放许可对所有被许可人条件相同，不得筛选被许可人",
        )
    if not limits and not filters:
        unclear = ambiguous_limits(terms)
        if unclear:
            add(
                "LICENSEE_FILTER",
                Severity.WARN,
                f"的声明含「{'」「'.join(unclear)}」，请人工确认是否限制了实施地域或被许可人",
            )
