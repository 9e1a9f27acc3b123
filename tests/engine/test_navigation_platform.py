"""The platform's own licences (平台许可) in the engine's navigation snapshot: the row flag, the
row reference's counts, and snapshots stored before the figure existed (their bytes, sha256 and
sections unchanged)."""

from __future__ import annotations

import gzip
import json

import pytest

from patentbridge_engine.navigation import (
    AggregateSnapshot,
    NavRow,
    Snapshot,
    SnapshotError,
    aggregate_rows,
    build_sections,
    load_snapshot,
)
from patentbridge_engine.navigation.aggregate import platform_licensed

from .test_navigation import ROWS, row, snapshot

# ROWS: CN001 (A, high value, licences=2), CN002 (A, transfer and pledge), CN003 (B, high value,
# nothing), CN012 (open licence); the other nine are neither key nor operated.


def _flagged(licensed: set[str]) -> Snapshot:
    return snapshot([r._replace(platform=r.number in licensed) for r in ROWS])


def test_row_flag_is_stored_only_when_recorded() -> None:
    old = ROWS[3]
    assert old.platform is None and len(old.as_list()) == 17  # a row as stored before
    assert NavRow.from_list(old.as_list()) == old
    new = old._replace(platform=True)
    assert new.as_list()[-1] is True and NavRow.from_list(new.as_list()) == new
    assert NavRow.from_list(old._replace(platform=False).as_list()).platform is False
    with pytest.raises(SnapshotError, match="列数"):
        NavRow.from_list(old.as_list()[:16])


def test_row_reference_counts_platform_patents_once() -> None:
    # CN003 (key, idle until now), CN001 (already licensed by its counter), CN005 (not key)
    snap = aggregate_rows(_flagged({"CN003", "CN001", "CN005"}))
    ops = snap.operations
    assert ops["platform"] == 3
    assert ops["operated"] == 3 + 2  # CN001, CN002, CN012 before; CN003 and CN005 added
    assert snap.key_patents["count"] == 3 and snap.key_patents["idle"] == 0
    assert [r[0] for r in snap.key_patents["rows"] if r[5]] == ["CN001", "CN003", "CN002"]
    sections = build_sections(snap)
    assert sections["operations"]["rows"][-1] == ["平台许可", 3]
    assert sections["key_numbers"]["operations"] == 1 + 2 + 1 + 1 + 3
    assert "idle-key" not in [f["code"] for f in sections["findings"]]
    # stored and read back: format 3, same bytes
    back = load_snapshot(snap.compressed())
    assert isinstance(back, AggregateSnapshot) and back.as_dict()["format"] == 3
    assert back.sha256() == snap.sha256() and platform_licensed(back) == 3


def test_recorded_but_none_licensed_still_says_so() -> None:
    snap = aggregate_rows(_flagged(set()))
    assert snap.operations["platform"] == 0 and snap.key_patents["idle"] == 1  # CN003
    sections = build_sections(snap)
    assert sections["operations"]["rows"][-1] == ["平台许可", 0]
    idle = [f["text"] for f in sections["findings"] if f["code"] == "idle-key"]
    assert idle == ["3 件 A 级或高价值专利中有 1 件尚无转让、许可、质押、开放许可或平台许可记录。"]


def test_snapshots_stored_before_keep_bytes_hash_and_sections() -> None:
    rows_snapshot = snapshot()  # rows without the flag, as stored before
    old = aggregate_rows(rows_snapshot)
    data = old.as_dict()
    assert data["format"] == 2 and "platform" not in data["operations"]
    assert platform_licensed(old) == 0
    # a format-2 blob as the earlier code wrote it: loads, re-serialises to the same bytes
    blob = gzip.compress(
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0
    )
    back = load_snapshot(blob)
    assert isinstance(back, AggregateSnapshot)
    assert back.canonical() == gzip.decompress(blob) and back.sha256() == old.sha256()
    sections = build_sections(back)
    assert [r[0] for r in sections["operations"]["rows"]] == ["转让", "许可", "质押", "开放许可声明"]
    assert sections["key_numbers"]["operations"] == 5
    idle = [f["text"] for f in sections["findings"] if f["code"] == "idle-key"]
    assert idle == ["3 件 A 级或高价值专利中有 1 件尚无转让、许可、质押或开放许可记录。"]
    # the rows themselves keep their bytes too
    assert load_snapshot(rows_snapshot.compressed()).sha256() == rows_snapshot.sha256()


def test_format_3_without_the_figure_or_an_unknown_format_is_refused() -> None:
    data = aggregate_rows(_flagged({"CN003"})).as_dict()
    del data["operations"]["platform"]
    with pytest.raises(SnapshotError, match="损坏"):
        AggregateSnapshot.from_dict(data)
    data["format"] = 4
    with pytest.raises(SnapshotError, match="版本"):
        AggregateSnapshot.from_dict(data)


def test_a_row_flag_alone_makes_the_figure() -> None:
    # one recorded row is enough for the reference to count (the others read as not licensed)
    rows = [*ROWS[:-1], row(12, 2023, "H01M", open_licence=True, platform=True)]
    snap = aggregate_rows(snapshot(rows))
    assert snap.operations["platform"] == 1 and snap.operations["operated"] == 3
