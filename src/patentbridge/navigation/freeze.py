"""Freezing a navigation snapshot from the library: the scope's counts by SQL ``GROUP BY`` and
its top-N lists by ``LIMIT`` queries (``aggregates.py``) — an aggregate snapshot whose size does
not grow with the scope — the library baseline by SQL GROUP BY, and the labels of the day.
``freeze_rows`` keeps the former row snapshot (one compact row per patent) as the reference the
aggregate freeze is tested against.

The library is the in-library patents recorded by the as-of day (the analytics rule). Patents
carry their applicant's province and city as names (import data has no county), so a region scope
resolves to those names: a county code narrows to its city and says so in the snapshot's meta.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Substr, Upper
from django.utils import timezone

from patentbridge.accounts.regions import is_region_prefix, region_prefix
from patentbridge.licensing.models import OpenLicenceDeclaration
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge.navigation.aggregates import count_scope
from patentbridge.navigation.choices import KindChoices
from patentbridge.navigation.cube import CubeScope, reader
from patentbridge.navigation.cube import migrated as cube_migrated
from patentbridge.patents.choices import ApplicantKindChoices, LegalStatusChoices
from patentbridge.patents.classification import get_classifier
from patentbridge.patents.models import IndustryChain, Patent, PatentClass, PatentParty
from patentbridge.patents.versioned_cache import cached
from patentbridge_engine.navigation import AggregateSnapshot, Baseline, NavRow, Snapshot

__all__ = ["ALL", "ScopeSpec", "freeze", "freeze_rows", "library", "resolve_scope"]

ALL = "all"
_SUFFIX = re.compile(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")
_IPC_GROUP = re.compile(r"^([A-H]\d{2}[A-Z])\s*0*(\d+)")
# Universities listed per gap branch in the baseline (the report shows three).
UNIVERSITIES_PER_BRANCH = 5
Progress = Callable[[int, str], None]


class ScopeError(ValueError):
    """A scope that names nothing the library knows; the message is Chinese and safe to show."""


def _short(name: str) -> str:
    return _SUFFIX.sub("", name)


@lru_cache(maxsize=1)
def _region_names() -> dict[str, tuple[str, str]]:
    """GB/T 2260 prefix → (province short name, city short name) for every named code."""
    out: dict[str, tuple[str, str]] = {}
    for p in range(11, 83):
        code = str(p)
        name = region_label(code)
        if "（" in name or name == "未知地区" or not is_region_prefix(code):
            continue
        out[code] = (_short(name), "")
        for c in range(1, 100):
            city = f"{code}{c:02d}"
            label = region_label(city)
            if "（" not in label and label != name:
                out[city] = (_short(name), _short(label))
    return out


def region_code_for(province: str, city: str) -> str:
    """The city (or province) prefix of a patent's province and city names ("" when unknown)."""
    best = ""
    for code, (p, c) in _region_names().items():
        if p and province and p.startswith(province[:2]) and province.startswith(p[:2]):
            if c and city and c.startswith(city[:2]) and city.startswith(c[:2]) and len(code) == 4:
                return code
            if len(code) == 2:
                best = code
    return best


@lru_cache(maxsize=4096)
def _cached_code(province: str, city: str) -> str:
    return region_code_for(province, city)


class ScopeSpec:
    """A resolved scope: the patent filter, a Chinese description and notes on what it could not do."""

    def __init__(
        self,
        kind: str,
        value: str,
        q: Q,
        title: str,
        region: str = "",
        notes: tuple[str, ...] = (),
        cube: CubeScope | None = None,
    ):
        self.kind, self.value, self.q, self.title, self.region, self.notes = (
            kind,
            value,
            q,
            title,
            region,
            notes,
        )
        # The same scope in the navigation cube's terms; None when the cube cannot serve it
        # (an applicant: patents are linked to every party, not grouped by one).
        self.cube = cube


def _region_q(prefix: str) -> tuple[Q, str, tuple[str, ...], tuple[str, str]]:
    names = _region_names()
    notes: tuple[str, ...] = ()
    key = prefix
    if len(prefix) == 6:
        key = prefix[:4]
        notes = (f"专利记录只登记到地市，县级范围 {prefix} 按所在地市 {region_label(key)} 统计。",)
    if key not in names:
        raise ScopeError(f"暂不支持该地区：{prefix}（专利记录按省、地市登记）")
    province, city = names[key]
    # Through an expression, like the library filter: a region is a large share of the library,
    # and walking the province index then fetching every row by id is slower than a scan.
    q = Q(nav_province__startswith=province[:2])
    if city:
        q &= Q(nav_city__startswith=city[:2])
    return q, key, notes, (province[:2], city[:2])


