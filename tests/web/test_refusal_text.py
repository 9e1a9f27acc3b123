"""A refused action reads as a sentence about the person's role and the area of work, never as
the action id the code uses (pools.manage, roadshows.register …)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from patentbridge.accounts import policies
from web.factories import make_member, make_org, make_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "area"),
    [("pools.manage", "专利池"), ("roadshows.register", "路演"), ("navigation.build", "专利导航")],
)
def test_the_refusal_names_the_role_and_the_area(action, area):
    viewer = make_member(make_org("只读机构", "government", region_code="370900"), "viewer")
    with pytest.raises(PermissionDenied) as refused:
        policies.require(viewer, action)
    text = str(refused.value)
    assert text.startswith("无权执行此操作：当前账号的角色（只读用户）不能")
    assert area in text and action not in text


def test_a_user_without_an_organisation_is_told_so():
    from django.contrib.auth import get_user_model

    loner = get_user_model().objects.create_user("无机构用户", password="x-Long-password-1")
    with pytest.raises(PermissionDenied) as refused:
        policies.require(loner, "pools.manage")
    assert "未加入机构" in str(refused.value)


def test_the_api_403_carries_the_sentence_not_the_action_id():
    officer = make_member(make_org("某县监管局", "government", region_code="370921"), "gov_officer")
    _, key = make_token(officer)
    response = Client().post(
        "/api/pools", data="{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "政府部门（区县）" in detail and "pools." not in detail
