"""The content of the PDF statements as plain data (``Statement``): the royalty statement of one
receivable (许可使用费结算单) and the income-distribution sheet of one receipt (职务科技成果许可收入
分配表). ``statements_pdf`` draws them; tests read them directly."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied

from patentbridge.licensing.models import IncomeDistribution, LicenceContract, Receivable
from patentbridge.licensing.services.income import DEDUCTION_LABELS, can_manage_income
from patentbridge.licensing.services.money import cny, display_label, fee_description, outstanding
from patentbridge.licensing.services.money_usage import REPORT_FIELDS, format_figure
from patentbridge.licensing.services.policy_text import versions_text
from patentbridge.licensing.services.scope import contract_scope, left_text
from patentbridge_engine.licensing.money import format_rate

__all__ = ["L13_BASIS", "Statement", "distribution_sheet", "royalty_statement", "safe_filename"]

L13_BASIS = "民法典第八百四十六条（许可使用费的支付方式）；平台规则 L13（提成按期计算，年最低额与封顶按期折算，入门费计入首个付费期）"


def safe_filename(stem: str, ext: str) -> str:
    """An ASCII file name for Content-Disposition (contract numbers may carry any characters)."""
    clean = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "statement"
    return f"{clean[:80]}.{ext}"


@dataclass(frozen=True)
class Statement:
    """What a PDF statement shows: a title, label/value pairs, tables and the basis notes."""

    title: str
    fields: list[tuple[str, str]]
    tables: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    filename: str = "statement.pdf"


def _parties(c: LicenceContract, as_of: dt.date) -> list[tuple[str, str]]:
    """The contract's heading of a statement issued on ``as_of``: only the patents still in the
    contract's scope that day are 许可专利; a patent that had left it is named apart with its day
    and reason (the licensee reads why it is no longer counted)."""
    scope = contract_scope(c, as_of=as_of)
    patents = scope.patents
    fields = [
        ("合同编号", c.contract_no + ("（演示数据）" if c.is_demo else "")),
        ("许可方", c.licensor_org.name),
        (
            "被许可方",
            f"{c.licensee_org.name}" + (f"（{c.licensee_org.uscc}）" if c.licensee_org.uscc else ""),
        ),
        ("许可专利", "；".join(f"{p.application_number} {p.title}" for p in patents) or "—"),
        ("付费条件", fee_description(c)),
    ]
    if scope.left:
        fields.insert(4, ("已退出许可范围的专利", "；".join(left_text(x) for x in scope.left)))
    return fields


def royalty_statement(user: Any, receivable: Receivable, *, as_of: dt.date) -> Statement:
    """许可使用费结算单 of one receivable (a royalty period, an entry fee, an instalment).
    The caller has already fetched ``receivable`` through ``get_receivable`` (visibility)."""
    c = receivable.contract
    fields = _parties(c, as_of)
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
        notes.append("所用政策参数：" + versions_text(versions))
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
        *_parties(c, as_of)[:-1],
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
        "所用政策参数：" + versions_text(record.get("versions") or []),
    ]
    return Statement(
        title="职务科技成果许可收入分配表",
        fields=fields,
        tables=tables,
        notes=notes,
        filename=safe_filename(f"income-{c.contract_no}-{payment.pk}", "pdf"),
    )
