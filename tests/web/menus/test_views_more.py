"""More of the pages: each composer action through its form with the message the user reads, the
list as each role sees it, the new-menu form by role, the push form, the audit log in Chinese,
the inventor's aggregate view, and the API's detail and paging."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from patentbridge.menus.models import MenuItem, PatentMenu
from patentbridge.menus.services import compose, release
from web.factories import make_member, make_org, make_token
from web.matrix import client_for
from web.menus.factories import COUNTY, ON, chain_patent, chain_patents
from web.menus.test_compose import new_menu
from web.menus.test_lifecycle import items, published_menu

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        yield


def say(client, url, data=None):
    """POST, follow the redirect, and return the messages shown on the next page."""
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_each_composer_action_through_its_form(cast):
    own = chain_patents(cast.p.university, 2)
    farm = chain_patent(cast.p.university, "AGRI")
    chain_patents(cast.p.other_university, 2)
    menu = new_menu(cast)
    tto = client_for(cast.p.tto)
    url = f"/menus/{menu.pk}/act/"
    assert say(tto, url + "add/", {"patent": own[0].application_number, "note": "首选"}) == [
        f"已加入 {own[0].application_number}"
    ]
    assert MenuItem.objects.get(menu=menu, patent=own[0]).note == "首选"
    assert "请指定所属产业链" in say(tto, url + "add/", {"patent": farm.application_number})[0]
    assert say(tto, url + "add/", {"patent": "2099"}) == ["未找到：2099"]
    item = MenuItem.objects.get(menu=menu, patent=own[0])
    assert "请填写移出理由" in say(tto, url + "remove/", {"item": item.pk, "note": ""})[0]
    assert say(tto, url + "remove/", {"item": item.pk, "note": "企业已有同类技术"}) == ["已移出该专利"]
    assert say(tto, url + "supplement/") == ["已从资源库补充 2 件"]
    assert say(tto, url + "supplement/") == [
        "各产业链专利数已达到最少数量（或资源库已无可补充的专利），无需补充"
    ]
    assert say(tto, url + "compose/") == ["已按建议加入 1 件专利"]
    html = tto.get(f"/menus/{menu.pk}/").content.decode()
    assert "已移出" in html and "企业已有同类技术" in html
    assert say(tto, url + "publish/") == ["菜单已发布，目标地区的政府部门现在可以遴选"]
    assert say(tto, url + "close/") == ["菜单已关闭"]
    assert PatentMenu.objects.get(pk=menu.pk).state == "closed"
    assert tto.get(url + "close/").status_code == 405


def test_list_as_each_role_sees_it(cast):
    menu = published_menu(cast, n=1)
    draft = new_menu(cast, title="还在编的菜单")
    html = client_for(cast.p.tto).get("/menus/").content.decode()
    assert menu.title in html and draft.title in html and 'data-testid="new-menu"' in html
    html = client_for(cast.officer).get("/menus/").content.decode()
    assert "本辖区：聊城市莘县" in html and menu.title in html and draft.title not in html
    assert 'data-testid="new-menu"' not in html and "专利法第七十九条" in html
    html = client_for(cast.other_officer).get("/menus/").content.decode()
    assert "本辖区暂无已发布的专利菜单" in html
    nowhere = make_member(make_org("未登记地区的局", "government"), "gov_officer")
    assert "未登记行政区划代码" in client_for(nowhere).get("/menus/").content.decode()
    response = client_for(cast.ent_a_user).get("/menus/")
    assert response.status_code == 302 and response["Location"] == "/menus/inbox/"
    assert "暂未收到专利菜单" in client_for(cast.ent_a_user).get("/menus/inbox/").content.decode()


def test_new_menu_form_by_role(cast):
    tto_form = client_for(cast.p.tto).get("/menus/new/").content.decode()
    assert cast.p.university.name in tto_form and cast.p.centre.name not in tto_form
    assert 'value="resource_pool"' not in tto_form
    op_form = client_for(cast.p.operator).get("/menus/new/").content.decode()
    assert cast.p.centre.name in op_form and cast.p.other_university.name in op_form
    assert 'value="resource_pool"' in op_form and cast.county_gov.name not in op_form
    response = client_for(cast.p.tto).post(
        "/menus/new/",
        {"title": "x", "publisher_org": cast.p.university.pk, "target_region": "99", "chains": []},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "目标地区应为" not in html  # the form's own check comes first
    assert "这个字段是必填项" in html or "必填" in html


def test_new_menu_service_errors_land_on_the_form(cast):
    from patentbridge.patents.models import IndustryChain

    glc = IndustryChain.objects.get(code="GLC")
    response = client_for(cast.p.tto).post(
        "/menus/new/",
        {
            "title": "莘县",
            "publisher_org": cast.p.university.pk,
            "target_region": "99",
            "chains": [glc.pk],
            "source": "own_library",
        },
    )
    assert (
        response.status_code == 200 and "目标地区应为 2、4 或 6 位行政区划代码" in response.content.decode()
    )
    assert PatentMenu.objects.count() == 0


def test_push_form_lists_the_region_and_marks_who_has_it(cast):
    menu = published_menu(cast, n=1)
    release.select_items(cast.officer, menu, items=[items(menu)[0].pk], on=ON)
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    html = client_for(cast.p.tto).get(f"/menus/{menu.pk}/push/").content.decode()
    row_a = html.split(f'data-testid="enterprise-{cast.ent_a.pk}"', 1)[1].split("</tr>", 1)[0]
    row_b = html.split(f'data-testid="enterprise-{cast.ent_b.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "已推送" in row_a and "未推送" in row_b and "由信用代码推得" in row_b
    response = client_for(cast.p.tto).post(f"/menus/{menu.pk}/push/", {"enterprises": [cast.ent_far.pk]})
    assert response.status_code == 200 and "不在菜单的目标地区内" in response.content.decode()


def test_audit_log_names_menu_actions_in_chinese(cast):
    menu = published_menu(cast, n=1)
    release.select_items(cast.officer, menu, items=[items(menu)[0].pk], on=ON)
    html = client_for(cast.p.operator).get("/audit/").content.decode()
    for label in ("新建专利菜单", "按建议组菜单", "发布专利菜单", "县域遴选"):
        assert f">{label}<" in html, label
    assert ">menus.menu.published<" not in html


def test_inventor_sees_where_the_own_patent_went_in_aggregate(cast):
    from web.factories import chain_patent as inventory_patent

    patent = inventory_patent("in_library", inventor=cast.p.inventor, reviewer=cast.p.tto)
    patent.legal_status, patent.grant_date, patent.expiry_date = (
        "granted",
        dt.date(2024, 1, 1),
        dt.date(2043, 5, 1),
    )
    patent.save()
    menu = new_menu(cast)
    compose.add_item(cast.p.tto, menu, patent, on=ON, chain=menu.target_chains.get())
    release.publish(cast.p.tto, menu, on=ON)
    html = client_for(cast.p.inventor).get(f"/patents/{patent.application_number}/").content.decode()
    assert 'data-testid="patent-menus"' in html and "送达 0 条（0 家企业）" in html


def test_api_detail_and_paging(cast, client):
    menu = published_menu(cast, n=2)
    _, key = make_token(cast.officer)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    data = client.get(f"/api/menus/{menu.pk}", **auth).json()
    assert data["target_region"] == COUNTY and data["state_label"] == "已发布" and data["chains"] == ["GLC"]
    assert len(data["items"]) == 2 and all(i["chain"] == "GLC" and i["reasons"] for i in data["items"])
    for _ in range(2):
        published_menu(cast, n=1)
    page = client.get("/api/menus?page=2&page_size=2", **auth).json()
    assert page["count"] == 3 and page["page"] == 2 and page["page_size"] == 2 and len(page["results"]) == 1
    huge = client.get("/api/menus?page=0&page_size=100000", **auth).json()
    assert huge["page"] == 1 and huge["page_size"] == 200 and len(huge["results"]) == 3
    assert client.get("/api/menus?page=abc", **auth).status_code == 422  # (Chinese: test_api)


def test_api_operator_creates_on_behalf_and_a_tto_not_for_others(cast, client):
    chain_patents(cast.p.university, 1)
    body = {
        "title": "代编菜单",
        "target_region": COUNTY,
        "chains": ["GLC"],
        "publisher_org": cast.p.university.pk,
    }
    _, op_key = make_token(cast.p.operator)
    response = client.post(
        "/api/menus",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {op_key}",
    )
    assert response.status_code == 201 and response.json()["publisher"] == cast.p.university.name
    assert response.json()["items"] == []  # compose not asked for
    _, other_key = make_token(cast.p.other_tto)
    response = client.post(
        "/api/menus",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other_key}",
    )
    assert response.status_code == 403 and PatentMenu.objects.count() == 1
