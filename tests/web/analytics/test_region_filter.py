"""``Context.org_q``: a region's filter by the shorter list — the organisations inside, or any
organisation but those outside — selects exactly the rows the plain list of organisations inside
selects, for rows without an organisation too, on the key and on the key read with NULL as 0."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Value
from django.db.models.functions import Coalesce

from patentbridge.analytics.indicators import Context
from patentbridge.patents.models import Patent
from patentbridge_engine.analytics import Scope
from web.analytics.world import World
from web.factories import make_org, make_patent

DAY = dt.date(2026, 1, 1)


def _ids(qs: object) -> set[int]:
    return set(qs.values_list("pk", flat=True))  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize("region", ["37", "3701", "3709", "370902", "11", "3"])
def test_shorter_list_selects_what_the_list_inside_selects(world: World, region: str) -> None:
    outsider = make_org("北京某研究所", "institute", region_code="110108")
    make_patent(owner=outsider)
    orphan = make_patent(owner=world.orgs["uni_a"])
    Patent.objects.filter(pk=orphan.pk).update(owner_org=None)
    ctx = Context(Scope(as_of=DAY, region=region))
    inside = sorted(ctx.region_orgs or set())
    expected = _ids(Patent.objects.filter(owner_org_id__in=inside))
    assert _ids(Patent.objects.filter(ctx.org_q("owner_org_id"))) == expected
    coalesced = Patent.objects.alias(pb_owner=Coalesce("owner_org_id", Value(0)))
    assert _ids(coalesced.filter(ctx.org_q("pb_owner", coalesced=True))) == expected
    assert orphan.pk not in expected


@pytest.mark.django_db
def test_a_region_holding_most_organisations_is_filtered_by_those_outside(world: World) -> None:
    make_org("北京某研究所", "institute", region_code="110108")
    ctx = Context(Scope(as_of=DAY, region="37"))
    inside, everyone = ctx.region_orgs or set(), set(ctx.org_regions)
    assert len(everyone - inside) < len(inside)
    sql = str(Patent.objects.filter(ctx.org_q("owner_org_id")).query)
    assert "NOT" in sql and "IS NOT NULL" in sql
    # A small region keeps the list of its own organisations.
    small = Context(Scope(as_of=DAY, region="3709"))
    assert "NOT" not in str(Patent.objects.filter(small.org_q("owner_org_id")).query)