def resolve_scope(kind: str, value: str, *, region: str = "", ipc_prefix: str = "") -> ScopeSpec:
    """The filter for ``kind`` + ``value`` (``all`` = the whole library), narrowed by ``region``
    and ``ipc_prefix``; ScopeError (Chinese) for an unknown kind, chain, region or applicant."""
    value = (value or "").strip()
    if kind not in KindChoices.values:
        raise ScopeError(f"导航类型无效：{kind[:20]}（可选 chain、region、applicant、rnd、talent）")
    if not value:
        raise ScopeError("请填写导航范围（产业链代码、地区代码或申请人名称；all 表示全库）")
    notes: list[str] = []
    title = "全库"
    q = Q()
    area = ""
    chain_code = ""
    places: list[tuple[str, str]] = []
    ipc: list[tuple[str, str]] = []
    servable = True
    if value.lower() != ALL:
        if kind == KindChoices.CHAIN:
            chain = IndustryChain.objects.filter(Q(code=value) | Q(name=value)).first()
            if chain is None:
                raise ScopeError(f"未找到产业链：{value[:40]}")
            q = Q(pk__in=PatentClass.objects.filter(scheme="chain", code=chain.code).values("patent_id"))
            title = chain.name
            chain_code = chain.code
        elif kind in (KindChoices.REGION, KindChoices.TALENT):
            if not is_region_prefix(value):
                raise ScopeError(f"地区代码无效：{value[:20]}（应为 2、4 或 6 位行政区划代码，如 37、3709）")
            q, area, extra, place = _region_q(region_prefix(value))
            notes.extend(extra)
            places.append(place)
            title = region_label(area)
        elif kind == KindChoices.APPLICANT:
            links = PatentParty.objects.filter(party__name=value, role=PatentParty.Role.APPLICANT)
            if not links.exists():
                raise ScopeError(f"库中没有该申请人的专利：{value[:40]}")
            q = Q(pk__in=links.values("patent_id"))
            title = value
            servable = False
        else:  # rnd: a technology field given by an IPC prefix
            code = value.replace(" ", "").upper()
            if not re.fullmatch(r"[A-H](\d{2}([A-Z](\d{1,4}(/\d{1,6})?)?)?)?", code):
                raise ScopeError(f"IPC 分类号无效：{value[:20]}（如 F24D 或 F24D3/18）")
            lookup = "startswith" if len(code) <= 4 else "istartswith"
            q = Q(**{f"ipc_main__{lookup}": code[:4]})
            ipc.append((lookup, code[:4]))
            title = f"IPC {code}"
    if region:
        if not is_region_prefix(region):
            raise ScopeError(f"地区代码无效：{region[:20]}")
        rq, area, extra, place = _region_q(region_prefix(region))
        q &= rq
        notes.extend(extra)
        places.append(place)
        title = f"{title} · {region_label(area)}"
    if ipc_prefix:
        code = ipc_prefix.replace(" ", "").upper()[:4]
        if not re.fullmatch(r"[A-H](\d{2}[A-Z]?)?", code):
            raise ScopeError(f"IPC 限定无效：{ipc_prefix[:20]}")
        q &= Q(ipc_main__startswith=code)
        ipc.append(("startswith", code))
    cube = CubeScope(chain_code, tuple(places), tuple(ipc)) if servable else None
    return ScopeSpec(kind, value, q, title, area, tuple(notes), cube)


def library(as_of: dt.date) -> QuerySet[Patent]:
    """In-library patents recorded by the end of ``as_of`` and filed by then."""
    cutoff = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
    # Status and creation time are compared through expressions: nearly every patent matches
    # both, and a planner without statistics would otherwise walk the status, created_at or filing-date index
    # and fetch each row by its id — several times slower than reading the table. A scope that
    # is narrow (a chain, an applicant) is driven by its own id subquery instead.
    return Patent.objects.alias(
        nav_status=Coalesce("library_status", Value("")),
        nav_created=Coalesce("created_at", Value(cutoff)),
        # undated patents count (they have no filing year to exclude them by)
        nav_filed=Coalesce("filing_date", Value(as_of)),
        nav_province=Coalesce("province", Value("")),
        nav_city=Coalesce("city", Value("")),
    ).filter(nav_status="in_library", nav_created__lt=cutoff, nav_filed__lte=as_of)


