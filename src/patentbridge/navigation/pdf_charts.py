"""Charts of the navigation PDF drawn with reportlab's own graphics (vector drawings of the same
numbers as the web's ECharts), so the PDF needs no browser and no system libraries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from patentbridge_engine.analytics.charts import PALETTE

__all__ = ["chart_drawing"]

WIDTH, HEIGHT = 460.0, 200.0


def _colour(i: int) -> Any:
    return colors.HexColor(PALETTE[i % len(PALETTE)])


def _cut(label: str, size: int = 10) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _axis(chart: Any, labels: Sequence[str], font: str) -> None:
    chart.categoryAxis.categoryNames = [_cut(str(x)) for x in labels]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0


def _line(labels: Sequence[str], series: Sequence[tuple[str, Sequence[Any]]], font: str) -> Drawing:
    d = Drawing(WIDTH, HEIGHT)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, WIDTH - 140, HEIGHT - 50
    chart.data = [[float(v or 0) for v in values] for _, values in series]
    _axis(chart, labels, font)
    for i in range(len(series)):
        chart.lines[i].strokeColor = _colour(i)
        chart.lines[i].strokeWidth = 1.5
    d.add(chart)
    d.add(_legend([name for name, _ in series], font))
    return d


def _legend(names: Sequence[str], font: str) -> Legend:
    legend = Legend()
    legend.x, legend.y = WIDTH - 90, HEIGHT - 20
    legend.fontName, legend.fontSize = font, 7
    legend.colorNamePairs = [(_colour(i), _cut(n, 30)) for i, n in enumerate(names)]
    return legend


def _bars(labels: Sequence[str], values: Sequence[Any], font: str, horizontal: bool) -> Drawing:
    height = max(HEIGHT, 14.0 * len(labels) + 40) if horizontal else HEIGHT
    d = Drawing(WIDTH, height)
    chart: Any = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (90 if horizontal else 40), 30
    chart.width, chart.height = WIDTH - chart.x - 20, height - 50
    chart.data = [[float(v or 0) for v in values]]
    chart.bars[0].fillColor = _colour(0)
    _axis(chart, labels, font)
    d.add(chart)
    return d


def _pie(labels: Sequence[str], values: Sequence[Any], font: str) -> Drawing:
    # One legend column beside the pie, as tall as it needs to be (the default wraps into columns
    # that run off the page).
    height = max(HEIGHT, 11.0 * len(labels) + 30)
    d = Drawing(WIDTH, height)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 40, height - HEIGHT + 20, HEIGHT - 40, HEIGHT - 40
    pie.data = [float(v or 0) for v in values]
    pie.labels = None
    for i in range(len(values)):
        pie.slices[i].fillColor = _colour(i)
        pie.slices[i].strokeColor = colors.white
    d.add(pie)
    total = sum(pie.data) or 1.0
    names = [f"{_cut(str(n), 22)} {v / total:.0%}" for n, v in zip(labels, pie.data, strict=True)]
    legend = _legend(names, font)
    legend.x, legend.y = HEIGHT + 20, height - 10
    legend.columnMaximum = len(names)
    legend.dy = 11
    d.add(legend)
    return d


def chart_drawing(option: dict[str, Any], font: str) -> Drawing | None:
    """A drawing of an ECharts option built by the engine (line, bar, horizontal bar or pie)."""
    series = option.get("series") or []
    if not series:
        return None
    kind = series[0].get("type")
    if kind == "pie":
        data = series[0]["data"]
        return _pie([str(x["name"]) for x in data], [x["value"] for x in data], font)
    x_axis, y_axis = option.get("xAxis", {}), option.get("yAxis", {})
    if kind == "line":
        return _line(x_axis.get("data", []), [(s.get("name", ""), s["data"]) for s in series], font)
    if kind == "bar":
        horizontal = y_axis.get("type") == "category"
        labels = (y_axis if horizontal else x_axis).get("data", [])
        values = [v["value"] if isinstance(v, dict) else v for v in series[0]["data"]]
        if horizontal:
            # ECharts draws the first category on top (inverse axis); reportlab at the bottom.
            labels, values = list(labels)[::-1], values[::-1]
        return _bars(labels, values, font, horizontal)
    d = Drawing(WIDTH, 20)
    d.add(String(0, 5, "该图表类型无法在 PDF 中绘制，请查看网页版", fontName=font, fontSize=8))
    return d
