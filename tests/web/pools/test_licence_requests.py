"""An enterprise's request for a pool's outbound licence (services/requests.py, the pool page, the
API): the enterprise asks, the agency signs through the outbound-licence service or declines with a
reason, the enterprise withdraws or reads the outcome; each role sees and does only its part
(enterprise, another enterprise, the agency's staff, another agency, a member's TTO, an officer);
every step is audited and notified."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from patentbridge.core.models import AuditEvent, Notification
from patentbridge.pools.models import PoolLicence, PoolLicenceRequest, PoolMember
from patentbridge.pools.services import requests
from web.factories import make_member, make_org, make_token
from web.matrix import client_for
from web.pools.factories import Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b)
    other_ent = make_org("另一家农机企业", "enterprise", region_code="370902")
    other_agency = make_org("另一家运营机构", "agency", region_code="370900")
    return {
        "pool": pool,
        "other_enterprise_user": make_member(other_ent, "enterprise"),
        "other_agency_user": make_member(other_agency, "tto"),
    }


def _ask(cast: Cast, pool: Any, **kw: Any) -> PoolLicenceRequest:
    values: dict[str, Any] = {"on": TODAY, "intended_use": "用于玉米播种机生产"}
    values.update(kw)
    return requests.request_licence(cast.enterprise_user, pool, **values)


# --- services -------------------------------------------------------------------------------


def test_request_then_grant_signs_the_outbound_contract(cast: Cast, world: dict[str, Any]) -> None:
    pool = world["pool"]
    req = _ask(cast, pool, start=dt.date(2026, 7, 1))
    assert (req.state, req.org_id, req.start_date) == ("submitted", cast.enterprise.pk, dt.date(2026, 7, 1))
    assert AuditEvent.objects.filter(action="pools.licence_request.submitted").count() == 1
    assert Notification.objects.filter(org=cast.agency, message__contains="申请").count() == 1

    req = requests.grant_request(cast.agency_user, req, on=TODAY)
    assert req.state == "granted" and req.decided_by == cast.agency_user and req.decided_on == TODAY
    licence = PoolLicence.objects.get(pool=pool)
    assert req.licence == licence
    contract = licence.contract
    assert contract.licensee_org == cast.enterprise and contract.state == "active_paid"
    assert contract.start_date == dt.date(2026, 7, 1) and contract.patents.count() == 2
    assert AuditEvent.objects.filter(action="pools.licence_request.granted").count() == 1
    assert Notification.objects.filter(org=cast.enterprise, message__contains=contract.contract_no).exists()
    # Holding a running licence, the enterprise cannot ask again.
    with pytest.raises(ValidationError, match="已持有"):
        _ask(cast, pool)


def test_decline_needs_a_reason_and_the_enterprise_reads_it(cast: Cast, world: dict[str, Any]) -> None:
    req = _ask(cast, world["pool"])
    with pytest.raises(ValidationError, match="理由"):
        requests.decline_request(cast.agency_user, req, on=TODAY, reason="  ")
    req = requests.decline_request(cast.agency_user, req, on=TODAY, reason="企业所在地不在许可地域内")
    assert req.state == "declined" and req.decline_reason == "企业所在地不在许可地域内"
    assert Notification.objects.filter(org=cast.enterprise, message__contains="许可地域").exists()
    # A decided request is not decided again, and no contract was made.
    with pytest.raises(ValidationError, match="不能再处理"):
        requests.grant_request(cast.agency_user, req, on=TODAY)
    assert not PoolLicence.objects.exists()
    # After a decline the enterprise may ask again.
    assert _ask(cast, world["pool"]).state == "submitted"


def test_withdraw_by_the_requester_only(cast: Cast, world: dict[str, Any]) -> None:
    req = _ask(cast, world["pool"])
    with pytest.raises(PermissionDenied):
        requests.withdraw_request(world["other_enterprise_user"], req, on=TODAY)
    with pytest.raises(PermissionDenied):
        requests.withdraw_request(cast.agency_user, req, on=TODAY)
    req = requests.withdraw_request(cast.enterprise_user, req, on=TODAY)
    assert req.state == "withdrawn"
    assert AuditEvent.objects.filter(action="pools.licence_request.withdrawn").count() == 1
    with pytest.raises(ValidationError):
        requests.withdraw_request(cast.enterprise_user, req, on=TODAY)


@pytest.mark.parametrize(
    ("setup", "kw", "word"),
    [
        ("forming", {}, "筹建中"),
        ("no_tariff", {}, "尚未公布"),
        ("member", {}, "成员"),
        ("waiting", {}, "待处理"),
        ("", {"intended_use": " "}, "拟实施用途"),
        ("", {"start": dt.date(2026, 5, 31)}, "不能早于"),
        ("", {"start": dt.date(2027, 7, 1)}, "一年以内"),
    ],
)
def test_refusals(cast: Cast, world: dict[str, Any], setup: str, kw: dict[str, Any], word: str) -> None:
    pool = world["pool"]
    if setup == "forming":
        pool = make_pool(cast, open_on=None)
    elif setup == "no_tariff":
        pool.tariff = {}
        pool.save(update_fields=["tariff"])
    elif setup == "member":
        PoolMember.objects.create(pool=pool, org=cast.enterprise, joined_on=TODAY)
    elif setup == "waiting":
        _ask(cast, pool)
    before = PoolLicenceRequest.objects.count()
    with pytest.raises(ValidationError, match=word):
        _ask(cast, pool, **kw)
    assert PoolLicenceRequest.objects.count() == before


@pytest.mark.parametrize("who", ["agency", "member_tto", "officer"])
def test_only_enterprises_request(cast: Cast, world: dict[str, Any], who: str) -> None:
    user = {"agency": cast.agency_user, "member_tto": cast.tto_a, "officer": cast.officer_city}[who]
    with pytest.raises(PermissionDenied):
        requests.request_licence(user, world["pool"], on=TODAY, intended_use="x")


@pytest.mark.parametrize("who", ["other_agency", "member_tto", "enterprise"])
def test_only_the_agency_decides(cast: Cast, world: dict[str, Any], who: str) -> None:
    req = _ask(cast, world["pool"])
    user = {
        "other_agency": world["other_agency_user"],
        "member_tto": cast.tto_a,
        "enterprise": cast.enterprise_user,
    }[who]
    with pytest.raises(PermissionDenied):
        requests.grant_request(user, req, on=TODAY)
    with pytest.raises(PermissionDenied):
        requests.decline_request(user, req, on=TODAY, reason="不行")
    req.refresh_from_db()
    assert req.state == "submitted" and not PoolLicence.objects.exists()


# --- the pool page ------------------------------------------------------------------------------


def _page(user: Any, pool: Any) -> str:
    response = client_for(user).get(reverse("pools:detail", args=[pool.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def _act(user: Any, pool: Any, action: str, data: dict[str, Any]) -> Any:
    return client_for(user).post(reverse("pools:act", args=[pool.pk, action]), data)


def test_page_flow_enterprise_asks_agency_signs(cast: Cast, world: dict[str, Any]) -> None:
    pool = world["pool"]
    html = _page(cast.enterprise_user, pool)
    assert 'data-testid="request-licence"' in html and "申请池外统一许可" in html
    response = _act(
        cast.enterprise_user, pool, "request_licence", {"intended_use": "生产播种机", "start": ""}
    )
    assert response.status_code == 302
    req = PoolLicenceRequest.objects.get()
    html = _page(cast.enterprise_user, pool)
    assert 'data-testid="request-licence"' not in html and "正在等待运营管理机构处理" in html
    assert "待运营机构处理" in html and f'data-testid="withdraw-request-{req.pk}"' in html

    agency_html = _page(cast.agency_user, pool)
    assert f'data-testid="grant-request-{req.pk}"' in agency_html and "生产播种机" in agency_html
    assert 'data-testid="request-licence"' not in agency_html
    _act(cast.agency_user, pool, "grant_request", {"request": req.pk, "start": "2026-06-15"})
    req.refresh_from_db()
    assert req.state == "granted" and req.licence is not None
    assert req.licence.contract.start_date == dt.date(2026, 6, 15)
    html = _page(cast.enterprise_user, pool)
    assert "已签订许可合同" in html and req.licence.contract.contract_no in html
    assert "贵单位已持有本专利池的许可合同" in html


def test_page_decline_with_reason_shown_to_the_enterprise(cast: Cast, world: dict[str, Any]) -> None:
    pool = world["pool"]
    req = _ask(cast, pool)
    client = client_for(cast.agency_user)
    response = client.post(
        reverse("pools:act", args=[pool.pk, "decline_request"]),
        {"request": req.pk, "reason": ""},
        follow=True,
    )
    assert "请填写未予许可的理由" in response.content.decode()
    _act(cast.agency_user, pool, "decline_request", {"request": req.pk, "reason": "许可领域与池章程不符"})
    html = _page(cast.enterprise_user, pool)
    assert "未获许可" in html and "许可领域与池章程不符" in html
    assert 'data-testid="request-licence"' in html  # may ask again


def test_page_roles_see_and_do_only_their_part(cast: Cast, world: dict[str, Any]) -> None:
    pool = world["pool"]
    req = _ask(cast, pool, intended_use="用途-秘密")
    other_ent, other_agency = world["other_enterprise_user"], world["other_agency_user"]
    # Another enterprise sees the form for itself but not the first enterprise's request.
    html = _page(other_ent, pool)
    assert "用途-秘密" not in html and 'data-testid="request-licence"' in html
    for user in (cast.tto_a, cast.officer_city):
        html = _page(user, pool)
        assert "用途-秘密" not in html and 'data-testid="request-licence"' not in html
    # Nobody but the agency decides; nobody but the requester withdraws (404: the row is not theirs).
    for user in (other_ent, other_agency, cast.tto_a, cast.officer_city, cast.enterprise_user):
        for action in ("grant_request", "decline_request"):
            response = _act(user, pool, action, {"request": req.pk, "reason": "x"})
            assert response.status_code in (403, 404), (user, action)
    for user in (other_ent, cast.agency_user, cast.tto_a):
        assert _act(user, pool, "withdraw_request", {"request": req.pk}).status_code in (403, 404)
    # Only enterprises ask.
    for user in (cast.agency_user, cast.tto_a, cast.officer_city):
        assert _act(user, pool, "request_licence", {"intended_use": "x"}).status_code == 403
    req.refresh_from_db()
    assert req.state == "submitted" and PoolLicenceRequest.objects.count() == 1
    assert "用途-秘密" not in _page(other_agency, pool)


# --- API --------------------------------------------------------------------------------------


def call(method: str, path: str, user: Any, body: Any = None) -> Any:
    _, key = make_token(user)
    client = Client()
    if method == "GET":
        return client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    return client.post(
        path, data=json.dumps(body or {}), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def test_api_request_and_listing_by_role(cast: Cast, world: dict[str, Any]) -> None:
    pool = world["pool"]
    url = f"/api/pools/{pool.pk}/licence-requests"
    created = call("POST", url, cast.enterprise_user, {"intended_use": "生产", "start": "2026-06-10"})
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "submitted" and created.json()["start"] == "2026-06-10"
    again = call("POST", url, cast.enterprise_user, {"intended_use": "生产"})
    assert again.status_code == 422 and "待处理" in json.dumps(again.json(), ensure_ascii=False)
    missing = call("POST", url, world["other_enterprise_user"], {})
    assert missing.status_code == 422 and "拟实施用途" in json.dumps(missing.json(), ensure_ascii=False)
    for user in (cast.agency_user, cast.tto_a, cast.officer_city, world["other_agency_user"]):
        assert call("POST", url, user, {"intended_use": "x"}).status_code == 403
    assert [r["enterprise"] for r in call("GET", url, cast.agency_user).json()["results"]] == [
        cast.enterprise.name
    ]
    assert call("GET", url, cast.enterprise_user).json()["count"] == 1
    for user in (world["other_enterprise_user"], cast.tto_a, cast.officer_city):
        assert call("GET", url, user).json()["count"] == 0
    detail = call("GET", f"/api/pools/{pool.pk}", cast.enterprise_user).json()
    assert detail["may_request_licence"] is False and len(detail["licence_requests"]) == 1


def test_api_pool_list_is_paged(cast: Cast) -> None:
    pools = [make_pool(cast) for _ in range(3)]
    first = call("GET", "/api/pools?page=1&page_size=2", cast.agency_user).json()
    assert (first["count"], first["page"], first["page_size"], len(first["results"])) == (3, 1, 2, 2)
    second = call("GET", "/api/pools?page=2&page_size=2", cast.agency_user).json()
    assert len(second["results"]) == 1
    seen = {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]}
    assert seen == {p.pk for p in pools}
    assert call("GET", "/api/pools?page=9&page_size=2", cast.agency_user).json()["results"] == []
    capped = call("GET", "/api/pools?page_size=1000", cast.agency_user).json()
    assert capped["page_size"] == 100 and capped["count"] == 3
    default = call("GET", "/api/pools", cast.agency_user).json()
    assert (default["page"], default["page_size"]) == (1, 20)
    bad = call("GET", "/api/pools?page=abc", cast.agency_user)
    assert bad.status_code == 422 and "页码" in json.dumps(bad.json(), ensure_ascii=False)
    # Paging counts only what the role may see: the officer of another region sees none.
    assert call("GET", "/api/pools", cast.officer_other).json()["count"] == 0
    # A forming pool is not counted for an enterprise.
    make_pool(cast, open_on=None)
    assert call("GET", "/api/pools", cast.enterprise_user).json()["count"] == 3


def test_api_decisions_by_role(cast: Cast, world: dict[str, Any]) -> None:
    pool = world["pool"]
    first = _ask(cast, pool)
    url = f"/api/pools/{pool.pk}/licence-requests/{first.pk}/decision"
    # Not the agency's: 404 for those who cannot see the request, 403 for a wrong role.
    for user in (world["other_enterprise_user"], world["other_agency_user"], cast.tto_a, cast.officer_city):
        response = call("POST", url, user, {"decision": "grant"})
        assert response.status_code in (403, 404), (user, response.status_code)
    bad = call("POST", url, cast.agency_user, {"decision": "maybe"})
    assert bad.status_code == 422 and "处理结论" in json.dumps(bad.json(), ensure_ascii=False)
    no_reason = call("POST", url, cast.agency_user, {"decision": "decline"})
    assert no_reason.status_code == 422
    declined = call("POST", url, cast.agency_user, {"decision": "decline", "reason": "产能不符"})
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    second = _ask(cast, pool)
    url = f"/api/pools/{pool.pk}/licence-requests/{second.pk}/decision"
    assert call("POST", url, cast.agency_user, {"decision": "withdraw"}).status_code in (403, 404)
    granted = call("POST", url, cast.agency_user, {"decision": "grant", "start": "2026-06-20"})
    assert granted.status_code == 200 and granted.json()["state"] == "granted" and granted.json()["contract"]
    assert PoolLicence.objects.get(pool=pool).contract.start_date == dt.date(2026, 6, 20)
    third_pool = make_pool(cast)
    pool_patent(cast, third_pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    third = _ask(cast, third_pool)
    url = f"/api/pools/{third_pool.pk}/licence-requests/{third.pk}/decision"
    withdrawn = call("POST", url, cast.enterprise_user, {"decision": "withdraw"})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
