"""The menu REST API with the pages' permissions: list and create, publish, the funnel; a county
officer sees its region only; errors are JSON with Chinese reasons."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from patentbridge.menus.models import PatentMenu
from patentbridge.menus.services import inbox
from web.factories import make_token
from web.menus.factories import COUNTY, chain_patents
from web.menus.test_pages import pushed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        yield


def bearer(user):
    _, key = make_token(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(client, method, url, user, body=None):
    kwargs = bearer(user)
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def test_create_with_compose_then_publish_then_funnel(client, cast):
    chain_patents(cast.p.university, 2)
    chain_patents(cast.p.other_university, 3)
    body = {"title": "莘县菜单", "target_region": COUNTY, "chains": ["GLC"], "compose": True}
    response = call(client, "post", "/api/menus", cast.p.tto, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "draft" and data["publisher"] == cast.p.university.name
    assert len(data["items"]) == 5 and sum(i["is_supplement"] for i in data["items"]) == 3
    assert data["supplements"] == [
        {
            "chain": "绿色低碳",
            "region_code": COUNTY,
            "found": 2,
            "minimum": 5,
            "shortfall": 3,
            "filled": 3,
            "note": "",
        }
    ]
    assert all(i["reasons"] for i in data["items"])
    published = call(client, "post", f"/api/menus/{data['id']}/publish", cast.p.tto)
    assert published.status_code == 200 and published.json()["state"] == "published"
    again = call(client, "post", f"/api/menus/{data['id']}/publish", cast.p.tto)
    assert again.status_code == 422 and "不能发布" in "".join(again.json()["detail"])
    funnel = call(client, "get", f"/api/menus/{data['id']}/funnel", cast.officer).json()
    assert funnel["total"]["steps"][0] == {
        "key": "delivered",
        "label": "送达",
        "count": 0,
        "rate": None,
        "step_rate": None,
    }


def test_funnel_counts_answers_and_the_county(client, cast):
    menu, items = pushed(cast)
    delivery = menu.deliveries.filter(enterprise=cast.ent_a, item=items[0]).get()
    inbox.respond(cast.ent_a_user, delivery, verdict="interested", on=dt.date(2026, 3, 3))
    data = call(client, "get", f"/api/menus/{menu.pk}/funnel", cast.city_officer).json()
    steps = {s["key"]: s for s in data["total"]["steps"]}
    assert (
        steps["delivered"]["count"] == 4
        and steps["interested"]["count"] == 1
        and steps["interested"]["rate"] == 0.25
    )
    assert [r["key"] for r in data["by_county"]] == [COUNTY] and data["by_county"][0]["enterprises"] == 2
    assert call(client, "get", f"/api/menus/{menu.pk}/funnel", cast.other_officer).status_code == 404
    assert call(client, "get", f"/api/menus/{menu.pk}/funnel", cast.ent_a_user).status_code == 403


def test_list_follows_each_roles_scope(client, cast):
    menu, _ = pushed(cast)
    PatentMenu.objects.create(
        publisher_org=cast.p.university, title="草稿", target_region=COUNTY, created_by=cast.p.tto
    )

    def titles(user):
        response = call(client, "get", "/api/menus", user)
        assert response.status_code == 200
        return {m["title"] for m in response.json()["results"]}

    assert titles(cast.p.tto) == {menu.title, "草稿"} and titles(cast.p.operator) >= {menu.title, "草稿"}
    assert titles(cast.officer) == {menu.title} == titles(cast.city_officer)
    assert titles(cast.other_officer) == set() and titles(cast.p.other_tto) == set()
    assert titles(cast.ent_a_user) == {menu.title} and titles(cast.ent_far_user) == set()
    assert call(client, "get", "/api/menus", cast.p.inventor).status_code == 403
    assert client.get("/api/menus").status_code == 401


def test_officers_and_enterprises_cannot_create_or_publish(client, cast):
    menu, _ = pushed(cast)
    body = {
        "title": "政府菜单",
        "target_region": COUNTY,
        "chains": ["GLC"],
        "publisher_org": cast.p.university.pk,
    }
    for user in (cast.officer, cast.ent_a_user):
        assert call(client, "post", "/api/menus", user, body).status_code == 403
    assert call(client, "post", f"/api/menus/{menu.pk}/publish", cast.officer).status_code == 403
    assert call(client, "post", f"/api/menus/{menu.pk}/publish", cast.p.other_tto).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x", "target_region": "12345", "chains": ["GLC"]},
        {"title": "x", "target_region": COUNTY, "chains": ["NOPE"]},
        {"title": "x", "target_region": COUNTY, "chains": []},
        {"title": "x", "target_region": COUNTY, "chains": ["GLC"], "publisher_org": 10**30},
        {"title": "x", "target_region": COUNTY, "chains": ["GLC"], "grade_min": "Q"},
        {"title": "", "target_region": COUNTY, "chains": ["GLC"]},
        {"title": "x" * 500, "target_region": COUNTY, "chains": ["GLC"]},
        {"target_region": COUNTY},
    ],
)
def test_hostile_bodies_are_422_with_reasons(client, cast, body):
    response = call(client, "post", "/api/menus", cast.p.tto, body)
    assert response.status_code == 422, response.content
    assert PatentMenu.objects.count() == 0


@pytest.mark.parametrize("menu_id", ["abc", "0", "-1", "9" * 40])
def test_hostile_ids_are_404(client, cast, menu_id):
    for url in (f"/api/menus/{menu_id}", f"/api/menus/{menu_id}/funnel"):
        response = call(client, "get", url, cast.p.operator)
        assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_an_enterprise_reads_only_the_items_delivered_to_it_and_no_supplement_log(client, cast):
    chain_patents(cast.p.other_university, 2)
    menu, items = pushed(cast)  # 3 own + 2 supplied items; the county selected the first two
    data = call(client, "get", f"/api/menus/{menu.pk}", cast.ent_a_user).json()
    assert {i["application_number"] for i in data["items"]} == {
        i.patent.application_number for i in items[:2]
    }
    assert data["item_count"] == 2 and data["supplements"] == []
    officer = call(client, "get", f"/api/menus/{menu.pk}", cast.officer).json()
    assert len(officer["items"]) == 5 and officer["supplements"][0]["shortfall"] == 2


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"title": "x" * 10_000, "target_region": COUNTY, "chains": ["GLC"]}, "菜单名称最多 200 个字符"),
        ({"title": "t", "target_region": COUNTY, "chains": 5}, "产业链应为代码列表"),
        ({"title": ["t"], "target_region": COUNTY, "chains": ["GLC"]}, "菜单名称应为文字"),
        (
            {"title": "t", "target_region": COUNTY, "chains": ["GLC"], "publisher_org": "abc"},
            "发布单位应为机构编号",
        ),
        (
            {"title": "t", "target_region": COUNTY, "chains": ["GLC"], "compose": "yes"},
            "按建议组菜单应为 true 或 false",
        ),
        (
            {"title": "t", "target_region": COUNTY, "chains": ["GLC"], "grade_minimum": "A"},
            "不认识的字段：grade_minimum",
        ),
        ("not json", "请求内容应为 JSON 对象"),
        ([1, 2], "请求内容应为 JSON 对象"),
    ],
)
def test_wrong_shapes_are_refused_in_chinese(client, cast, raw, field):
    kwargs = bearer(cast.p.tto)
    body = raw if isinstance(raw, str) else json.dumps(raw)
    response = client.post("/api/menus", data=body, content_type="application/json", **kwargs)
    assert response.status_code == 422
    assert any(field in m for m in response.json()["detail"]), response.json()
    assert PatentMenu.objects.count() == 0


@pytest.mark.parametrize("query", ["page=abc", "page_size=NaN", "page=1e9"])
def test_bad_paging_is_refused_in_chinese(client, cast, query):
    response = call(client, "get", f"/api/menus?{query}", cast.p.tto)
    assert response.status_code == 422 and response.json()["detail"] == ["页码和每页条数应为正整数"]


def test_every_documented_field_is_accepted_and_a_misspelt_one_named(client, cast):
    """The known-field list matches what the parser reads: a full body is accepted; two misspelt
    keys are both named, so the caller learns why the filter did not apply."""
    body = {
        "title": "全字段菜单",
        "target_region": COUNTY,
        "chains": ["GLC"],
        "source": "own_library",
        "grade_min": "",
        "high_value_only": False,
        "description": "说明",
        "compose": False,
    }
    assert call(client, "post", "/api/menus", cast.p.tto, body).status_code == 201
    wrong = {**body, "title": "错字段", "highvalue": True, "descr": "x"}
    response = call(client, "post", "/api/menus", cast.p.tto, wrong)
    assert response.status_code == 422
    detail = " ".join(response.json()["detail"])
    assert "descr" in detail and "highvalue" in detail and "可用字段" in detail
    assert not PatentMenu.objects.filter(title="错字段").exists()
