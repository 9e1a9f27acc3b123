"""Drill-down page chain → technical branch: one key industry chain's library patents in the
user's scope split by IPC subclass (LIB-BY-BRANCH), each branch linking to the library list.

Who: the roles whose dashboards draw the chain chart — operators and admins, government officers
and viewers (their region), a TTO (its own patents), an inventor (own patents, without links to
the whole library). Enterprises have no chain chart.
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from patentbridge.analytics.access import request_params
from patentbridge.analytics.charts import chart_from_value, query
from patentbridge.analytics.dashboards import layout_for
from patentbridge.analytics.indicators import Context, compute
from patentbridge.analytics.scope import scope_for
from patentbridge.patents.models import IndustryChain
from patentbridge_engine.analytics import Row, Value

__all__ = ["BRANCH_ROWS", "branch_value", "chain_page"]

BRANCH_ROWS = 15


def branch_value(value: Value, chain: str) -> Value:
    """LIB-BY-BRANCH restricted to the rows of ``chain`` (headline = their sum), labelled by the
    IPC subclass alone; past ``BRANCH_ROWS`` branches the smallest are summed into one row (a
    chain's long tail of one-patent subclasses cannot be read as bars). The chain page and its
    export both use this, so the export holds exactly the chart's rows."""
    rows = [
        replace(r, label=r.label.split(" · ", 1)[-1]) for r in value.rows if r.key.startswith(f"{chain}/")
    ]
    total = sum(r.value or 0 for r in rows)
    if len(rows) > BRANCH_ROWS:
        rest = rows[BRANCH_ROWS:]
        other = sum(r.value or 0 for r in rest)
        rows = [*rows[:BRANCH_ROWS], Row(f"{chain}/*", f"其他 IPC 小类（{len(rest)} 个）", other)]
    return replace(value, value=total, rows=rows)


@login_required
def chain_page(request: HttpRequest, code: str) -> HttpResponse:
    """``/stats/chain/<code>/?as_of=&region=``."""
    layout = layout_for(request.user)
    if layout not in ("platform", "region", "tto", "inventor"):
        raise PermissionDenied("无权查看产业链统计")
    chain = get_object_or_404(IndustryChain, code=code[:20])
    as_of, region, error = request_params(request)
    scope = scope_for(request.user, as_of=as_of, region=region)
    ctx = Context(scope)
    values = {v.id: v for v in compute(scope, ["LIB-BY-BRANCH", "CONV-BY-CHAIN"], ctx)}
    branches = branch_value(values["LIB-BY-BRANCH"], chain.code)
    chart = chart_from_value(
        "branches",
        f"{chain.name} · 技术分支（IPC 小类）",
        branches,
        "hbar",
        scope,
        # The library list is the whole library: an inventor (own patents only) gets no link there.
        drill="" if layout == "inventor" else "library",
        drill_label="" if layout == "inventor" else "查看该分支专利",
        skip_zero=True,
    )
    chart.export_url = f"{chart.export_url}&chain={chain.code}"
    conversion = next((r for r in values["CONV-BY-CHAIN"].rows if r.key == chain.code), None)
    facts = dict(conversion.extra) if conversion else {}
    return render(
        request,
        "analytics/chain.html",
        {
            "chain": chain,
            "scope": scope,
            "chart": chart,
            "library": facts.get("入库专利", 0),
            "licensed": facts.get("已许可专利", 0),
            "rate": conversion.value if conversion else None,
            "back": f"/?{query(scope)}",
            "stats_error": error,
        },
    )