def _branch(ipc_main: str) -> str:
    return (ipc_main or "").replace(" ", "").upper()[:4]


def _group(ipc_main: str) -> str:
    m = _IPC_GROUP.match((ipc_main or "").replace(" ", "").upper())
    return f"{m.group(1)} {int(m.group(2))}" if m else ""


_COLUMNS = (
    "pk",
    "application_number",
    "filing_date",
    "ipc_main",
    "province",
    "city",
    "applicants",
    "applicant_kind",
    "inventors",
    "legal_status",
    "grade__final",
    "grade__high_value",
    "transfer_count",
    "license_count",
    "pledge_count",
    "title",
)


def _rows(qs: QuerySet[Patent]) -> list[NavRow]:
    data = list(qs.order_by().values_list(*_COLUMNS))
    # Related facts by one join each on the scope's subquery (no id lists sent back and forth).
    scope_ids = qs.order_by().values("pk")
    chains: dict[int, list[str]] = defaultdict(list)
    for pid, code in PatentClass.objects.filter(scheme="chain", patent_id__in=scope_ids).values_list(
        "patent_id", "code"
    ):
        chains[pid].append(code)
    opened = set(
        OpenLicenceDeclaration.objects.filter(patent_id__in=scope_ids).values_list("patent_id", flat=True)
    )
    out = []
    for pk, number, filed, ipc, prov, city, apps, kind, invs, legal, grade, hv, t, lic, pl, title in data:
        out.append(
            NavRow(
                number=number,
                year=filed.year if filed else None,
                branch=_branch(ipc or ""),
                group=_group(ipc or ""),
                chains=tuple(sorted(chains.get(pk, ()))),
                region=_cached_code(prov or "", city or ""),
                applicant=str(apps[0]) if apps else "",
                applicant_kind=kind or "unknown",
                inventors=tuple(str(i) for i in (invs or [])[:20]),
                legal=legal or "unknown",
                grade=grade or "",
                high_value=bool(hv),
                transfers=t or 0,
                licences=lic or 0,
                pledges=pl or 0,
                open_licence=pk in opened,
                title=(title or "")[:80],
            )
        )
    return out


def _baseline(lib: QuerySet[Patent]) -> Baseline:
    branch = Upper(Substr("ipc_main", 1, 4))
    per_branch = dict(
        lib.order_by().annotate(b=branch).values("b").annotate(n=Count("pk")).values_list("b", "n")
    )
    unis: dict[str, list[tuple[str, int]]] = defaultdict(list)
    links = (
        PatentParty.objects.filter(
            role=PatentParty.Role.APPLICANT,
            party__kind=ApplicantKindChoices.UNIVERSITY,
            patent__in=lib.values("pk"),
        )
        .annotate(b=Upper(Substr("patent__ipc_main", 1, 4)))
        .values("b", "party__name")
        .annotate(n=Count("patent_id"))
        .values_list("b", "party__name", "n")
        .order_by()
    )
    for b, name, n in sorted(links, key=lambda r: (r[0], -r[2], r[1])):
        if b and len(unis[b]) < UNIVERSITIES_PER_BRANCH:
            unis[b].append((name, n))
    total = sum(per_branch.values())
    return Baseline(total=total, branches={b: n for b, n in per_branch.items() if b}, universities=dict(unis))


def _labels(branches: set[str], regions: set[str], baseline: Baseline) -> dict[str, dict[str, str]]:
    classifier = get_classifier()
    named = {b for b in branches if b} | set(baseline.branches)
    return {
        "branch": {b: classifier.ipc_title(b)[:40] for b in sorted(named)},
        "region": {c: region_label(c) for c in sorted({r[:4] or r for r in regions if r})},
        "chain": dict(IndustryChain.objects.values_list("code", "name")),
        "legal": {str(v): str(label) for v, label in LegalStatusChoices.choices},
        "applicant_kind": {str(v): str(label) for v, label in ApplicantKindChoices.choices},
    }


