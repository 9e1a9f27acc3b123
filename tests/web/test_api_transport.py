"""How API requests get in: a bearer token writes without a CSRF token (scripts have no browser
session), a browser session still needs one, and hostile JSON bodies end in Chinese 422s.

The Django test client skips CSRF checks unless asked, which is how token writes could be refused
in production while every API test passed; these tests enforce the checks."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from patentbridge.core.jsonbody import MAX_DEPTH, json_object
from patentbridge.menus.models import PatentMenu
from web.factories import make_member, make_org, make_token

pytestmark = pytest.mark.django_db

MENU = {"title": "传输测试菜单", "target_region": "370921", "chains": []}


@pytest.fixture
def tto():
    org = make_org("传输测试大学", "university", region_code="370900")
    return make_member(org, "tto")


def _post(client: Client, body: str, **headers: str):
    return client.post("/api/menus", data=body, content_type="application/json", **headers)


def test_a_bearer_token_writes_without_a_csrf_token(tto):
    _, key = make_token(tto)
    client = Client(enforce_csrf_checks=True)
    response = _post(client, json.dumps(MENU), HTTP_AUTHORIZATION=f"Bearer {key}")
    # The token was read (no CSRF refusal); what follows is the menu service's own answer.
    assert response.status_code != 403, response.content.decode()
    assert "CSRF" not in response.content.decode()


def test_a_browser_session_without_csrf_is_refused_in_chinese(tto):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tto)
    before = PatentMenu.objects.count()
    response = _post(client, json.dumps(MENU))
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "CSRF 令牌" in detail and "API 令牌" in detail
    assert PatentMenu.objects.count() == before


def test_a_wrong_token_with_a_session_cookie_is_not_let_in_by_the_session(tto):
    """An Authorization header means the token decides, even beside a logged-in session."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(tto)
    response = _post(client, json.dumps(MENU), HTTP_AUTHORIZATION="Bearer pb_not_a_real_token")
    assert response.status_code == 401
    assert response.json()["detail"] == "未登录或 API 令牌无效"


def test_no_credentials_at_all_is_401_in_chinese():
    response = _post(Client(enforce_csrf_checks=True), json.dumps(MENU))
    assert response.status_code == 401


@pytest.mark.parametrize("url", ["/api/menus", "/api/navigation"])
def test_deeply_nested_json_is_a_422_not_a_500(tto, url):
    """5,000 nested brackets made the JSON decoder raise RecursionError (a 500) before."""
    _, key = make_token(tto)
    body = '{"a":' + "[" * 5000 + "]" * 5000 + "}"
    response = _post(Client(), body, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422, response.status_code
    assert "嵌套过深" in "".join(response.json()["detail"])


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "应为 JSON 对象"),
        (b"   ", "应为 JSON 对象"),
        (b"[1, 2]", "应为 JSON 对象"),
        (b"not json", "无法解析"),
        (b"\xff\xfe{}", "UTF-8"),
        (b'{"a": 1}' + b" " * 2000, "过长"),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "嵌套过深"),
    ],
)
def test_json_object_refuses_with_a_chinese_reason(raw, words):
    with pytest.raises(ValidationError) as refused:
        json_object(raw, max_bytes=1024)
    assert words in "".join(refused.value.message_dict["body"])


def test_json_object_reads_objects_and_counts_brackets_inside_strings_as_text():
    nested = {"x": "[[[[[[" * 20, "y": {"z": [1, {"w": 2}]}}
    assert json_object(json.dumps(nested), max_bytes=10_000) == nested
    at_limit = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert json_object('{"a": ' + at_limit + "}", max_bytes=10_000)["a"] is not None
    assert json_object(b"", max_bytes=10, empty_is_object=True) == {}
    assert json_object('{"q": "\\"["}', max_bytes=100) == {"q": '"['}
