"""Changing a pool's charter (criteria, fee, rule, tariff) and the members' agreed shares, from the
page and the API, audited; and a distribution by agreed shares against a hand-worked example."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.pools.models import Pool, PoolMember
from patentbridge.pools.services import distributions, licences, pools
from web.factories import make_token
from web.matrix import client_for
from web.pools.factories import FOUNDED, Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
D = dt.date


def two_member_pool(cast: Cast, **charter: Any) -> Pool:
    pool = make_pool(cast, **charter)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b)
    return pool


def test_charter_change_through_the_page_is_audited(cast: Cast) -> None:
    pool = make_pool(cast)
    client = client_for(cast.agency_user)
    assert "charter-form" in client.get(f"/pools/{pool.pk}/").content.decode()
    response = client.post(
        f"/pools/{pool.pk}/act/charter/",
        {
            "min_grade": "B",
            "mgmt_fee_rate": "12.5%",
            "sharing_rule": "agreed",
            "tariff_amount": "450000",
            "tariff_years": "5",
        },
    )
    assert response.status_code == 302
    pool.refresh_from_db()
    assert (pool.min_grade, pool.mgmt_fee_rate, pool.sharing_rule, pool.tariff_years) == (
        "B",
        Decimal("0.1250"),
        "agreed",
        5,
    )
    assert pool.tariff["components"][0]["amount"] == "450000.00"
    event = AuditEvent.objects.get(action="pools.pool.charter_changed")
    assert event.data["before"]["min_grade"] == "C" and event.data["after"]["min_grade"] == "B"
    # A member's TTO cannot change the charter.
    assert client_for(cast.tto_a).post(f"/pools/{pool.pk}/act/charter/", {"min_grade": ""}).status_code in (
        302,
        403,
        404,
    )
    pool.refresh_from_db()
    assert pool.min_grade == "B"


def test_bad_charter_values_are_refused_in_chinese(cast: Cast) -> None:
    pool = make_pool(cast)
    for values, word in (
        ({"mgmt_fee_rate": "60%"}, "管理费比例"),
        ({"sharing_rule": "x"}, "收益分配规则"),
        ({"tariff_years": "0"}, "池外许可期限"),
        ({"min_grade": "Z"}, "最低分级"),
        ({"grade_weights": {"E": 1}}, "分级权重"),
    ):
        with pytest.raises(ValidationError, match=word):
            pools.set_charter(cast.agency_user, pool, **values)
    with pytest.raises(ValidationError, match="池外统一许可费"):
        pools.lump_sum_tariff("-5")
    with pytest.raises(PermissionDenied):
        pools.set_charter(cast.tto_a, pool, min_grade="A")


def test_agreed_shares_must_cover_every_member_and_make_one(cast: Cast) -> None:
    pool = two_member_pool(cast, sharing_rule="agreed")
    a, b = cast.uni_a.pk, cast.uni_b.pk
    with pytest.raises(ValidationError, match="须等于 1"):
        pools.set_agreed_shares(cast.agency_user, pool, {a: "0.5", b: "0.4"})
    with pytest.raises(ValidationError, match="请填写"):
        pools.set_agreed_shares(cast.agency_user, pool, {a: "1"})
    with pytest.raises(ValidationError, match="不是本池成员"):
        pools.set_agreed_shares(cast.agency_user, pool, {a: "0.5", b: "0.5", cast.outsider.pk: "0"})
    pools.set_agreed_shares(cast.agency_user, pool, {a: "0.7", b: "0.3"})
    assert dict(PoolMember.objects.filter(pool=pool).values_list("org_id", "agreed_share")) == {
        a: Decimal("0.700000"),
        b: Decimal("0.300000"),
    }


def test_distribution_by_agreed_shares_worked_example(cast: Cast) -> None:
    """¥300,000, fee 10 % → ¥270,000 at 70 % / 30 % → A ¥189,000.00, B ¥81,000.00 (days do not
    matter under agreed shares)."""
    pool = two_member_pool(cast, sharing_rule="agreed")
    pools.set_agreed_shares(cast.agency_user, pool, {cast.uni_a.pk: "0.7", cast.uni_b.pk: "0.3"})
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=D(2026, 3, 1), on=D(2026, 3, 1)
    )
    record_payment(
        cast.agency_user,
        Receivable.objects.get(contract=licence.contract),
        amount="300000",
        paid_on=D(2026, 3, 2),
    )
    dist = distributions.compute_distribution(
        cast.agency_user, pool, start=FOUNDED, end=D(2026, 3, 31), on=D(2026, 4, 1)
    )
    assert {line.org_id: line.amount for line in dist.lines.all()} == {
        cast.uni_a.pk: Decimal("189000.00"),
        cast.uni_b.pk: Decimal("81000.00"),
    }


def test_charter_api(cast: Cast) -> None:
    pool = two_member_pool(cast)
    _, key = make_token(cast.agency_user)
    body = {"sharing_rule": "agreed", "shares": {str(cast.uni_a.pk): "0.6", str(cast.uni_b.pk): "0.4"}}
    response = Client().post(
        f"/api/pools/{pool.pk}/charter",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["sharing_rule"]["code"] == "agreed"
    bad = Client().post(
        f"/api/pools/{pool.pk}/charter",
        data=json.dumps({"sharing_rule": "patent_count", "shares": {str(cast.uni_a.pk): "2"}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert bad.status_code == 422
    pool.refresh_from_db()
    assert pool.sharing_rule == "agreed"  # the whole request was refused, the rule change included
