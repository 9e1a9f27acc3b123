"""ECharts options built from indicator rows (architecture §1: the engine builds the chart option
JSON; the template only mounts it). Options are plain dicts with no functions, so they travel as
JSON data blocks under a Content-Security-Policy that forbids inline script."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["PALETTE", "ChartSpec", "chart_option"]

# Colours readable on white and distinguishable in print (ECharts' default palette, reordered so
# that the first bars are the calm blue and green).
PALETTE = ("#3b6fb6", "#4e9a5b", "#e0a030", "#c0504d", "#7a5ea8", "#3aa6b9", "#8c6d46", "#999999")
KINDS = ("bar", "hbar", "pie", "line", "funnel")


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: ``kind`` (bar, hbar, pie, line, funnel), category ``labels`` and one or more
    named ``series`` of numbers (same length as ``labels``), with the unit for tooltips."""

    kind: str
    labels: Sequence[str]
    series: Sequence[tuple[str, Sequence[float | int | None]]]
    unit: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"未知的图表类型：{self.kind}")
        for name, values in self.series:
            if len(values) != len(self.labels):
                raise ValueError(f"数据系列“{name}”的长度与类别数不一致")


def _axis_chart(spec: ChartSpec, horizontal: bool) -> dict[str, Any]:
    categories: dict[str, Any] = {"type": "category", "data": list(spec.labels), "axisLabel": {"interval": 0}}
    values: dict[str, Any] = {
        "type": "value",
        "name": spec.unit,
        "minInterval": 1 if spec.unit not in ("%", "元") else 0,
    }
    if horizontal:
        categories["inverse"] = True
    else:
        # Long Chinese category names slant so they do not overlap.
        categories["axisLabel"] = {"interval": 0, "rotate": 30 if len(spec.labels) > 6 else 0}
    series_type = "line" if spec.kind == "line" else "bar"
    return {
        "color": list(PALETTE),
        "tooltip": {"trigger": "axis"},
        "legend": {"show": len(spec.series) > 1, "top": 0},
        "grid": {"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": values if horizontal else categories,
        "yAxis": categories if horizontal else values,
        "series": [
            {
                "name": name,
                "type": series_type,
                "data": list(data),
                "label": {"show": len(spec.labels) <= 12, "position": "right" if horizontal else "top"},
                "barMaxWidth": 36,
            }
            for name, data in spec.series
        ],
    }


def chart_option(spec: ChartSpec) -> dict[str, Any]:
    """The ECharts option for ``spec``."""
    if spec.kind in ("bar", "line"):
        return _axis_chart(spec, horizontal=False)
    if spec.kind == "hbar":
        return _axis_chart(spec, horizontal=True)
    name, values = spec.series[0]
    data = [{"name": label, "value": v} for label, v in zip(spec.labels, values, strict=True)]
    if spec.kind == "pie":
        return {
            "color": list(PALETTE),
            "tooltip": {"trigger": "item"},
            "legend": {"bottom": 0, "type": "scroll"},
            "series": [
                {
                    "name": name,
                    "type": "pie",
                    "radius": ["35%", "65%"],
                    "center": ["50%", "45%"],
                    "data": data,
                    "label": {"formatter": "{b}\n{c}"},
                }
            ],
        }
    return {
        "color": list(PALETTE),
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "name": name,
                "type": "funnel",
                "sort": "none",
                "left": "10%",
                "width": "80%",
                "minSize": "8%",
                "data": data,
                "label": {"position": "inside", "formatter": "{b}：{c}"},
            }
        ],
    }
