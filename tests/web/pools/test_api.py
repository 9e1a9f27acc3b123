"""The pool REST API with the pages' permissions: create (agency only), list and detail by role,
apply (own patents only), review, outbound licence and distribution; Chinese 403/404/422 bodies
for outsiders and hostile input, never a 500."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.pools.models import MemberApplication, Pool
from web.factories import make_token
from web.pools.factories import TARIFF, Cast, farm_patent, make_pool

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def call(method: str, path: str, user: Any | None, body: Any = None, raw: bytes | None = None) -> Any:
    headers: dict[str, str] = {}
    if user is not None:
        _, key = make_token(user)
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    client = Client()
    if method == "GET":
        return client.get(path, **headers)
    data = raw if raw is not None else json.dumps(body if body is not None else {})
    return client.post(path, data=data, content_type="application/json", **headers)


def body_text(response: Any) -> str:
    """The JSON body with its Chinese unescaped."""
    return json.dumps(response.json(), ensure_ascii=False)


def test_create_list_detail(cast: Cast) -> None:
    response = call(
        "POST",
        "/api/pools",
        cast.agency_user,
        {
            "name": "API 专利池",
            "ipc_prefixes": ["A01C"],
            "tariff": TARIFF,
            "mgmt_fee_rate": "0.05",
            "open": True,
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "operating" and data["agency"] == cast.agency.name
    assert data["criteria"]["ipc_prefixes"] == ["A01C"]
    assert "300,000.00" in data["tariff"]["text"] or "300000" in data["tariff"]["text"]
    listed = call("GET", "/api/pools", cast.enterprise_user).json()
    assert [p["name"] for p in listed["results"]] == ["API 专利池"]
    assert call("GET", f"/api/pools/{data['id']}", cast.officer_city).status_code == 200
    other = call("GET", f"/api/pools/{data['id']}", cast.officer_other)
    assert other.status_code == 404 and "未找到" in other.json()["detail"]
    assert AuditEvent.objects.filter(action="pools.pool.created").count() == 1
    assert AuditEvent.objects.filter(action="pools.pool.opened").count() == 1


def test_create_refused_for_universities_enterprises_and_bad_input(cast: Cast) -> None:
    assert call("POST", "/api/pools", cast.tto_a, {"name": "x"}).status_code == 403
    assert call("POST", "/api/pools", cast.enterprise_user, {"name": "x"}).status_code == 403
    for body, word in (
        ({}, "请填写专利池名称"),
        ({"name": "x", "chain": "NOPE"}, "产业链代码不存在"),
        ({"name": "x", "mgmt_fee_rate": "0.9"}, "管理费比例"),
        ({"name": "x", "sharing_rule": "lottery"}, "收益分配规则"),
        ({"name": "x", "tariff": {"free": False, "components": [{"type": "mystery"}]}}, ""),
        ({"name": "x", "open": True}, "请先公布池外统一许可费"),
        ({"name": ["x"]}, "专利池名称应为文字"),
    ):
        response = call("POST", "/api/pools", cast.agency_user, body)
        assert response.status_code == 422, (body, response.content)
        assert word in body_text(response)
    response = call("POST", "/api/pools", cast.agency_user, raw=b"{not json")
    assert response.status_code == 422 and "JSON" in body_text(response)
    assert Pool.objects.count() == 0


def test_apply_review_licence_distribute(cast: Cast) -> None:
    pool = make_pool(cast)
    patent = farm_patent(cast.uni_a)
    other = farm_patent(cast.uni_b)
    refused = call(
        "POST", f"/api/pools/{pool.pk}/applications", cast.tto_a, {"patent": other.application_number}
    )
    assert refused.status_code in (403, 422)
    assert MemberApplication.objects.count() == 0
    response = call(
        "POST",
        f"/api/pools/{pool.pk}/applications",
        cast.tto_a,
        {"patent": patent.application_number, "category": "core"},
    )
    assert response.status_code == 201, response.content
    app_id = response.json()["id"]
    assert response.json()["blocks"] == []
    assert call(
        "POST", f"/api/pools/{pool.pk}/applications/{app_id}/review", cast.tto_a, {"decision": "admit"}
    ).status_code in (403, 404)
    bad = call(
        "POST", f"/api/pools/{pool.pk}/applications/{app_id}/review", cast.agency_user, {"decision": "maybe"}
    )
    assert bad.status_code == 422 and "审核结论" in body_text(bad)
    ok = call(
        "POST", f"/api/pools/{pool.pk}/applications/{app_id}/review", cast.agency_user, {"decision": "admit"}
    )
    assert ok.status_code == 200 and ok.json()["state"] == "admitted"
    detail = call("GET", f"/api/pools/{pool.pk}", cast.enterprise_user).json()
    assert [p["application_number"] for p in detail["patents"]] == [patent.application_number]
    assert detail["patents"][0]["history"][0]["status"] == "admitted"
    assert (
        call(
            "POST", f"/api/pools/{pool.pk}/licences", cast.enterprise_user, {"licensee": cast.enterprise.pk}
        ).status_code
        == 403
    )
    lic = call("POST", f"/api/pools/{pool.pk}/licences", cast.agency_user, {"licensee": cast.enterprise.pk})
    assert lic.status_code == 201, lic.content
    assert lic.json()["state"] == "active_paid" and lic.json()["patents"] == [patent.application_number]
    member_as_licensee = call(
        "POST", f"/api/pools/{pool.pk}/licences", cast.agency_user, {"licensee": cast.uni_a.pk}
    )
    assert member_as_licensee.status_code == 422
    receivable = Receivable.objects.get(contract_id=lic.json()["contract_id"])
    record_payment(cast.agency_user, receivable, amount="300000", paid_on=dt.date(2026, 6, 1))
    dist = call(
        "POST",
        f"/api/pools/{pool.pk}/distributions",
        cast.agency_user,
        {"start": "2026-01-01", "end": "2026-06-01"},
    )
    assert dist.status_code == 201, dist.content
    assert dist.json()["lines"] == [
        {"org": cast.uni_a.name, "patents": 1, "weight": "1.000000", "amount": "270000.00"}
    ]
    again = call(
        "POST",
        f"/api/pools/{pool.pk}/distributions",
        cast.agency_user,
        {"start": "2026-01-01", "end": "2026-06-01"},
    )
    assert again.status_code == 422 and "已经生成" in body_text(again)
    dist_id = dist.json()["id"]
    assert call("GET", f"/api/pools/distributions/{dist_id}", cast.tto_a).status_code == 200
    assert call("GET", f"/api/pools/distributions/{dist_id}", cast.enterprise_user).status_code == 404
    future = call(
        "POST",
        f"/api/pools/{pool.pk}/distributions",
        cast.agency_user,
        {"start": "2026-06-01", "end": "2026-12-31"},
    )
    assert future.status_code == 422 and "已经结束" in body_text(future)


def test_anonymous_and_roles_without_pools(cast: Cast) -> None:
    assert call("GET", "/api/pools", None).status_code in (401, 403)
    assert call("GET", "/api/pools", cast.inventor).status_code == 403
    assert call("GET", "/api/pools/abc", cast.agency_user).status_code == 404
