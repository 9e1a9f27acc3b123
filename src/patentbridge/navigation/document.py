"""The report as display tables: one view per section (title, columns, rows with shares shown as
percentages, extra tables, a note and the ECharts option), the key numbers and the diff. The web
page, the PDF, the XLSX and the CLI's JSON all read the stored sections through here, so a number
reads the same everywhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from patentbridge_engine.navigation import KEY_NUMBERS, SECTION_TITLES, chart_options

__all__ = ["SectionView", "Table", "key_number_rows", "percent", "section_views"]

# Columns holding a 0–1 share, shown as a percentage.
_SHARE_COLUMNS = {"占比", "占全库份额"}


@dataclass
class Table:
    """A titled table: header and rows of display values."""

    title: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class SectionView:
    """A section as shown: its main table, further tables, a note and the chart option."""

    key: str
    title: str
    table: Table
    extra: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = None

    @property
    def dom_id(self) -> str:
        return f"nav-chart-{self.key}"

    @property
    def payload(self) -> dict[str, Any]:
        """What ``analytics/charts.js`` mounts: the option and (no) drill-down links."""
        return {"option": self.chart or {}, "links": []}

    @property
    def empty(self) -> bool:
        return not self.table.rows


def percent(value: Any) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    shares = {i for i, c in enumerate(columns) if c in _SHARE_COLUMNS}
    out = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if i in shares:
                cells.append(percent(cell))
            elif isinstance(cell, bool):
                cells.append("是" if cell else "否")
            elif cell is None:
                cells.append("—")
            else:
                cells.append(cell)
        out.append(cells)
    return Table(title, list(columns), out)


def section_views(sections: Mapping[str, Any]) -> list[SectionView]:
    """Every section in display order."""
    charts = chart_options(sections)
    views = []
    for key, title in SECTION_TITLES.items():
        s = sections[key]
        view = SectionView(key, title, _table(title, s["columns"], s["rows"]), chart=charts.get(key))
        if key == "trend":
            life = s["lifecycle"]
            growth = "—" if life["growth"] is None else percent(life["growth"])
            view.extra.append(
                _table(
                    "生命周期判断",
                    ["阶段", "判断年份", "近三年", "前三年", "增长"],
                    [
                        [
                            life["stage"],
                            "–".join(str(y) for y in life.get("window", [])),
                            life["recent"],
                            life["previous"],
                            growth,
                        ]
                    ],
                )
            )
            view.notes.append(s["note"])
            if s["undated"]:
                view.notes.append(f"另有 {s['undated']} 件缺申请日，未计入趋势。")
        elif key == "geography" and s["unknown"]:
            view.notes.append(f"{s['unknown']} 件地区不详。")
        elif key == "applicants":
            # The kind code stays in the stored data; people read the Chinese label only.
            kinds = [[r[0], r[2], r[3]] for r in s["by_kind"]]
            view.extra.insert(0, _table("申请人类型", ["类型", "专利数", "占比"], kinds))
        elif key == "inventors":
            view.extra.append(
                _table("研发团队（机构 + 第一发明人）", ["机构", "团队带头人", "专利数"], s["teams"])
            )
        elif key == "technology":
            view.extra.append(
                _table("主题聚类（IPC 大组 + 标题高频词）", ["IPC大组", "专利数", "主题词"], s["topics"])
            )
            view.extra.append(_table("产业链分布", ["产业链", "代码", "专利数"], s["chains"]))
        elif key == "legal_status":
            view.table = _table(
                title, ["法律状态", "专利数", "占比"], [[r[0], r[2], r[3]] for r in s["rows"]]
            )
            view.notes.append(
                f"法律状态覆盖率 {percent(s['coverage'])}；有效 {s['valid']} 件，审查中 {s['pending']} 件。"
            )
        elif key == "operations":
            view.notes.append(f"{s['operated']} 件专利有运营记录，占 {percent(s['operated_share'])}。")
        elif key == "key_patents":
            view.notes.append(
                f"A 级或高价值专利 {s['count']} 件（已分级 {s['graded']} 件），其中 {s['idle']} 件尚无运营记录；表中列出前 20 件。"
            )
        elif key == "positioning":
            if s["whole_library"]:
                view.notes.append("导航范围即全库，份额与专业化指数恒为 100% 与 1，定位分析不适用。")
            view.notes.append(
                "专业化指数 =（本范围该分支专利 / 本范围专利）÷（全库该分支专利 / 全库专利）；>1.5 为优势，<0.5 为薄弱。"
            )
        elif key == "gaps":
            view.extra.append(
                _table(
                    "优势分支", ["IPC小类", "名称", "本范围专利", "全库专利", "专业化指数"], s["strengths"]
                )
            )
        views.append(view)
    return views


def key_number_rows(numbers: Mapping[str, Any]) -> list[list[Any]]:
    """``[label, value]`` per key number (shares as percentages)."""
    rows = []
    for key, label in KEY_NUMBERS.items():
        value = numbers.get(key)
        rows.append([label, percent(value) if key == "library_share" else ("—" if value is None else value)])
    return rows
