"""Monthly pre-aggregated counts of the library (``IndicatorRollup``), so the library indicators
read a few thousand summary rows instead of a million patents.

Design (chosen by measurement, see bench/analytics): each library figure has a date that makes a
patent count on ``as_of`` — created (inventoried), entered the library (``max(created, last
approval)``), graded (``max(entered, graded_at)``). The rollup keeps, per organisation and local
calendar month of that date, the counts by the figure's keys. A figure as of a day is the sum of
the months *before* that day's month plus the partial month read from the records themselves
(an indexed date range), so any as-of date is exact, not only month ends.

Freshness: the rollup stores a fingerprint of what it was built from — the library version that
database triggers move on every patent or classification write by any code path (services, the
bulk import writer, raw SQL), and the newest grade marks (id, graded_at, override_at; grades are
written in bulk by the daily sweep, which fires no signals). A reader that finds another
fingerprint rebuilds first, under a lock, so a figure is never read from stale counts; after a
write through the services the rebuild runs when the transaction commits (``wiring``), so the
reader usually finds it done. ``patentbridge analytics_rollup`` rebuilds by hand.

Why a rollup and not an embedded analytical engine (duckdb): the slow part measured at 200k was
the library patents (a million rows) scanned per figure; a few tens of thousands of summary rows
kept in the same database answer that on SQLite and PostgreSQL alike, in the same transaction as
the records, with no second copy of the data to keep in step. duckdb was not measured.

Scopes: the platform, a region, and an organisation's supply side are read from the rollup; an
enterprise (demand side) has no library rows; an inventor's own patents are few and always read
from the records.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, Greatest, Substr, TruncMonth
from django.utils import timezone

from patentbridge.analytics.indicators.context import Context, end_of_day
from patentbridge.analytics.models import IndicatorRollup, RollupState

__all__ = [
    "ENABLED",
    "ensure_fresh",
    "fingerprint",
    "is_fresh",
    "month_before",
    "navigation_counts",
    "rebuild",
    "sums",
    "usable",
    "window_start",
]

# The benchmark turns this off to measure the same indicators read from the records alone.
ENABLED = True
APPROVED = "patents.patent.approved"
_CHUNK = 2000
Key = tuple[str, str]


# -- freshness -------------------------------------------------------------------------------
def fingerprint() -> str:
    """Library version (any patent/classification write) + newest grade marks + approvals."""
    from patentbridge.core.models import AuditEvent
    from patentbridge.grading.models import PatentGrade
    from patentbridge.patents.versioned_cache import library_version

    version, token = library_version()
    # One aggregate per query: SQLite answers a lone MAX from the index, several at once by a scan.
    marks = [PatentGrade.objects.aggregate(m=Max(field))["m"] for field in ("pk", "graded_at", "override_at")]
    marks.append(AuditEvent.objects.filter(action=APPROVED).aggregate(m=Max("pk"))["m"])
    return "|".join([str(version), str(token), *(str(m) for m in marks)])


def is_fresh() -> bool:
    """True when the rollup was built from the records as they are now."""
    state = RollupState.objects.filter(pk=1).values_list("fingerprint", flat=True).first()
    return state is not None and state == fingerprint()


def ensure_fresh() -> None:
    """Rebuild when the records moved since the last build (a no-op read otherwise)."""
    if not is_fresh():
        rebuild()


def rebuild() -> float:
    """Recount every rollup row from the records; returns the seconds taken. Serialised by a
    row lock on the state row, and skipped when a concurrent rebuild already caught up."""
    started = time.perf_counter()
    with transaction.atomic():
        RollupState.objects.get_or_create(pk=1)
        state = RollupState.objects.select_for_update().get(pk=1)
        mark = fingerprint()
        if state.fingerprint == mark and state.built_at is not None:
            return 0.0
        rows = _count_all()
        IndicatorRollup.objects.all().delete()
        IndicatorRollup.objects.bulk_create(rows, batch_size=5000)
        state.fingerprint = mark
        state.built_at = timezone.now()
        state.seconds = round(time.perf_counter() - started, 3)
        state.save()
    return time.perf_counter() - started


def _month(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date().replace(day=1)


def _approvals() -> dict[int, dt.datetime]:
    """Patent id → its last approval into the library (audit log)."""
    from patentbridge.core.models import AuditEvent

    out: dict[int, dt.datetime] = {}
    rows = AuditEvent.objects.filter(action=APPROVED, target_type="patents.patent").values_list(
        "target_id", "timestamp"
    )
    for target, at in rows:
        if target.isdigit() and (int(target) not in out or at > out[int(target)]):
            out[int(target)] = at
    return out


def _count_all() -> list[IndicatorRollup]:
    """Every rollup row: grouped in SQL for imported patents, and in Python for the (few)
    patents approved through the review chain, whose library date is the approval's."""
    from patentbridge.grading.models import PatentGrade
    from patentbridge.patents.models import Patent, PatentClass

    counts: dict[tuple[str, dt.date | None, int | None, str, str], int] = Counter()
    approvals = _approvals()
    late = list(approvals)

    for org, month, status, n in (
        Patent.objects.order_by()
        .annotate(m=TruncMonth("created_at"))
        .values_list("owner_org_id", "m", "library_status")
        .annotate(n=Count("pk"))
    ):
        counts[("inv", _month(month), org, status, "")] += n

    library = Patent.objects.filter(library_status="in_library").exclude(pk__in=late).order_by()
    for org, month, kind, n in (
        library.annotate(m=TruncMonth("created_at"))
        .values_list("owner_org_id", "m", "patent_type")
        .annotate(n=Count("pk"))
    ):
        counts[("lib", _month(month), org, kind, "")] += n
    grades = PatentGrade.objects.filter(patent__in=library.values("pk")).order_by()
    for org, month, final, high, n in (
        grades.annotate(m=TruncMonth(Greatest("patent__created_at", "graded_at")))
        .values_list("patent__owner_org_id", "m", "final", "high_value")
        .annotate(n=Count("pk"))
    ):
        counts[("grade", _month(month), org, final, "1" if high else "")] += n
    chains = PatentClass.objects.filter(scheme="chain", patent__in=library.values("pk")).order_by()
    for org, month, code, n in (
        chains.annotate(m=TruncMonth("patent__created_at"))
        .values_list("patent__owner_org_id", "m", "code")
        .annotate(n=Count("pk"))
    ):
        counts[("chain", _month(month), org, code, "")] += n
    in_chain = Exists(PatentClass.objects.filter(scheme="chain", patent_id=OuterRef("pk")))
    for org, month, n in (
        library.filter(in_chain)
        .annotate(m=TruncMonth("created_at"))
        .values_list("owner_org_id", "m")
        .annotate(n=Count("pk"))
    ):
        counts[("chain", _month(month), org, "*", "")] += n
    _count_approved(counts, approvals)
    _count_navigation(counts)
    return [
        IndicatorRollup(metric=metric, month=month, org_id=org, key1=k1, key2=k2, n=n)
        for (metric, month, org, k1, k2), n in counts.items()
        if n
    ]


