"""What the ledger pages show: a patent's right events with Chinese labels, "on date D what
burdens it" in words, a manual entry (audited), and the dated policy parameters.

Views call these instead of the engine (architecture.md §3 rule 2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from patentbridge.licensing.choices import LicenceKindChoices, RightKindChoices, RightSourceChoices
from patentbridge.licensing.models import RightEvent
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge.licensing.services.ledger import encumbrances_for, record_right_event
from patentbridge.licensing.services.rights_import import refresh_counts
from patentbridge.patents.models import Patent
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.ledger import Encumbrances, FeeState
from patentbridge_engine.licensing.ledger import RightEvent as EngineEvent

__all__ = [
    "SUB_KINDS",
    "TAG_LABELS",
    "Burden",
    "burdens_on",
    "event_rows",
    "fee_label",
    "manual_ref",
    "policy_rows",
    "record_manual_event",
]

# Sub-kinds a person may choose per kind (the engine reads these values); "" = not stated.
SUB_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    RightKindChoices.LICENCE: tuple(LicenceKindChoices.choices),
    RightKindChoices.PLEDGE: (("registered", "质押登记"), ("changed", "质押变更")),
    RightKindChoices.EVALUATION_REPORT: (
        ("meets_conditions", "符合授予专利权条件"),
        ("not_meets", "不符合授予专利权条件"),
    ),
    RightKindChoices.INVALIDATION_DECISION: (
        ("invalid", "宣告专利权全部无效"),
        ("partly_invalid", "宣告专利权部分无效"),
        ("upheld", "维持专利权有效"),
    ),
}
_SUB_LABELS = {value: label for options in SUB_KINDS.values() for value, label in options}
_KIND_LABELS = dict(RightKindChoices.choices)
_SOURCE_LABELS = dict(RightSourceChoices.choices)
_FEE_LABELS = {
    FeeState.PAID: "年费已缴",
    FeeState.DUE: "年费应缴未缴（尚在缴费期内）",
    FeeState.LATE: "年费滞纳期",
    FeeState.LAPSED: "权利已终止",
    FeeState.UNKNOWN: "年费状态未知（台账中无年费记录）",
}
# What each evidence tag of a policy parameter means (policy_params.json, guide §0.3).
TAG_LABELS = {
    "V": "已核对法律原文",
    "R": "官方文件转载/译文",
    "S": "二手资料，发布前需核实",
    "U": "未核实/项目默认值，可由运营方调整",
}
_SEED = "种子文件所述（项目来源材料）"
# Chinese words for the option values of choice parameters (the file's notes define them).
_OPTION_LABELS = {
    "pre_agreed": "签约时约定付费条件",
    "negotiate": "试用期满再协商",
    "publication": "自声明公告起",
    "first_licence": "自第一项开放许可起",
    "each_licence": "约束每一项许可（自许可生效起算）",
    "offer": "仅为声明本身的有效期",
    "taxes": "相关税费",
    "maintenance": "专利维持费用",
    "transaction": "评估、谈判等交易费用",
}
# Units that the shown value already says (a switch reads 是/否, an option is its label).
_SILENT_UNITS = ("比例", "开关", "选项", "项目")


def event_rows(patent: Patent) -> list[dict[str, Any]]:
    """The patent's ledger rows, oldest first, with Chinese labels for kind, sub-kind and source."""
    rows = RightEvent.objects.filter(patent=patent).order_by("start_date", "pk")
    return [
        {
            "event": row,
            "kind": _KIND_LABELS.get(row.kind, row.kind),
            "sub_kind": _SUB_LABELS.get(row.sub_kind, row.sub_kind),
            "source": _SOURCE_LABELS.get(row.source, row.source),
        }
        for row in rows
    ]


@dataclass(frozen=True)
class Burden:
    """One line of "what burdens the patent on D": a heading, the details, and how serious it is
    (``bad`` blocks licensing checks, ``warn`` needs attention, ``ok`` is information)."""

    title: str
    details: tuple[str, ...] = ()
    level: str = "warn"


def _describe(e: EngineEvent) -> str:
    parts = [e.counterparty or "相对方未记载"]
    if e.record_no:
        parts.append(f"备案/登记号 {e.record_no}")
    span = f"{e.start.isoformat()} 起" + (f"至 {e.end.isoformat()}" if e.end else "，未记载结束日")
    parts.append(span)
    return "，".join(parts)


def _licence_burdens(enc: Encumbrances) -> list[Burden]:
    out = []
    if enc.exclusive_or_sole:
        out.append(
            Burden(
                "独占/排他许可有效",
                tuple(
                    f"{_SUB_LABELS.get(e.sub_kind, '独占或排他许可')}：{_describe(e)}"
                    for e in enc.exclusive_or_sole
                ),
                "bad",
            )
        )
    if enc.ordinary:
        out.append(Burden("普通许可有效", tuple(_describe(e) for e in enc.ordinary), "ok"))
    if enc.open_licence is not None:
        out.append(Burden("开放许可声明有效", (f"{enc.open_licence.start.isoformat()} 起",), "ok"))
    return out


