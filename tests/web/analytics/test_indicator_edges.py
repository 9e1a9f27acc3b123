"""Edge cases of the definitions: which records a count takes and which it leaves, on the world
plus a few extra records per test."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patentbridge.analytics.indicators import compute
from patentbridge.analytics.scope import scope_for
from patentbridge_engine.analytics import Scope
from web.analytics.world import AS_OF, World, at
from web.factories import make_org

pytestmark = pytest.mark.django_db


def value(indicator_id: str, **scope: Any) -> Any:
    scope.setdefault("as_of", AS_OF)
    return compute(Scope(**scope), [indicator_id])[0]


def rows(indicator_id: str, **scope: Any) -> dict[str, Any]:
    return {r.key: r.value for r in value(indicator_id, **scope).rows}


def test_filings_count_only_recorded_ones_by_their_filing_day(world: World):
    from patentbridge.licensing.models import LicenceFiling

    c3, c5 = world.contracts["c3"], world.contracts["c5"]
    LicenceFiling.objects.filter(contract=c3).update(state="refused", refusal_reason="材料不全")
    LicenceFiling.objects.create(
        contract=c5,
        kind="initial",
        due_date=dt.date(2024, 6, 1),
        state="filed",
        filed_at=dt.date(2024, 7, 5),
        record_no="BA-5",
    )
    assert value("LIC-FILED").value == 1
    later = rows("LIC-FILED", as_of=dt.date(2024, 7, 31))
    assert later == {"fixed": 0, "royalty": 1, "free": 1}
    LicenceFiling.objects.filter(contract=world.contracts["c1"]).update(state="changed")
    assert value("LIC-FILED").value == 1  # a filing later replaced by a change filing still counts


def test_offers_reach_a_region_by_target_or_by_publisher(world: World):
    from patentbridge.licensing.models import LicenceOffer

    lc = world.orgs["gov_lc"]
    LicenceOffer.objects.create(
        publisher_org=lc,
        title="聊城本地发布",
        created_by=world.users["operator"],
        state="published",
        published_at=at(2024, 5, 1),
        target_regions=["3702"],
    )
    LicenceOffer.objects.create(
        publisher_org=world.orgs["uni_b"],
        title="面向全省",
        created_by=world.users["operator"],
        state="paused",
        published_at=at(2024, 5, 1),
        target_regions=["37"],
    )
    assert value("LIC-OFFERS", region="3715").value == 2  # 甲大学's (targets 莘县) and 聊城's own
    assert value("LIC-OFFERS", region="3702").value == 1  # targets 青岛
    assert value("LIC-OFFERS").value == 3  # paused after publishing still counts


def test_menu_funnel_ignores_requests_made_before_the_delivery(world: World):
    from patentbridge.licensing.models import (
        LicenceApplication,
        OpenLicenceAcceptance,
        OpenLicenceDeclaration,
    )
    from patentbridge.menus.models import MenuDelivery

    delivery = MenuDelivery.objects.get(enterprise=world.orgs["ent_y"])
    # ent_y accepted an open licence on p2 in April (after the March delivery): a request.
    decl = OpenLicenceDeclaration.objects.get(patent=world.patents["p2"])
    acceptance = OpenLicenceAcceptance.objects.create(
        declaration=decl,
        licensee_org=world.orgs["ent_y"],
        notified_at=dt.date(2024, 4, 2),
        created_by=world.users["operator"],
    )
    OpenLicenceAcceptance.objects.filter(pk=acceptance.pk).update(created_at=at(2024, 4, 2))
    counts = rows("MENU-FUNNEL")
    assert counts["trial_requested"] == 2 and counts["interested"] == 2 and counts["viewed"] == 2
    # An application made before the delivery is not an answer to it.
    OpenLicenceAcceptance.objects.filter(pk=acceptance.pk).update(created_at=at(2024, 2, 1))
    app = LicenceApplication.objects.create(
        offer=LicenceApplication.objects.first().offer,
        applicant_org=world.orgs["ent_y"],
        requested_mode="paid",
        created_by=world.users["operator"],
    )
    app.patents.set([delivery.item.patent])
    LicenceApplication.objects.filter(pk=app.pk).update(created_at=at(2024, 2, 1))
    assert rows("MENU-FUNNEL")["trial_requested"] == 1


def test_a_tto_sees_the_needs_its_patents_were_pushed_to(world: World):
    a = compute(scope_for(world.users["tto_a"], as_of=AS_OF), ["MAT-NEEDS", "MAT-PUSHED"])
    assert [v.value for v in a] == [1, 2]
    b = compute(scope_for(world.users["tto_b"], as_of=AS_OF), ["MAT-NEEDS", "MAT-PUSHED"])
    assert [v.value for v in b] == [0, 0]


def test_a_trial_converted_early_counts_as_decided(world: World):
    from patentbridge.licensing.models import ContractStep

    ContractStep.objects.create(
        contract=world.contracts["c3"],
        event="convert",
        from_state="active_trial",
        to_state="active_paid",
        on_date=dt.date(2024, 4, 1),
    )
    early = value("LIC-CONVERSION", as_of=dt.date(2024, 4, 15))
    assert early.value == 100.0  # c3 converted before its trial end; c1 not yet due
    assert value("LIC-CONVERSION-DAYS").value == 61.0  # median of 31 (c3) and 91 (c1)


def test_organisations_outside_every_region_stay_out_of_regional_counts(world: World):
    stray = make_org("无地区企业", "enterprise")
    from patentbridge.licensing.models import LicenceContract

    c = LicenceContract.objects.create(
        contract_no="S-1",
        licensor_org=world.orgs["uni_a"],
        licensee_org=stray,
        created_by=world.users["operator"],
        kind="ordinary",
        origin="negotiated",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2025, 1, 1),
        signed_at=dt.date(2024, 2, 1),
    )
    c.patents.set([world.patents["p1"]])
    assert value("LIC-LICENCES").value == 4
    assert value("LIC-LICENCES", region="37").value == 3
    county = {r.key: r.value for r in value("CONV-BY-COUNTY").rows}
    assert county["-"] == 1


def test_public_list_entries_of_other_organisations_stay_out_of_a_tto_scope(world: World):
    scope = dict(org_id=world.orgs["uni_b"].pk, org_side="supply")
    assert value("PL-ENTERED", **scope).value == 0
    assert value("PL-ENTERED", as_of=dt.date(2024, 8, 1), **scope).value == 1