def _count_approved(counts: Any, approvals: dict[int, dt.datetime]) -> None:
    """Library rows of patents approved through the review chain, dated by the approval."""
    from patentbridge.grading.models import PatentGrade
    from patentbridge.patents.models import Patent, PatentClass

    ids = sorted(approvals)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        patents = Patent.objects.filter(pk__in=chunk, library_status="in_library").values_list(
            "pk", "owner_org_id", "created_at", "patent_type"
        )
        grades = {
            pk: (final, high, at)
            for pk, final, high, at in PatentGrade.objects.filter(patent_id__in=chunk).values_list(
                "patent_id", "final", "high_value", "graded_at"
            )
        }
        chains: dict[int, list[str]] = defaultdict(list)
        for pk, code in PatentClass.objects.filter(scheme="chain", patent_id__in=chunk).values_list(
            "patent_id", "code"
        ):
            chains[pk].append(code)
        for pk, org, created, kind in patents:
            entered = max(created, approvals[pk])
            month = _month(entered)
            counts[("lib", month, org, kind, "")] += 1
            if pk in grades:
                final, high, graded = grades[pk]
                counts[("grade", _month(max(entered, graded)), org, final, "1" if high else "")] += 1
            for code in chains.get(pk, []):
                counts[("chain", month, org, code, "")] += 1
            if chains.get(pk):
                counts[("chain", month, org, "*", "")] += 1


