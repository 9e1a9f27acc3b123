"""A navigation report as PDF (reportlab platypus, A4, built-in CJK font, charts drawn as vector
graphics by ``pdf_charts``) and as XLSX (every table, through ``core.spreadsheet``), plus the JSON
form the CLI and the API return. All three read ``ReportData``, built from a stored version or,
for the CLI, straight from a fresh snapshot."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from patentbridge.core.spreadsheet import xlsx_sheets
from patentbridge.navigation.choices import ActionKindChoices, KindChoices
from patentbridge.navigation.document import key_number_rows, section_views
from patentbridge.navigation.models import NavigationReport
from patentbridge.navigation.pdf_charts import chart_drawing

__all__ = ["ReportData", "report_data", "report_json", "report_pdf", "report_xlsx"]

FONT = "STSong-Light"
_registered = False
# Rows per table in the PDF; the XLSX has them all.
PDF_ROWS = 25


@dataclass
class ReportData:
    """What every export shows: title, facts, sections, findings (text, action kind, action)."""

    title: str
    facts: list[list[str]]
    sections: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    sha256: str = ""


def _facts(meta: dict[str, Any], sha256: str, patents: int, extra: list[list[str]]) -> list[list[str]]:
    kind = str(meta.get("kind", ""))
    label = str(KindChoices(kind).label) if kind in KindChoices.values else kind
    years = ""
    if meta.get("year_from") or meta.get("year_to"):
        years = f"{meta.get('year_from') or '不限'}–{meta.get('year_to') or '不限'}"
    rows = [
        ["导航类型", label],
        ["导航范围", str(meta.get("title") or meta.get("scope", ""))],
        ["数据截止日", str(meta.get("as_of", ""))],
        ["申请年限定", years or "不限"],
        ["快照专利数", str(patents)],
        ["快照摘要（SHA-256）", sha256],
        *extra,
    ]
    rows.extend(["说明", note] for note in meta.get("notes", []))
    return rows


def report_data(report: NavigationReport) -> ReportData:
    """Export data of a stored version."""
    project = report.project
    meta = dict(report.sections.get("meta", {}))
    extra = [
        ["项目名称", project.title],
        ["承担单位", project.owner_org.name],
        ["版本", f"第 {report.version} 版（{report.get_state_display()}）"],
    ]
    if project.need:
        extra.append(["导航需求", project.need])
    if project.is_demo:
        extra.append(["数据性质", "演示数据"])
    findings = [
        {
            "text": f.text,
            "action_kind": f.action_kind,
            "action_label": f.get_action_kind_display() if f.action_kind else "",
            "action": f.action,
            "automatic": f.automatic,
        }
        for f in report.findings.all()
    ]
    return ReportData(
        title=f"{project.title}（第 {report.version} 版）",
        facts=_facts(meta, report.snapshot_sha256, report.row_count, extra),
        sections={k: v for k, v in report.sections.items() if k != "meta"},
        findings=findings,
        sha256=report.snapshot_sha256,
    )


def snapshot_data(
    title: str, meta: dict[str, Any], sections: dict[str, Any], sha256: str, patents: int
) -> ReportData:
    """Export data of a fresh snapshot (the CLI): automatic findings only, marked as such."""
    findings = [
        {
            **f,
            "action_label": str(ActionKindChoices(f["action_kind"]).label)
            if f["action_kind"] in ActionKindChoices.values
            else "",
            "automatic": True,
        }
        for f in sections["findings"]
    ]
    return ReportData(title, _facts(meta, sha256, patents, []), sections, findings, sha256)


def report_json(data: ReportData) -> dict[str, Any]:
    """The JSON form: facts, key numbers, findings and every section's stored data."""
    return {
        "title": data.title,
        "facts": {k: v for k, v in data.facts},
        "snapshot_sha256": data.sha256,
        "key_numbers": data.sections.get("key_numbers", {}),
        "findings": data.findings,
        "sections": {k: v for k, v in data.sections.items() if k not in ("findings", "key_numbers")},
    }


