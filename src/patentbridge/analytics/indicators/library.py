"""Library indicators (专利资源库): inventoried, in the library, graded, high-value, by chain,
region and owner."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models import Value as SqlValue
from django.db.models.functions import Coalesce

from patentbridge.accounts.regions import region_prefix
from patentbridge.analytics import rollups
from patentbridge.analytics.indicators.context import Context, per_context
from patentbridge.analytics.indicators.registry import register
from patentbridge.grading.models import GRADE_CHOICES, PatentGrade
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge.patents.choices import LibraryStatusChoices, PatentTypeChoices
from patentbridge.patents.models import IndustryChain, Patent, PatentClass
from patentbridge_engine.analytics import Row, Value, child_prefix, indicator

__all__ = [
    "chain_counts",
    "few_chain_classes",
    "library_chain_counts",
    "library_ids",
    "library_kinds",
    "owner_counts",
    "region_breakdown",
    "window_library",
]

_OWNER_ROWS = 20


def library_ids(ctx: Context) -> QuerySet[Any]:
    """In-library patents of the scope on ``as_of`` (a queryset, used as a subquery)."""
    return ctx.in_library(ctx.patents(Patent.objects.all())).order_by()


@register("LIB-INVENTORIED")
def inventoried(ctx: Context) -> Value:
    # States are today's: the log keeps each change, but a past state per patent is not needed for
    # a count of records; the headline counts every record created by as_of.
    if rollups.usable(ctx):
        w = rollups.window(ctx)
        part = Patent.objects.filter(created_at__gte=w.start, created_at__lt=w.end)
        whole = ((k[0], n) for k, n in rollups.sums(ctx, "inv").items())
        recent = (
            ctx.patents(part, org_index=False)
            .order_by()
            .values_list("library_status")
            .annotate(n=Count("pk"))
        )
        counts = rollups.merge(whole, w.signed(recent))
    else:
        qs = ctx.patents(Patent.objects.filter(created_at__lt=ctx.cutoff))
        counts = dict(qs.order_by().values_list("library_status").annotate(n=Count("pk")))
    rows = [Row(s.value, str(s.label), counts.get(s.value, 0)) for s in LibraryStatusChoices]
    return Value(indicator("LIB-INVENTORIED"), sum(counts.values()), [r for r in rows if r.value])


@register("LIB-APPROVED")
def approved(ctx: Context) -> Value:
    kinds = library_kinds(ctx)
    rows = [Row(t.value, str(t.label), kinds.get(t.value, 0)) for t in PatentTypeChoices]
    if kinds.get(""):
        rows.append(Row("", "类型未知", kinds[""]))
    return Value(indicator("LIB-APPROVED"), sum(kinds.values()), [r for r in rows if r.value])


def window_library(ctx: Context, path: str = "", qs: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """Rows of ``qs`` (default: patents) whose patent (through ``path``) is in the scope's library
    and entered it inside the window (``rollups.window``: the partial month up to ``as_of``, or the
    rest of the month after it): recorded in it, or approved in it, and not approved again later.

    Driven by the created_at index: the status is compared through an expression, because a
    planner without statistics would rather walk the status index over the whole library."""
    w = rollups.window(ctx)
    approved = rollups.approved_between(w.start, w.end)
    base = Patent.objects.all() if qs is None else qs
    ids = f"{path}id__in" if path else "pk__in"
    q = Q(**{f"{path}created_at__gte": w.start, f"{path}created_at__lt": w.end})
    if approved:
        q |= Q(**{ids: approved})
    status = Coalesce(f"{path}library_status", SqlValue(""))
    rows = ctx.patents(
        base.filter(q).alias(pb_status=status).filter(pb_status="in_library"), path, org_index=False
    )
    return ctx.not_approved_after(rows, f"{path}id" if path else "pk", w.end)


@per_context
def library_kinds(ctx: Context) -> dict[str, int]:
    """Patent type → in-library patents of the scope on ``as_of`` (types with none left out)."""
    if not rollups.usable(ctx):
        return dict(library_ids(ctx).values_list("patent_type").annotate(n=Count("pk")))
    whole = ((k[0], n) for k, n in rollups.sums(ctx, "lib").items())
    recent = window_library(ctx).order_by().values_list("patent_type").annotate(n=Count("pk"))
    return rollups.merge(whole, rollups.window(ctx).signed(recent))


@per_context
def _graded(ctx: Context) -> list[tuple[str, bool, int]]:
    if not rollups.usable(ctx):
        qs = PatentGrade.objects.filter(patent__in=library_ids(ctx), graded_at__lt=ctx.cutoff)
        return list(qs.order_by().values_list("final", "high_value").annotate(n=Count("pk")))
    # Graded on as_of = in the library and graded by then, dated by the later of the two: graded in
    # the window (its patent in the library by its end), or graded before it and entered in it.
    w = rollups.window(ctx)
    graded_now = (
        PatentGrade.objects.filter(graded_at__gte=w.start, graded_at__lt=w.end, patent__created_at__lt=w.end)
        .alias(pb_status=Coalesce("patent__library_status", SqlValue("")))
        .filter(pb_status="in_library")
    )
    graded_now = ctx.patents(graded_now, "patent__", org_index=False)
    graded_now = ctx.not_approved_after(graded_now, "patent_id", w.end)
    entered_now = PatentGrade.objects.filter(
        graded_at__lt=w.start, patent__in=window_library(ctx).values("pk")
    )
    whole = (((final, high == "1"), n) for (final, high), n in rollups.sums(ctx, "grade").items())
    part = (
        ((final, bool(high)), n)
        for qs in (graded_now, entered_now)
        for final, high, n in qs.order_by().values_list("final", "high_value").annotate(n=Count("pk"))
    )
    return [(final, high, n) for (final, high), n in rollups.merge(whole, w.signed(part)).items()]


@register("LIB-GRADED")
def graded(ctx: Context) -> Value:
    grades: Counter[str] = Counter()
    for final, _, n in _graded(ctx):
        grades[final] += n
    rows = [Row(code, label, grades.get(code, 0), link=f"grade={code}") for code, label in GRADE_CHOICES]
    return Value(indicator("LIB-GRADED"), sum(grades.values()), rows)


@register("LIB-HIGH-VALUE")
def high_value(ctx: Context) -> Value:
    return Value(indicator("LIB-HIGH-VALUE"), sum(n for _, hv, n in _graded(ctx) if hv))


def few_chain_classes(classes: QuerySet[Any]) -> QuerySet[Any]:
    """The chain classes of ``classes``, which are filtered to a few patents: read through those
    patents, not through the scheme index over every chain class of the library.

    SQLite, without statistics, would rather walk the scheme index, so there the scheme is
    compared through an expression it cannot index. PostgreSQL estimates both sides from its
    statistics, and the same expression there hides the scheme's selectivity: it guessed a few
    rows, started from the classes and probed the patents half a million times (1 s instead of
    0.05 s at a million patents). So the plain comparison there."""
    if connection.vendor == "postgresql":
        return classes.filter(scheme="chain")
    chosen: QuerySet[Any] = classes.alias(pb_scheme=Coalesce("scheme", SqlValue(""))).filter(
        pb_scheme="chain"
    )
    return chosen


def chain_counts(
    ctx: Context, ids: QuerySet[Any] | set[int], *, few: bool = False
) -> tuple[dict[str, int], int]:
    """Chain code → patents of ``ids`` in it, and how many of ``ids`` are in any chain.

    ``few``: ``ids`` are a small set (the partial month, the licensed patents): the classes are
    found through each patent's own index entries and counted here in one read, instead of
    walking the scheme index over every chain class of the library."""
    pk_filter: Any = ids.values("pk") if isinstance(ids, QuerySet) else ids
    if few:
        rows = (
            few_chain_classes(PatentClass.objects.filter(patent_id__in=pk_filter))
            .order_by()
            .values_list("patent_id", "code")
        )
        found: Counter[str] = Counter()
        patents: set[int] = set()
        for pk, code in rows:
            found[code] += 1
            patents.add(pk)
        return dict(found), len(patents)
    chains = PatentClass.objects.filter(scheme="chain", patent_id__in=pk_filter).order_by()
    per = dict(chains.values_list("code").annotate(n=Count("patent_id")))
    anywhere = chains.values("patent_id").distinct().count()
    return per, anywhere


@per_context
def library_chain_counts(ctx: Context) -> tuple[dict[str, int], int]:
    """``chain_counts`` of the scope's in-library patents on ``as_of``."""
    if not rollups.usable(ctx):
        return chain_counts(ctx, library_ids(ctx))
    whole = {k[0]: n for k, n in rollups.sums(ctx, "chain").items()}
    w = rollups.window(ctx)
    per, anywhere = chain_counts(ctx, window_library(ctx), few=True)
    merged = rollups.merge(((k, n) for k, n in whole.items() if k != "*"), w.signed(per.items()))
    return merged, whole.get("*", 0) + w.sign * anywhere


