"""A distribution statement as XLSX (through ``core.spreadsheet``, so no cell is a formula): the
statement's facts, one line per member, and the inputs (payments, each patent's days in the pool)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from patentbridge.core.spreadsheet import xlsx_sheets
from patentbridge.pools.models import PoolDistribution

__all__ = ["statement_xlsx"]


def statement_xlsx(dist: PoolDistribution) -> bytes:
    """Sheets 分配单, 成员分配明细, 在池专利, 收款."""
    facts: list[list[Any]] = [
        ["专利池", dist.pool.name],
        ["运营管理机构", dist.pool.agency_org.name],
        ["分配期间", f"{dist.period_start.isoformat()} 至 {dist.period_end.isoformat()}"],
        ["本期池外许可收入（元）", dist.gross],
        ["管理费比例", f"{(dist.mgmt_fee_rate * 100).normalize():f}%"],
        ["管理费（元）", dist.mgmt_fee],
        ["可分配收入（元）", dist.distributable],
        ["分配规则", dist.get_sharing_rule_display()],
        ["演示数据", "是" if dist.is_demo else "否"],
    ]
    lines = [
        [
            line.org.name,
            line.patents,
            line.weight.normalize(),
            (line.share * 100).quantize(Decimal("0.01")),
            line.amount,
        ]
        for line in dist.lines.select_related("org")
    ]
    holdings = [
        [h.get("member", ""), h.get("patent", ""), h.get("grade", ""), h.get("days", 0)]
        for h in dist.inputs.get("holdings", [])
    ]
    payments = [
        [p.get("contract", ""), p.get("paid_on", ""), p.get("amount", "")]
        for p in dist.inputs.get("payments", [])
    ]
    return xlsx_sheets(
        [
            ("分配单", ["项目", "内容"], facts, [22, 50]),
            ("成员分配明细", ["成员", "计入专利数", "权重", "比例（%）", "金额（元）"], lines, None),
            ("在池专利", ["成员", "专利", "分级", "在池天数"], holdings, None),
            ("收款", ["合同编号", "收款日期", "金额（元）"], payments, None),
        ]
    )
