"""Time series by month: licence contracts and trial licences signed in each of the twelve months
ending with the as-of month (the dashboards' trend chart and its export)."""

from __future__ import annotations

from django.urls import reverse

from patentbridge.analytics.charts import MONTHLY_ID, Chart, query
from patentbridge.analytics.indicators import Context
from patentbridge.analytics.indicators.licensing import signed_contracts
from patentbridge_engine.analytics import ChartSpec, chart_option, monthly_counts

__all__ = ["MONTHS", "monthly_chart", "monthly_rows"]

# A year of months: long enough to show a season, short enough to read on a home page.
MONTHS = 12


def monthly_rows(ctx: Context) -> list[tuple[str, int, int]]:
    """(YYYY-MM, licences signed, of which with a free trial) for the months ending at as_of."""
    rows = list(signed_contracts(ctx).values_list("signed_at", "trial_end"))
    all_months = monthly_counts((day for day, _ in rows), ctx.as_of, MONTHS)
    trial_months = dict(monthly_counts((day for day, trial in rows if trial is not None), ctx.as_of, MONTHS))
    return [(month, n, trial_months[month]) for month, n in all_months]


def monthly_chart(ctx: Context) -> Chart:
    """The trend chart (line) with its table; empty when no licence was signed in the window."""
    rows = monthly_rows(ctx)
    labels = [m for m, _, _ in rows]
    payload = {}
    if any(n for _, n, _ in rows):
        spec = ChartSpec(
            "line",
            labels,
            [("许可合同", [n for _, n, _ in rows]), ("其中先试用", [t for _, _, t in rows])],
            "份",
        )
        payload = {"option": chart_option(spec), "links": []}
    return Chart(
        key="monthly",
        title=f"近 {MONTHS} 个月许可合同签订数（按月）",
        indicator_id=MONTHLY_ID,
        kind="line",
        unit="份",
        columns=["月份", "许可合同（份）", "其中先试用（份）"],
        table=[[m, str(n), str(t)] for m, n, t in rows],
        payload=payload,
        export_url=f"{reverse('analytics:export', args=[MONTHLY_ID])}?{query(ctx.scope)}",
        note="按合同签订日期统计（平台口径，定义同 LIC-LICENCES）",
    )
