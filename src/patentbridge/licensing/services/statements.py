"""Licence ledger and receivables ageing (XLSX, through ``core.spreadsheet``); the content of the
PDF statements (``Statement``, ``royalty_statement``, ``distribution_sheet``) lives in
``statements_docs`` and is re-exported here, so callers import one module.

Who gets what: the licence ledger and the ageing workbook go to operators (every contract) and
TTOs (their own organisation's licences); a royalty statement to anyone who may see the
contract (licensor, licensee, operators); an income-distribution sheet to whoever may manage the
licensor's income (its TTO, operators)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Sum

from patentbridge.accounts import policies
from patentbridge.core.restrict import restrict
from patentbridge.core.spreadsheet import xlsx_sheets
from patentbridge.licensing.models import ContractPatent, LicenceContract, LicenceFiling
from patentbridge.licensing.services.money import (
    AGEING_LABELS,
    COMPONENT_LABELS,
    OPEN_STATES,
    ageing_for,
    display_label,
    fee_description,
    outstanding,
    overdue_days,
    visible_receivables,
)
from patentbridge.licensing.services.statements_docs import (
    Statement,
    distribution_sheet,
    royalty_statement,
    safe_filename,
)
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


def _region(org: Any) -> str:
    place = f"{org.province}{org.city}".strip()
    if org.region_code:
        return f"{place}（{org.region_code}）" if place else org.region_code
    return place


def _phases(c: LicenceContract) -> tuple[str, str]:
    trial = f"{c.start_date:%Y-%m-%d}～{c.trial_end:%Y-%m-%d}" if c.trial_end else ""
    paid = f"{c.paid_start:%Y-%m-%d}～{c.end_date:%Y-%m-%d}" if c.paid_start else ""
    return trial, paid


def _scope_mark(text: str, row: ContractPatent) -> str:
    return f"{text}（{row.ended_on:%Y-%m-%d} 起退出许可范围）" if row.ended_on else text


def _ledger_contracts(user: Any) -> Any:
    policies.require(user, "licensing.ledger")
    filings = LicenceFiling.objects.exclude(record_no="").order_by("-filed_at", "-pk")
    return (
        restrict(LicenceContract.objects.all(), user, "view")
        .select_related("licensor_org", "licensee_org")
        .prefetch_related(
            Prefetch("scope", queryset=ContractPatent.objects.select_related("patent")),
            Prefetch("filings", queryset=filings, to_attr="filed"),
        )
        .annotate(invoiced=Sum("receivables__amount_due"), received=Sum("receivables__amount_paid"))
        .order_by("contract_no")
    )


def ledger_rows(user: Any) -> list[list[Any]]:
    """One row per contract ``user`` may see (operators: all; a TTO: its organisation's)."""
    rows = []
    for c in _ledger_contracts(user):
        scope = sorted(c.scope.all(), key=lambda r: r.patent.application_number)
        # The register keeps every patent the contract licensed; one that left the scope on its
        # lapse is marked with the day, so no reader takes it as still licensed.
        numbers = [_scope_mark(r.patent.application_number, r) for r in scope]
        titles = [r.patent.title for r in scope]
        filing = c.filed[0] if c.filed else None
        trial, paid = _phases(c)
        rows.append(
            [
                c.contract_no,
                "；".join(numbers),
                "；".join(titles),
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
