"""The one filter definition shared by the HTML library list and the REST API."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from patentbridge.patents.choices import (
    ApplicantKindChoices,
    LegalStatusChoices,
    LibraryStatusChoices,
    PatentTypeChoices,
)
from patentbridge.patents.models import Patent, PatentClass
from patentbridge.patents.versioned_cache import cached

__all__ = [
    "FILTER_PARAMS",
    "PatentFilter",
    "cached_count",
    "cached_facets",
    "facet_counts",
    "filter_problems",
    "page_number",
]

# Filing years a filter may ask for: CNIPA accepts applications since 1985; anything outside is
# a typo or a probe (year 0 or a 20-digit number used to crash the date arithmetic with a 500).
YEAR_MIN, YEAR_MAX = 1985, 2100
# Highest page number accepted; deeper pages are clamped (nobody reads page 10^20 of a list).
PAGE_MAX = 100_000
_CHOICE_VALUES = {"grade": ("A", "B", "C", "D"), "high_value": ("1", "0")}

# Query parameter → (label, kind). Class-scheme facets filter through PatentClass rows.
FILTER_PARAMS: dict[str, tuple[str, str]] = {
    "q": ("关键词", "text"),
    "chain": ("重点产业链", "class"),
    "sei": ("战略性新兴产业", "class"),
    "ipc_section": ("IPC部", "class"),
    "ipc_subclass": ("IPC小类", "class"),
    "ipc_prefix": ("IPC前缀", "text"),
    "wipo35": ("技术领域", "class"),
    "applicant_kind": ("申请人类型", "field"),
    "province": ("地区", "field"),
    "legal_status": ("法律状态", "field"),
    "patent_type": ("专利类型", "field"),
    "filing_year": ("申请年份", "year"),
    "library_status": ("入库状态", "field"),
    "grade": ("价值分级", "grade"),
    "high_value": ("高价值发明专利", "grade"),
}
_CLASS_SCHEME = {
    "chain": "chain",
    "sei": "sei",
    "ipc_section": "ipc",
    "ipc_subclass": "ipc",
    "wipo35": "wipo35",
}


@dataclass(frozen=True)
class PatentFilter:
    """Parsed filter values; empty strings mean "no filter"."""

    q: str = ""
    chain: str = ""
    sei: str = ""
    ipc_section: str = ""
    ipc_subclass: str = ""
    ipc_prefix: str = ""
    wipo35: str = ""
    applicant_kind: str = ""
    province: str = ""
    legal_status: str = ""
    patent_type: str = ""
    filing_year: str = ""
    library_status: str = ""
    grade: str = ""
    high_value: str = ""

    @classmethod
    def from_mapping(cls, params: Mapping[str, Any]) -> PatentFilter:
        """Read from request.GET (or any mapping); unknown keys are ignored, values trimmed."""
        values = {}
        for f in fields(cls):
            raw = params.get(f.name, "")
            values[f.name] = str(raw).strip()[:200] if raw is not None else ""
        for name in filter_problems(values):
            values[name] = ""  # an invalid value filters nothing (the caller reports it)
        return cls(**values)

    def cache_key(self) -> tuple[str, ...]:
        """The filter values as a hashable key (for ``cached_count`` / ``cached_facets``)."""
        return tuple(getattr(self, f.name) for f in fields(self))

    def active(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def apply(self, queryset: QuerySet[Patent]) -> QuerySet[Patent]:
        """Filter an already restricted queryset."""
        qs = queryset
        for term in self.q.split():
            qs = qs.filter(
                Q(title__icontains=term)
                | Q(abstract__icontains=term)
                | Q(application_number__icontains=term)
                | Q(publication_number__icontains=term)
                | Q(party_links__party__name__icontains=term)
            )
        for name, scheme in _CLASS_SCHEME.items():
            value = getattr(self, name)
            if value:
                qs = qs.filter(
                    pk__in=PatentClass.objects.filter(scheme=scheme, code=value).values("patent_id")
                )
        for name in ("applicant_kind", "province", "legal_status", "patent_type", "library_status"):
            value = getattr(self, name)
            if value:
                qs = qs.filter(**{name: value})
        if self.filing_year:
            qs = qs.filter(filing_date__year=int(self.filing_year))
        prefix = self.ipc_prefix.replace(" ", "").upper()
        if prefix:
            # Any IPC code starting with the prefix (e.g. F25B30): the quote anchors the match at the
            # start of a code inside the stored JSON list, on SQLite and PostgreSQL alike.
            qs = qs.filter(ipc__icontains=f'"{prefix}')
        if self.grade:
            qs = qs.filter(grade__final=self.grade)
        if self.high_value in ("1", "0"):
            qs = qs.filter(grade__high_value=self.high_value == "1")
        return qs.distinct() if self.q else qs


def filter_problems(params: Mapping[str, Any]) -> dict[str, str]:
    """Invalid filter values → a Chinese message per parameter (empty when all are valid).

    The HTML list ignores such a value and shows the message; the API answers 400 with it.
    """
    problems: dict[str, str] = {}
    year = str(params.get("filing_year") or "").strip()
    if year and not (year.isdigit() and len(year) == 4 and YEAR_MIN <= int(year) <= YEAR_MAX):
        problems["filing_year"] = f"申请年份应为 {YEAR_MIN}–{YEAR_MAX} 之间的四位数字，已忽略：{year[:20]}"
    for name, allowed in _CHOICE_VALUES.items():
        value = str(params.get(name) or "").strip()
        if value and value not in allowed:
            label = FILTER_PARAMS[name][0]
            problems[name] = f"{label}取值应为 {'、'.join(allowed)} 之一，已忽略：{value[:20]}"
    return problems


def page_number(raw: Any) -> int:
    """A page number from a query parameter: junk, zero or negatives → 1, huge → ``PAGE_MAX``."""
    text = str(raw or "").strip()
    if not text.isdigit():
        return 1
    return max(1, min(int(text[:12]), PAGE_MAX))


def cached_count(scope: Any, flt: PatentFilter, queryset: QuerySet[Patent]) -> int:
    """``queryset.count()`` for the filter within a permission scope, reused until the library
    changes (``scope`` from ``queries.view_scope``; ``queryset`` already restricted and filtered).
    Like the facets it may trail a running import by ``versioned_cache.max_lag()`` seconds."""
    return cached(("count", scope, flt.cache_key()), queryset.order_by().count, stale_ok=True)


def cached_facets(scope: Any, flt: PatentFilter, queryset: QuerySet[Patent]) -> dict[str, Any]:
    """``facet_counts`` reused until the library changes. While one thread recomputes after a
    write, the process's other threads show the previous counts (never the previous rows or
    permission sets), and within ``versioned_cache.max_lag()`` seconds of the last computation
    they are refreshed in the background: during a large import the numbers trail a little."""
    return cached(("facets", scope, flt.cache_key()), lambda: facet_counts(queryset), stale_ok=True)


_IPC_LEVELS = {"ipc_section": re.compile(r"[A-H]\Z"), "ipc_subclass": re.compile(r"[A-H][0-9]{2}[A-Z]\Z")}
_GRADE_LABELS = {"A": "A 核心", "B": "B 重要", "C": "C 一般", "D": "D 可放弃/待处置"}
_FIELD_LABELS = {
    "applicant_kind": dict(ApplicantKindChoices.choices),
    "legal_status": dict(LegalStatusChoices.choices),
    "patent_type": dict(PatentTypeChoices.choices),
    "library_status": dict(LibraryStatusChoices.choices),
}


def facet_counts(
    queryset: QuerySet[Patent], limit: int = 15, *, pks: Sequence[int] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Counts per facet value over ``queryset`` (already filtered and restricted); ``pks``, when the
    caller already holds the primary keys of a small set (the search page's hits), lets the
    classification count go straight to those patents' rows."""
    ids = queryset.order_by().values("pk")
    out: dict[str, list[dict[str, Any]]] = {}
    # One grouped pass over the classifications of the set for every scheme (it used to be one
    # pass per facet, each re-reading the restricted set); the IPC levels are told apart here.
    by_scheme: dict[str, list[tuple[int, str, str]]] = {}
    classes = (
        # A literal id list and no scheme condition make SQLite read the rows by patent (the unique
        # index) instead of scanning every classification of the schemes (8 s for 200 hits at 100k).
        PatentClass.objects.filter(patent_id__in=list(pks))
        if pks is not None
        else PatentClass.objects.filter(patent__in=ids, scheme__in=set(_CLASS_SCHEME.values()))
    )
    grouped = (
        classes.values_list("scheme", "code", "name").annotate(n=Count("patent_id", distinct=True)).order_by()
    )
    for scheme, code, label, n in grouped:
        by_scheme.setdefault(scheme, []).append((n, code, label))
    for name, scheme in _CLASS_SCHEME.items():
        level = _IPC_LEVELS.get(name)
        counted = sorted(
            (r for r in by_scheme.get(scheme, []) if level is None or level.match(r[1])),
            key=lambda r: (-r[0], r[1]),
        )[:limit]
        # IPC codes mean something to examiners; chain, SEI and WIPO codes (GLC, 1.1, 12) do not.
        coded = name in _IPC_LEVELS
        out[name] = [
            {"value": code, "label": (f"{code} {label}" if coded else label)[:60], "count": n}
            for n, code, label in counted
        ]
    for name in ("applicant_kind", "province", "legal_status", "patent_type", "library_status"):
        counted = queryset.order_by().values(name).annotate(n=Count("pk")).order_by("-n")[:limit]
        labels = _FIELD_LABELS.get(name, {})
        out[name] = [
            {"value": r[name], "label": labels.get(r[name], r[name]), "count": r["n"]}
            for r in counted
            if r[name]
        ]
    years = (
        queryset.order_by()
        .exclude(filing_date=None)
        .annotate(year=ExtractYear("filing_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")[:limit]
    )
    out["filing_year"] = [{"value": str(r["year"]), "label": str(r["year"]), "count": r["n"]} for r in years]
    grades = queryset.order_by().exclude(grade=None).values("grade__final").annotate(n=Count("pk"))
    out["grade"] = [
        {
            "value": r["grade__final"],
            "label": _GRADE_LABELS.get(r["grade__final"], r["grade__final"]),
            "count": r["n"],
        }
        for r in sorted(grades, key=lambda r: r["grade__final"])
    ]
    valuable = queryset.order_by().filter(grade__high_value=True).count()
    out["high_value"] = [{"value": "1", "label": "是", "count": valuable}] if valuable else []
    return out
