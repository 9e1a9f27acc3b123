"""Fixes from the security walkthrough: an outsider TTO does not see who licensed a pool (page and
API), the charter's yes/no takes only true or false, and a hostile JSON body is a Chinese 422."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from patentbridge.pools.models import Pool
from patentbridge.pools.services import licences, pools
from web.factories import make_token
from web.matrix import client_for
from web.pools.factories import Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def licensed(cast: Cast) -> tuple[Pool, Any]:
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=dt.date(2026, 2, 1), on=dt.date(2026, 2, 1)
    )
    return pool, licence


def _api_licences(user: Any, pool: Pool) -> list[Any]:
    _, key = make_token(user)
    response = Client().get(f"/api/pools/{pool.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    return list(response.json()["licences"])


def test_an_outsider_tto_does_not_see_the_pool_s_licensees(cast: Cast, licensed: tuple[Pool, Any]) -> None:
    pool, licence = licensed
    number = licence.contract.contract_no
    outsider_page = client_for(cast.outsider_tto).get(f"/pools/{pool.pk}/").content.decode()
    assert cast.enterprise.name not in outsider_page and number not in outsider_page
    assert _api_licences(cast.outsider_tto, pool) == []
    # A member and the agency still see it.
    member_page = client_for(cast.tto_a).get(f"/pools/{pool.pk}/").content.decode()
    assert number in member_page
    assert len(_api_licences(cast.agency_user, pool)) == 1
    assert len(_api_licences(cast.tto_a, pool)) == 1


@pytest.mark.parametrize("value", ["false", "no", "0", 0, 1, None, [], "true"])
def test_the_essential_flag_takes_only_true_or_false(cast: Cast, value: Any) -> None:
    pool = make_pool(cast)
    with pytest.raises(ValidationError) as refused:
        pools.set_charter(cast.agency_user, pool, essential_required=value)
    assert "true 或 false" in str(refused.value)
    pool.refresh_from_db()
    assert pool.essential_required is False


def test_the_charter_api_refuses_a_string_flag_and_keeps_the_pool(cast: Cast) -> None:
    pool = make_pool(cast)
    _, key = make_token(cast.agency_user)
    response = Client().post(
        f"/api/pools/{pool.pk}/charter",
        data=json.dumps({"essential_required": "false"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 422
    assert "true 或 false" in "".join(response.json()["detail"])
    pool.refresh_from_db()
    assert pool.essential_required is False


def test_a_deeply_nested_body_is_a_chinese_422(cast: Cast) -> None:
    _, key = make_token(cast.agency_user)
    body = '{"a":' + "[" * 5000 + "]" * 5000 + "}"
    response = Client().post(
        "/api/pools", data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 422
    assert "嵌套过深" in "".join(response.json()["detail"])
