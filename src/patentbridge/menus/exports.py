"""A menu as XLSX (through ``core.spreadsheet``, so no cell is a formula) and as an A4 PDF with
reportlab's built-in CJK font (``UnicodeCIDFont("STSong-Light")``, provided by every PDF reader).
Both go out in the publisher's name (专利法 Art. 79) and list, per chain: patent, title, owner,
grade, modes on offer, contact team, reasons, and whether the county selected it or it was a
supplement from the provincial 资源库."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from patentbridge.core.spreadsheet import xlsx_sheets
from patentbridge.licensing.choices import ModeChoices
from patentbridge.menus.models import MenuItem, MenuSelection, PatentMenu
from patentbridge.menus.queries import region_name

__all__ = ["HEADER", "item_rows", "menu_pdf", "menu_xlsx"]

FONT = "STSong-Light"
HEADER = (
    "产业链",
    "申请号",
    "专利名称",
    "权利人",
    "分级",
    "可选许可方式",
    "联系团队",
    "匹配依据",
    "来源",
    "县域遴选",
)
_registered = False


def _modes(item: MenuItem) -> str:
    return (
        "、".join(str(ModeChoices(m).label) for m in item.modes_offered if m in ModeChoices.values)
        or "待协商"
    )


def _team(item: MenuItem) -> str:
    return f"{item.team.institution} · {item.team.lead}团队" if item.team else "请联系发布单位"


def item_rows(menu: PatentMenu, items: Sequence[MenuItem]) -> list[list[Any]]:
    """One row per included item in ``HEADER`` order."""
    selection = MenuSelection.objects.filter(menu=menu).first()
    selected = set(selection.items.values_list("pk", flat=True)) if selection else set()
    rows = []
    for item in items:
        p = item.patent
        rows.append(
            [
                item.chain.name if item.chain else "",
                p.application_number,
                p.title,
                p.owner_org.name if p.owner_org else "；".join(p.patentees or p.applicants or []),
                item.grade or "未分级",
                _modes(item),
                _team(item),
                "；".join(item.reasons),
                "资源库补充" if item.is_supplement else "本单位",
                ("已遴选" if item.pk in selected else "未遴选") if selection else "尚未遴选",
            ]
        )
    return rows


def _facts(menu: PatentMenu, as_of: dt.date) -> list[list[str]]:
    return [
        ["菜单名称", menu.title],
        ["发布单位", menu.publisher_org.name],
        ["目标地区", f"{region_name(menu.target_region)}（{menu.target_region}）"],
        ["目标产业链", "、".join(c.name for c in menu.target_chains.order_by("position", "code"))],
        ["状态", menu.get_state_display()],
        ["发布日期", menu.published_on.isoformat() if menu.published_on else "未发布"],
        ["导出日期", as_of.isoformat()],
    ]


def menu_xlsx(menu: PatentMenu, items: Sequence[MenuItem], *, as_of: dt.date) -> bytes:
    """Sheets 菜单 (facts), 专利清单 (items), 资源库补充 (supplement log)."""
    supplements = [
        [s.chain_name, s.region_code, s.found, s.minimum, s.shortfall, s.filled, s.note, s.created_at.date()]
        for s in menu.supplements.all()
    ]
    return xlsx_sheets(
        [
            ("菜单", ["项目", "内容"], _facts(menu, as_of), [16, 60]),
            ("专利清单", list(HEADER), item_rows(menu, items), None),
            (
                "资源库补充",
                ["产业链", "地区", "本单位符合数", "最少数", "缺口", "已补充", "说明", "日期"],
                supplements,
                None,
            ),
        ]
    )


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _table(rows: list[list[Any]], widths: list[float], style: ParagraphStyle, header: bool) -> Table:
    data = [[Paragraph(escape(str(cell)), style) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    commands.append(("BACKGROUND", (0, 0), (-1, 0) if header else (0, -1), colors.HexColor("#eef2f7")))
    table.setStyle(TableStyle(commands))
    return table


def menu_pdf(menu: PatentMenu, items: Sequence[MenuItem], *, as_of: dt.date) -> bytes:
    """A landscape A4 PDF: the facts table, then one table per chain."""
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=8)
    heading = ParagraphStyle("heading", fontName=font, fontSize=11, leading=16, spaceBefore=8, spaceAfter=4)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=11)
    note = ParagraphStyle("note", fontName=font, fontSize=8, leading=12, textColor=colors.HexColor("#444444"))
    page = landscape(A4)
    width = page[0] - 30 * mm
    story: list[Flowable] = [Paragraph(escape(f"专利菜单：{menu.title}"), title)]
    story.append(_table(_facts(menu, as_of), [32 * mm, width - 32 * mm], cell, False))
    rows = item_rows(menu, items)
    widths = [w * mm for w in (28, 44, 62, 50, 12, 32, 0)]
    widths[-1] = width - sum(widths[:-1])
    for chain in dict.fromkeys(r[0] for r in rows):
        story.append(Paragraph(escape(chain or "未归入产业链"), heading))
        body = [
            [r[1], r[2], r[3], r[4], r[5], r[6], f"{r[7]}（{r[8]}；{r[9]}）"] for r in rows if r[0] == chain
        ]
        story.append(
            _table(
                [["申请号", "专利名称", "权利人", "分级", "许可方式", "联系团队", "匹配依据"], *body],
                widths,
                cell,
                True,
            )
        )
    if not rows:
        story.append(Paragraph("菜单中暂无专利。", note))
    story.append(Spacer(1, 6 * mm))
    story.append(
        Paragraph(
            escape(
                f"本菜单由{menu.publisher_org.name}发布；政府部门仅根据本地产业进行遴选，不作推荐（专利法第七十九条）。"
            ),
            note,
        )
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"专利菜单 {menu.title}",
        author=menu.publisher_org.name,
    )
    doc.build(story)
    return buffer.getvalue()
