"""The period report as PDF (A4, reportlab's built-in CJK font as in the menus' PDF) and XLSX.

The PDF draws its two charts from the report's own numbers (licences per month over the twelve
months ending with the period; library patents by the next level of regions at the period's end).
Platform statistics and official figures are separate sections in both formats.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from patentbridge.analytics.periodic import PeriodReport
from patentbridge.analytics.report import PLATFORM_SECTION_LABEL
from patentbridge.core.spreadsheet import Sheet, xlsx_sheets
from patentbridge_engine.analytics import OFFICIAL_SECTION_LABEL, number_json

__all__ = ["FONT", "period_pdf", "period_xlsx", "title_of"]

FONT = "STSong-Light"
_GRID = colors.HexColor("#9aa5b1")
_HEAD = colors.HexColor("#eef2f7")
_BAR = colors.HexColor("#2f6fb7")
_BAR_PERIOD = colors.HexColor("#e0a030")
# Bars beyond this many regions would be unreadable at A4 width; the table lists them all.
_MAX_BARS = 18


def title_of(data: PeriodReport) -> str:
    return f"{data.report.region_name}专利转化统计{data.period.kind_label}（{data.period.label}）"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _table(rows: list[list[Any]], widths: list[float], style: ParagraphStyle) -> Table:
    data = [[Paragraph(escape(str(cell)), style) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), _HEAD),
            ]
        )
    )
    return table


def _bars(title: str, labels: list[str], values: list[float], highlight: set[int], width: float) -> Drawing:
    """A vertical bar chart with Chinese labels; bars in ``highlight`` are drawn in the accent."""
    font = _font()
    drawing = Drawing(width, 62 * mm)
    drawing.add(String(0, 58 * mm, title, fontName=font, fontSize=9))
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 14 * mm
    chart.width, chart.height = width - 16 * mm, 38 * mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max(values, default=0)
    chart.valueAxis.valueMax = max(top * 1.15, 1)
    chart.valueAxis.valueStep = max(1, round(max(top, 1) / 4))
    chart.bars[0].fillColor = _BAR
    for i in highlight:
        chart.bars[(0, i)].fillColor = _BAR_PERIOD
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 5
    drawing.add(chart)
    return drawing


def period_pdf(data: PeriodReport) -> bytes:
    """A4 portrait: facts, the period's flows, two charts, the indicators at the period's end,
    then the official figures under their own heading."""
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=21, alignment=1, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4)
    sub = ParagraphStyle("sub", fontName=font, fontSize=10, leading=14, spaceBefore=6, spaceAfter=3)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=11)
    note = ParagraphStyle("note", fontName=font, fontSize=8, leading=12, textColor=colors.HexColor("#444444"))
    width = A4[0] - 30 * mm
    period, report = data.period, data.report
    story: list[Flowable] = [Paragraph(escape(title_of(data)), title)]
    facts = [
        ["项目", "内容"],
        ["地区", f"{report.region_name}（{report.scope.region}）" if report.scope.region else "全平台"],
        ["统计期", f"{period.start.isoformat()} 至 {period.end.isoformat()}"],
        ["期末统计日", report.scope.as_of.isoformat()],
    ]
    story.append(_table(facts, [30 * mm, width - 30 * mm], cell))
    story.append(Paragraph(escape(f"一、{PLATFORM_SECTION_LABEL}"), heading))
    story.append(Paragraph("以下数字均由本平台记录按日期计算，不是官方统计或抽样调查数据。", note))
    story.append(Paragraph("（一）本期新增", sub))
    flows = [["指标", "本期新增", "期末累计", "编号"]] + [
        [f.value.definition.name, f.display, f.total_display, f.value.id] for f in data.flows
    ]
    story.append(_table(flows, [70 * mm, 35 * mm, 35 * mm, width - 140 * mm], cell))
    story.append(
        Paragraph("本期新增 = 期末累计 - 期初前一日累计（只列按记录日期累计、不会减少的指标）。", note)
    )
    story.append(Paragraph("（二）图表", sub))
    first = period.start.strftime("%Y-%m")
    story.append(
        _bars(
            "近 12 个月许可合同签订数（份；橙色为本期）",
            [m[2:] for m, _, _ in data.trend],
            [float(n) for _, n, _ in data.trend],
            {i for i, (m, _, _) in enumerate(data.trend) if m >= first},
            width,
        )
    )
    regions = [r for r in data.by_region.rows if r.value][:_MAX_BARS]
    if regions:
        story.append(
            _bars(
                "期末入库专利按下一级地区（件）",
                [r.label[:8] for r in regions],
                [float(r.value or 0) for r in regions],
                set(),
                width,
            )
        )
    else:
        story.append(Paragraph("期末本地区没有入库专利，地区分布图从略。", note))
    story.append(Paragraph("（三）期末各项指标", sub))
    stock = [["编号", "指标", "数值", "说明"]] + [
        [v.id, v.definition.name, v.display, v.note] for v in report.values
    ]
    story.append(_table(stock, [36 * mm, 60 * mm, 36 * mm, width - 132 * mm], cell))
    story.append(Paragraph(escape(f"二、{OFFICIAL_SECTION_LABEL}"), heading))
    story.append(
        Paragraph("国家和地方公布的数字，与平台统计口径不同，不能直接比较或相加；不因地区筛选而改变。", note)
    )
    if report.official:
        official = [["名称", "数值", "期间", "地区", "来源"]] + [
            [f.name, f"{f.display} {f.unit}", f.period, f.region, f.source] for f in report.official
        ]
        story.append(_table(official, [48 * mm, 28 * mm, 24 * mm, 22 * mm, width - 122 * mm], cell))
    else:
        story.append(Paragraph("期末统计日之前没有收录的官方数据。", note))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title_of(data),
        author="专利桥",
    )
    doc.build(story)
    return buffer.getvalue()


def period_xlsx(data: PeriodReport) -> bytes:
    """Sheets: 统计范围, 本期新增, 按月许可合同, 期末指标, 官方公布数据 (separate)."""
    period, report = data.period, data.report
    scope_rows: list[list[Any]] = [
        ["报告", title_of(data)],
        ["地区", report.region_name],
        ["地区代码", report.scope.region or "全平台"],
        ["统计期起", period.start],
        ["统计期止", period.end],
        ["口径", PLATFORM_SECTION_LABEL],
    ]
    flows = [
        [
            f.value.id,
            f.value.definition.name,
            number_json(f.change),
            number_json(f.before),
            number_json(f.after),
            f.value.definition.unit,
        ]
        for f in data.flows
    ]
    stock = [
        [v.id, v.definition.name, number_json(v.value), v.definition.unit, v.display, v.note]
        for v in report.values
    ]
    official = [
        [f.id, f.name, number_json(f.value), f.unit, f.period, f.region, f.source, f.tag_label]
        for f in report.official
    ]
    sheets: list[Sheet] = [
        ("统计范围", ["项目", "内容"], scope_rows, [14, 50]),
        ("本期新增", ["指标编号", "指标", "本期新增", "期初前一日累计", "期末累计", "单位"], flows, None),
        (
            "按月许可合同",
            ["月份", "许可合同（份）", "其中先试用（份）"],
            [list(m) for m in data.months],
            None,
        ),
        ("期末指标", ["指标编号", "指标", "数值", "单位", "显示", "说明"], stock, None),
        (
            "官方公布数据",
            ["编号", "名称", "数值", "单位", "期间", "地区", "来源", f"核实（{OFFICIAL_SECTION_LABEL}）"],
            official,
            None,
        ),
    ]
    return xlsx_sheets(sheets)
