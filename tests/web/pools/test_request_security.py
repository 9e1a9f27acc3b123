"""Security review of the pool outbound-licence requests (services/requests.py, the pool API's
licence-request endpoints, the pool page's request actions).

Invariants protected:
- hostile parameters (huge, negative or non-numeric ids, another pool's request id, wrong JSON
  types, absurd or backdated start dates) get a Chinese 4xx, never a 500, and change nothing;
- the agency cannot sign a second running licence for an enterprise that already holds one of
  the pool (granted directly meanwhile), nor backdate or push far ahead a licence's start;
- every state change (submitted, granted, declined, withdrawn) leaves one audit event naming the
  request, and refusals leave none.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from patentbridge.core.models import AuditEvent
from patentbridge.pools.models import PoolLicence, PoolLicenceRequest
from patentbridge.pools.services import licences, requests
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
    other_pool = make_pool(cast)
    pool_patent(cast, other_pool, farm_patent(cast.uni_b), tto=cast.tto_b)
    other_ent = make_org("另一家农机企业", "enterprise", region_code="370902")
    return {
        "pool": pool,
        "other_pool": other_pool,
        "other_enterprise_user": make_member(other_ent, "enterprise"),
    }


def _ask(cast: Cast, pool: Any) -> PoolLicenceRequest:
    return requests.request_licence(cast.enterprise_user, pool, on=TODAY, intended_use="用于玉米播种机生产")


def call(method: str, path: str, user: Any, body: Any = None, *, raw: str | None = None) -> Any:
    _, key = make_token(user)
    client = Client()
    if method == "GET":
        return client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    data = raw if raw is not None else json.dumps(body if body is not None else {})
    return client.post(path, data=data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def _text(response: Any) -> str:
    """The response as text, JSON unescaped (the API writes \\uXXXX escapes)."""
    raw = response.content.decode()
    try:
        return json.dumps(json.loads(raw), ensure_ascii=False)
    except ValueError:
        return raw


def _chinese(response: Any) -> bool:
    text = _text(response)
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _request_events() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="pools.licence_request.").values_list(
            "action", flat=True
        )
    )


@pytest.mark.parametrize(
    "req_id",
    ["99999999999999999999999999", "-1", "0", "abc", "1e5", "%20"],
)
def test_hostile_request_ids_are_404(cast: Cast, world: dict[str, Any], req_id: str) -> None:
    pool = world["pool"]
    _ask(cast, pool)
    response = call(
        "POST",
        f"/api/pools/{pool.pk}/licence-requests/{req_id}/decision",
        cast.agency_user,
        {"decision": "grant"},
    )
    assert response.status_code == 404 and _chinese(response)
    assert PoolLicence.objects.count() == 0


@pytest.mark.parametrize("pool_id", ["99999999999999999999999999", "-5", "x"])
def test_hostile_pool_ids_are_404(cast: Cast, world: dict[str, Any], pool_id: str) -> None:
    for method, path in (
        ("GET", f"/api/pools/{pool_id}/licence-requests"),
        ("POST", f"/api/pools/{pool_id}/licence-requests"),
        ("POST", f"/api/pools/{pool_id}/licence-requests/1/decision"),
    ):
        response = call(method, path, cast.enterprise_user, {"intended_use": "生产", "decision": "withdraw"})
        assert response.status_code == 404 and _chinese(response), (method, path)


def test_a_request_is_reached_only_through_its_own_pool(cast: Cast, world: dict[str, Any]) -> None:
    """Another pool's id in the path with this pool's request id: not found, nothing granted."""
    req = _ask(cast, world["pool"])
    url = f"/api/pools/{world['other_pool'].pk}/licence-requests/{req.pk}/decision"
    response = call("POST", url, cast.agency_user, {"decision": "grant"})
    assert response.status_code == 404
    page = client_for(cast.agency_user).post(
        reverse("pools:act", args=[world["other_pool"].pk, "grant_request"]), {"request": req.pk}
    )
    assert page.status_code in (302, 404)
    req.refresh_from_db()
    assert req.state == "submitted" and PoolLicence.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"decision": 7},
        {"decision": ["grant"]},
        {"decision": {"x": 1}},
        {"decision": None},
        {"decision": "grant", "start": ["2026-06-10"]},
        {"decision": "grant", "start": "2026-13-45"},
        {"decision": "grant", "start": 20260610.5},
        {"decision": "decline", "reason": {"x": "y"}},
        {"decision": "decline", "reason": "很" * 501},
    ],
)
def test_wrong_types_are_chinese_422(cast: Cast, world: dict[str, Any], payload: dict[str, Any]) -> None:
    req = _ask(cast, world["pool"])
    url = f"/api/pools/{world['pool'].pk}/licence-requests/{req.pk}/decision"
    response = call("POST", url, cast.agency_user, payload)
    assert response.status_code == 422 and _chinese(response), response.content
    req.refresh_from_db()
    assert req.state == "submitted"


@pytest.mark.parametrize("raw", ["[1, 2]", "not json", '"grant"', "{" * 5000])
def test_malformed_bodies_are_chinese_4xx(cast: Cast, world: dict[str, Any], raw: str) -> None:
    req = _ask(cast, world["pool"])
    for path in (
        f"/api/pools/{world['pool'].pk}/licence-requests/{req.pk}/decision",
        f"/api/pools/{world['pool'].pk}/licence-requests",
    ):
        response = call("POST", path, cast.agency_user, raw=raw)
        assert 400 <= response.status_code < 500 and _chinese(response), (path, response.content)


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "2020-01-01", "2031-06-01"])
def test_grant_start_outside_a_sane_window_is_refused(cast: Cast, world: dict[str, Any], start: str) -> None:
    """The agency may move the start, but not before the day it signs (a licence over time already
    past) nor more than a year ahead — and never to a date the term arithmetic overflows on."""
    req = _ask(cast, world["pool"])
    url = f"/api/pools/{world['pool'].pk}/licence-requests/{req.pk}/decision"
    response = call("POST", url, cast.agency_user, {"decision": "grant", "start": start})
    assert response.status_code == 422 and "许可开始日" in _text(response), response.content
    req.refresh_from_db()
    assert req.state == "submitted" and PoolLicence.objects.count() == 0
    assert _request_events() == ["pools.licence_request.submitted"]


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "2020-01-01", "garbage"])
def test_page_grant_start_outside_a_sane_window_is_refused(
    cast: Cast, world: dict[str, Any], start: str
) -> None:
    req = _ask(cast, world["pool"])
    response = client_for(cast.agency_user).post(
        reverse("pools:act", args=[world["pool"].pk, "grant_request"]), {"request": req.pk, "start": start}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == "submitted" and PoolLicence.objects.count() == 0


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31"])
def test_request_start_extremes_are_refused(cast: Cast, world: dict[str, Any], start: str) -> None:
    url = f"/api/pools/{world['pool'].pk}/licence-requests"
    response = call("POST", url, cast.enterprise_user, {"intended_use": "生产", "start": start})
    assert response.status_code == 422 and "开始日" in _text(response)
    assert PoolLicenceRequest.objects.count() == 0


def test_no_second_licence_for_an_enterprise_that_already_holds_one(
    cast: Cast, world: dict[str, Any]
) -> None:
    """The request waits; meanwhile the agency licenses the enterprise directly. Granting the
    request then would sign a second running licence of the same pool: refused, in Chinese."""
    pool = world["pool"]
    req = _ask(cast, pool)
    licences.grant_outbound(cast.agency_user, pool, cast.enterprise, start=TODAY, on=TODAY)
    with pytest.raises(ValidationError, match="已持有"):
        requests.grant_request(cast.agency_user, req, on=TODAY)
    url = f"/api/pools/{pool.pk}/licence-requests/{req.pk}/decision"
    response = call("POST", url, cast.agency_user, {"decision": "grant"})
    assert response.status_code == 422 and "已持有" in _text(response)
    assert PoolLicence.objects.filter(pool=pool).count() == 1
    req.refresh_from_db()
    assert req.state == "submitted"
    # It can still be declined with that reason.
    requests.decline_request(cast.agency_user, req, on=TODAY, reason="已直接签订许可合同")
    assert req.__class__.objects.get(pk=req.pk).state == "declined"


def test_every_state_change_is_audited_once_and_refusals_not(cast: Cast, world: dict[str, Any]) -> None:
    pool = world["pool"]
    first = _ask(cast, pool)
    requests.decline_request(cast.agency_user, first, on=TODAY, reason="产能不符")
    second = _ask(cast, pool)
    requests.withdraw_request(cast.enterprise_user, second, on=TODAY)
    third = _ask(cast, pool)
    requests.grant_request(cast.agency_user, third, on=TODAY)
    for refused in (
        lambda: requests.withdraw_request(cast.enterprise_user, third, on=TODAY),
        lambda: requests.decline_request(cast.agency_user, third, on=TODAY, reason="x"),
        lambda: requests.grant_request(cast.agency_user, first, on=TODAY),
    ):
        with pytest.raises(ValidationError):
            refused()
    events = AuditEvent.objects.filter(action__startswith="pools.licence_request.").order_by("pk")
    assert [(e.action, e.data["request"]) for e in events] == [
        ("pools.licence_request.submitted", first.pk),
        ("pools.licence_request.declined", first.pk),
        ("pools.licence_request.submitted", second.pk),
        ("pools.licence_request.withdrawn", second.pk),
        ("pools.licence_request.submitted", third.pk),
        ("pools.licence_request.granted", third.pk),
    ]
    assert all(e.actor_id is not None for e in events)


def test_direct_outbound_licence_api_refuses_overflowing_start_and_a_second_licence(
    cast: Cast, world: dict[str, Any]
) -> None:
    """The agency's own POST /api/pools/{id}/licences goes through the same checks."""
    pool = world["pool"]
    url = f"/api/pools/{pool.pk}/licences"
    far = call("POST", url, cast.agency_user, {"licensee": cast.enterprise.pk, "start": "9999-12-31"})
    assert far.status_code == 422 and "许可开始日" in _text(far)
    first = call("POST", url, cast.agency_user, {"licensee": cast.enterprise.pk})
    assert first.status_code == 201, first.content
    again = call("POST", url, cast.agency_user, {"licensee": cast.enterprise.pk})
    assert again.status_code == 422 and "已持有" in _text(again)
    assert PoolLicence.objects.filter(pool=pool).count() == 1