def _noop(percent: int, note: str) -> None:
    return None


def _scoped(
    spec: ScopeSpec, as_of: dt.date, year_from: int | None, year_to: int | None
) -> tuple[QuerySet[Patent], QuerySet[Patent]]:
    lib = library(as_of)
    scoped = lib.filter(spec.q)
    if year_from:
        scoped = scoped.filter(filing_date__year__gte=year_from)
    if year_to:
        scoped = scoped.filter(filing_date__year__lte=year_to)
    return lib, scoped


def _meta(spec: ScopeSpec, as_of: dt.date, year_from: int | None, year_to: int | None) -> dict[str, Any]:
    return {
        "kind": spec.kind,
        "scope": spec.value,
        "title": spec.title,
        "region": spec.region,
        "as_of": as_of.isoformat(),
        "year_from": year_from,
        "year_to": year_to,
        "notes": list(spec.notes),
    }


def library_baseline(as_of: dt.date) -> Baseline:
    """The whole library's baseline on ``as_of``, kept per process while the library version
    (moved by database triggers on every patent or classification write) stays the same: every
    report of a day compares with the same library, and it costs a scan of all of it."""
    return cached(("navigation-baseline", as_of.isoformat()), lambda: _baseline(library(as_of)))


def freeze(
    spec: ScopeSpec,
    as_of: dt.date,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    progress: Progress = _noop,
    use_cube: bool = True,
) -> AggregateSnapshot:
    """The aggregate snapshot of ``spec`` on ``as_of`` (counts and top-N lists of the scope,
    baseline of the whole library). The scope's counts come from the navigation cube when it is
    fresh for ``as_of`` (and ``use_cube``), else from the patents — the same snapshot either way;
    a report of today that had to count live queues a cube rebuild for the next one."""
    _, scoped = _scoped(spec, as_of, year_from, year_to)
    progress(10, "统计全库基线")
    baseline = library_baseline(as_of)
    progress(20, "统计范围内专利")
    source = reader(spec.cube, as_of, year_from, year_to) if use_cube else None
    counts = count_scope(scoped, _group, source, as_of=as_of, library_total=baseline.total)
    stale = use_cube and source is None and spec.cube is not None and cube_migrated()
    if stale and as_of >= timezone.localdate():
        from patentbridge.navigation.tasks import refresh_cube  # tasks import services → freeze

        refresh_cube.enqueue()
    progress(60, "整理名称")
    regions: Counter[str] = Counter()
    for (prov, city), n in counts.places.items():
        code = _cached_code(prov, city)
        regions[code[:4] if len(code) >= 4 else code[:2]] += n
    branches: Counter[str] = Counter()
    for ipc, n in counts.ipc.items():
        branches[_branch(ipc)] += n
    universities = {u for v in baseline.universities.values() for u, _ in v}
    return AggregateSnapshot(
        meta=_meta(spec, as_of, year_from, year_to),
        baseline=baseline,
        labels=_labels(set(branches), set(regions), baseline),
        total=counts.total,
        years=[[y, n, counts.year_applicants.get(y, 0)] for y, n in sorted(counts.years.items())],
        undated=counts.undated,
        regions=dict(regions),
        kinds=dict(counts.kinds),
        applicants=counts.applicants,
        applicant_count=counts.applicant_count,
        inventors=counts.inventors,
        inventor_count=counts.inventor_count,
        teams=counts.teams,
        branches=dict(branches),
        chains=counts.chains,
        topics=counts.topics,
        legal=dict(counts.legal),
        operations=counts.operations,
        key_patents=counts.key_patents,
        inside=tuple(sorted(universities & counts.applicant_names)),
    )


def freeze_rows(
    spec: ScopeSpec, as_of: dt.date, *, year_from: int | None = None, year_to: int | None = None
) -> Snapshot:
    """The row snapshot (format 1: one compact row per patent) of ``spec`` on ``as_of``: the
    reference ``freeze`` is checked against; its cost grows with the scope."""
    lib, scoped = _scoped(spec, as_of, year_from, year_to)
    rows = _rows(scoped)
    baseline = _baseline(lib)
    regions = {r.region for r in rows}
    return Snapshot(
        meta=_meta(spec, as_of, year_from, year_to),
        rows=rows,
        baseline=baseline,
        labels=_labels({r.branch for r in rows}, regions, baseline),
    )