def burdens_on(patent: Patent, as_of: dt.date) -> tuple[Encumbrances, list[Burden]]:
    """The engine's answer for ``as_of`` and the same in Chinese lines (empty list: nothing
    burdens the patent on that day as far as the ledger and the patent record show)."""
    enc = encumbrances_for(patent, as_of)
    out = _licence_burdens(enc)
    if enc.pledges:
        details = tuple(
            _describe(e) + ("" if "pledgee" in e.consents else "（未记载质权人同意许可）")
            for e in enc.pledges
        )
        out.append(Burden("质押中", details, "bad" if enc.pledged_without_consent else "warn"))
    if enc.suspended:
        out.append(Burden("专利权有关程序中止（专利法实施细则第一百零三条）", (), "bad"))
    if enc.preserved:
        out.append(Burden("专利权被财产保全", (), "bad"))
    if enc.lapsed:
        out.append(Burden("专利权已终止、届满或被宣告无效", (), "bad"))
    elif enc.fee_state is FeeState.LATE:
        out.append(Burden("年费滞纳期", (f"滞纳期第 {enc.late_months} 个月",), "bad"))
    elif enc.fee_state is FeeState.DUE:
        out.append(Burden(_FEE_LABELS[FeeState.DUE], (), "warn"))
    if enc.invalidation_pending:
        out.append(Burden("无效宣告请求审理中", (), "warn"))
    if enc.evaluation_report is not None:
        report = enc.evaluation_report
        conclusion = _SUB_LABELS.get(report.sub_kind, "结论未记载")
        level = "bad" if report.sub_kind == "not_meets" else "ok"
        out.append(Burden("专利权评价报告", (f"{report.start.isoformat()}：{conclusion}",), level))
    if enc.co_owners:
        out.append(Burden("共有专利", ("共有人：" + "、".join(enc.co_owners),), "warn"))
    return enc, out


def fee_label(enc: Encumbrances) -> str:
    """The fee state in words (shown next to the burden list)."""
    label = _FEE_LABELS[enc.fee_state]
    return f"{label}（第 {enc.late_months} 个月）" if enc.fee_state is FeeState.LATE else label


def manual_ref(kind: str, start: dt.date, record_no: str, counterparty: str) -> str:
    """A manual entry's identity: the same fact entered again updates its row (a corrected end
    date, a counterparty spelled out) instead of adding a second one."""
    who = record_no.strip() or counterparty.strip()[:60] or kind
    return f"manual:{kind}:{start.isoformat()}:{who}"[:120]


@transaction.atomic
def record_manual_event(
    actor: Any,
    patent: Patent,
    *,
    kind: str,
    start: dt.date,
    end: dt.date | None = None,
    sub_kind: str = "",
    counterparty: str = "",
    record_no: str = "",
    note: str = "",
) -> RightEvent:
    """A right fact entered by hand (``licensing.ledger``: a TTO on its own patents, operators on
    any); audited by the ledger service, and the patent's counts follow."""
    row = record_right_event(
        actor,
        patent,
        kind=kind,
        start=start,
        end=end,
        sub_kind=sub_kind,
        counterparty=counterparty,
        record_no=record_no,
        source=RightSourceChoices.MANUAL,
        source_ref=manual_ref(kind, start, record_no, counterparty),
        note=note,
    )
    refresh_counts([patent])
    return row


def _shown(value: Any, unit: str) -> str:
    if isinstance(value, tuple):
        return "、".join(_shown(v, "") for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and value in _OPTION_LABELS:
        return _OPTION_LABELS[value]
    if unit == "比例" and isinstance(value, Decimal | int):
        return f"{(Decimal(value) * 100).normalize():f}%"
    if isinstance(value, int) and abs(value) >= 10_000:
        return f"{value:,}"
    return str(value)


def _row(p: policy.PolicyParam, as_of: dt.date) -> dict[str, Any]:
    tag = p.tag
    return {
        "key": p.key,
        "label": p.label,
        "value": _shown(p.value, p.unit),
        "unit": "" if p.unit in _SILENT_UNITS else p.unit,
        "jurisdiction": "全国" if p.jurisdiction == "CN" else region_label(p.jurisdiction),
        "jurisdiction_code": p.jurisdiction,
        "source_doc": p.source_doc,
        "source_article": p.source_article,
        "effective_from": p.effective_from,
        "effective_to": p.effective_to,
        "tag": tag,
        "tag_label": TAG_LABELS.get(tag, _SEED if tag.startswith("seed-") else tag),
        "note": p.note,
        "version": policy.version_id(p),
        "in_force": p.in_force(as_of),
    }


def policy_rows(as_of: dt.date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(rows in force on ``as_of``, every version) of the dated policy parameters, for display."""
    every = [_row(p, as_of) for p in policy.load_params()]
    return [r for r in every if r["in_force"]], every