def report_xlsx(data: ReportData) -> bytes:
    """Sheets: 概况, 关键数字, 结论与对策, then one per table of every section."""
    sheets: list[Any] = [
        ("概况", ["项目", "内容"], data.facts, [22, 70]),
        ("关键数字", ["指标", "数值"], key_number_rows(data.sections.get("key_numbers", {})), [22, 20]),
        (
            "结论与对策",
            ["结论", "对策类型", "对策", "来源"],
            [
                [f["text"], f["action_label"], f["action"], "自动" if f["automatic"] else "人工"]
                for f in data.findings
            ],
            [60, 18, 60, 8],
        ),
    ]
    used = {s[0] for s in sheets}
    for view in section_views(data.sections):
        for table in [view.table, *view.extra]:
            # Excel refuses []:*?/\ in sheet names and more than 31 characters.
            name = re.sub(r"[\[\]:*?/\\]", "·", table.title)[:28]
            while name in used:
                name = name[:26] + "_2"
            used.add(name)
            sheets.append((name, table.columns, table.rows, None))
    return xlsx_sheets(sheets)


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _grid(rows: list[list[Any]], widths: list[float] | None, style: ParagraphStyle) -> Table:
    data = [[Paragraph(escape(str(c)), style) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
            ]
        )
    )
    return table


def report_pdf(data: ReportData) -> bytes:
    """A4 PDF: facts, key numbers, findings with actions, then per section its chart, tables and notes."""
    font = _font()
    title = ParagraphStyle("t", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=8)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=17, spaceBefore=10, spaceAfter=4)
    h3 = ParagraphStyle("h3", fontName=font, fontSize=9, leading=13, spaceBefore=4, spaceAfter=2)
    cell = ParagraphStyle("c", fontName=font, fontSize=7.5, leading=10)
    note = ParagraphStyle("n", fontName=font, fontSize=7.5, leading=11, textColor=colors.HexColor("#444444"))
    width = A4[0] - 30 * mm
    story: list[Flowable] = [Paragraph(escape(f"专利导航报告：{data.title}"), title)]
    story.append(_grid([["项目", "内容"], *data.facts], [40 * mm, width - 40 * mm], cell))
    story.append(Paragraph("关键数字", h2))
    story.append(
        _grid([["指标", "数值"], *key_number_rows(data.sections.get("key_numbers", {}))], None, cell)
    )
    story.append(Paragraph("结论与对策", h2))
    if data.findings:
        rows = [[f["text"], f["action_label"] or "—", f["action"] or "—"] for f in data.findings]
        story.append(
            _grid([["结论", "对策类型", "对策"], *rows], [width * 0.45, width * 0.15, width * 0.4], cell)
        )
    else:
        story.append(Paragraph("暂无结论。", note))
    for number, view in enumerate(section_views(data.sections), start=1):
        block: list[Flowable] = [Paragraph(escape(f"{number}. {view.title}"), h2)]
        if view.chart:
            drawing = chart_drawing(view.chart, font)
            if drawing is not None:
                block.append(drawing)
                block.append(Paragraph(escape(f"图 {number}：{view.title}"), note))
        story.append(KeepTogether(block))
        for table in [view.table, *view.extra]:
            if table is not view.table:
                story.append(Paragraph(escape(table.title), h3))
            if table.rows:
                rows = table.rows[:PDF_ROWS]
                story.append(_grid([table.columns, *rows], None, cell))
                if len(table.rows) > PDF_ROWS:
                    story.append(Paragraph(f"（另有 {len(table.rows) - PDF_ROWS} 行，见 XLSX 数据包）", note))
            else:
                story.append(Paragraph("本范围内没有可统计的记录。", note))
        for text in view.notes:
            story.append(Paragraph(escape(text), note))
    story.append(Spacer(1, 6 * mm))
    story.append(
        Paragraph(
            "本报告依据平台专利库在数据截止日的冻结快照计算（平台口径），可由快照摘要复核；"
            "结论与对策由导航项目承担单位负责。",
            note,
        )
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"专利导航报告 {data.title}",
        author="专利桥 PatentBridge",
    ).build(story)
    return buffer.getvalue()
