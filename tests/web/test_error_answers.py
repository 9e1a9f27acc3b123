"""Answers Django would give in its own words: a form without a CSRF token gets a Chinese page
that says nothing was saved, and an /api/ path without an endpoint answers JSON in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client

from patentbridge.core.models import AuditEvent
from web.factories import make_member, make_org, make_token

pytestmark = pytest.mark.django_db


def test_a_form_posted_without_a_csrf_token_gets_a_chinese_page():
    user = make_member(make_org("过期页面大学", "university", region_code="370900"), "tto")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = AuditEvent.objects.count()
    response = client.post("/accounts/profile/tokens/", {"name": "脚本"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期，未保存任何内容" in page and 'data-testid="error-csrf"' in page
    assert "DEBUG" not in page and "Forbidden" not in page
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_api_path_answers_json_404(method):
    user = make_member(make_org("接口大学", "university", region_code="370900"), "tto")
    _, key = make_token(user)
    response = getattr(Client(), method)(
        "/api/navigation/3/findings-not-an-endpoint", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "not_found", "detail": "未找到该接口，请查看 /api/docs 中的接口列表"}


def test_known_api_paths_still_reach_their_endpoints():
    user = make_member(make_org("接口大学二", "university", region_code="370900"), "tto")
    _, key = make_token(user)
    response = Client().get("/api/pools", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