@register("LIB-BY-CHAIN")
def by_chain(ctx: Context) -> Value:
    per, total = library_chain_counts(ctx)
    rows = [
        Row(c.code, c.name, per.get(c.code, 0), link=f"chain={c.code}")
        for c in IndustryChain.objects.order_by("position", "code")
    ]
    return Value(indicator("LIB-BY-CHAIN"), total, sorted(rows, key=lambda r: -(r.value or 0)))


@per_context
def owner_counts(ctx: Context) -> dict[int | None, int]:
    """Inventorying organisation id (None when not registered) → in-library patents."""
    if not rollups.usable(ctx):
        return dict(library_ids(ctx).values_list("owner_org_id").annotate(n=Count("pk")))
    whole = ((k[0], n) for k, n in rollups.sums(ctx, "lib", by_org=True).items())
    recent = window_library(ctx).order_by().values_list("owner_org_id").annotate(n=Count("pk"))
    return rollups.merge(whole, rollups.window(ctx).signed(recent))


@register("LIB-BY-REGION")
def by_region(ctx: Context) -> Value:
    return region_breakdown(ctx, ctx.scope.region)


def region_breakdown(ctx: Context, prefix: str) -> Value:
    """LIB-BY-REGION of ``ctx``'s scope narrowed to the region ``prefix`` (inside the scope's
    own region): the same value a scope of that region computes, from the owner counts already
    read — the platform dashboard's map of Shandong needs no second count."""
    scope_prefix = ctx.scope.region
    if not prefix.startswith(scope_prefix):
        raise ValueError(f"地区 {prefix} 不在统计范围 {scope_prefix or '全平台'} 之内")
    owners = owner_counts(ctx)
    if prefix != scope_prefix:
        owners = {
            org: n
            for org, n in owners.items()
            if org and ctx.org_regions.get(org, "") and ctx.org_regions[org].startswith(prefix)
        }
    per: Counter[str] = Counter()
    for org_id, n in owners.items():
        code = ctx.org_regions.get(org_id, "") if org_id else ""
        # An organisation registered at the scope's own level (a city-level code inside the city)
        # is not placed in any county: it keeps its own code and says so.
        per[child_prefix(code, prefix) or (f"={region_prefix(code)}" if code else "-")] += n
    rows = [
        Row(key, _region_row_label(key), n) for key, n in sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return Value(indicator("LIB-BY-REGION"), sum(owners.values()), rows)


def _region_row_label(key: str) -> str:
    if key == "-":
        return "地区未知"
    if key.startswith("="):
        return f"{region_label(key[1:])}（未细分到下一级地区）"
    return region_label(key)


@register("LIB-BY-OWNER")
def by_owner(ctx: Context) -> Value:
    owners = owner_counts(ctx)
    rows = [
        Row(str(org_id or "-"), ctx.org_names.get(org_id, "") if org_id else "未登记盘点机构", n)
        for org_id, n in sorted(owners.items(), key=lambda kv: (-kv[1], kv[0] or 0))
    ]
    note = f"仅列前 {_OWNER_ROWS} 家" if len(rows) > _OWNER_ROWS else ""
    return Value(indicator("LIB-BY-OWNER"), sum(owners.values()), rows[:_OWNER_ROWS], note)
