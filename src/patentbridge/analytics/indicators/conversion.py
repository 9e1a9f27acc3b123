"""Conversion indicators (转化率, 平台口径): licensed library patents over library patents, per
university, per county of the licensees and per chain. Never the survey's 产业化率 (§7.c I1)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import QuerySet
from django.db.models import Value as SqlValue
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from patentbridge.accounts.regions import region_prefix
from patentbridge.analytics.indicators.context import Context, per_context
from patentbridge.analytics.indicators.library import (
    chain_counts,
    library_chain_counts,
    library_kinds,
    owner_counts,
)
from patentbridge.analytics.indicators.licensing import scope_trials, signed_contracts
from patentbridge.analytics.indicators.registry import register
from patentbridge.licensing.models import LicenceContract
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge.patents.models import IndustryChain, Patent
from patentbridge_engine.analytics import Row, Value, indicator, rate

__all__ = ["licensed_ids"]


def licensed_ids(ctx: Context) -> set[int]:
    """Library patents of the scope named in a contract signed on or before ``as_of`` (any
    licensee: a university's patent licensed out of the region still converted)."""
    return set(_licensed(ctx))


@per_context
def _licensed(ctx: Context) -> dict[int, int | None]:
    """``licensed_ids`` → each patent's inventorying organisation, in one read."""
    return dict(_licensed_rows(ctx).values_list("patent_id", "patent__owner_org_id"))


def _licensed_rows(ctx: Context) -> QuerySet[Any]:
    """The contract–patent rows behind ``licensed_ids``."""
    through = LicenceContract.patents.through
    # The through table's foreign key to the contract (named after the model for a plain
    # many-to-many, "contract" on the ContractPatent scope rows): asked of the field, not spelled here.
    fk = LicenceContract.patents.field.m2m_field_name()
    # Joined, not "patent in (library subquery)": contracts are few, the library is large.
    rows = (
        through.objects.filter(
            **{f"{fk}__signed_at__isnull": False},
            **{f"{fk}__signed_at__lte": ctx.as_of},
            patent__created_at__lt=ctx.cutoff,
        )
        # An expression, so the planner starts from the contracts, not the status index.
        .filter(Exact(Coalesce("patent__library_status", SqlValue("")), "in_library"))
    )
    rows = ctx.patents(rows, "patent__", org_index=False)
    rows = ctx.not_approved_after(rows, "patent_id")
    return rows


@register("CONV-PLATFORM")
def platform(ctx: Context) -> Value:
    library, licensed = sum(library_kinds(ctx).values()), licensed_ids(ctx)
    rows = [Row("library", "已入库专利", library), Row("licensed", "其中已许可", len(licensed))]
    value = rate(len(licensed), library)
    return Value(indicator("CONV-PLATFORM"), value, rows, "" if value is not None else "统计日没有入库专利")


@register("CONV-BY-UNIVERSITY")
def by_university(ctx: Context) -> Value:
    total = owner_counts(ctx)
    done = Counter(_licensed(ctx).values())
    rows = [
        Row(
            str(org),
            ctx.org_names.get(org, ""),
            rate(done[org], n),
            extra=(("入库专利", n), ("已许可专利", done[org])),
        )
        for org, n in total.items()
        if org is not None
    ]
    rows.sort(key=lambda r: (-(r.value or 0), -int(dict(r.extra)["入库专利"] or 0), r.label))
    return Value(indicator("CONV-BY-UNIVERSITY"), len(rows), rows, "行值为许可转化率（%）")


@register("CONV-BY-COUNTY")
def by_county(ctx: Context) -> Value:
    contracts = list(signed_contracts(ctx).values_list("pk", "licensee_org_id"))
    per: dict[str, list[int]] = defaultdict(list)
    orgs: dict[str, set[int]] = defaultdict(set)
    for pk, org in contracts:
        code = ctx.org_regions.get(org, "")
        # The licensee's own level: a county (371522), else the city or province it registered.
        key = region_prefix(code) or "-"
        per[key].append(pk)
        orgs[key].add(org)
    # Trial outcomes read once for every contract, then split by county (not one read per county).
    trials, paid = scope_trials(ctx)
    decided_ids = {pk for pk, _, end in trials if end <= ctx.as_of or pk in paid}
    rows = []
    for key, pks in per.items():
        decided = len(decided_ids.intersection(pks))
        converted = sum(1 for pk in decided_ids.intersection(pks) if pk in paid)
        rows.append(
            Row(
                key,
                region_label(key) if key != "-" else "地区未知",
                len(pks),
                extra=(("被许可企业", len(orgs[key])), ("试用转付费率(%)", rate(converted, decided))),
            )
        )
    rows.sort(key=lambda r: (-(r.value or 0), r.key))
    return Value(indicator("CONV-BY-COUNTY"), len(rows), rows, "行值为许可合同数")


@register("CONV-BY-CHAIN")
def by_chain(ctx: Context) -> Value:
    total, _ = library_chain_counts(ctx)
    # The licensed patents as a subquery: thousands of ids as a literal list cost more to send.
    licensed = Patent.objects.filter(pk__in=_licensed_rows(ctx).values("patent_id"))
    done, _ = chain_counts(ctx, licensed, few=True)
    rows = [
        Row(
            c.code,
            c.name,
            rate(done.get(c.code, 0), total.get(c.code, 0)),
            link=f"chain={c.code}",
            extra=(("入库专利", total.get(c.code, 0)), ("已许可专利", done.get(c.code, 0))),
        )
        for c in IndustryChain.objects.order_by("position", "code")
    ]
    return Value(indicator("CONV-BY-CHAIN"), len(rows), rows, "行值为许可转化率（%）")
