"""The Art. 21 annual rows read the platform catalogue: every computed row names a platform
indicator (and, for a breakdown row, one of its rows' keys as the web layer builds them), flows use
only cumulative indicators, and the items the platform does not record say so."""

from __future__ import annotations

from patentbridge_engine.analytics import CATALOGUE, IndicatorKind
from patentbridge_engine.analytics.art21 import ART21_ROWS, ART21_SOURCE

# Indicators counted by their record date that never go down (their definitions say "截至统计日…").
CUMULATIVE = {
    "LIB-APPROVED",
    "LIC-LICENCES",
    "LIC-TRIALS",
    "CONV-PLATFORM",
    "LIC-FILED",
    "MON-RECEIVED",
    "MON-INVENTOR",
}


def test_rows_are_unique_and_ordered():
    ids = [r.id for r in ART21_ROWS]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) == 14
    assert "第二十一条" in ART21_SOURCE


def test_every_computed_row_reads_a_platform_indicator():
    platform = {d.id: d for d in CATALOGUE if d.kind == IndicatorKind.PLATFORM}
    for row in ART21_ROWS:
        assert row.how in ("flow", "stock", "absent"), row.id
        assert "第二十一条" in row.source, row.id
        if row.how == "absent":
            assert row.indicator == "" and "平台未记录" in row.source
            continue
        assert row.indicator in platform, row.id
        assert row.indicator in row.source, row.id
        if row.how == "flow":
            assert row.indicator in CUMULATIVE, row.id
        # Money rows carry the catalogue's money unit.
        assert (row.unit == "元") == (platform[row.indicator].unit == "元"), row.id


def test_breakdown_rows_name_the_licence_kinds():
    keys = {r.row for r in ART21_ROWS if r.indicator == "LIC-LICENCES" and r.row}
    assert keys == {"ordinary", "sole", "exclusive"}
