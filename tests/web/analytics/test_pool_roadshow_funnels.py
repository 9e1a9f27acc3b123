"""POOL-FUNNEL and RS-FUNNEL on the world of ``world.py`` plus a hand-built pool and roadshow.

Pool 泰安池 (region 3709, agency 乙学院): 甲大学 applies p1 on 2024-03-01 and p2 on 2024-05-01; p1
admitted 2024-03-10 and withdrawn 2024-06-01; p2 admitted 2024-05-10; one outbound licence — c5's
contract (licensee 崂山, signed 2024-03-01). Roadshow (region 3715, organised by 甲大学, held
2024-04-20): items p1 and p2; 莘县 enterprise registers 04-10, 崂山 enterprise 04-25 (after the
day); 莘县 states an intention on 04-20 linked to c1 (signed 2024-02-01), 崂山 on 05-05 unlinked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from patentbridge.analytics.indicators import compute
from patentbridge_engine.analytics import Scope
from web.analytics.world import World
from web.matrix import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(world: World) -> World:
    from patentbridge.patents.models import IndustryChain
    from patentbridge.pools.models import MemberApplication, Pool, PoolLicence, PoolMember, PoolPatent
    from patentbridge.roadshows.models import (
        RoadshowEvent,
        RoadshowIntention,
        RoadshowItem,
        RoadshowRegistration,
    )

    o, p, c, op = world.orgs, world.patents, world.contracts, world.users["operator"]
    pool = Pool.objects.create(
        name="泰安池",
        region_code="370900",
        agency_org=o["uni_b"],
        state="operating",
        created_by=op,
        founded_on=dt.date(2024, 1, 1),
    )
    member = PoolMember.objects.create(
        pool=pool, org=o["uni_a"], role="member", joined_on=dt.date(2024, 3, 1)
    )

    def apply(patent: Any, on: dt.date) -> Any:
        return MemberApplication.objects.create(
            pool=pool, org=o["uni_a"], patent=patent, state="admitted", submitted_by=op, submitted_on=on
        )

    def admit(patent: Any, application: Any, on: dt.date, out: dt.date | None = None) -> None:
        PoolPatent.objects.create(
            pool=pool,
            patent=patent,
            member=member,
            application=application,
            status="removed" if out else "admitted",
            status_since=out or on,
            admitted_on=on,
            withdrawn_on=out,
        )

    admit(p["p1"], apply(p["p1"], dt.date(2024, 3, 1)), dt.date(2024, 3, 10), dt.date(2024, 6, 1))
    admit(p["p2"], apply(p["p2"], dt.date(2024, 5, 1)), dt.date(2024, 5, 10))
    PoolLicence.objects.create(pool=pool, contract=c["c5"], created_on=dt.date(2024, 2, 20))
    event = RoadshowEvent.objects.create(
        chain=IndustryChain.objects.get(code="GLC"),
        month="2024-04",
        title="绿色低碳路演",
        event_date=dt.date(2024, 4, 20),
        organiser_org=o["uni_a"],
        region_code="371500",
        created_by=op,
    )
    item1 = RoadshowItem.objects.create(event=event, patent=p["p1"], added_by=op)
    item2 = RoadshowItem.objects.create(event=event, patent=p["p2"], added_by=op)
    for org, day in (("ent_x", dt.date(2024, 4, 10)), ("ent_y", dt.date(2024, 4, 25))):
        RoadshowRegistration.objects.create(event=event, org=o[org], registered_by=op, registered_on=day)
    RoadshowIntention.objects.create(
        event=event,
        item=item1,
        org=o["ent_x"],
        mode="licence",
        amount=Decimal("50000"),
        recorded_by=op,
        recorded_on=dt.date(2024, 4, 20),
        contract=c["c1"],
    )
    RoadshowIntention.objects.create(
        event=event,
        item=item2,
        org=o["ent_y"],
        mode="licence",
        amount=Decimal("10000"),
        recorded_by=op,
        recorded_on=dt.date(2024, 5, 5),
    )
    return world


def rows(scope: Scope, indicator_id: str) -> tuple[object, dict[str, object]]:
    (value,) = compute(scope, [indicator_id])
    return value.value, {r.key: r.value for r in value.rows}


def test_pool_funnel_as_of_days(built: World):
    head, steps = rows(Scope(as_of=dt.date(2024, 4, 30)), "POOL-FUNNEL")
    assert (head, steps) == (1, {"applied": 1, "admitted": 1, "in_pool": 1, "licensed": 1})
    head, steps = rows(Scope(as_of=dt.date(2024, 6, 30)), "POOL-FUNNEL")
    # p1 was withdrawn on 06-01: two admitted in all, one still in the pool.
    assert (head, steps) == (1, {"applied": 2, "admitted": 2, "in_pool": 1, "licensed": 1})
    head, steps = rows(Scope(as_of=dt.date(2024, 2, 1)), "POOL-FUNNEL")
    assert (head, steps) == (0, {"applied": 0, "admitted": 0, "in_pool": 0, "licensed": 0})


def test_pool_funnel_by_region_and_side(built: World):
    day = dt.date(2024, 6, 30)
    assert rows(Scope(as_of=day, region="3715"), "POOL-FUNNEL")[1]["admitted"] == 0
    assert rows(Scope(as_of=day, region="3709"), "POOL-FUNNEL")[1]["admitted"] == 2
    uni_a = built.orgs["uni_a"].pk
    assert rows(Scope(as_of=day, org_id=uni_a, org_side="supply"), "POOL-FUNNEL")[1] == {
        "applied": 2,
        "admitted": 2,
        "in_pool": 1,
        "licensed": 0,
    }
    ent_y = built.orgs["ent_y"].pk
    assert rows(Scope(as_of=day, org_id=ent_y, org_side="demand"), "POOL-FUNNEL")[1] == {
        "applied": 0,
        "admitted": 0,
        "in_pool": 0,
        "licensed": 1,
    }


def test_roadshow_funnel_as_of_days(built: World):
    head, steps = rows(Scope(as_of=dt.date(2024, 4, 20)), "RS-FUNNEL")
    assert head == 2
    assert steps == {"events": 1, "items": 2, "registered": 1, "intentions": 1, "deals": 1}
    _, later = rows(Scope(as_of=dt.date(2024, 6, 30)), "RS-FUNNEL")
    assert later == {"events": 1, "items": 2, "registered": 2, "intentions": 2, "deals": 1}
    # Before the event was held nothing counts.
    _, before = rows(Scope(as_of=dt.date(2024, 4, 19)), "RS-FUNNEL")
    assert before == {"events": 0, "items": 0, "registered": 0, "intentions": 0, "deals": 0}


def test_roadshow_funnel_by_region_and_side(built: World):
    day = dt.date(2024, 6, 30)
    assert rows(Scope(as_of=day, region="3702"), "RS-FUNNEL")[1]["events"] == 0
    assert rows(Scope(as_of=day, region="371522"), "RS-FUNNEL")[1]["events"] == 0  # aimed at the city
    assert rows(Scope(as_of=day, region="3715"), "RS-FUNNEL")[1]["events"] == 1
    ent_x = built.orgs["ent_x"].pk
    assert rows(Scope(as_of=day, org_id=ent_x, org_side="demand"), "RS-FUNNEL")[1] == {
        "events": 1,
        "items": 2,
        "registered": 1,
        "intentions": 1,
        "deals": 1,
    }
    uni_b = built.orgs["uni_b"].pk
    assert rows(Scope(as_of=day, org_id=uni_b, org_side="supply"), "RS-FUNNEL")[1]["events"] == 0


def test_dashboards_draw_the_pool_and_roadshow_funnels(built: World):
    html = client_for(built.users["operator"]).get("/?as_of=2024-06-30").content.decode()
    assert 'data-testid="chart-pools"' in html and 'data-testid="chart-roadshows"' in html
    assert "统计日在池专利（件）" in html and "成交：已签许可合同（项）" in html
    ent = client_for(built.users["ent_x"]).get("/?as_of=2024-06-30").content.decode()
    assert 'data-testid="chart-roadshows"' in ent and 'data-testid="chart-pools"' not in ent
