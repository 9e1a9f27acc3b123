"""The frozen data of one navigation report: compact patent rows of the scope, the library baseline
the scope is positioned against, and the labels in force when it was frozen.

A snapshot is serialised as canonical JSON (sorted keys, no spaces) so that the same data always
gives the same bytes and the same sha256; a report is reproduced by recomputing its sections from
the stored snapshot, never from the live library.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["Baseline", "NavRow", "Snapshot", "SnapshotError"]

FORMAT = 1


class SnapshotError(ValueError):
    """A stored snapshot that cannot be read (wrong format, damaged bytes); Chinese message."""


class NavRow(NamedTuple):
    """One patent of the scope, reduced to what the sections read. ``branch`` is the IPC subclass of
    the main classification (the technology branch), ``group`` its main group (topic clusters).

    ``platform``: whether the patent is in the scope of a licence contract signed on the platform
    on or before the as-of day; ``None`` when not recorded (rows frozen before the platform's own
    licences were counted). It is stored as an 18th column only when recorded, so the rows of a
    version stored earlier keep their bytes and their sha256."""

    number: str
    year: int | None
    branch: str
    group: str
    chains: tuple[str, ...]
    region: str
    applicant: str
    applicant_kind: str
    inventors: tuple[str, ...]
    legal: str
    grade: str
    high_value: bool
    transfers: int
    licences: int
    pledges: int
    open_licence: bool
    title: str
    platform: bool | None = None

    def as_list(self) -> list[Any]:
        out = [
            self.number,
            self.year,
            self.branch,
            self.group,
            list(self.chains),
            self.region,
            self.applicant,
            self.applicant_kind,
            list(self.inventors),
            self.legal,
            self.grade,
            self.high_value,
            self.transfers,
            self.licences,
            self.pledges,
            self.open_licence,
            self.title,
        ]
        if self.platform is not None:
            out.append(self.platform)
        return out

    @classmethod
    def from_list(cls, item: Sequence[Any]) -> NavRow:
        if len(item) not in (len(cls._fields) - 1, len(cls._fields)):
            raise SnapshotError("快照数据行的列数不符")
        return cls(
            str(item[0]),
            None if item[1] is None else int(item[1]),
            str(item[2]),
            str(item[3]),
            tuple(str(c) for c in item[4]),
            str(item[5]),
            str(item[6]),
            str(item[7]),
            tuple(str(i) for i in item[8]),
            str(item[9]),
            str(item[10]),
            bool(item[11]),
            int(item[12]),
            int(item[13]),
            int(item[14]),
            bool(item[15]),
            str(item[16]),
            bool(item[17]) if len(item) > 17 else None,
        )


@dataclass(frozen=True)
class Baseline:
    """The whole library the scope is compared with: its patent count, patents per branch, and per
    branch the universities holding patents there (name → count), for collaboration candidates."""

    total: int
    branches: Mapping[str, int]
    universities: Mapping[str, Sequence[tuple[str, int]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "branches": dict(self.branches),
            "universities": {b: [[n, c] for n, c in v] for b, v in self.universities.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Baseline:
        return cls(
            total=int(data["total"]),
            branches={str(k): int(v) for k, v in data["branches"].items()},
            universities={
                str(b): [(str(n), int(c)) for n, c in v] for b, v in data.get("universities", {}).items()
            },
        )


class CanonicalForm:
    """The stored form shared by both snapshot formats: canonical JSON of ``as_dict()``, its hash
    and a reproducible gzip (reproducibility of a navigation version rests on these bytes)."""

    def as_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def canonical(self) -> bytes:
        """Canonical JSON bytes: sorted keys, no whitespace, UTF-8."""
        return json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    def compressed(self) -> bytes:
        """gzip of the canonical bytes with a fixed mtime, so equal snapshots compress equally."""
        return gzip.compress(self.canonical(), compresslevel=6, mtime=0)


@dataclass(frozen=True)
class Snapshot(CanonicalForm):
    """``meta`` (kind, scope, as_of, years, region …), the scope's ``rows``, the ``baseline`` and the
    display ``labels`` (kind → code → name: regions, chains, branches, legal states, applicant kinds)."""

    meta: Mapping[str, Any]
    rows: Sequence[NavRow]
    baseline: Baseline
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Rows in application-number order whatever order the database returned them in: every
        # section that samples or breaks ties by position then sees the same sequence.
        object.__setattr__(self, "rows", tuple(sorted(self.rows, key=lambda r: r.number)))

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "meta": dict(self.meta),
            "rows": [r.as_list() for r in self.rows],
            "baseline": self.baseline.as_dict(),
            "labels": {k: dict(v) for k, v in self.labels.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Snapshot:
        if data.get("format") != FORMAT:
            raise SnapshotError("快照格式版本不受支持")
        try:
            return cls(
                meta=dict(data["meta"]),
                rows=[NavRow.from_list(r) for r in data["rows"]],
                baseline=Baseline.from_dict(data["baseline"]),
                labels={
                    str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.get("labels", {}).items()
                },
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, SnapshotError):
                raise
            raise SnapshotError("快照数据不完整或已损坏") from exc

    @classmethod
    def from_compressed(cls, blob: bytes) -> Snapshot:
        try:
            data = json.loads(gzip.decompress(blob))
        except (OSError, EOFError, ValueError) as exc:
            raise SnapshotError("快照数据已损坏，无法解压") from exc
        if not isinstance(data, dict):
            raise SnapshotError("快照数据不完整或已损坏")
        return cls.from_dict(data)

    def label(self, kind: str, code: str) -> str:
        """The frozen display name of ``code`` (falls back to the code itself)."""
        return self.labels.get(kind, {}).get(code, code) or code
