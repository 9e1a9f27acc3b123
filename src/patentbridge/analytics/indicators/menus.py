"""The menu funnel as of a date (专利菜单送达漏斗): the same steps as ``menus.funnel`` but each
step counted only when its record is dated on or before ``as_of`` — viewed and answered days on
the delivery, the application or acceptance made after the delivery, the contract's signing day
and the day its timeline entered the paid phase."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.licensing import paid_on
from patentbridge.analytics.indicators.registry import register
from patentbridge.licensing.models import LicenceApplication, LicenceContract, OpenLicenceAcceptance
from patentbridge.menus.funnel import FUNNEL_STEPS
from patentbridge.menus.models import MenuDelivery
from patentbridge_engine.analytics import Row, Value, indicator, rate

__all__ = ["funnel_counts"]


def deliveries(ctx: Context) -> QuerySet[Any]:
    qs = MenuDelivery.objects.filter(delivered_on__lte=ctx.as_of)
    if ctx.scope.inventor_id is not None:
        return ctx.patents(qs, "item__patent__")
    return ctx.by_org(qs, "enterprise_id", supply="menu__publisher_org_id", demand="enterprise_id")


def funnel_counts(ctx: Context, qs: QuerySet[Any] | None = None) -> dict[str, int]:
    """Step key → deliveries that reached it by ``as_of`` (each step ≤ the one before)."""
    rows = list(
        (qs if qs is not None else deliveries(ctx)).values_list(
            "pk",
            "enterprise_id",
            "item__patent_id",
            "delivered_at",
            "viewed_on",
            "response",
            "responded_on",
            "application_id",
        )
    )
    orgs = {r[1] for r in rows}
    patents = {r[2] for r in rows}
    asked: dict[tuple[int, int], list[Any]] = defaultdict(list)
    through = LicenceApplication.patents.through
    for org, patent, app_id, created in through.objects.filter(
        licenceapplication__applicant_org_id__in=orgs,
        patent_id__in=patents,
        licenceapplication__created_at__lt=ctx.cutoff,
    ).values_list(
        "licenceapplication__applicant_org_id",
        "patent_id",
        "licenceapplication_id",
        "licenceapplication__created_at",
    ):
        asked[(org, patent)].append((app_id, created))
    for org, patent, created in OpenLicenceAcceptance.objects.filter(
        licensee_org_id__in=orgs, declaration__patent_id__in=patents, created_at__lt=ctx.cutoff
    ).values_list("licensee_org_id", "declaration__patent_id", "created_at"):
        asked[(org, patent)].append((None, created))
    signed: dict[tuple[int, int], list[Any]] = defaultdict(list)
    cthrough = LicenceContract.patents.through
    # The through table's foreign key to the contract (named after the model for a plain
    # many-to-many, "contract" on the ContractPatent scope rows): asked of the field, not spelled here.
    fk = LicenceContract.patents.field.m2m_field_name()
    for org, patent, pk, app_id, created in cthrough.objects.filter(
        **{f"{fk}__licensee_org_id__in": orgs},
        patent_id__in=patents,
        **{f"{fk}__signed_at__isnull": False},
        **{f"{fk}__signed_at__lte": ctx.as_of},
    ).values_list(
        f"{fk}__licensee_org_id",
        "patent_id",
        f"{fk}_id",
        f"{fk}__application_id",
        f"{fk}__created_at",
    ):
        signed[(org, patent)].append((pk, app_id, created))
    paid = paid_on({c[0] for cs in signed.values() for c in cs}, ctx.as_of)
    counts = dict.fromkeys((k for k, _ in FUNNEL_STEPS), 0)
    for _pk, org, patent, delivered_at, viewed, response, responded, app_link in rows:
        apps = [
            a for a in asked[(org, patent)] if (a[0] is not None and a[0] == app_link) or a[1] >= delivered_at
        ]
        app_ids = {a[0] for a in apps if a[0] is not None}
        deals = [c for c in signed[(org, patent)] if c[1] in app_ids or c[2] >= delivered_at]
        answered = response if responded is not None and responded <= ctx.as_of else ""
        reached = {
            "delivered": True,
            "trial_requested": bool(apps) or bool(deals),
            "trial": bool(deals),
            "licensed": any(c[0] in paid for c in deals),
        }
        reached["interested"] = answered == "interested" or reached["trial_requested"]
        reached["viewed"] = (
            (viewed is not None and viewed <= ctx.as_of) or bool(answered) or reached["interested"]
        )
        for key, _ in FUNNEL_STEPS:
            counts[key] += int(reached[key])
    return counts


@register("MENU-FUNNEL")
def menu_funnel(ctx: Context) -> Value:
    counts = funnel_counts(ctx)
    total = counts["delivered"]
    rows = [
        Row(k, label, counts[k], extra=(("占送达", rate(counts[k], total)),)) for k, label in FUNNEL_STEPS
    ]
    return Value(indicator("MENU-FUNNEL"), total, rows, "" if total else "统计日前没有菜单送达记录")