def _count_navigation(counts: Any) -> None:
    """Today's library by chain × application year × IPC section × organisation (no month)."""
    from patentbridge.patents.models import PatentClass

    rows = (
        PatentClass.objects.filter(scheme="chain", patent__library_status="in_library")
        .order_by()
        .annotate(y=ExtractYear("patent__filing_date"), s=Substr("patent__ipc_main", 1, 1))
        .values_list("patent__owner_org_id", "code", "y", "s")
        .annotate(n=Count("pk"))
    )
    for org, code, year, section, n in rows:
        counts[("nav", None, org, code, f"{year or 0}|{section or '-'}")] += n


# -- reading ---------------------------------------------------------------------------------
def usable(ctx: Context) -> bool:
    """True when ``ctx`` may read the rollup (every scope but an inventor's own patents)."""
    return ENABLED and ctx.scope.inventor_id is None


def month_before(as_of: dt.date) -> dt.date:
    """First day of ``as_of``'s month: whole months before it come from the rollup."""
    return as_of.replace(day=1)


def window_start(ctx: Context) -> dt.datetime:
    """The instant the partial month starts (local midnight of the 1st)."""
    return end_of_day(month_before(ctx.as_of) - dt.timedelta(days=1))


def _orgs(ctx: Context) -> Q | None:
    """Filter of rollup rows by the scope's organisations; None = nothing (demand side)."""
    s = ctx.scope
    q = Q()
    if ctx.region_orgs is not None:
        q &= Q(org_id__in=ctx.region_orgs)
    if s.org_id is not None:
        if s.org_side == "demand":
            return None
        q &= Q(org_id=s.org_id)
    return q


def sums(ctx: Context, metric: str, by_org: bool = False) -> dict[Any, int]:
    """(key1, key2) — or (org, key1, key2) with ``by_org`` — → the whole months before
    ``as_of``'s month. Rebuilds first when the records moved."""
    # Once per request: the figures of one report all read the same build.
    if not getattr(ctx, "rollup_checked", False):
        ensure_fresh()
        ctx.rollup_checked = True  # type: ignore[attr-defined]
    where = _orgs(ctx)
    if where is None:
        return {}
    qs = IndicatorRollup.objects.filter(where, metric=metric, month__lt=month_before(ctx.as_of)).order_by()
    fields = ("org_id", "key1", "key2") if by_org else ("key1", "key2")
    return {tuple(row[:-1]): int(row[-1]) for row in qs.values_list(*fields).annotate(total=Sum("n"))}


def approved_between(start: dt.datetime, end: dt.datetime) -> list[int]:
    """Patents approved into the library in [start, end)."""
    from patentbridge.core.models import AuditEvent

    rows = AuditEvent.objects.filter(
        action=APPROVED, target_type="patents.patent", timestamp__gte=start, timestamp__lt=end
    ).values_list("target_id", flat=True)
    return sorted({int(t) for t in rows if t.isdigit()})


def entered_in_window(ctx: Context, library: QuerySet[Any]) -> QuerySet[Any]:
    """The patents of ``library`` (already in it on ``as_of``) that entered it in the partial
    month: recorded in it, or approved in it."""
    start = window_start(ctx)
    late = approved_between(start, ctx.cutoff)
    q = Q(created_at__gte=start)
    if late:
        q |= Q(pk__in=late)
    return library.filter(q)


def navigation_counts(chain: str, region: str = "") -> dict[tuple[int, str, str], int]:
    """(application year, IPC section, city prefix) → today's in-library patents of ``chain``
    whose organisation is inside ``region``."""
    from patentbridge.accounts.models import Organization
    from patentbridge.accounts.regions import region_of

    ensure_fresh()
    regions = {o.pk: region_of(o).code for o in Organization.objects.all()}
    out: Counter[tuple[int, str, str]] = Counter()
    rows = IndicatorRollup.objects.filter(metric="nav", key1=chain).values_list("org_id", "key2", "n")
    for org, key, n in rows:
        code = regions.get(org or 0, "")
        if region and not code.startswith(region):
            continue
        year, section = key.split("|", 1)
        out[(int(year), section, code[:4])] += n
    return dict(out)


def merge(*parts: Iterable[tuple[Any, int]]) -> dict[Any, int]:
    """Sum (key, n) pairs from several sources into one dict."""
    out: dict[Any, int] = {}
    for part in parts:
        for key, n in part:
            out[key] = out.get(key, 0) + n
    return out
