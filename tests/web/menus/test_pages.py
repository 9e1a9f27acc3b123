"""The menu pages by role: the composer's flow through the forms (create → compose → publish →
push), the officer's selection page, the enterprise inbox with answers and 申请试用, funnels with
the chart, exports, 403/404 outside one's scope and hostile parameters (never a 500)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from patentbridge.core.models import AuditEvent
from patentbridge.menus.models import MenuDelivery, MenuItem, PatentMenu
from patentbridge.menus.services import release
from patentbridge.patents.models import IndustryChain
from web.matrix import client_for
from web.menus.factories import COUNTY, chain_patents
from web.menus.test_lifecycle import offer_for, published_menu

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode() if status == 200 else ""


def pushed(cast):
    menu = published_menu(cast, n=3)
    items = list(MenuItem.objects.filter(menu=menu).order_by("rank"))
    release.select_items(cast.officer, menu, items=[i.pk for i in items[:2]], on=dt.date(2026, 3, 2))
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=dt.date(2026, 3, 2))
    return menu, items


def test_composer_creates_composes_publishes_and_pushes_through_the_pages(cast):
    own = chain_patents(cast.p.university, 2)
    chain_patents(cast.p.other_university, 3)
    tto = client_for(cast.p.tto)
    form = page(tto, "/menus/new/")
    assert "目标地区（行政区划代码）" in form and cast.p.other_university.name not in form
    glc = IndustryChain.objects.get(code="GLC")
    response = tto.post(
        "/menus/new/",
        {
            "title": "莘县绿色低碳专利菜单",
            "publisher_org": cast.p.university.pk,
            "target_region": COUNTY,
            "chains": [glc.pk],
            "source": "own_library",
        },
    )
    menu = PatentMenu.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/menus/{menu.pk}/"
    html = page(tto, f"/menus/{menu.pk}/")
    assert "按建议组菜单" in html and all(f"candidate-{p.application_number}" in html for p in own)
    assert "默认值 5" in html  # the minimum is a default until the policy file has it
    tto.post(f"/menus/{menu.pk}/act/compose/")
    html = page(tto, f"/menus/{menu.pk}/")
    assert html.count('data-testid="supplement-tag"') == 3 and "资源库补充记录" in html
    assert MenuItem.objects.filter(menu=menu).count() == 5
    tto.post(f"/menus/{menu.pk}/act/publish/")
    menu.refresh_from_db()
    assert menu.state == "published"
    assert "等待目标地区政府部门" in page(tto, f"/menus/{menu.pk}/")
    # the officer of 莘县 selects through the page
    officer = client_for(cast.officer)
    html = page(officer, f"/menus/{menu.pk}/")
    assert "遴选" in html and "推荐" not in html.split("菜单专利", 1)[1].split("</form>", 1)[0]
    item_ids = list(MenuItem.objects.filter(menu=menu).values_list("pk", flat=True))[:3]
    officer.post(f"/menus/{menu.pk}/select/", {"items": item_ids, "note": "县域产业"})
    assert menu.selection.items.count() == 3
    html = page(tto, f"/menus/{menu.pk}/push/")
    assert cast.ent_a.name in html and cast.ent_b.name in html and cast.ent_far.name not in html
    response = tto.post(f"/menus/{menu.pk}/push/", {"enterprises": [cast.ent_a.pk], "note": "首批"})
    assert response.status_code == 302 and MenuDelivery.objects.filter(menu=menu).count() == 3
    assert "已推送给 1 家企业，共 3 条" in page(tto, f"/menus/{menu.pk}/")


def test_enterprise_inbox_marks_viewed_takes_answers_and_requests_a_trial(cast):
    menu, items = pushed(cast)
    offer_for(cast, [items[0].patent])
    ent = client_for(cast.ent_a_user)
    listing = page(ent, "/menus/inbox/")
    assert menu.title in listing and 'class="unread"' in listing
    html = page(ent, f"/menus/inbox/{menu.pk}/")
    assert html.count('data-testid="new-item"') == 2 and "申请免费试用" in html
    assert 'class="unread"' not in page(ent, "/menus/inbox/")
    mine = {d.item_id: d for d in MenuDelivery.objects.filter(enterprise=cast.ent_a)}
    ent.post(
        f"/menus/deliveries/{mine[items[1].pk].pk}/respond/",
        {"verdict": "not_relevant", "reason": "have_solution"},
    )
    response = ent.post(f"/menus/deliveries/{mine[items[0].pk].pk}/trial/")
    delivery = MenuDelivery.objects.get(pk=mine[items[0].pk].pk)
    assert (
        response.status_code == 302
        and response["Location"] == f"/licensing/applications/{delivery.application_id}/"
    )
    html = page(ent, f"/menus/inbox/{menu.pk}/")
    assert "已申请试用/许可" in html and "已有方案" in html
    # another enterprise's delivery does not exist for this one
    other = MenuDelivery.objects.filter(enterprise=cast.ent_b).first()
    assert ent.post(f"/menus/deliveries/{other.pk}/respond/", {"verdict": "interested"}).status_code == 404
    assert ent.get(f"/menus/{menu.pk}/").status_code == 302  # the composer page sends it to its inbox
    actions = set(
        AuditEvent.objects.filter(action__startswith="menus.delivery").values_list("action", flat=True)
    )
    assert actions == {"menus.delivery.viewed", "menus.delivery.answered", "menus.delivery.trial_requested"}


def test_funnel_pages_draw_the_chart_and_count_by_group(cast):
    menu, _items = pushed(cast)
    tto = client_for(cast.p.tto)
    html = page(tto, f"/menus/{menu.pk}/funnel/")
    assert 'data-testid="funnel-chart"' in html and "<script" not in html.split("<main>", 1)[1]
    assert html.count('data-testid="stage-') == 4
    for group, label in (
        ("menu", menu.title),
        ("county", "聊城市莘县"),
        ("chain", "绿色低碳"),
        ("university", cast.p.university.name),
    ):
        html = page(tto, f"/menus/funnel/?group={group}")
        assert label in html, group
    officer = page(client_for(cast.officer), "/menus/funnel/?group=county")
    assert "聊城市莘县" in officer
    assert "尚无推送记录" in page(client_for(cast.other_officer), "/menus/funnel/")


@pytest.mark.parametrize("who", ["officer", "city_officer", "tto", "operator"])
def test_exports_xlsx_and_pdf_in_the_publishers_name(cast, who):
    menu, items = pushed(cast)
    user = {
        "officer": cast.officer,
        "city_officer": cast.city_officer,
        "tto": cast.p.tto,
        "operator": cast.p.operator,
    }[who]
    client = client_for(user)
    response = client.get(f"/menus/{menu.pk}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    facts = dict(book["菜单"].iter_rows(min_row=2, values_only=True))
    assert facts["发布单位"] == cast.p.university.name and "聊城市莘县" in facts["目标地区"]
    rows = list(book["专利清单"].iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {i.patent.application_number for i in items}
    assert sorted(r[9] for r in rows) == ["已遴选", "已遴选", "未遴选"]
    pdf = client.get(f"/menus/{menu.pk}/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"STSong-Light" in pdf.content


def test_titles_that_look_like_formulas_are_neutralised_in_the_export(cast):
    menu, items = pushed(cast)
    patent = items[0].patent
    patent.title = '=HYPERLINK("http://evil","点击")'
    patent.save()
    book = load_workbook(io.BytesIO(client_for(cast.p.tto).get(f"/menus/{menu.pk}/export.xlsx").content))
    titles = [r[2] for r in book["专利清单"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil","点击")' in titles


def test_other_county_and_other_roles_get_404_or_403(cast):
    menu, _ = pushed(cast)
    draft = PatentMenu.objects.create(
        publisher_org=cast.p.university, title="草稿", target_region=COUNTY, created_by=cast.p.tto
    )
    other = client_for(cast.other_officer)
    for url in (f"/menus/{menu.pk}/", f"/menus/{menu.pk}/funnel/", f"/menus/{menu.pk}/export.xlsx"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/menus/{menu.pk}/select/", {"items": [1]}).status_code == 404
    officer = client_for(cast.officer)
    assert officer.get(f"/menus/{draft.pk}/").status_code == 404
    assert officer.post(f"/menus/{menu.pk}/act/publish/").status_code == 404
    assert officer.get(f"/menus/{menu.pk}/push/").status_code == 403
    assert officer.get("/menus/new/").status_code == 403
    assert client_for(cast.p.other_tto).get(f"/menus/{menu.pk}/").status_code == 404
    assert client_for(cast.p.inventor).get("/menus/").status_code == 403
    assert client_for(cast.ent_far_user).get(f"/menus/inbox/{menu.pk}/").status_code == 404
    assert client_for(cast.p.tto).get("/menus/inbox/").status_code == 403
    from django.test import Client

    assert Client().get("/menus/").status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/menus/99999999999999999999999999/",
        "/menus/99999999999999999999999999/funnel/",
        "/menus/inbox/99999999999999999999999999/",
        "/menus/0/",
    ],
)
def test_hostile_ids_are_404_not_500(cast, url):
    """Operators (inbox: enterprises only → 403) and enterprises: refusals, never a 500."""
    assert client_for(cast.p.operator).get(url).status_code in (302, 403, 404)
    assert client_for(cast.ent_a_user).get(url).status_code in (302, 403, 404)
    assert client_for(cast.p.operator).get("/menus/99999999999999999999999999/").status_code == 404


def test_hostile_posts_give_chinese_messages_not_500(cast):
    chain_patents(cast.p.university, 1)
    tto = client_for(cast.p.tto)
    response = tto.post(
        "/menus/new/",
        {
            "title": "x" * 300,
            "publisher_org": cast.p.university.pk,
            "target_region": "37<script>",
            "chains": ["abc"],
        },
    )
    assert response.status_code == 200 and "<script>" not in response.content.decode().split("<main>", 1)[
        1
    ].split("</form>")[0].replace("&lt;script&gt;", "")
    menu, _ = pushed(cast)
    for action, data in (
        ("add", {"patent": "9" * 500, "chain": "x" * 100}),
        ("remove", {"item": "1e9", "note": "n"}),
        ("unknown", {}),
    ):
        assert tto.post(f"/menus/{menu.pk}/act/{action}/", data).status_code in (302, 403)
    response = tto.post(f"/menus/{menu.pk}/push/", {"enterprises": ["abc", str(10**40), "-5"]}, follow=True)
    assert response.status_code == 200 and "请选择要推送的企业" in response.content.decode()
    ent = client_for(cast.ent_a_user)
    d = MenuDelivery.objects.filter(enterprise=cast.ent_a).first()
    response = ent.post(
        f"/menus/deliveries/{d.pk}/respond/", {"verdict": "<b>", "reason": "x" * 5000}, follow=True
    )
    assert response.status_code == 200 and "请选择“有意向”或“不相关”" in response.content.decode()
    response = ent.post(
        f"/menus/deliveries/{d.pk}/respond/", {"verdict": "interested", "note": "长" * 5000}, follow=True
    )
    assert "最多 1000 个字符" in response.content.decode()
    assert client_for(cast.p.tto).get("/menus/funnel/?group=<x>").status_code == 200


def test_items_whose_patent_lapsed_after_publishing_are_flagged_in_live_menus(cast):
    menu, items = pushed(cast)
    lapsed = items[0].patent
    lapsed.legal_status = "lapsed_non_payment"
    lapsed.save()
    marker = f'data-testid="unavailable-{lapsed.application_number}"'
    assert marker in page(client_for(cast.p.tto), f"/menus/{menu.pk}/")
    html = page(client_for(cast.ent_a_user), f"/menus/inbox/{menu.pk}/")
    assert marker in html and "未缴年费终止" in html
    assert f'data-testid="unavailable-{items[1].patent.application_number}"' not in html


def test_patent_page_shows_reach_in_aggregate_to_owner_side_only(cast):
    menu, items = pushed(cast)
    number = items[0].patent.application_number
    html = page(client_for(cast.p.tto), f"/patents/{number}/")
    reach = html.split('data-testid="patent-reach"', 1)[1].split("</p>", 1)[0]
    assert "送达 2 条（2 家企业）" in reach and cast.ent_a.name not in reach
    assert menu.title in html
    for user in (cast.p.other_tto, cast.ent_a_user, cast.officer):
        assert 'data-testid="patent-menus"' not in page(client_for(user), f"/patents/{number}/")


def test_organisation_pages_point_to_the_menus(cast):
    pushed(cast)
    html = page(client_for(cast.ent_a_user), f"/orgs/{cast.ent_a.pk}/")
    assert 'data-testid="org-menus"' in html and "/menus/inbox/" in html
    html = page(client_for(cast.officer), f"/orgs/{cast.county_gov.pk}/")
    assert "本辖区已发布的专利菜单" in html
