"""Draw a ``statements.Statement`` as an A4 PDF with reportlab's built-in CJK font.

``UnicodeCIDFont("STSong-Light")`` is one of the Adobe CJK fonts every PDF reader provides, so
no font file ships with the platform and Chinese text still renders. ``invariant`` output (fixed
ids and dates) makes the same statement the same bytes."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from patentbridge.licensing.services.statements_docs import Statement

__all__ = ["FONT", "render_pdf"]

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=8),
        "heading": ParagraphStyle(
            "heading", fontName=font, fontSize=11, leading=16, spaceBefore=8, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=9, leading=13),
        "note": ParagraphStyle(
            "note", fontName=font, fontSize=8, leading=12, textColor=colors.HexColor("#444444")
        ),
    }


def _table(rows: list[list[str]], widths: list[float], style: ParagraphStyle, header: bool) -> Table:
    data = [[Paragraph(escape(str(cell)), style) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")))
    else:
        commands.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f5f7fa")))
    table.setStyle(TableStyle(commands))
    return table


def render_pdf(statement: Statement) -> bytes:
    """The statement as PDF bytes: title, a two-column field table, each table, then the notes."""
    styles = _styles()
    width = A4[0] - 36 * mm
    story: list[Flowable] = [Paragraph(escape(statement.title), styles["title"])]
    story.append(
        _table([[k, v] for k, v in statement.fields], [38 * mm, width - 38 * mm], styles["cell"], False)
    )
    for heading, header, rows in statement.tables:
        story.append(Paragraph(escape(heading), styles["heading"]))
        n = max(1, len(header))
        story.append(_table([header, *rows], [width / n] * n, styles["cell"], True))
    story.append(Spacer(1, 6 * mm))
    story.extend(Paragraph(escape(note), styles["note"]) for note in statement.notes)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=statement.title,
        author="专利桥 PatentBridge",
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()
