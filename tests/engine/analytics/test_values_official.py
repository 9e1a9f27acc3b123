"""Values and official figures as JSON, scopes, row units and the loader's re-reading."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from patentbridge_engine.analytics import CATALOGUE, Row, Scope, Value, format_value, indicator, load_figures
from patentbridge_engine.analytics.official import DEFAULT_FIGURES_FILE, OfficialFigure


def test_scope_describes_every_part():
    scope = Scope(as_of=dt.date(2024, 1, 2), region="37", org_id=4, org_side="supply", inventor_id=9)
    assert scope.describe() == {
        "as_of": "2024-01-02",
        "region": "37",
        "org_id": 4,
        "org_side": "supply",
        "inventor_id": 9,
    }


def test_a_value_that_cannot_be_computed_is_none_not_zero():
    v = Value(indicator("LIC-CONVERSION"), None, note="统计日前没有到期或转化的试用合同")
    out = v.as_dict()
    assert out["value"] is None and out["display"] == "—" and out["note"]
    assert out["rows"] == [] and "scope" not in out


def test_money_rows_are_json_numbers_with_cents():
    v = Value(indicator("MON-RECEIVED"), Decimal("1234.5"), [Row("royalty", "提成", Decimal("1234.5"))])
    out = v.as_dict()
    assert out["value"] == 1234.5 and out["display"] == "¥1,234.50"
    assert out["rows"] == [{"key": "royalty", "label": "提成", "value": 1234.5}]
    assert json.loads(json.dumps(out, ensure_ascii=False))["unit"] == "元"


def test_rows_unit_differs_only_where_declared():
    declared = {d.id: d.rows_unit for d in CATALOGUE if d.row_unit}
    assert declared == {"CONV-BY-UNIVERSITY": "%", "CONV-BY-COUNTY": "份", "CONV-BY-CHAIN": "%"}
    assert indicator("LIB-GRADED").rows_unit == "件"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(0, "件", "0 件"), (12.25, "天", "12.2 天"), (Decimal("0"), "元", "¥0.00"), (100.0, "%", "100.0%")],
)
def test_format_value_cases(value, unit, text):
    assert format_value(value, unit) == text


def test_official_figure_json_is_whole_when_whole():
    figure = next(f for f in load_figures() if f.id == "OF-I5-2023")
    out = figure.as_dict()
    assert out["value"] == 168713 and isinstance(out["value"], int)
    assert out["date"] == "2023-12-31" and out["tag"] == "R" and out["tag_label"] == "官方原文或权威转载"
    share = next(f for f in load_figures() if f.id == "OF-I5-2023-SHARE").as_dict()
    assert share["value"] == 13.04


def test_every_figure_is_dated_and_sourced_in_the_shipped_table():
    raw = json.loads(DEFAULT_FIGURES_FILE.read_text(encoding="utf-8"))
    assert "非平台统计" in raw["about"]
    for figure in load_figures():
        assert isinstance(figure, OfficialFigure)
        assert figure.date <= dt.date(2025, 12, 31)
        assert figure.region and figure.period and figure.unit


def test_the_loader_rereads_a_changed_file(tmp_path: Path):
    row = json.loads(DEFAULT_FIGURES_FILE.read_text(encoding="utf-8"))["figures"][0]
    path = tmp_path / "figures.json"
    path.write_text(json.dumps({"figures": [row]}, ensure_ascii=False), encoding="utf-8")
    assert [f.value for f in load_figures(path)] == [Decimal(str(row["value"]))]
    path.write_text(json.dumps({"figures": [{**row, "value": 1}]}, ensure_ascii=False), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert [f.value for f in load_figures(path)] == [Decimal(1)]


def test_non_finite_and_missing_lists_are_refused(tmp_path: Path):
    row = json.loads(DEFAULT_FIGURES_FILE.read_text(encoding="utf-8"))["figures"][0]
    path = tmp_path / "figures.json"
    path.write_text(json.dumps({"figures": [{**row, "value": "NaN"}]}), encoding="utf-8")
    with pytest.raises(ValueError, match="数值无效"):
        load_figures(path)
    path.write_text(json.dumps({"rows": []}), encoding="utf-8")
    with pytest.raises(ValueError, match="缺少 figures"):
        load_figures(path)
    path.write_text(json.dumps({"figures": ["x"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="不是对象"):
        load_figures(path)
