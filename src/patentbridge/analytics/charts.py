"""Dashboard charts built from indicator values: the ECharts option (from the engine), the table
view with the same rows, the drill-down link of each row and the XLSX export address."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from patentbridge.accounts.regions import is_region_prefix
from patentbridge_engine.analytics import (
    ChartSpec,
    Row,
    Scope,
    Value,
    chart_option,
    format_value,
    number_json,
)

__all__ = ["MONTHLY_ID", "Chart", "chart_from_value", "query"]

# The time series is not a catalogue indicator of its own: it splits LIC-LICENCES by month.
MONTHLY_ID = "LIC-MONTHLY"


def query(scope: Scope, **extra: str) -> str:
    """The ``?as_of=…&region=…`` part that keeps the scope across links."""
    params = {"as_of": scope.as_of.isoformat()}
    if scope.region:
        params["region"] = scope.region
    # An organisation page keeps its organisation (a TTO's own scope names the same one).
    if scope.org_id is not None and scope.org_side == "supply" and scope.inventor_id is None:
        params["org"] = str(scope.org_id)
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params)


@dataclass
class Chart:
    """One chart card: title, kind, the indicator it draws, table columns and rows (display
    strings), the row links and the ECharts payload ({"option", "links"})."""

    key: str
    title: str
    indicator_id: str
    kind: str
    unit: str
    columns: list[str]
    table: list[list[str]]
    links: list[str] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)
    export_url: str = ""
    note: str = ""
    drill_label: str = ""

    @property
    def empty(self) -> bool:
        return not self.payload

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def table_rows(self) -> list[tuple[list[str], str]]:
        return list(zip(self.table, self.links or [""] * len(self.table), strict=False))


def _drill(row: Row, drill: str, scope: Scope) -> str:
    """The drill-down address of a row: a region page, the library list filtered by chain or
    grade, a chain's branch page, an organisation page or the enterprise's push inbox (the records
    behind the count); "" when the row has nowhere to go."""
    if drill == "region" and is_region_prefix(row.key):
        return f"{reverse('analytics:region', args=[row.key])}?{query(scope)}"
    if drill == "library" and row.link:
        return f"{reverse('patents:list')}?{row.link}&library_status=in_library"
    if drill == "chain" and row.key and row.key.isalnum():
        return f"{reverse('analytics:chain', args=[row.key])}?{query(scope)}"
    if drill == "inbox":
        return reverse("matching:inbox")
    if drill == "org" and row.key.isdigit():
        return f"{reverse('analytics:org', args=[int(row.key)])}?{query(scope)}"
    return ""


def chart_from_value(
    key: str,
    title: str,
    value: Value,
    kind: str,
    scope: Scope,
    *,
    drill: str = "",
    drill_label: str = "",
    skip_zero: bool = False,
) -> Chart:
    """A chart of ``value``'s rows. Rows whose value is None or (with ``skip_zero``) 0 are left out
    of the drawing but the table keeps every row; a chart with nothing to draw is empty."""
    d = value.definition
    extra_names = [name for name, _ in value.rows[0].extra] if value.rows else []
    columns = [d.breakdown or "项目", f"数值（{d.rows_unit}）", *extra_names]
    table, links = [], []
    for row in value.rows:
        extras = [format_value(v, "") if not isinstance(v, str) else v for _, v in row.extra]
        table.append([row.label, format_value(row.value, d.rows_unit), *[e.strip() for e in extras]])
        links.append(_drill(row, drill, scope))
    drawn = [
        (r, link)
        for r, link in zip(value.rows, links, strict=True)
        if r.value is not None and (r.value or not skip_zero)
    ]
    payload: dict[str, Any] = {}
    if drawn and any(r.value for r, _ in drawn):
        spec = ChartSpec(
            kind,
            [r.label for r, _ in drawn],
            [(d.name, [number_json(r.value) for r, _ in drawn])],
            d.rows_unit,
        )
        payload = {"option": chart_option(spec), "links": [link for _, link in drawn]}
    return Chart(
        key=key,
        title=title,
        indicator_id=d.id,
        kind=kind,
        unit=d.rows_unit,
        columns=columns,
        table=table,
        links=links,
        payload=payload,
        export_url=f"{reverse('analytics:export', args=[d.id])}?{query(scope)}",
        note=value.note,
        drill_label=drill_label,
    )
