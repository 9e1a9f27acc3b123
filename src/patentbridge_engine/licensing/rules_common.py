"""What the licence and open-licence checks share: the directed-licence request, the rule catalogue
L1–L13 (transactions-and-analytics.md §2.d), and small helpers for naming patents and reading the
ledger's events."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from patentbridge_engine.licensing.findings import Finding, Severity
from patentbridge_engine.licensing.ledger import Encumbrances, LicenceKind, PatentFacts, RightEvent

__all__ = [
    "EXCLUSIVE_KINDS",
    "LICENCE_RULES",
    "PRICE_METHODS",
    "LicenceRequest",
    "PatentCheck",
    "event_ref",
    "licence_finding",
    "licence_kind_of",
    "normalise_name",
    "overlaps",
    "patent_label",
    "patent_subject",
    "region_prefix",
    "unique_events",
]

# code -> (Chinese title for the UI's rule list, legal or policy source cited on every finding).
LICENCE_RULES: dict[str, tuple[str, str]] = {
    "L1": ("专利有效且许可期限不超过专利权期限", "民法典 第865条；专利法 第47条"),
    "L2": ("开放许可实施期间不得独占或排他许可", "专利法 第51条第3款"),
    "L3": ("不得与期间重叠的许可冲突", "最高人民法院关于审理技术合同纠纷案件适用法律若干问题的解释 第25条"),
    "L4": (
        "共有专利：独占、排他许可须全体共有人同意；单独普通许可须分配使用费",
        "专利法 第14条；专利实施许可合同备案办法（国家知识产权局令第62号）第3条",
    ),
    "L5": (
        "已质押专利须取得质权人同意方可备案",
        "专利实施许可合同备案办法（国家知识产权局令第62号）不予备案情形；民法典 第444条第2款",
    ),
    "L6": (
        "年费滞纳期、中止或保全期间不予备案",
        "专利实施许可合同备案办法（国家知识产权局令第62号）不予备案情形；专利法实施细则 第103—105条",
    ),
    "L7": ("国有单位须确定定价方式，协议定价须先公示", "促进科技成果转化法 第18条"),
    "L8": ("分许可须在合同中明确约定", "专利法 第12条"),
    "L9": ("许可使用费可以计算或明确免费", "民法典 第846条"),
    "L10": ("限时免费试用：普通许可、免费、期限按月计算", "鲁政办字〔2025〕47号 第7项；平台设计"),
    "L11": ("区域定向：区域外申请人须运营人员确认", "平台设计（区域仅用于定向推送和统计，不是法定限制）"),
    "L12": (
        "收益分配：完成人比例不低于法定下限，个人比例合计100%",
        "促进科技成果转化法 第45条；山东省促进科技成果转化条例 第34条",
    ),
    "L13": ("提成按期计算：最低额、封顶，入门费只收一次，试用期为零", "民法典 第846条；平台设计"),
}

# 促进科技成果转化法 Art. 18 names agreement (with 公示), listing and auction; an open licence's price is
# its published declaration, so it needs no further procedure.
PRICE_METHODS: dict[str, str] = {
    "agreement": "协议定价",
    "listing": "挂牌交易",
    "auction": "拍卖",
    "open_licence": "开放许可",
}

EXCLUSIVE_KINDS = (LicenceKind.EXCLUSIVE, LicenceKind.SOLE)


@dataclass(frozen=True)
class PatentCheck:
    """One patent of a request: its facts, its burdens on ``enc.as_of``, and ``window_events`` — ledger
    events that are not in force on that date but may overlap the requested term (a licence that starts
    later, an open-licence declaration published later)."""

    facts: PatentFacts
    enc: Encumbrances
    window_events: tuple[RightEvent, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LicenceRequest:
    """A licence about to be signed (or, with ``for_filing``, filed). ``coowner_consent``: all co-owners'
    written consent or their agreement is on file. ``fee_findings``: rule L9 as computed by the fees
    module. ``own_ref``: the contract's own ledger reference, so re-checking a signed contract before
    filing does not make it conflict with itself."""

    kind: LicenceKind
    patents: tuple[PatentCheck, ...]
    start: dt.date
    end: dt.date
    licensor_parties: tuple[str, ...]
    coowner_consent: bool = False
    state_run_licensor: bool = False
    price_method: str = ""
    public_notice_completed: bool = False
    is_trial: bool = False
    trial_months: int | None = None
    trial_fee_free: bool = False
    sublicence_allowed: bool = False
    sublicence_stated: bool = False
    applicant_region: str = ""
    target_regions: tuple[str, ...] = ()
    region_only: bool = False
    territory: str = "CN"
    field_of_use: str = ""
    fee_findings: tuple[Finding, ...] = ()
    for_filing: bool = False
    own_ref: str = ""


def licence_finding(code: str, severity: Severity, reason: str, patent: str = "") -> Finding:
    """A finding of rule ``code`` (L1–L13) carrying the rule's source from the catalogue."""
    return Finding(code=code, severity=severity, reason=reason, source=LICENCE_RULES[code][1], patent=patent)


def patent_label(facts: PatentFacts) -> str:
    """「专利 CN202010000001.X（一种…）」: how every reason names a patent."""
    if facts.title:
        return f"专利 {facts.application_number}（{facts.title}）"
    return f"专利 {facts.application_number}"


def patent_subject(facts: PatentFacts) -> str:
    """The label as the subject of a reason: 「专利 X（题名）在…」, or 「专利 X 在…」 when there is no title."""
    return patent_label(facts) if facts.title else f"{patent_label(facts)} "


def normalise_name(name: str) -> str:
    """Compare party names without width or whitespace differences (（ = (, full-width space = space)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def overlaps(ev: RightEvent, start: dt.date, end: dt.date) -> bool:
    """The event's [start, end] (end inclusive, None = open-ended) meets the interval [start, end]."""
    return ev.start <= end and (ev.end is None or ev.end >= start)


def event_ref(ev: RightEvent) -> str:
    """The contract, declaration or registration number a reason can quote."""
    return ev.ref or ev.record_no


def unique_events(events: list[RightEvent]) -> list[RightEvent]:
    """The ledger answer and the window may list the same event; keep the first of each."""
    return list(dict.fromkeys(events))


def licence_kind_of(ev: RightEvent) -> LicenceKind:
    """A licence event's kind; an unstated kind is ordinary (技术合同解释 Art. 25)."""
    try:
        return LicenceKind(ev.sub_kind)
    except ValueError:
        return LicenceKind.ORDINARY


def region_prefix(code: str) -> str:
    """GB/T 2260 codes pad with zeros: 370000 = 37 (山东), 371500 = 3715 (聊城), 371522 stays."""
    c = code.strip()
    while len(c) > 2 and c.endswith("00"):
        c = c[:-2]
    return c
