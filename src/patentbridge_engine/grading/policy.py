"""Dated, versioned grading policies (weights, grade boundaries, flag thresholds, list rules).

The policy table is a data file an operator can read (and the UI shows); a new version is a
new dated entry, never an edit of an old one, so every stored grade can be traced to the rules
that produced it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_POLICY_FILE", "GradingPolicy", "load_policies", "policy_for"]

DEFAULT_POLICY_FILE = Path(__file__).with_name("data") / "policies.json"


@dataclass(frozen=True)
class GradingPolicy:
    """One dated policy version."""

    version: str
    effective_from: dt.date
    title: str
    basis: str
    weights: dict[str, float]
    boundaries: dict[str, float]
    grade_labels: dict[str, str]
    min_coverage: float
    high_value: dict[str, Any] = field(default_factory=dict)
    public_list: dict[str, Any] = field(default_factory=dict)

    def grade_for(self, score: float) -> str:
        """A/B/C/D by the policy's lower boundaries (score on 0–100)."""
        for letter in ("A", "B", "C"):
            if score >= self.boundaries[letter]:
                return letter
        return "D"

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "title": self.title,
            "basis": self.basis,
            "weights": dict(self.weights),
            "boundaries": dict(self.boundaries),
            "grade_labels": dict(self.grade_labels),
            "min_coverage": self.min_coverage,
            "high_value": dict(self.high_value),
            "public_list": dict(self.public_list),
        }


def _parse(entry: dict[str, Any]) -> GradingPolicy:
    boundaries = {k: float(v) for k, v in entry["boundaries"].items()}
    if not boundaries["A"] > boundaries["B"] > boundaries["C"]:
        raise ValueError(f"策略 {entry['version']} 的分级边界必须满足 A > B > C")
    weights = {k: float(v) for k, v in entry["weights"].items()}
    if any(w < 0 for w in weights.values()) or not sum(weights.values()):
        raise ValueError(f"策略 {entry['version']} 的权重必须非负且不全为零")
    return GradingPolicy(
        version=str(entry["version"]),
        effective_from=dt.date.fromisoformat(entry["effective_from"]),
        title=str(entry.get("title", entry["version"])),
        basis=str(entry.get("basis", "")),
        weights=weights,
        boundaries=boundaries,
        grade_labels=dict(entry.get("grade_labels", {})),
        min_coverage=float(entry.get("min_coverage", 0.5)),
        high_value=dict(entry.get("high_value", {})),
        public_list=dict(entry.get("public_list", {})),
    )


@lru_cache(maxsize=8)
def _load(path: str, stamp: tuple[int, int]) -> tuple[GradingPolicy, ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    policies = sorted((_parse(e) for e in data["policies"]), key=lambda p: p.effective_from)
    versions = [p.version for p in policies]
    if len(set(versions)) != len(versions):
        raise ValueError("策略版本号重复")
    return tuple(policies)


def load_policies(path: Path | None = None) -> tuple[GradingPolicy, ...]:
    """All policy versions, oldest first (re-read when the file changes)."""
    file = path or DEFAULT_POLICY_FILE
    stat = file.stat()
    return _load(str(file), (stat.st_mtime_ns, stat.st_size))


def policy_for(as_of: dt.date, path: Path | None = None) -> GradingPolicy:
    """The version in force on ``as_of`` (the latest one that took effect on or before it)."""
    policies = load_policies(path)
    current = [p for p in policies if p.effective_from <= as_of]
    if not current:
        raise ValueError(f"{as_of.isoformat()} 没有生效的分级策略（最早 {policies[0].effective_from}）")
    return current[-1]
