"""Error pages are Chinese and inside the site layout; the API keeps JSON errors; API docs need no CDN."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_404_is_a_chinese_page_inside_the_layout(client: Any, users: dict[str, Any]) -> None:
    """A missing page answers 404 with the site header and a Chinese explanation, not Django's English page."""
    client.force_login(users["enterprise"])
    response = client.get("/patents/999999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in body
    assert "页面不存在" in body
    assert "专利桥 PatentBridge" in body  # the site header
    assert "Not Found" not in body


def test_403_is_a_chinese_page_inside_the_layout(client: Any, users: dict[str, Any]) -> None:
    """A page the role may not open answers 403 with a Chinese page inside the layout."""
    client.force_login(users["enterprise"])
    response = client.get("/imports/")
    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-403"' in body
    assert "无权访问" in body
    assert "Forbidden" not in body


def test_api_errors_stay_json(client: Any, users: dict[str, Any]) -> None:
    """The API answers errors as JSON envelopes, never the HTML error page."""
    client.force_login(users["enterprise"])
    response = client.get("/api/patents/CN000000000000")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "not_found"


def test_api_docs_use_packaged_assets_not_a_cdn(client: Any, users: dict[str, Any]) -> None:
    """/api/docs loads Swagger UI from the app's own static files, so it works without internet."""
    client.force_login(users["operator"])
    body = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn." not in body and "unpkg" not in body and "jsdelivr" not in body
