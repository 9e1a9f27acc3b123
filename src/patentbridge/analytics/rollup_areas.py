"""Area rows of the rollup: each per-organisation cell also summed for the whole platform (area
``*``) and for the province and the city of the organisation's region (``37``, ``3709``).

Why: a platform or provincial report read the per-organisation rows and summed them in the
query — at 1,000,000 patents about half a million rows per report, 0.5–2 s per figure on
PostgreSQL. The area rows hold the same sums already made, so such a report reads a few thousand
rows whatever the number of organisations. Counties (six-digit codes) keep reading their few
organisations' rows: a county holds few owners, and its area rows would double the table.

Area rows are derived from the per-organisation cells with the owners' regions as they were at
the time (kept in ``RollupState.regions``). An owner whose region code changes since (an admin
edit, a corrected USCC) makes them stale: the next refresh sums them again from the
per-organisation rows (seconds, no recount of patents).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from django.db.models import Sum

from patentbridge.accounts.models import Organization
from patentbridge.accounts.regions import region_of

__all__ = [
    "ORG",
    "PLATFORM",
    "RowKey",
    "areas_of",
    "current_regions",
    "moved",
    "per_org_rows",
    "scope_area",
    "with_areas",
]

ORG = ""  # a per-organisation row
PLATFORM = "*"
# (metric, month, org, area, key1, key2) — one rollup row.
RowKey = tuple[str, dt.date | None, int | None, str, str, str]
# (metric, month, org, key1, key2) — one per-organisation cell (``rollup_build.Cell``).
_Cell = tuple[str, dt.date | None, int | None, str, str]


def areas_of(code: str) -> tuple[str, ...]:
    """The areas a patent of an organisation with region ``code`` is summed into."""
    out = [PLATFORM]
    if len(code) >= 2:
        out.append(code[:2])
    if len(code) >= 4:
        out.append(code[:4])
    return tuple(out)


def scope_area(region: str, org_id: int | None, inventor_id: int | None) -> str | None:
    """The area whose rows answer a scope, or None when the scope reads per-organisation rows
    (an organisation, an inventor, a county or an odd-length prefix)."""
    if org_id is not None or inventor_id is not None:
        return None
    if not region:
        return PLATFORM
    return region if len(region) in (2, 4) else None


def current_regions(org_ids: Iterable[int]) -> dict[str, str]:
    """Organisation id (as a JSON key) → its region code now ("" when unknown)."""
    wanted = sorted(set(org_ids))
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 900):
        for org in Organization.objects.filter(pk__in=wanted[start : start + 900]).only(
            "pk", "region_code", "uscc"
        ):
            out[str(org.pk)] = region_of(org).code
    # An organisation deleted since keeps no region (its rows, if any, count for the platform only).
    return {key: out.get(key, "") for key in (str(pk) for pk in wanted)}


def moved(kept: Mapping[str, str]) -> bool:
    """Whether any organisation's region differs from the one its area rows were summed with."""
    return bool(kept) and current_regions(int(k) for k in kept) != dict(kept)


def with_areas(
    cells: Mapping[_Cell, int], regions: Mapping[str, str], *, orgs: bool = True
) -> Counter[RowKey]:
    """Rows for per-organisation ``cells`` (counts or deltas): the organisation's own row (unless
    ``orgs`` is False) and the platform, province and city rows it adds to."""
    out: Counter[RowKey] = Counter()
    for (metric, month, org, k1, k2), n in cells.items():
        if not n:
            continue
        if orgs:
            out[(metric, month, org, ORG, k1, k2)] += n
        code = regions.get(str(org), "") if org is not None else ""
        for area in areas_of(code):
            out[(metric, month, None, area, k1, k2)] += n
    return out


def per_org_rows() -> Counter[_Cell]:
    """The per-organisation cells as stored (to sum the area rows again)."""
    from patentbridge.analytics.models import IndicatorRollup

    rows = (
        IndicatorRollup.objects.filter(area=ORG)
        .order_by()
        .values_list("metric", "month", "org_id", "key1", "key2")
        .annotate(total=Sum("n"))
    )
    return Counter({(m, mo, o, k1, k2): int(n) for m, mo, o, k1, k2, n in rows.iterator()})
