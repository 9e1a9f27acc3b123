"""The navigation REST API with real API tokens: create (background generation), list, detail,
publish rule, refresh, and refusals in Chinese."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, TestCase

from web.factories import make_token
from web.navigation.world import World

pytestmark = pytest.mark.django_db


def call(method: str, path: str, user: Any, body: Any = None) -> Any:
    _, key = make_token(user)
    client = Client()
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        kwargs["data"] = body if isinstance(body, str) else json.dumps(body)
        kwargs["content_type"] = "application/json"
    with TestCase.captureOnCommitCallbacks(execute=True):
        return getattr(client, method)(path, **kwargs)


def test_create_then_read_and_publish(world: World) -> None:
    created = call("post", "/api/navigation", world.operator, {"kind": "region", "scope": "3709"})
    assert created.status_code == 202, created.content
    rid = created.json()["id"]
    detail = call("get", f"/api/navigation/{rid}", world.operator).json()
    assert detail["state"] == "draft" and detail["patents"] == 7
    report = detail["report"]
    assert report["key_numbers"]["patents"] == 7
    assert report["sections"]["gaps"]["rows"][0][0] == "H01M"
    assert report["findings"] and report["snapshot_sha256"] == detail["snapshot_sha256"]
    listing = call("get", "/api/navigation", world.operator).json()
    assert [r["id"] for r in listing["results"]] == [rid]
    published = call("post", f"/api/navigation/{rid}/publish", world.operator)
    assert published.status_code == 200 and published.json()["state"] == "published"
    refreshed = call("post", f"/api/navigation/{rid}/refresh", world.operator)
    assert refreshed.status_code == 202 and refreshed.json()["version"] == 2
    assert refreshed.json()["previous_id"] == rid


def test_refusals(world: World) -> None:
    bad = call("post", "/api/navigation", world.operator, {"kind": "region", "scope": "12345678"})
    assert bad.status_code in (400, 422) and "地区代码" in json.dumps(bad.json(), ensure_ascii=False)
    junk = call("post", "/api/navigation", world.operator, "not json")
    assert junk.status_code in (400, 422) and "JSON" in json.dumps(junk.json(), ensure_ascii=False)
    typed = call("post", "/api/navigation", world.operator, {"kind": ["region"], "scope": "3709"})
    assert typed.status_code in (400, 422)
    assert (
        call("post", "/api/navigation", world.ent_user, {"kind": "region", "scope": "3709"}).status_code
        == 403
    )
    assert call("get", "/api/navigation/999999999999999999999999", world.operator).status_code == 404
    assert call("get", "/api/navigation/abc", world.operator).status_code == 404
    rid = call("post", "/api/navigation", world.operator, {"kind": "region", "scope": "3709"}).json()["id"]
    # A draft is invisible to readers; an enterprise cannot publish.
    assert call("get", f"/api/navigation/{rid}", world.ent_user).status_code == 404
    assert call("post", f"/api/navigation/{rid}/publish", world.ent_user).status_code == 404
    assert call("get", "/api/navigation", world.inventor).status_code == 403
