"""One role matrix over every pool page and API route: admin, operator, the agency's staff, a
member's TTO, an outsider TTO, the enterprise licensee, another enterprise, the region's officer,
another region's officer, an inventor, a viewer and anonymous users — each sees only what its role
and organisation allow, no outsider write changes anything, and nothing answers 500."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.pools.models import MemberApplication, Pool, PoolDistribution, PoolLicence, PoolPatent
from patentbridge.pools.services import distributions, licences
from web.factories import make_member, make_org, make_token
from web.matrix import client_for
from web.pools.factories import Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    pool = make_pool(cast)
    pp = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pending = MemberApplication.objects.get(pk=pp.application_id)
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=dt.date(2026, 2, 1), on=dt.date(2026, 2, 1)
    )
    record_payment(
        cast.agency_user,
        Receivable.objects.get(contract=licence.contract),
        amount="300000",
        paid_on=dt.date(2026, 2, 2),
    )
    dist = distributions.compute_distribution(
        cast.agency_user, pool, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), on=dt.date(2026, 4, 1)
    )
    other_enterprise = make_org("另一家企业", "enterprise", region_code="370902")
    return {
        "pool": pool,
        "pp": pp,
        "application": pending,
        "dist": dist,
        "users": {
            "admin": cast.admin,
            "operator": cast.operator,
            "agency": cast.agency_user,
            "member": cast.tto_a,
            "outsider_tto": cast.outsider_tto,
            "licensee": cast.enterprise_user,
            "other_enterprise": make_member(other_enterprise, "enterprise"),
            "officer": cast.officer_city,
            "other_officer": cast.officer_other,
            "inventor": cast.inventor,
            "viewer": cast.viewer,
        },
    }


# Who may read the pool page and its API detail (an operating pool: public to every pool role).
POOL_READERS = {
    "admin",
    "operator",
    "agency",
    "member",
    "outsider_tto",
    "licensee",
    "other_enterprise",
    "officer",
}
# Who may read the distribution statement (agency, platform, members, the region's officer); a TTO
# of another organisation sees the operating pool but not how its income was shared.
STATEMENT_READERS = {"admin", "operator", "agency", "member", "officer"}


def snapshot() -> tuple[Any, ...]:
    return (
        list(Pool.objects.values_list("pk", "state", "min_grade", "sharing_rule")),
        list(PoolPatent.objects.values_list("pk", "status", "withdrawn_on")),
        list(MemberApplication.objects.values_list("pk", "state")),
        PoolLicence.objects.count(),
        PoolDistribution.objects.count(),
    )


def api(user: Any, method: str, path: str, body: Any = None) -> Any:
    _, key = make_token(user)
    client = Client()
    if method == "GET":
        return client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    return client.post(
        path, data=json.dumps(body or {}), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def test_reading_pages_and_api(world: dict[str, Any]) -> None:
    pool, dist = world["pool"], world["dist"]
    for name, user in world["users"].items():
        client = client_for(user)
        listing = client.get("/pools/")
        detail = client.get(f"/pools/{pool.pk}/")
        statement = client.get(f"/pools/distributions/{dist.pk}/")
        if name in POOL_READERS:
            assert listing.status_code == 200 and pool.name in listing.content.decode(), name
            assert detail.status_code == 200, name
            assert api(user, "GET", f"/api/pools/{pool.pk}").status_code == 200, name
        elif name == "other_officer":
            # Holds the pool role but the pool lies outside its region: an empty list, a 404.
            assert listing.status_code == 200 and pool.name not in listing.content.decode()
            assert detail.status_code == 404
            assert api(user, "GET", f"/api/pools/{pool.pk}").status_code == 404
        else:
            assert listing.status_code == 403 and detail.status_code in (403, 404), name
            assert api(user, "GET", f"/api/pools/{pool.pk}").status_code in (403, 404), name
        if name in STATEMENT_READERS:
            assert statement.status_code == 200, name
        else:
            assert statement.status_code in (403, 404), (name, statement.status_code)
            assert api(user, "GET", f"/api/pools/distributions/{dist.pk}").status_code in (403, 404), name
    assert Client().get("/pools/").status_code == 302
    assert Client().get(f"/pools/{pool.pk}/").status_code == 302


def test_buttons_by_role(world: dict[str, Any]) -> None:
    pool, users = world["pool"], world["users"]
    agency_html = client_for(users["agency"]).get(f"/pools/{pool.pk}/").content.decode()
    assert (
        "licence-form" in agency_html and "distribute-form" in agency_html and "charter-form" in agency_html
    )
    member_html = client_for(users["member"]).get(f"/pools/{pool.pk}/").content.decode()
    assert "licence-form" not in member_html and "charter-form" not in member_html
    assert "apply-link" in member_html and "撤出" in member_html
    outsider_html = client_for(users["outsider_tto"]).get(f"/pools/{pool.pk}/").content.decode()
    assert "apply-link" in outsider_html and "撤出" not in outsider_html
    licensee_html = client_for(users["licensee"]).get(f"/pools/{pool.pk}/").content.decode()
    assert "apply-link" not in licensee_html and world["pp"].patent.application_number in licensee_html
    assert "XK-" in licensee_html  # its own licence
    other_html = client_for(users["other_enterprise"]).get(f"/pools/{pool.pk}/").content.decode()
    assert "XK-" not in other_html  # not another enterprise's contract
    officer_html = client_for(users["officer"]).get(f"/pools/{pool.pk}/").content.decode()
    assert "licence-form" not in officer_html and "apply-link" not in officer_html


def test_outsider_writes_change_nothing(world: dict[str, Any]) -> None:
    pool, users = world["pool"], world["users"]
    before = snapshot()
    posts = (
        ("open", {}),
        ("admit", {"application": world["application"].pk}),
        ("reject", {"application": world["application"].pk, "opinion": "x"}),
        ("withdraw_application", {"application": world["application"].pk}),
        ("withdraw_patent", {"entry": world["pp"].pk}),
        ("licence", {"licensee": world["users"]["licensee"].membership.org_id}),
        ("distribute", {"start": "2026-04-01", "end": "2026-05-31"}),
        ("charter", {"min_grade": "A", "mgmt_fee_rate": "0", "sharing_rule": "agreed", "tariff_years": "3"}),
        ("refresh", {}),
    )
    for name in (
        "outsider_tto",
        "licensee",
        "other_enterprise",
        "officer",
        "other_officer",
        "inventor",
        "viewer",
    ):
        client = client_for(users[name])
        for action, data in posts:
            response = client.post(f"/pools/{pool.pk}/act/{action}/", data)
            assert response.status_code in (302, 403, 404), (name, action, response.status_code)
        for path, body in (
            (f"/api/pools/{pool.pk}/charter", {"min_grade": "A"}),
            (f"/api/pools/{pool.pk}/licences", {"licensee": users["licensee"].membership.org_id}),
            (f"/api/pools/{pool.pk}/distributions", {"start": "2026-04-01", "end": "2026-05-31"}),
            (f"/api/pools/{pool.pk}/applications/{world['application'].pk}/review", {"decision": "reject"}),
            ("/api/pools", {"name": "越权专利池"}),
        ):
            response = api(users[name], "POST", path, body)
            assert response.status_code in (403, 404, 422), (name, path, response.status_code)
    assert snapshot() == before
