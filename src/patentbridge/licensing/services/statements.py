"""Licence ledger and receivables ageing (XLSX, through ``core.spreadsheet``), and the content of
the PDF statements — royalty statement per contract period, income-distribution sheet per
receipt — as plain data (``Statement``) that ``statements_pdf`` draws and tests read directly.

Who gets what: the licence ledger and the ageing workbook go to operators (every contract) and
TTOs (their own organisation's licences); a royalty statement to anyone who may see the
contract (licensor, licensee, operators); an income-distribution sheet to whoever may manage the
licensor's income (its TTO, operators)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Sum

from patentbridge.accounts import policies
from patentbridge.core.restrict import restrict
from patentbridge.core.spreadsheet import xlsx_sheets
from patentbridge.licensing.models import IncomeDistribution, LicenceContract, LicenceFiling, Receivable
from patentbridge.licensing.services.income import DEDUCTION_LABELS, can_manage_income
from patentbridge.licensing.services.money import (
    AGEING_LABELS,
    COMPONENT_LABELS,
    OPEN_STATES,
    ageing_for,
    cny,
    display_label,
    fee_description,
    outstanding,
    overdue_days,
    visible_receivables,
)
from patentbridge.licensing.services.money_usage import REPORT_FIELDS, format_figure
from patentbridge_engine.licensing.money import format_rate
from patentbridge_engine.licensing.royalty import AGEING_BUCKETS

__all__ = [
    "AGEING_HEADER",
    "LEDGER_HEADER",
    "Statement",
    "ageing_items",
    "ageing_rows",
    "ageing_xlsx",
    "distribution_sheet",
    "ledger_xlsx",
    "royalty_statement",
    "safe_filename",
]

LEDGER_HEADER = (
    "合同编号",
    "专利号",
    "专利名称",
    "许可方",
    "被许可方",
    "被许可方统一社会信用代码",
    "被许可方所在地区",
    "许可类型",
    "来源",
    "合同状态",
    "试用期",
    "付费期",
    "付费条件",
    "备案号",
    "备案日期",
    "应收金额合计",
    "已收金额合计",
    "演示数据",
)
AGEING_HEADER = (
    "合同编号",
    "许可方",
    "被许可方",
    "费用项目",
    "期间",
    "到期日",
    "应收金额",
    "已收金额",
    "未收金额",
    "状态",
    "逾期天数",
    "账龄",
)
L13_BASIS = "民法典第八百四十六条（许可使用费的支付方式）；平台规则 L13（提成按期计算，年最低额与封顶按期折算，入门费计入首个付费期）"


def safe_filename(stem: str, ext: str) -> str:
    """An ASCII file name for Content-Disposition (contract numbers may carry any characters)."""
    clean = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "statement"
    return f"{clean[:80]}.{ext}"


def _region(org: Any) -> str:
    place = f"{org.province}{org.city}".strip()
    if org.region_code:
        return f"{place}（{org.region_code}）" if place else org.region_code
    return place


def _phases(c: LicenceContract) -> tuple[str, str]:
    trial = f"{c.start_date:%Y-%m-%d}～{c.trial_end:%Y-%m-%d}" if c.trial_end else ""
    paid = f"{c.paid_start:%Y-%m-%d}～{c.end_date:%Y-%m-%d}" if c.paid_start else ""
    return trial, paid


def _ledger_contracts(user: Any) -> Any:
    policies.require(user, "licensing.ledger")
    filings = LicenceFiling.objects.exclude(record_no="").order_by("-filed_at", "-pk")
    return (
        restrict(LicenceContract.objects.all(), user, "view")
        .select_related("licensor_org", "licensee_org")
        .prefetch_related("patents", Prefetch("filings", queryset=filings, to_attr="filed"))
        .annotate(invoiced=Sum("receivables__amount_due"), received=Sum("receivables__amount_paid"))
        .order_by("contract_no")
    )


def ledger_rows(user: Any) -> list[list[Any]]:
    """One row per contract ``user`` may see (operators: all; a TTO: its organisation's)."""
    rows = []
    for c in _ledger_contracts(user):
        patents = sorted(c.patents.all(), key=lambda p: p.application_number)
        filing = c.filed[0] if c.filed else None
        trial, paid = _phases(c)
        rows.append(
            [
                c.contract_no,
                "；".join(p.application_number for p in patents),
                "；".join(p.title for p in patents),
                c.licensor_org.name,
                c.licensee_org.name,
                c.licensee_org.uscc,
                _region(c.licensee_org),
                c.get_kind_display(),
                c.get_origin_display(),
                c.get_state_display(),
                trial,
                paid,
                fee_description(c),
                filing.record_no if filing else "",
                filing.filed_at if filing else None,
                c.invoiced if c.invoiced is not None else Decimal("0.00"),
                c.received if c.received is not None else Decimal("0.00"),
                "是" if c.is_demo else "否",
            ]
        )
    return rows


def ledger_xlsx(user: Any) -> bytes:
    """The licence ledger workbook (许可合同台账)."""
    return xlsx_sheets([("许可合同台账", LEDGER_HEADER, ledger_rows(user), None)])


def _bucket(days: int) -> str:
    return next(label for label, last in AGEING_BUCKETS if last is None or days <= last)


def ageing_items(user: Any, *, as_of: dt.date, state: str = "") -> list[dict[str, Any]]:
    """Every receivable still owed that ``user`` may see (only ``state`` when given), with what
    is still owed, the days overdue on ``as_of`` and the ageing bucket ("待报告" while a royalty
    period waits for its usage report)."""
    policies.require(user, "licensing.ledger")
    states = [state] if state in OPEN_STATES else list(OPEN_STATES)
    items = []
    for r in visible_receivables(user).filter(state__in=states).order_by("due_date", "pk"):
        owed = outstanding(r)
        days = overdue_days(r, as_of)
        known = owed is not None and r.due_date is not None
        items.append({"r": r, "owed": owed, "days": days, "bucket": _bucket(days) if known else "待报告"})
    return items


def ageing_rows(user: Any, *, as_of: dt.date, state: str = "") -> list[list[Any]]:
    """The ``AGEING_HEADER`` rows of ``ageing_items``."""
    return [
        [
            i["r"].contract.contract_no,
            i["r"].contract.licensor_org.name,
            i["r"].contract.licensee_org.name,
            COMPONENT_LABELS.get(i["r"].component, i["r"].component),
            display_label(i["r"]),
            i["r"].due_date,
            i["r"].amount_due,
            i["r"].amount_paid,
            i["owed"],
            i["r"].get_state_display(),
            i["days"],
            i["bucket"],
        ]
        for i in ageing_items(user, as_of=as_of, state=state)
    ]


def ageing_xlsx(user: Any, *, as_of: dt.date) -> bytes:
    """Receivables ageing workbook: the detail and the bucket totals on ``as_of``."""
    totals = ageing_for(user, as_of=as_of)
    summary = [[label, totals[label]] for label in AGEING_LABELS]
    return xlsx_sheets(
        [
            ("应收账款明细", AGEING_HEADER, ageing_rows(user, as_of=as_of), None),
            (f"账龄汇总（{as_of:%Y-%m-%d}）", ("账龄", "未收金额"), summary, None),
        ]
    )


@dataclass(frozen=True)
class Statement:
    """What a PDF statement shows: a title, label/value pairs, tables and the basis notes."""

    title: str
    fields: list[tuple[str, str]]
    tables: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    filename: str = "statement.pdf"


def _parties(c: LicenceContract) -> list[tuple[str, str]]:
    patents = sorted(c.patents.all(), key=lambda p: p.application_number)
    return [
        ("合同编号", c.contract_no + ("（演示数据）" if c.is_demo else "")),
        ("许可方", c.licensor_org.name),
        (
            "被许可方",
            f"{c.licensee_org.name}" + (f"（{c.licensee_org.uscc}）" if c.licensee_org.uscc else ""),
        ),
        ("许可专利", "；".join(f"{p.application_number} {p.title}" for p in patents) or "—"),
        ("付费条件", fee_description(c)),
    ]


def royalty_statement(user: Any, receivable: Receivable, *, as_of: dt.date) -> Statement:
    """许可使用费结算单 of one receivable (a royalty period, an entry fee, an instalment).
    The caller has already fetched ``receivable`` through ``get_receivable`` (visibility)."""
    c = receivable.contract
    fields = _parties(c)
    period = ""
    if receivable.period_start and receivable.period_end:
        period = f"{receivable.period_start:%Y-%m-%d}～{receivable.period_end:%Y-%m-%d}"
    fields += [
        ("费用项目", display_label(receivable)),
        ("结算期间", period or "—"),
        ("到期日", f"{receivable.due_date:%Y-%m-%d}" if receivable.due_date else "按约定事件"),
        ("应收金额", cny(receivable.amount_due)),
        ("已收金额", cny(receivable.amount_paid)),
        ("未收金额", cny(outstanding(receivable))),
        ("状态", receivable.get_state_display()),
        ("出具日期", f"{as_of:%Y-%m-%d}"),
    ]
    tables: list[tuple[str, list[str], list[list[str]]]] = []
    report = receivable.usage_report
    if report is not None:
        figures = [
            [label, format_figure(name, getattr(report, name))]
            for name, label in REPORT_FIELDS.items()
            if getattr(report, name) is not None
        ]
        tables.append((f"使用情况报告（{report.period_label}）", ["项目", "报告数"], figures))
    computation = receivable.inputs.get("computation") or {}
    lines = [[str(label), cny(Decimal(str(amount)))] for label, amount in computation.get("lines", [])]
    if lines:
        lines.append(["合计应付", cny(receivable.amount_due)])
        tables.append(("计算过程", ["项目", "金额"], lines))
    elif receivable.amount_due is None:
        tables.append(("计算过程", ["项目", "金额"], [["尚未提交使用情况报告，金额待定", "—"]]))
    else:
        tables.append(
            ("计算过程", ["项目", "金额"], [[display_label(receivable), cny(receivable.amount_due)]])
        )
    payments = [
        [f"{p.paid_on:%Y-%m-%d}", cny(p.amount)] for p in receivable.payments.order_by("paid_on", "pk")
    ]
    if payments:
        tables.append(("收款记录", ["收款日期", "金额"], payments))
    notes = [f"依据：{L13_BASIS}"]
    versions = receivable.inputs.get("policy_versions") or []
    if versions:
        notes.append("政策参数版本：" + "，".join(str(v) for v in versions))
    return Statement(
        title="专利实施许可使用费结算单",
        fields=fields,
        tables=tables,
        notes=notes,
        filename=safe_filename(f"royalty-{c.contract_no}-{receivable.pk}", "pdf"),
    )


def distribution_sheet(user: Any, distribution: IncomeDistribution, *, as_of: dt.date) -> Statement:
    """职务科技成果许可收入分配表 of one receipt (TTO of the licensor, operators)."""
    payment = distribution.payment
    c = payment.receivable.contract
    if not can_manage_income(user, c):
        raise PermissionDenied("只有许可方的技术转移人员或运营人员可以查看收益分配表")
    record = distribution.policy or {}
    split = record.get("split") or {}
    fields = [
        *_parties(c)[:4],
        ("收款", f"{payment.paid_on:%Y-%m-%d} {cny(payment.amount)}（{display_label(payment.receivable)}）"),
        ("本单位收入", cny(distribution.gross)),
        ("净收入", cny(distribution.net)),
        ("发明人奖励比例", format_rate(distribution.inventor_share)),
        ("发明人奖励总额", cny(distribution.inventor_pool)),
        ("技术转移机构", cny(distribution.tto_amount)),
        ("单位留存", cny(distribution.unit_amount)),
        ("状态", distribution.get_state_display()),
        ("计算人", distribution.computed_by.get_username()),
        ("审批人", distribution.approved_by.get_username() if distribution.approved_by else "待审批"),
        ("出具日期", f"{as_of:%Y-%m-%d}"),
    ]
    tables: list[tuple[str, list[str], list[list[str]]]] = []
    coowners = record.get("coowners") or []
    if coowners:
        tables.append(
            ("共有人分成（专利法第十四条）", ["共有人", "金额"], [[n, cny(Decimal(a))] for n, a in coowners])
        )
    deductions = [[DEDUCTION_LABELS.get(k, k), cny(Decimal(v))] for k, v in distribution.deductions.items()]
    tables.append(("扣除项目", ["项目", "金额"], deductions or [["无扣除", cny(Decimal(0))]]))
    lines = [
        [ln.person, format_rate(ln.share), cny(ln.amount)]
        for ln in distribution.lines.order_by("-amount", "person")
    ]
    tables.append(("发明人分配", ["发明人", "比例", "金额"], lines))
    own = split.get("own_rule_share")
    notes = [
        "依据："
        + "；".join(record.get("basis") or [])
        + "；促进科技成果转化法第四十五条第二款（国家设立的单位自行规定的比例不得低于法定标准）",
        f"本单位规定的发明人比例：{format_rate(Decimal(own)) if own else '未规定（适用法定下限）'}",
        "政策参数版本：" + "，".join(record.get("versions") or []),
    ]
    return Statement(
        title="职务科技成果许可收入分配表",
        fields=fields,
        tables=tables,
        notes=notes,
        filename=safe_filename(f"income-{c.contract_no}-{payment.pk}", "pdf"),
    )
