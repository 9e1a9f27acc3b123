"""The indicator catalogue and the official reference table: complete, Chinese, never mixed."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from patentbridge_engine.analytics import (
    CATALOGUE,
    GROUPS,
    OFFICIAL_SECTION_LABEL,
    IndicatorKind,
    by_group,
    figures_as_of,
    indicator,
    load_figures,
)
from patentbridge_engine.analytics.official import DEFAULT_FIGURES_FILE, TAG_LABELS

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_entry_has_an_id_chinese_name_definition_unit_and_source():
    """§7.c: id, Chinese name, definition, unit, source and kind on every indicator."""
    ids = [d.id for d in CATALOGUE]
    assert len(ids) == len(set(ids))
    for d in CATALOGUE:
        assert re.fullmatch(r"[A-Z]+(-[A-Z0-9]+)+", d.id), d.id
        for text in (d.name, d.definition, d.source):
            assert _CJK.search(text), (d.id, text)
        assert d.unit in {"件", "项", "条", "份", "元", "%", "天", "个", "家"}, d.id
        assert d.group in GROUPS, d.id
        assert d.kind_label in ("平台口径", "官方数据")


def test_catalogue_covers_the_groups_the_issue_names():
    """Library, matching, licensing, money, open licences, public list, menus and conversion."""
    groups = {d.group for d in CATALOGUE}
    assert groups == set(GROUPS)
    for needed in (
        "LIB-GRADED",
        "LIB-HIGH-VALUE",
        "MAT-INTEREST",
        "LIC-CONVERSION",
        "LIC-CONVERSION-DAYS",
        "MON-OUTSTANDING",
        "MON-INVENTOR",
        "OL-WITHDRAWN",
        "PL-ACTIVE",
        "MENU-FUNNEL",
        "CONV-BY-UNIVERSITY",
        "CONV-BY-COUNTY",
        "CONV-BY-CHAIN",
    ):
        assert indicator(needed).id == needed


def test_catalogue_holds_platform_counts_only():
    """Official figures live in the reference table, never as catalogue entries to compute."""
    assert all(d.kind == IndicatorKind.PLATFORM for d in CATALOGUE)


def test_unknown_indicator_is_refused_in_chinese():
    with pytest.raises(KeyError, match="未知的指标"):
        indicator("NOPE")


def test_groups_come_in_display_order_without_empty_ones():
    keys = [key for key, _, _ in by_group()]
    assert keys == [k for k in GROUPS if any(d.group == k for d in CATALOGUE)]
    assert sum(len(entries) for _, _, entries in by_group()) == len(CATALOGUE)


def test_official_table_has_the_guides_figures_with_sources_and_tags():
    """The §7.c/§14 reference numbers: value added 2019/2020/2022/2023, the 2021 filing mix,
    special-action totals, Shandong 2023 and the seeds' numbers, each with source and tag."""
    figures = {f.id: f for f in load_figures()}
    assert figures["OF-I5-2023"].value == Decimal(168713)
    assert figures["OF-I5-2022-SHARE"].value == Decimal("12.71")
    assert [figures[f"OF-I8-2021-{k}"].value for k in ("FIXED", "ROYALTY", "FREE")] == [2748, 307, 1216]
    assert (
        sum(figures[f"OF-I8-2021-{k}"].value for k in ("FIXED", "ROYALTY", "FREE"))
        == figures["OF-I8-2021-TOTAL"].value
    )
    assert figures["OF-I11-INVENTORIED"].value == 1349000
    assert figures["OF-I9-SD-2023-LIC"].region == "山东省"
    for f in figures.values():
        assert f.tag in TAG_LABELS and f.source_id and _CJK.search(f.source), f.id
        assert f.as_dict()["kind"] == "official"


def test_official_section_label_is_the_one_the_issue_asks_for():
    assert OFFICIAL_SECTION_LABEL == "官方公布数据（非平台统计）"


def test_figures_as_of_leave_out_later_figures():
    """A report as of 2022-06-30 cannot show the 2023 value added (it did not exist yet)."""
    early = {f.id for f in figures_as_of(dt.date(2022, 6, 30))}
    assert "OF-I5-2020" in early
    assert "OF-I5-2023" not in early
    assert len(figures_as_of(dt.date(2030, 1, 1))) == len(load_figures())


def _write(tmp_path: Path, rows: object) -> Path:
    path = tmp_path / "figures.json"
    path.write_text(json.dumps({"figures": rows}, ensure_ascii=False), encoding="utf-8")
    return path


def test_malformed_tables_are_refused_naming_the_entry(tmp_path: Path):
    good = json.loads(DEFAULT_FIGURES_FILE.read_text(encoding="utf-8"))["figures"][0]
    with pytest.raises(ValueError, match="第 1 条缺少字段：source"):
        load_figures(_write(tmp_path, [{k: v for k, v in good.items() if k != "source"}]))
    with pytest.raises(ValueError, match="核实标记"):
        load_figures(_write(tmp_path, [{**good, "tag": "X"}]))
    with pytest.raises(ValueError, match="数值或日期无效"):
        load_figures(_write(tmp_path, [{**good, "date": "2023-13-01"}]))
    with pytest.raises(ValueError, match="编号重复"):
        load_figures(_write(tmp_path, [good, good]))
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="不是合法的 JSON"):
        load_figures(bad)


def test_figures_come_in_indicator_order_and_display_with_separators():
    refs = [f.indicator for f in load_figures()]
    numbers = [int(r[1:]) if r else 99 for r in refs]
    assert numbers == sorted(numbers)
    by_id = {f.id: f for f in load_figures()}
    assert by_id["OF-I8-ACTION-TOTAL"].display == "1,025,000"
    assert by_id["OF-I5-2022-SHARE"].display == "12.71"


_INTERNAL_REFERENCE = re.compile(r"§|domain-rules|transactions-and-analytics|seed-\d|peer-platforms|\[S:")


def test_sources_shown_to_users_cite_documents_not_the_project_s_design_notes():
    """A statistics page cites the policy or report; the design guide's section numbers and seed
    file ids are for the developers and stay out of every name, definition and source."""
    for d in CATALOGUE:
        for text in (d.name, d.definition, d.source):
            assert not _INTERNAL_REFERENCE.search(text), (d.id, text)
    for figure in load_figures():
        assert not _INTERNAL_REFERENCE.search(figure.source), (figure.id, figure.source)
    about = json.loads(Path(DEFAULT_FIGURES_FILE).read_text(encoding="utf-8"))["about"]
    assert not _INTERNAL_REFERENCE.search(about)
