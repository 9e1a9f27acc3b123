"""The plain baseline: the report's library, licensing and matching figures computed the naive
way — one ``.count()`` per indicator row and Python loops over organisations and patents — on the
same data as the fast path. Not used by the application; it is what a first implementation would
do, kept here so the benchmark shows what the design buys."""

from __future__ import annotations

from collections import Counter
from typing import Any

from patentbridge.analytics.indicators.context import Context


def library(ctx: Context) -> Any:
    from patentbridge.patents.models import Patent

    qs = Patent.objects.filter(library_status="in_library", created_at__lt=ctx.cutoff)
    if ctx.region_orgs is not None:
        qs = qs.filter(owner_org_id__in=ctx.region_orgs)
    if ctx.scope.org_id is not None:
        qs = qs.filter(owner_org_id=ctx.scope.org_id) if ctx.scope.org_side == "supply" else qs.none()
    late = ctx.approved_after
    return qs.exclude(pk__in=late) if late else qs


def report(ctx: Context, *, dashboard: bool = False) -> dict[str, Any]:
    """Figures of the library, licensing and matching indicators (one query per number)."""
    from patentbridge.accounts.models import Organization
    from patentbridge.demands.models import TechNeed
    from patentbridge.licensing.models import LicenceContract
    from patentbridge.matching.models import MatchItem
    from patentbridge.patents.models import IndustryChain, Patent

    lib = library(ctx)
    out: dict[str, Any] = {}
    for t in ("invention", "utility_model", "design"):
        out[f"type:{t}"] = lib.filter(patent_type=t).count()
    for g in "ABCD":
        out[f"grade:{g}"] = lib.filter(grade__final=g, grade__graded_at__lt=ctx.cutoff).count()
    out["high_value"] = lib.filter(grade__high_value=True, grade__graded_at__lt=ctx.cutoff).count()
    for c in IndustryChain.objects.all():
        out[f"chain:{c.code}"] = lib.filter(classes__scheme="chain", classes__code=c.code).count()
    orgs = Organization.objects.filter(kind="university")
    if ctx.region_orgs is not None:
        orgs = orgs.filter(pk__in=ctx.region_orgs)
    if ctx.scope.org_id is not None:
        orgs = orgs.filter(pk=ctx.scope.org_id)
    per_org = {o.pk: lib.filter(owner_org_id=o.pk).count() for o in orgs}
    out["by_org"] = sum(per_org.values())
    by_region: Counter[str] = Counter()
    for org_id, n in per_org.items():
        by_region[ctx.org_regions.get(org_id, "")[:4]] += n
    out["by_region"] = len(by_region)
    if not dashboard:
        for s in ("draft", "pending_college", "pending_university", "in_library", "rejected"):
            qs = Patent.objects.filter(library_status=s, created_at__lt=ctx.cutoff)
            if ctx.region_orgs is not None:
                qs = qs.filter(owner_org_id__in=ctx.region_orgs)
            out[f"status:{s}"] = qs.count()
    contracts = LicenceContract.objects.filter(signed_at__lte=ctx.as_of)
    if ctx.region_orgs is not None:
        contracts = contracts.filter(licensee_org_id__in=ctx.region_orgs)
    for k in ("ordinary", "sole", "exclusive"):
        out[f"licence:{k}"] = contracts.filter(kind=k).count()
    licensed = 0
    for pk in lib.values_list("pk", flat=True):
        licensed += int(LicenceContract.objects.filter(patents=pk, signed_at__lte=ctx.as_of).exists())
        if licensed > 50:  # enough: the loop's cost is the point, not the figure
            break
    out["licensed_sample"] = licensed
    out["needs"] = TechNeed.objects.filter(created_at__lt=ctx.cutoff).count()
    out["pushed"] = MatchItem.objects.filter(state="pushed", push__created_at__lt=ctx.cutoff).count()
    return out


def navigation(chain: str, region: str) -> dict[tuple[int, str, str], int]:
    """Year × IPC section × city of the in-library patents of ``chain`` in ``region``: a Python
    loop over the patents."""
    from patentbridge.accounts.models import Organization
    from patentbridge.accounts.regions import region_of
    from patentbridge.patents.models import Patent

    regions = {o.pk: region_of(o).code for o in Organization.objects.all()}
    out: Counter[tuple[int, str, str]] = Counter()
    qs = Patent.objects.filter(library_status="in_library", classes__scheme="chain", classes__code=chain)
    for p in qs.only("pk", "filing_date", "ipc_main", "owner_org_id").iterator(chunk_size=5000):
        code = regions.get(p.owner_org_id or 0, "")
        if region and not code.startswith(region):
            continue
        year = p.filing_date.year if p.filing_date else 0
        out[(year, (p.ipc_main or "-")[:1], code[:4])] += 1
    return dict(out)
