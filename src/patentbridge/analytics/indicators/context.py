"""The records an indicator may count for a scope, and the dates that make a count "as of".

Region: an organisation's region is its kept ``region_code`` or the one derived from its USCC
(``accounts.regions.region_of``), so the region filter is a set of organisation ids computed once
per request (organisations are few; patents are many). Each kind of record is placed by one
organisation:

- library patents, public-list entries: the inventorying organisation (``owner_org``);
- needs and pushes: the enterprise that posted the need;
- offers: the publisher; open-licence declarations: the declarant;
- contracts, receivables, payments, income: the licensee (where the licence is implemented);
- open-licence acceptances and menu deliveries: the enterprise.

Organisation side: ``supply`` (a university's TTO: its patents, offers, licences granted, income)
or ``demand`` (an enterprise: its needs, pushes, licences taken). Inventor: own patents (submitted
by the user or naming the user as an inventor) and own income lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property, wraps
from types import SimpleNamespace
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models import Value as SqlValue
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from patentbridge.accounts.models import Organization
from patentbridge.accounts.regions import region_of
from patentbridge.core.models import AuditEvent
from patentbridge_engine.analytics import Scope

__all__ = ["Context", "end_of_day", "per_context"]

T = TypeVar("T")


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the site's time zone: ``created_at < end_of_day(as_of)``
    counts everything created on or before ``as_of`` (local dates, not UTC)."""
    start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start, timezone.get_default_timezone())


def per_context(fn: Callable[[Context], T]) -> Callable[[Context], T]:
    """Compute ``fn(ctx)`` once per ``Context``: figures several indicators of one report share
    (the library by type, by owner, by chain, the licensed patents) are read once, not per
    indicator. A context lives for one request, so nothing outlives the data."""

    @wraps(fn)
    def once(ctx: Context) -> T:
        key = f"{fn.__module__}.{fn.__qualname__}"
        if key not in ctx.shared:
            ctx.shared[key] = fn(ctx)
        result: T = ctx.shared[key]
        return result

    return once


