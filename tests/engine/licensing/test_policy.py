"""Dated licensing policy parameters: lookup by date and region, validation, version ids."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.policy import (
    by_version,
    load_params,
    param,
    params_in_force,
    value,
    version_id,
)

D = dt.date


def _row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "key": "X_DAYS",
        "value": 10,
        "unit": "日",
        "jurisdiction": "CN",
        "source_doc": "测试文件",
        "source_article": "第一条",
        "effective_from": "2024-01-01",
        "effective_to": None,
        "tag": "U",
        "label": "测试参数",
        "note": "测试说明",
    }
    row.update(overrides)
    return row


def _write(tmp_path: Path, rows: list[dict[str, Any]], name: str = "p.json") -> Path:
    file = tmp_path / name
    file.write_text(json.dumps({"params": rows}, ensure_ascii=False), encoding="utf-8")
    return file


def test_shipped_file_loads_and_every_row_is_documented() -> None:
    rows = load_params()
    assert len(rows) >= 20
    for p in rows:
        assert p.label and p.note and p.source_doc and p.source_article, version_id(p)
    assert len({version_id(p) for p in rows}) == len(rows)


def test_filing_months_switches_source_when_the_2023_rules_take_effect() -> None:
    old = param("LICENCE_FILING_MONTHS", as_of=D(2024, 1, 19))
    new = param("LICENCE_FILING_MONTHS", as_of=D(2024, 1, 20))
    assert (old.value, old.tag) == (3, "R")
    assert "62号" in old.source_doc
    assert (new.value, new.tag) == (3, "V")
    assert new.source_article == "第十五条第二款"


def test_most_specific_jurisdiction_wins() -> None:
    day = D(2026, 3, 1)
    assert value("INVENTOR_SHARE_MIN_LICENCE", as_of=day) == Decimal("0.50")
    assert value("INVENTOR_SHARE_MIN_LICENCE", as_of=day, region_code="110108") == Decimal("0.50")
    shandong = param("INVENTOR_SHARE_MIN_LICENCE", as_of=day, region_code="370102")
    assert shandong.value == Decimal("0.70")
    assert shandong.jurisdiction == "37"
    assert value("PUBLIC_LIST_YEARS", as_of=day, region_code="370102") == 5  # Jinan 3701
    assert value("PUBLIC_LIST_YEARS", as_of=day, region_code="371522") == 3  # 莘县, Shandong rule


def test_a_row_not_yet_in_force_is_not_chosen() -> None:
    # Jinan's 5-year rule (2024-07-01) predates Shandong's 3-year rule (2025-05-07).
    assert value("PUBLIC_LIST_YEARS", as_of=D(2025, 1, 1), region_code="370102") == 5
    with pytest.raises(KeyError, match="371522"):
        param("PUBLIC_LIST_YEARS", as_of=D(2025, 1, 1), region_code="371522")
    with pytest.raises(KeyError, match="全国"):
        param("PUBLIC_LIST_YEARS", as_of=D(2026, 1, 1))


def test_unknown_key_raises_a_clear_key_error() -> None:
    with pytest.raises(KeyError, match="未知的政策参数：NO_SUCH_KEY"):
        param("NO_SUCH_KEY", as_of=D(2026, 1, 1))


def test_fee_reduction_starts_on_announcement_594() -> None:
    with pytest.raises(KeyError):
        param("OL_ANNUAL_FEE_REDUCTION", as_of=D(2024, 8, 5))
    p = param("OL_ANNUAL_FEE_REDUCTION", as_of=D(2024, 8, 6))
    assert p.value == Decimal("0.15")
    assert p.tag == "R"
    # Decimal keeps money exact: the §13 annual-fee vector.
    assert Decimal(1200) * p.value == Decimal(180)


def test_values_keep_their_types() -> None:
    day = D(2026, 1, 1)
    assert value("FILE_TRIAL_LICENCES", as_of=day) is True
    assert value("TRIAL_REMINDER_DAYS", as_of=day) == (30, 7)
    assert value("NET_INCOME_DEDUCTIONS", as_of=day) == ("taxes", "maintenance", "transaction")
    assert value("OL_REDUCTION_STARTS", as_of=day) in ("publication", "first_licence")
    assert value("OL_GUIDE_MAX_FIXED_CNY", as_of=day) == 20_000_000


def test_params_in_force_lists_every_jurisdiction_once_per_key() -> None:
    rows = params_in_force(D(2026, 1, 1))
    pairs = [(p.key, p.jurisdiction) for p in rows]
    assert len(pairs) == len(set(pairs))
    assert ("INVENTOR_SHARE_MIN_LICENCE", "CN") in pairs
    assert ("INVENTOR_SHARE_MIN_LICENCE", "37") in pairs
    assert all(p.in_force(D(2026, 1, 1)) for p in rows)
    before = {p.key for p in params_in_force(D(2024, 1, 1))}
    assert "OL_ANNUAL_FEE_REDUCTION" not in before
    assert "LICENCE_FILING_MONTHS" in before


def test_version_id_round_trips() -> None:
    p = param("INVENTOR_SHARE_MIN_LICENCE", as_of=D(2026, 1, 1), region_code="37")
    vid = version_id(p)
    assert vid == f"INVENTOR_SHARE_MIN_LICENCE@37@{p.effective_from.isoformat()}"
    assert by_version(vid) == p
    with pytest.raises(KeyError):
        by_version("INVENTOR_SHARE_MIN_LICENCE@37@1999-01-01")


def test_as_dict_is_json_ready() -> None:
    p = param("OL_ANNUAL_FEE_REDUCTION", as_of=D(2025, 1, 1))
    data = json.loads(json.dumps(p.as_dict(), ensure_ascii=False))
    assert data["value"] == "0.15"
    assert data["effective_to"] is None
    assert data["version"] == version_id(p)


def test_custom_file_and_effective_to_is_inclusive(tmp_path: Path) -> None:
    file = _write(
        tmp_path,
        [
            _row(effective_to="2024-12-31"),
            _row(value=20, effective_from="2025-01-01"),
        ],
    )
    assert value("X_DAYS", as_of=D(2024, 12, 31), path=file) == 10
    assert value("X_DAYS", as_of=D(2025, 1, 1), path=file) == 20
    with pytest.raises(KeyError):
        value("X_DAYS", as_of=D(2023, 12, 31), path=file)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_row(key="lower_case"), "key"),
        (_row(jurisdiction="Shandong"), "jurisdiction"),
        (_row(tag="maybe"), "tag"),
        (_row(effective_from="2024/01/01"), "effective_from"),
        (_row(effective_to="2023-01-01"), "effective_to 早于"),
        (_row(unit="比例", value=1.5), "0 到 1"),
        (_row(value={"a": 1}), "取值"),
        (_row(value=[]), "列表"),
        (_row(label=""), "label"),
        ({k: v for k, v in _row().items() if k != "value"}, "缺少 value"),
    ],
)
def test_malformed_rows_are_refused_with_the_row_named(
    tmp_path: Path, row: dict[str, Any], message: str
) -> None:
    file = _write(tmp_path, [_row(key="GOOD_KEY"), row])
    with pytest.raises(ValueError, match=message) as info:
        load_params(file)
    assert "第 2 行" in str(info.value)


def test_overlapping_rows_are_refused(tmp_path: Path) -> None:
    file = _write(tmp_path, [_row(), _row(value=20, effective_from="2024-06-01")])
    with pytest.raises(ValueError, match="重叠"):
        load_params(file)
    # Same key, different jurisdiction, same period: fine.
    ok = _write(tmp_path, [_row(), _row(jurisdiction="37")], name="ok.json")
    assert len(load_params(ok)) == 2


def test_broken_json_and_missing_list(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="JSON"):
        load_params(bad)
    empty = tmp_path / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="params"):
        load_params(empty)


def test_reloads_when_the_file_changes(tmp_path: Path) -> None:
    file = _write(tmp_path, [_row()])
    assert value("X_DAYS", as_of=D(2025, 1, 1), path=file) == 10
    file.write_text(json.dumps({"params": [_row(value=12345)]}), encoding="utf-8")
    assert value("X_DAYS", as_of=D(2025, 1, 1), path=file) == 12345


def test_default_file_is_the_shipped_one() -> None:
    assert policy.DEFAULT_PARAMS_FILE.name == "policy_params.json"
    assert policy.DEFAULT_PARAMS_FILE.exists()
