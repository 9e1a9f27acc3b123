"""Statistics monitoring in plain Python (transactions-and-analytics.md §7): the indicator
catalogue, the official reference figures, aggregation helpers and chart options. Never imports
Django: the web app binds a compute function to each catalogue id and passes rows in."""

from patentbridge_engine.analytics.aggregate import (
    child_prefix,
    median_days,
    month_labels,
    monthly_counts,
    rate,
    top_n,
)
from patentbridge_engine.analytics.catalogue import (
    CATALOGUE,
    GROUPS,
    IndicatorDef,
    IndicatorKind,
    by_group,
    indicator,
)
from patentbridge_engine.analytics.charts import ChartSpec, chart_option
from patentbridge_engine.analytics.official import (
    OFFICIAL_SECTION_LABEL,
    OfficialFigure,
    figures_as_of,
    load_figures,
)
from patentbridge_engine.analytics.values import Row, Scope, Value, format_value, number_json

__all__ = [
    "CATALOGUE",
    "GROUPS",
    "OFFICIAL_SECTION_LABEL",
    "ChartSpec",
    "IndicatorDef",
    "IndicatorKind",
    "OfficialFigure",
    "Row",
    "Scope",
    "Value",
    "by_group",
    "chart_option",
    "child_prefix",
    "figures_as_of",
    "format_value",
    "indicator",
    "load_figures",
    "median_days",
    "month_labels",
    "monthly_counts",
    "number_json",
    "rate",
    "top_n",
]
