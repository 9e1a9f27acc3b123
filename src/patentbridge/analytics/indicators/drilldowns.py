"""The second level of two dashboard drill-downs: university → college (LIB-BY-COLLEGE, from the
patent record's 所属学院) and chain → technical branch (LIB-BY-BRANCH, the IPC subclass of the main
classification of the chain's library patents). Region → county needs no indicator of its own:
LIB-BY-REGION already breaks down one level below the scope's region."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import Count

from patentbridge.analytics import rollups
from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.library import few_chain_classes, library_ids, window_library
from patentbridge.analytics.indicators.registry import register
from patentbridge.patents.models import IndustryChain, PatentClass
from patentbridge_engine.analytics import Row, Value, indicator

__all__ = ["NO_BRANCH", "NO_COLLEGE"]

NO_COLLEGE = "未填写学院"
NO_BRANCH = "无主分类号"


@register("LIB-BY-COLLEGE")
def by_college(ctx: Context) -> Value:
    """Rows ``<org id>:<college>``; labelled by the college alone inside one organisation's scope.
    Whole months from the rollup (``college`` cells, names already trimmed), the partial month and
    scopes without a rollup from the records."""
    counts: Iterable[tuple[int | None, str, int]]
    if rollups.usable(ctx):
        whole = (
            (org, college, n) for (org, college, _), n in rollups.sums(ctx, "college", by_org=True).items()
        )
        sign = rollups.window(ctx).sign
        recent = window_library(ctx).order_by().values_list("owner_org_id", "college").annotate(n=Count("pk"))
        counts = (*whole, *((org, college, sign * n) for org, college, n in recent))
    else:
        counts = library_ids(ctx).values_list("owner_org_id", "college").annotate(n=Count("pk"))
    # Typed names differ in stray spaces ("机械学院 "): one college, one row.
    per: Counter[tuple[int | None, str]] = Counter()
    for org_id, college, n in counts:
        per[(org_id, (college or "").strip() or NO_COLLEGE)] += n
    one_org = ctx.scope.org_id is not None
    rows = []
    for (org_id, name), n in per.items():
        if not n:  # the rest of the month took back every patent the months through it counted
            continue
        owner = ctx.org_names.get(org_id, "") if org_id else "未登记盘点机构"
        rows.append(Row(f"{org_id or '-'}:{name}", name if one_org else f"{owner} · {name}", n))
    rows.sort(key=lambda r: (-(r.value or 0), r.label))
    return Value(indicator("LIB-BY-COLLEGE"), sum(r.value or 0 for r in rows), rows)


@register("LIB-BY-BRANCH")
def by_branch(ctx: Context) -> Value:
    """Rows ``<chain>/<IPC subclass>`` (e.g. ``GLC/H01M``) with the list filter of the branch."""
    names = dict(IndustryChain.objects.values_list("code", "name"))
    per: Counter[tuple[str, str]] = Counter()
    fast = rollups.usable(ctx)
    if fast:
        # Whole months: ``branch`` cells (chain, subclass already cut); the partial month below.
        per.update(rollups.sums(ctx, "branch"))
    ids = window_library(ctx) if fast else library_ids(ctx)
    pairs = PatentClass.objects.filter(patent_id__in=ids.values("pk"))
    # The window's few patents drive the read (``library.few_chain_classes``).
    pairs = few_chain_classes(pairs) if fast else pairs.filter(scheme="chain")
    # The window's patents are added, or taken back when it is the rest of the month after as_of.
    step = rollups.window(ctx).sign if fast else 1
    for chain, ipc in pairs.values_list("code", "patent__ipc_main"):
        per[(chain, (ipc or "").strip()[:4].upper())] += step
    rows = [
        Row(
            f"{chain}/{sub or '-'}",
            f"{names.get(chain, chain)} · {sub or NO_BRANCH}",
            n,
            link=f"chain={chain}&ipc_subclass={sub}" if sub else f"chain={chain}",
        )
        for (chain, sub), n in per.items()
        if n
    ]
    rows.sort(key=lambda r: (-(r.value or 0), r.key))
    return Value(indicator("LIB-BY-BRANCH"), sum(per.values()), rows)
