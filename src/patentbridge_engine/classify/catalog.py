"""Loaders for the shipped concordance tables, each turned into :class:`Rule` rows.

Loading reads gzip CSV files; the matching itself (``rules.assign``) does no I/O.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from patentbridge_engine.classify.data import data_path
from patentbridge_engine.classify.ipc import IpcPattern, parse_pattern
from patentbridge_engine.classify.rules import Rule
from patentbridge_engine.errors import InvalidIpcError

__all__ = [
    "SCHEME_LABELS",
    "descriptive_terms",
    "load_green_rules",
    "load_ipc_titles",
    "load_key_digital_rules",
    "load_sei_rules",
    "load_wipo35_rules",
    "load_xinsanyang_rules",
]

SCHEME_LABELS = {
    "ipc": "IPC",
    "ipc_suggested": "IPC建议",
    "sei": "战略性新兴产业",
    "wipo35": "WIPO技术领域",
    "green": "绿色技术",
    "digital": "关键数字技术",
    "xinsanyang": "新三样",
    "chain": "重点产业链",
}

_PHRASE_SPLIT = re.compile(r"[；;、，,（）()/。\s]+")
# Suffixes that make a table description ("…装备制造") rather than a term found in patent text.
_SUFFIXES = (
    "生产和供应业",
    "制造业",
    "供应业",
    "制造",
    "服务",
    "行业",
    "产业",
    "生产",
    "销售",
    "修理",
    "研发",
)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def _patterns(field: str) -> tuple[IpcPattern, ...]:
    out = []
    for part in (field or "").split(";"):
        if part.strip():
            try:
                out.append(parse_pattern(part))
            except InvalidIpcError:
                continue  # a malformed table cell must not hide the rest of the row
    return tuple(out)


def _terms(field: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in (field or "").split(";") if t.strip())


def descriptive_terms(description: str) -> tuple[str, ...]:
    """Turn a table's descriptive keyword cell into literal terms likely to occur in patent text.

    ``"极地破冰船、落管抛石船等海洋工程装备制造"`` → ``("极地破冰船", "落管抛石船", "海洋工程装备")``.
    """
    terms: list[str] = []
    for phrase in _PHRASE_SPLIT.split(description):
        for piece in phrase.split("等"):
            piece = piece.removeprefix("其他").removeprefix("其它")
            changed = True
            while changed:
                changed = False
                for suffix in _SUFFIXES:
                    if piece.endswith(suffix) and len(piece) > len(suffix) + 1:
                        piece = piece[: -len(suffix)]
                        changed = True
            if 2 <= len(piece) <= 12 and piece not in terms and not piece.startswith("未列明"):
                terms.append(piece)
    return tuple(terms)


@lru_cache(maxsize=2)
def load_sei_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """战略性新兴产业–IPC (2021): IPC with exclusions, keyword-constrained where the table says so."""
    rules = []
    for row in _rows(path or data_path("sei_ipc_2021_rules.csv.gz")):
        keywords = descriptive_terms(row["keywords"]) if row.get("keywords") else ()
        rules.append(
            Rule(
                scheme="sei",
                code=row["branch_no"],
                name=row["branch_name"],
                include=_patterns(row["ipc_include"]),
                exclude=_patterns(row["ipc_exclude"]),
                keywords=keywords,
            )
        )
    return tuple(rules)


@lru_cache(maxsize=2)
def load_green_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """绿色技术专利分类体系: IPC only; 部分涉及 rows are kept and flagged in the name."""
    rules = []
    for row in _rows(path or data_path("green_tech_ipc_rules.csv.gz")):
        partial = row.get("coverage") == "部分涉及"
        rules.append(
            Rule(
                scheme="green",
                code=row["category_code"],
                name=row["category_name"] + ("（部分涉及，需人工确认）" if partial else ""),
                include=_patterns(row["ipc_include"]),
                exclude=_patterns(row["ipc_exclude"]),
                parent_name=row["section_name"],
            )
        )
    return tuple(rules)


@lru_cache(maxsize=2)
def load_key_digital_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """关键数字技术 (2023): IPC and keyword; codes are unique only within a sub-system."""
    rules = []
    for row in _rows(path or data_path("key_digital_tech_ipc_rules.csv.gz")):
        rules.append(
            Rule(
                scheme="digital",
                code=f"{row['subsystem_no']}:{row['category_code']}",
                name=f"{row['subsystem']}·{row['category_name']}",
                include=_patterns(row["ipc_include"]),
                keywords=_terms(row["keywords"]),
                parent_name=row["subsystem"],
            )
        )
    return tuple(rules)


@lru_cache(maxsize=2)
def load_xinsanyang_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """新三样 (2024): IPC, exclusions, keywords and excluded keywords."""
    rules = []
    for row in _rows(path or data_path("xinsanyang_ipc_rules.csv.gz")):
        rules.append(
            Rule(
                scheme="xinsanyang",
                code=row["category_code"],
                name=f"{row['section_name']}·{row['category_name']}",
                include=_patterns(row["ipc_include"]),
                exclude=_patterns(row["ipc_exclude"]),
                keywords=() if row.get("ipc_only") == "1" else _terms(row["keywords"]),
                keyword_exclude=_terms(row.get("keyword_exclude", "")),
                parent_name=row["section_name"],
            )
        )
    return tuple(rules)


# The concordance's English field names, with the Chinese names used in CNIPA statistics.
_WIPO35_ZH = {
    1: "电机、电气装置、电能",
    2: "视听技术",
    3: "电信",
    4: "数字通信",
    5: "基础通信程序",
    6: "计算机技术",
    7: "管理用IT方法",
    8: "半导体",
    9: "光学",
    10: "测量",
    11: "生物材料分析",
    12: "控制",
    13: "医学技术",
    14: "有机精细化学",
    15: "生物技术",
    16: "药品",
    17: "高分子化学、聚合物",
    18: "食品化学",
    19: "基础材料化学",
    20: "材料、冶金",
    21: "表面技术、涂层",
    22: "微观结构和纳米技术",
    23: "化学工程",
    24: "环境技术",
    25: "装卸",
    26: "机床",
    27: "发动机、泵、涡轮机",
    28: "纺织和造纸机器",
    29: "其他特殊机械",
    30: "热工过程和设备",
    31: "机械元件",
    32: "运输",
    33: "家具、游戏",
    34: "其他消费品",
    35: "土木工程",
}


# The five WIPO technology sectors, as CNIPA's statistics name them.
_WIPO_SECTORS_ZH = {
    "Electrical engineering": "电气工程",
    "Instruments": "仪器",
    "Chemistry": "化学",
    "Mechanical engineering": "机械工程",
    "Other fields": "其他领域",
}


@lru_cache(maxsize=2)
def load_wipo35_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """IPC → WIPO 35 technology fields; one rule per field with all its IPC patterns."""
    by_field: dict[int, list[IpcPattern]] = {}
    names: dict[int, str] = {}
    for row in _rows(path or data_path("ipc_technology.csv.gz")):
        raw = (row.get("IPC_code") or "").strip()
        if not raw or not row.get("Field_number", "").strip().isdigit():
            continue
        number = int(row["Field_number"])
        try:
            by_field.setdefault(number, []).append(parse_pattern(raw.replace(" ", "")))
        except InvalidIpcError:
            continue
        sector = _WIPO_SECTORS_ZH.get(row["Sector_en"].strip(), row["Sector_en"])
        names[number] = f"{_WIPO35_ZH.get(number, row['Field_en'])}（{sector}）"
    return tuple(
        Rule(scheme="wipo35", code=str(n), name=names[n], include=tuple(p))
        for n, p in sorted(by_field.items())
    )


@lru_cache(maxsize=2)
def load_ipc_titles(path: Path | None = None) -> dict[str, str]:
    """Chinese IPC titles keyed by compact code (``H01M``, ``H01M10/00``, ``H01M10/0525``)."""
    titles: dict[str, str] = {}
    for row in _rows(path or data_path("ipc_zh_2026.01.csv.gz")):
        titles[row["code"].replace(" ", "")] = row["title_zh"]
    return titles