class Context:
    """Scope plus the per-request facts every indicator reuses (region of each organisation,
    in-library dates, the inventor's names)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.as_of = scope.as_of
        self.cutoff = end_of_day(scope.as_of)
        self.shared: dict[str, Any] = {}

    # -- organisations and regions ------------------------------------------------------------
    @cached_property
    def org_regions(self) -> dict[int, str]:
        """Organisation id → six-digit region code ("" when unknown). Read as three columns, not
        model instances: thousands of organisations are loaded per report."""
        rows = Organization.objects.values_list("pk", "region_code", "uscc")
        return {pk: region_of(SimpleNamespace(region_code=code, uscc=uscc)).code for pk, code, uscc in rows}

    @cached_property
    def org_names(self) -> dict[int, str]:
        return dict(Organization.objects.values_list("pk", "name"))

    @cached_property
    def region_orgs(self) -> set[int] | None:
        """Ids of the organisations inside the scope's region; None without a region filter."""
        prefix = self.scope.region
        if not prefix:
            return None
        return {pk for pk, code in self.org_regions.items() if code and code.startswith(prefix)}

    def org_q(self, field: str, *, coalesced: bool = False) -> Q:
        """Filter on an organisation foreign key (``field`` ends in ``_id``) for the region.

        By the shorter list: the organisations inside, or "any organisation but those outside"
        when the region holds most of them (a province platform's own province) — a list of
        thousands of ids costs every query that carries it, most on PostgreSQL. ``coalesced``:
        ``field`` is the key with NULL read as 0 (no organisation has id 0)."""
        orgs = self.region_orgs
        if orgs is None:
            return Q()
        outside = set(self.org_regions) - orgs
        if len(outside) >= len(orgs):
            return Q(**{f"{field}__in": sorted(orgs)})
        q = ~Q(**{field: 0}) if coalesced else Q(**{f"{field}__isnull": False})
        if outside:
            q &= ~Q(**{f"{field}__in": sorted(outside)})
        return q

    # -- inventor -----------------------------------------------------------------------------
    @cached_property
    def inventor_names(self) -> list[str]:
        if self.scope.inventor_id is None:
            return []
        user = get_user_model().objects.get(pk=self.scope.inventor_id)
        names = {f"{user.last_name}{user.first_name}", f"{user.first_name}{user.last_name}"}
        return sorted(n.strip() for n in names if n.strip())

    @cached_property
    def named_patent_ids(self) -> list[int]:
        """Patents of the inventor's organisation naming the inventor (by account name). Read in
        Python: a JSON list cannot be searched for Chinese text alike on SQLite (stored escaped)
        and PostgreSQL, and one organisation's patents are few."""
        names = set(self.inventor_names)
        if not names or self.scope.org_id is None:
            return []
        from patentbridge.patents.models import Patent

        rows = Patent.objects.filter(owner_org_id=self.scope.org_id).values_list("pk", "inventors")
        return sorted(pk for pk, inventors in rows if names & {str(n).strip() for n in inventors or []})

    def inventor_patent_q(self, path: str = "") -> Q:
        """Patents (through ``path``) the inventor submitted or is named on, within their org."""
        q = Q(**{f"{path}submitted_by_id": self.scope.inventor_id})
        if self.named_patent_ids:
            q |= Q(**{f"{path}pk__in" if not path else f"{path}id__in": self.named_patent_ids})
        return q

    # -- scoped querysets ---------------------------------------------------------------------
    def patents(self, qs: QuerySet[Any], path: str = "", *, org_index: bool = True) -> QuerySet[Any]:
        """Patents (or rows reaching them through ``path``) inside the scope (supply side).

        ``org_index=False`` compares the organisation through an expression, for queries that
        must be driven by another index (a date range, the few contracts): without statistics
        SQLite would rather walk the organisation index over every patent of the region."""
        s = self.scope
        owner = f"{path}owner_org_id"
        if not org_index:
            qs = qs.alias(pb_owner=Coalesce(owner, SqlValue(0)))
            owner = "pb_owner"
        qs = qs.filter(self.org_q(owner, coalesced=not org_index))
        if s.inventor_id is not None:
            return qs.filter(self.inventor_patent_q(path))
        if s.org_id is not None:
            if s.org_side == "demand":
                return qs.none()
            qs = qs.filter(**{owner: s.org_id})
        return qs

    def contracts(self, qs: QuerySet[Any], path: str = "") -> QuerySet[Any]:
        """Contracts (through ``path``): licensee in the region; licensor or licensee org side."""
        s = self.scope
        qs = qs.filter(self.org_q(f"{path}licensee_org_id"))
        if s.inventor_id is not None:
            from patentbridge.patents.models import Patent

            own = self.patents(Patent.objects.all()).values("pk")
            return qs.filter(**{f"{path}patents__in": own}).distinct()
        if s.org_id is not None:
            field = "licensee_org_id" if s.org_side == "demand" else "licensor_org_id"
            qs = qs.filter(**{f"{path}{field}": s.org_id})
        return qs

    def by_org(self, qs: QuerySet[Any], region_field: str, supply: str, demand: str) -> QuerySet[Any]:
        """Rows placed in the region by ``region_field`` and owned by ``supply`` or ``demand``
        organisation fields ("" = that side sees none); inventors see the supply rows of their
        own patents only where a caller passes a patent path itself."""
        s = self.scope
        qs = qs.filter(self.org_q(region_field))
        if s.org_id is not None:
            field = demand if s.org_side == "demand" else supply
            if not field:
                return qs.none()
            qs = qs.filter(**{field: s.org_id})
        return qs

    # -- dates --------------------------------------------------------------------------------
    @cached_property
    def approved_after(self) -> list[int]:
        """Patents approved into the library after ``as_of`` (audit log): not yet in it then.
        A patent never leaves the library once in, so any approval after the day means the
        patent was outside the library on it."""
        return self.approved_since(self.cutoff)

    def approved_since(self, instant: dt.datetime) -> list[int]:
        """Patents approved into the library at or after ``instant`` (read once per instant)."""
        key = f"approved_since:{instant.isoformat()}"
        if key not in self.shared:
            rows = AuditEvent.objects.filter(
                action="patents.patent.approved", target_type="patents.patent", timestamp__gte=instant
            ).values_list("target_id", flat=True)
            self.shared[key] = sorted({int(t) for t in rows if t.isdigit()})
        found: list[int] = self.shared[key]
        return found

    def not_approved_after(
        self, qs: QuerySet[Any], patent_field: str = "pk", instant: dt.datetime | None = None
    ) -> QuerySet[Any]:
        """``qs`` without the rows whose patent (``patent_field``) was approved after ``as_of``
        (or at or after ``instant``).

        The same rows ``exclude(pk__in=approved_after)`` leaves, asked per row through the audit
        log's (target_type, target_id) index: a past as-of day may precede thousands of
        approvals, and a literal list of them costs every query that carries it."""
        since = self.cutoff if instant is None else instant
        if not self.approved_since(since):
            return qs
        later = AuditEvent.objects.filter(
            action="patents.patent.approved",
            target_type="patents.patent",
            target_id=Cast(OuterRef(patent_field), CharField()),
            timestamp__gte=since,
        )
        return qs.filter(~Exists(later))

    def in_library(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        """In-library patents of ``qs`` already in the library on ``as_of``: recorded by then and
        not approved after it (patents imported straight into the library count from their
        import). A queryset, so callers filter other tables by subquery, not by id lists."""
        late = self.approved_after
        qs = qs.filter(library_status="in_library", created_at__lt=self.cutoff)
        return qs.exclude(pk__in=late) if late else qs
