"""Aggregation helpers, value formatting and chart options."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from patentbridge_engine.analytics import (
    ChartSpec,
    Row,
    Scope,
    Value,
    chart_option,
    child_prefix,
    format_value,
    indicator,
    median_days,
    month_labels,
    monthly_counts,
    number_json,
    rate,
    top_n,
)


def test_rate_is_unknown_without_a_denominator():
    assert rate(1, 3) == 33.3
    assert rate(0, 5) == 0.0
    assert rate(3, 0) is None


def test_median_days_skips_pairs_that_end_before_they_start():
    d = dt.date(2024, 1, 1)
    pairs = [(d, d + dt.timedelta(days=10)), (d, d + dt.timedelta(days=30)), (d, d - dt.timedelta(days=5))]
    assert median_days(pairs) == 20.0
    assert median_days([]) is None


def test_month_labels_cross_the_year():
    assert month_labels(dt.date(2024, 2, 15), 4) == ["2023-11", "2023-12", "2024-01", "2024-02"]
    with pytest.raises(ValueError):
        month_labels(dt.date(2024, 2, 15), 0)


def test_monthly_counts_ignore_days_after_as_of():
    dates = [dt.date(2024, 2, 1), dt.date(2024, 2, 20), dt.date(2024, 1, 31), dt.date(2023, 1, 1)]
    assert monthly_counts(dates, dt.date(2024, 2, 15), 2) == [("2024-01", 1), ("2024-02", 1)]


def test_top_n_sums_the_rest():
    assert top_n({"a": 5, "b": 3, "c": 1, "d": 1}, 2) == [("a", 5), ("b", 3), ("其他", 2)]
    assert top_n({"a": 5}, 2) == [("a", 5)]


@pytest.mark.parametrize(
    ("code", "scope", "expected"),
    [
        ("371522", "", "37"),
        ("371522", "37", "3715"),
        ("371522", "3715", "371522"),
        ("371500", "3715", ""),  # the city itself is not one of its counties
        ("370000", "37", ""),
        ("440100", "37", ""),  # outside the scope
        ("", "37", ""),
    ],
)
def test_child_prefix_is_the_next_level_inside_the_scope(code: str, scope: str, expected: str):
    assert child_prefix(code, scope) == expected


def test_values_format_money_rates_and_counts():
    assert format_value(Decimal("12345"), "元") == "¥12,345.00"
    assert format_value(37.456, "%") == "37.5%"
    assert format_value(1234, "件") == "1,234 件"
    assert format_value(None, "件") == "—"
    assert number_json(Decimal("2.50")) == 2.5
    assert number_json(7) == 7
    assert number_json(None) is None


def test_value_json_carries_definition_kind_and_rows():
    v = Value(
        indicator("LIB-GRADED"), 3, [Row("A", "A 核心", 2), Row("B", "B 重要", 1, extra=(("占比", 33.3),))]
    )
    out = v.as_dict(Scope(as_of=dt.date(2024, 6, 30), region="3715"))
    assert out["id"] == "LIB-GRADED" and out["value"] == 3 and out["kind_label"] == "平台口径"
    assert out["rows"][1] == {"key": "B", "label": "B 重要", "value": 1, "extra": {"占比": 33.3}}
    assert out["scope"]["as_of"] == "2024-06-30" and out["scope"]["region"] == "3715"


def test_chart_options_per_kind():
    bar = chart_option(ChartSpec("bar", ["甲", "乙"], [("专利数", [3, 1])], "件"))
    assert bar["xAxis"]["data"] == ["甲", "乙"] and bar["series"][0]["data"] == [3, 1]
    hbar = chart_option(ChartSpec("hbar", ["甲"], [("专利数", [3])]))
    assert hbar["yAxis"]["data"] == ["甲"] and hbar["yAxis"]["inverse"] is True
    pie = chart_option(ChartSpec("pie", ["A", "B"], [("分级", [1, 2])]))
    assert pie["series"][0]["data"] == [{"name": "A", "value": 1}, {"name": "B", "value": 2}]
    funnel = chart_option(ChartSpec("funnel", ["送达", "查看"], [("漏斗", [5, 2])]))
    assert funnel["series"][0]["type"] == "funnel" and funnel["series"][0]["sort"] == "none"
    line = chart_option(ChartSpec("line", ["2024-01"], [("许可", [1]), ("试用", [0])]))
    assert [s["type"] for s in line["series"]] == ["line", "line"] and line["legend"]["show"] is True


def test_chart_spec_refuses_bad_kinds_and_lengths():
    with pytest.raises(ValueError, match="未知的图表类型"):
        ChartSpec("radar", [], [])
    with pytest.raises(ValueError, match="长度"):
        ChartSpec("bar", ["甲"], [("x", [1, 2])])
