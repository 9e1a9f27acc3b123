"""Dated, versioned licensing policy parameters (transactions-and-analytics.md §1.2).

Every number the licensing rules use that is not hard law verified against the primary text
([R], [S], [U] and seed facts) lives in ``data/policy_params.json``, one row per key,
jurisdiction and validity period. A change of policy is a new row (and an ``effective_to`` on the
old one), never an edit of an old value, so a stored computation can name the versions it used
(``version_id``). Jurisdictions are GB/T 2260 prefixes: ``CN`` (national), ``37`` (Shandong),
``3701`` (Jinan); the most specific one that covers a region wins.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_PARAMS_FILE",
    "PolicyParam",
    "by_version",
    "load_params",
    "param",
    "params_in_force",
    "value",
    "version_id",
]

DEFAULT_PARAMS_FILE = Path(__file__).with_name("data") / "policy_params.json"

_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")
_JURISDICTION = re.compile(r"^(CN|\d{2}|\d{4}|\d{6})$")
_TAG = re.compile(r"^(V|R|S|U|seed-\d{3})$")
_TEXT_FIELDS = ("unit", "source_doc", "source_article", "label", "note")


@dataclass(frozen=True)
class PolicyParam:
    """One dated value of a policy parameter. ``effective_to`` is inclusive (None = still in
    force). ``value`` is a bool, int, Decimal (fractions, so money arithmetic stays exact), str or
    a tuple of those (JSON lists are frozen to tuples so a cached row cannot be mutated)."""

    key: str
    value: Any
    unit: str
    jurisdiction: str
    source_doc: str
    source_article: str
    effective_from: dt.date
    effective_to: dt.date | None
    tag: str
    label: str
    note: str

    def in_force(self, as_of: dt.date) -> bool:
        """True when ``as_of`` lies in [effective_from, effective_to]."""
        return self.effective_from <= as_of and (self.effective_to is None or as_of <= self.effective_to)

    def covers(self, region_code: str) -> bool:
        """True when this row's jurisdiction applies to ``region_code`` (CN covers everything)."""
        return self.jurisdiction == "CN" or region_code.startswith(self.jurisdiction)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form for the read-only UI table and audit records."""
        raw = self.value
        shown = [_plain(v) for v in raw] if isinstance(raw, tuple) else _plain(raw)
        return {
            "key": self.key,
            "value": shown,
            "unit": self.unit,
            "jurisdiction": self.jurisdiction,
            "source_doc": self.source_doc,
            "source_article": self.source_article,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "tag": self.tag,
            "label": self.label,
            "note": self.note,
            "version": version_id(self),
        }


def _plain(v: Any) -> Any:
    return str(v) if isinstance(v, Decimal) else v


def version_id(p: PolicyParam) -> str:
    """The row's stable identity, e.g. ``INVENTOR_SHARE_MIN_LICENCE@37@2017-12-01``, stored with
    every computation so it can be traced to the exact value used."""
    return f"{p.key}@{p.jurisdiction}@{p.effective_from.isoformat()}"


def _scalar_ok(v: Any) -> bool:
    return isinstance(v, bool | int | Decimal | str)


def _parse_value(where: str, raw: Any, unit: str) -> Any:
    if isinstance(raw, list):
        if not raw or not all(_scalar_ok(v) and not isinstance(v, bool) for v in raw):
            raise ValueError(f"{where}：列表取值必须是非空的数字或文字列表")
        return tuple(raw)
    if not _scalar_ok(raw):
        raise ValueError(f"{where}：取值必须是数字、布尔值、文字或列表")
    if unit == "比例" and not (
        isinstance(raw, int | Decimal) and not isinstance(raw, bool) and 0 <= raw <= 1
    ):
        raise ValueError(f"{where}：比例必须在 0 到 1 之间")
    return raw


def _parse_date(where: str, raw: Any, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise ValueError(f"{where}：{name} 不是 YYYY-MM-DD 日期：{raw!r}") from None


def _parse_row(index: int, row: Any) -> PolicyParam:
    where = f"政策参数第 {index} 行"
    if not isinstance(row, dict):
        raise ValueError(f"{where}：应为对象")
    key = row.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"{where}：key 缺失或格式不对（应为大写字母、数字、下划线）：{key!r}")
    where = f"{where}（{key}）"
    for name in (*_TEXT_FIELDS, "jurisdiction", "tag", "effective_from"):
        if not isinstance(row.get(name), str) or not row[name].strip():
            raise ValueError(f"{where}：缺少 {name}")
    if "value" not in row:
        raise ValueError(f"{where}：缺少 value")
    if not _JURISDICTION.match(row["jurisdiction"]):
        raise ValueError(
            f"{where}：jurisdiction 应为 CN 或 GB/T 2260 前缀（2、4、6 位）：{row['jurisdiction']!r}"
        )
    if not _TAG.match(row["tag"]):
        raise ValueError(f"{where}：tag 应为 V/R/S/U 或 seed-00N：{row['tag']!r}")
    start = _parse_date(where, row["effective_from"], "effective_from")
    end_raw = row.get("effective_to")
    end = None if end_raw is None else _parse_date(where, end_raw, "effective_to")
    if end is not None and end < start:
        raise ValueError(f"{where}：effective_to 早于 effective_from")
    return PolicyParam(
        key=key,
        value=_parse_value(where, row["value"], row["unit"]),
        unit=row["unit"],
        jurisdiction=row["jurisdiction"],
        source_doc=row["source_doc"],
        source_article=row["source_article"],
        effective_from=start,
        effective_to=end,
        tag=row["tag"],
        label=row["label"],
        note=row["note"],
    )


def _overlap(a: PolicyParam, b: PolicyParam) -> bool:
    a_end = a.effective_to or dt.date.max
    b_end = b.effective_to or dt.date.max
    return a.effective_from <= b_end and b.effective_from <= a_end


@lru_cache(maxsize=8)
def _load(path: str, stamp: tuple[int, int]) -> tuple[PolicyParam, ...]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValueError(f"政策参数文件不是合法的 JSON：第 {exc.lineno} 行第 {exc.colno} 列") from None
    rows = data.get("params") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ValueError("政策参数文件缺少 params 列表")
    params = [_parse_row(i, row) for i, row in enumerate(rows, start=1)]
    # Two rows for one key and jurisdiction on the same day would make the lookup ambiguous.
    for i, a in enumerate(params):
        for b in params[i + 1 :]:
            if a.key == b.key and a.jurisdiction == b.jurisdiction and _overlap(a, b):
                raise ValueError(
                    f"政策参数 {a.key}（{a.jurisdiction}）有两行生效区间重叠："
                    f"{a.effective_from} 起与 {b.effective_from} 起"
                )
    return tuple(sorted(params, key=lambda p: (p.key, p.jurisdiction, p.effective_from)))


def load_params(path: Path | None = None) -> tuple[PolicyParam, ...]:
    """All rows, sorted by key, jurisdiction and start (re-read when the file changes).

    Raises ValueError with a Chinese message naming the row when the file is malformed.
    """
    file = path or DEFAULT_PARAMS_FILE
    stat = file.stat()
    return _load(str(file), (stat.st_mtime_ns, stat.st_size))


def param(key: str, *, as_of: dt.date, region_code: str = "", path: Path | None = None) -> PolicyParam:
    """The row for ``key`` in force on ``as_of`` for ``region_code`` (GB/T 2260, e.g. ``370102``;
    "" = national): the most specific jurisdiction that is a prefix of the region wins.

    Raises KeyError with a Chinese message when the key is unknown or has no row in force there.
    """
    rows = [p for p in load_params(path) if p.key == key]
    if not rows:
        raise KeyError(f"未知的政策参数：{key}")
    region = region_code.strip()
    candidates = [p for p in rows if p.in_force(as_of) and p.covers(region)]
    if not candidates:
        where = f"地区 {region}" if region else "全国"
        raise KeyError(f"政策参数 {key} 在 {as_of.isoformat()}（{where}）没有生效的取值")
    return max(candidates, key=lambda p: 0 if p.jurisdiction == "CN" else len(p.jurisdiction))


def value(key: str, *, as_of: dt.date, region_code: str = "", path: Path | None = None) -> Any:
    """Shortcut for ``param(...).value``."""
    return param(key, as_of=as_of, region_code=region_code, path=path).value


def params_in_force(as_of: dt.date, path: Path | None = None) -> list[PolicyParam]:
    """Every row in force on ``as_of`` (all jurisdictions), for the read-only policy table."""
    return [p for p in load_params(path) if p.in_force(as_of)]


def by_version(version: str, path: Path | None = None) -> PolicyParam:
    """The row a stored ``version_id`` names (to show what an old computation used)."""
    for p in load_params(path):
        if version_id(p) == version:
            return p
    raise KeyError(f"找不到政策参数版本：{version}")
