"""Monthly pre-aggregated counts of the library (``IndicatorRollup``), so the library indicators
read a few thousand summary rows instead of a million patents.

Design (chosen by measurement, see bench/analytics): each library figure has a date that makes a
patent count on ``as_of`` — created (inventoried), entered the library (``max(created, last
approval)``), graded (``max(entered, graded_at)``). The rollup keeps, per organisation and local
calendar month of that date, the counts by the figure's keys. A figure as of a day is the sum of
the months *before* that day's month plus the partial month read from the records themselves
(an indexed date range), so any as-of date is exact, not only month ends — or, when fewer days
follow the day in its month than precede it (always for today), the months *through* that day's
month minus the rest of the month read from the records (``Window``): a dashboard of today reads
an empty date range, however many patents the month holds. Each monthly cell has
an all-time twin (month NULL): for a recent as-of day a reader takes the totals minus the few
months from that day's month on, so the rows read do not grow with the length of the history.

Freshness: the rollup stores a fingerprint of what it was built from — the library version that
database triggers move on every patent or classification write by any code path (services, the
bulk import writer, raw SQL), and the newest grade marks (id, graded_at, override_at; grades are
written in bulk by the daily sweep, which fires no signals). Further triggers (``analytics.dirty``)
list the patents each write touched. A reader that finds another fingerprint or a listed patent
catches up first, under a lock, so a figure is never read from stale counts: incrementally — the
listed patents' old cells (``RollupLedger``) out, their current cells in (``rollup_build``) — or
by a full recount when the fingerprint moved without a listed patent (a trigger lost), when there
is no ledger yet, or when too many patents changed. After a write through the services the
refresh runs when the transaction commits (``tasks``), so the reader usually finds it done.
``patentbridge rollup`` recounts everything by hand.

Why a rollup and not an embedded analytical engine (duckdb): the slow part measured at 200k was
the library patents (a million rows) scanned per figure; a few tens of thousands of summary rows
kept in the same database answer that on SQLite and PostgreSQL alike, in the same transaction as
the records, with no second copy of the data to keep in step. duckdb was not measured.

Scopes: the platform, a region, and an organisation's supply side are read from the rollup (the
platform, a province and a city from its area rows, already summed over their organisations); an
enterprise (demand side) has no library rows; an inventor's own patents are few and always read
from the records.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q, QuerySet, Sum
from django.utils import timezone

from patentbridge.analytics import rollup_areas, rollup_build
from patentbridge.analytics.indicators.context import Context, end_of_day
from patentbridge.analytics.models import IndicatorRollup, RollupDirty, RollupState
from patentbridge.analytics.rollup_build import APPROVED, fingerprint

__all__ = [
    "ENABLED",
    "Window",
    "ensure_fresh",
    "fingerprint",
    "is_fresh",
    "month_before",
    "navigation_counts",
    "rebuild",
    "refresh",
    "sums",
    "usable",
    "window",
]

# The benchmark turns this off to measure the same indicators read from the records alone.
ENABLED = True
Key = tuple[str, str]


# -- freshness -------------------------------------------------------------------------------
def is_fresh() -> bool:
    """True when the rollup was built from the records as they are now: the fingerprint matches
    and no write since is waiting in the dirty list."""
    state = RollupState.objects.filter(pk=1).values_list("fingerprint", "mode", "regions").first()
    if state is None or not state[1] or state[0] != fingerprint():
        return False
    return not RollupDirty.objects.exists() and not rollup_areas.moved(state[2] or {})


def ensure_fresh() -> None:
    """Catch up when the records moved since the last refresh (a no-op read otherwise)."""
    if not is_fresh():
        refresh()


def refresh() -> str:
    """Catch up incrementally (the changed patents) or, when that cannot be exact, in full;
    returns "", "incremental" or "full" (``rollup_build.refresh``)."""
    return rollup_build.refresh()


def rebuild() -> float:
    """Recount every rollup row from the records; returns the seconds taken (0 when it was
    already current). Serialised by a row lock on the state row."""
    return rollup_build.full()


# -- reading ---------------------------------------------------------------------------------
def usable(ctx: Context) -> bool:
    """True when ``ctx`` may read the rollup (every scope but an inventor's own patents)."""
    return ENABLED and ctx.scope.inventor_id is None


def month_before(as_of: dt.date) -> dt.date:
    """First day of ``as_of``'s month: whole months before it come from the rollup."""
    return as_of.replace(day=1)


@dataclass(frozen=True)
class Window:
    """The records read beside the rollup for one as-of day: the patents whose date falls in
    [``start``, ``end``), added (``sign`` 1: the rollup gives the months before ``month``, the
    window the month's days up to as_of) or subtracted (``sign`` -1: the rollup gives the months
    before ``month`` = the next month, i.e. through as_of's month, and the window the days after
    as_of in it). A patent's date is its last approval when later than its record (``end``
    bounds the approvals that count)."""

    start: dt.datetime
    end: dt.datetime
    sign: int
    month: dt.date

    def signed(self, rows: Iterable[tuple[Any, int]]) -> Iterable[tuple[Any, int]]:
        """``rows`` of (key, count) with the window's sign applied."""
        return ((key, self.sign * n) for key, n in rows)


def window(ctx: Context) -> Window:
    """The shorter way to the as-of day from a month boundary (see ``Window``); once per context.
    The days after as_of are counted up to now: none have records after today."""
    if "rollup_window" not in ctx.shared:
        first = month_before(ctx.as_of)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        start = end_of_day(first - dt.timedelta(days=1))
        end = end_of_day(following - dt.timedelta(days=1))
        ahead = min(end, max(timezone.now(), ctx.cutoff)) - ctx.cutoff
        if ahead < ctx.cutoff - start:
            ctx.shared["rollup_window"] = Window(ctx.cutoff, end, -1, following)
        else:
            ctx.shared["rollup_window"] = Window(start, ctx.cutoff, 1, first)
    found: Window = ctx.shared["rollup_window"]
    return found


# Above this many organisations a region's per-organisation rows are filtered after reading: a
# list of thousands of ids costs more to send and plan than the rows it leaves out (PostgreSQL).
_LISTED_ORGS = 500


def _orgs(ctx: Context, by_org: bool = False) -> Q | None:
    """Filter of rollup rows by the scope's organisations; None = nothing (demand side). The
    platform, a province or a city read their area rows unless the figure is ``by_org``."""
    s = ctx.scope
    area = rollup_areas.scope_area(s.region, s.org_id, s.inventor_id)
    if area is not None and not by_org:
        return Q(area=area)
    q = Q(area=rollup_areas.ORG)
    if ctx.region_orgs is not None and len(ctx.region_orgs) <= _LISTED_ORGS:
        q &= Q(org_id__in=ctx.region_orgs)
    if s.org_id is not None:
        if s.org_side == "demand":
            return None
        q &= Q(org_id=s.org_id)
    return q


def sums(ctx: Context, metric: str, by_org: bool = False) -> dict[Any, int]:
    """(key1, key2) — or (org, key1, key2) with ``by_org`` — → the whole months before the
    window's month (``window``). Catches up first when the records moved.

    Read whichever way touches fewer months: the months before, or — for a recent as-of day,
    the usual case — the all-time totals minus the months from as_of's month on. Both are exact;
    the second reads a few recent months however long the history is."""
    # Once per request: the figures of one report all read the same build.
    if not getattr(ctx, "rollup_checked", False):
        ensure_fresh()
        ctx.rollup_checked = True  # type: ignore[attr-defined]
    where = _orgs(ctx, by_org)
    if where is None:
        return {}
    month = window(ctx).month
    qs = IndicatorRollup.objects.filter(where, metric=metric).order_by()
    fields = ("org_id", "key1", "key2") if by_org else ("key1", "key2")

    # A region of many organisations is not sent as a list of ids (see ``_orgs``): its rows are
    # read by organisation and kept here (per organisation they are few).
    s = ctx.scope
    area_rows = not by_org and rollup_areas.scope_area(s.region, s.org_id, s.inventor_id) is not None
    many = ctx.region_orgs is not None and len(ctx.region_orgs) > _LISTED_ORGS
    keep = ctx.region_orgs if many and not area_rows else None
    if keep is not None and not by_org:
        fields = ("org_id", "key1", "key2")

    def read(rows: QuerySet[Any]) -> dict[Any, int]:
        found = rows.values_list(*fields).annotate(total=Sum("n"))
        if keep is None:
            return {tuple(row[:-1]): int(row[-1]) for row in found}
        out: Counter[Any] = Counter()
        for row in found:
            if row[0] in keep:
                out[tuple(row[:-1]) if by_org else tuple(row[1:-1])] += int(row[-1])
        return dict(out)

    if not _tail_is_shorter(ctx, month):
        return read(qs.filter(month__lt=month))
    totals, tail = read(qs.filter(month__isnull=True)), read(qs.filter(month__gte=month))
    # A key counted only from as_of's month on has total == tail: left out, as the months-before
    # read would (it has no row for it).
    return {key: n - tail.get(key, 0) for key, n in totals.items() if n != tail.get(key, 0)}


def _months(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _tail_is_shorter(ctx: Context, month: dt.date) -> bool:
    """Whether fewer months lie from ``month`` to today's than from the first month to it."""
    if "rollup_first_month" not in ctx.shared:
        ctx.shared["rollup_first_month"] = IndicatorRollup.objects.filter(
            metric="inv", month__isnull=False
        ).aggregate(m=Min("month"))["m"]
    first = ctx.shared["rollup_first_month"]
    if first is None:
        return False
    return _months(month, timezone.localdate().replace(day=1)) < _months(first, month)


def approved_between(start: dt.datetime, end: dt.datetime) -> list[int]:
    """Patents approved into the library in [start, end)."""
    from patentbridge.core.models import AuditEvent

    rows = AuditEvent.objects.filter(
        action=APPROVED, target_type="patents.patent", timestamp__gte=start, timestamp__lt=end
    ).values_list("target_id", flat=True)
    return sorted({int(t) for t in rows if t.isdigit()})


def navigation_counts(chain: str, region: str = "") -> dict[tuple[int, str, str], int]:
    """(application year, IPC section, city prefix) → today's in-library patents of ``chain``
    whose organisation is inside ``region``."""
    from patentbridge.accounts.models import Organization
    from patentbridge.accounts.regions import region_of

    ensure_fresh()
    regions = {o.pk: region_of(o).code for o in Organization.objects.all()}
    out: Counter[tuple[int, str, str]] = Counter()
    rows = IndicatorRollup.objects.filter(metric="nav", key1=chain, area=rollup_areas.ORG).values_list(
        "org_id", "key2", "n"
    )
    for org, key, n in rows:
        code = regions.get(org or 0, "")
        if region and not code.startswith(region):
            continue
        year, section = key.split("|", 1)
        out[(int(year), section, code[:4])] += n
    return dict(out)


def merge(*parts: Iterable[tuple[Any, int]]) -> dict[Any, int]:
    """Sum (key, n) pairs from several sources into one dict; keys summing to 0 are left out, as
    a read of the records would have no row for them."""
    out: dict[Any, int] = {}
    for part in parts:
        for key, n in part:
            out[key] = out.get(key, 0) + n
    return {key: n for key, n in out.items() if n}
