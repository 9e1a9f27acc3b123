"""Drill-downs university → college (LIB-BY-COLLEGE) and chain → technical branch (LIB-BY-BRANCH,
the chain page), with their table views and exports, on the world of ``world.py``.

The tests give the world's library patents colleges and main IPC classes: p1 (甲大学, GLC)
机械学院 H01M 10/052; p2 (甲大学, GLC, in the library from 2024-06-15) 机械学院 h01m4/13; p4
(乙学院, SWYY) no college, A61K 31/00; p5 (no owner) none.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from patentbridge.analytics.drill_views import BRANCH_ROWS, branch_value
from patentbridge.analytics.indicators import compute
from patentbridge.patents.models import Patent
from patentbridge_engine.analytics import Row, Scope, Value, indicator
from web.analytics.world import AS_OF, World
from web.matrix import client_for

pytestmark = pytest.mark.django_db
Q = "?as_of=2024-06-30"


@pytest.fixture
def placed(world: World) -> World:
    p = world.patents
    Patent.objects.filter(pk=p["p1"].pk).update(college="机械学院", ipc_main="H01M 10/052")
    Patent.objects.filter(pk=p["p2"].pk).update(college="机械学院 ", ipc_main="h01m4/13")
    Patent.objects.filter(pk=p["p4"].pk).update(ipc_main="A61K 31/00")
    return world


def rows_of(value: Value) -> dict[str, tuple[str, object]]:
    return {r.key: (r.label, r.value) for r in value.rows}


def test_by_college_platform_and_one_university(placed: World):
    uni_a, uni_b = placed.orgs["uni_a"].pk, placed.orgs["uni_b"].pk
    (everywhere,) = compute(Scope(as_of=AS_OF), ["LIB-BY-COLLEGE"])
    assert rows_of(everywhere) == {
        f"{uni_a}:机械学院": ("甲大学 · 机械学院", 2),
        f"{uni_b}:未填写学院": ("乙学院 · 未填写学院", 1),
        "-:未填写学院": ("未登记盘点机构 · 未填写学院", 1),
    }
    assert everywhere.value == 4
    (own,) = compute(Scope(as_of=AS_OF, org_id=uni_a, org_side="supply"), ["LIB-BY-COLLEGE"])
    assert rows_of(own) == {f"{uni_a}:机械学院": ("机械学院", 2)}
    # p2 entered the library on 06-15: the day before, only p1.
    (earlier,) = compute(
        Scope(as_of=AS_OF.replace(day=14), org_id=uni_a, org_side="supply"), ["LIB-BY-COLLEGE"]
    )
    assert rows_of(earlier) == {f"{uni_a}:机械学院": ("机械学院", 1)}


def test_by_branch_splits_each_chain_by_ipc_subclass(placed: World):
    (value,) = compute(Scope(as_of=AS_OF), ["LIB-BY-BRANCH"])
    assert rows_of(value) == {"GLC/H01M": ("绿色低碳 · H01M", 2), "SWYY/A61K": ("生物医药 · A61K", 1)}
    assert next(r for r in value.rows if r.key == "GLC/H01M").link == "chain=GLC&ipc_subclass=H01M"
    (region,) = compute(Scope(as_of=AS_OF, region="3709"), ["LIB-BY-BRANCH"])
    assert rows_of(region) == {"SWYY/A61K": ("生物医药 · A61K", 1)}


def test_a_patent_without_main_class_is_its_own_branch(world: World):
    Patent.objects.filter(pk__in=[p.pk for p in world.patents.values()]).update(ipc_main="", ipc=[])
    (value,) = compute(Scope(as_of=AS_OF), ["LIB-BY-BRANCH"])
    assert rows_of(value) == {"GLC/-": ("绿色低碳 · 无主分类号", 2), "SWYY/-": ("生物医药 · 无主分类号", 1)}
    assert next(r for r in value.rows if r.key == "GLC/-").link == "chain=GLC"


def test_branch_value_keeps_the_chain_and_sums_the_long_tail():
    rows = [Row(f"GLC/X{i:03d}", f"绿色低碳 · X{i:03d}", 30 - i) for i in range(20)]
    rows.append(Row("SWYY/A61K", "生物医药 · A61K", 99))
    value = branch_value(Value(indicator("LIB-BY-BRANCH"), 0, rows), "GLC")
    assert value.value == sum(30 - i for i in range(20))
    assert len(value.rows) == BRANCH_ROWS + 1
    assert value.rows[0].label == "X000" and value.rows[0].value == 30
    other = value.rows[-1]
    assert other.key == "GLC/*" and other.label == "其他 IPC 小类（5 个）"
    assert other.value == sum(30 - i for i in range(15, 20))


def test_chain_page_draws_branches_and_links_the_library_list(placed: World):
    client = client_for(placed.users["operator"])
    html = client.get("/stats/chain/GLC/" + Q).content.decode()
    assert "绿色低碳" in html and 'data-testid="chart-branches"' in html
    assert re.search(
        r'data-testid="chain-library"><span class="muted">产业链入库专利</span><b>2 件</b>', html
    )
    assert "/patents/?chain=GLC&amp;ipc_subclass=H01M&amp;library_status=in_library" in html
    export = re.search(r'href="([^"]+)" data-testid="export-branches"', html)
    assert export
    url = export.group(1).replace("&amp;", "&")
    assert "chain=GLC" in url
    sheet = load_workbook(io.BytesIO(client.get(url).content)).worksheets[0]
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [("H01M", "GLC/H01M", 2)]


def test_dashboards_link_chains_to_the_chain_page_and_universities_to_colleges(placed: World):
    html = client_for(placed.users["operator"]).get("/" + Q).content.decode()
    assert 'href="/stats/chain/GLC/?as_of=2024-06-30" data-testid="drill-chains"' in html
    uni_a = placed.orgs["uni_a"].pk
    assert f'href="/stats/org/{uni_a}/?as_of=2024-06-30" data-testid="drill-universities"' in html
    org = client_for(placed.users["operator"]).get(f"/stats/org/{uni_a}/" + Q).content.decode()
    assert 'data-testid="chart-colleges"' in org and "机械学院" in org
    tto = client_for(placed.users["tto_a"]).get("/" + Q).content.decode()
    assert 'data-testid="chart-colleges"' in tto and "机械学院" in tto
    assert 'href="/stats/chain/GLC/?as_of=2024-06-30&amp;org=' in tto


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        ("tto_a", "/stats/chain/GLC/", 200),
        ("tto_b", "/stats/chain/SWYY/", 200),
        ("officer_lc", "/stats/chain/GLC/", 200),
        ("viewer_lc", "/stats/chain/GLC/", 200),
        ("officer_lc", "/stats/chain/GLC/?region=3702", 403),
        ("officer_none", "/stats/chain/GLC/", 403),
        ("inventor_a", "/stats/chain/GLC/", 200),
        ("ent_x", "/stats/chain/GLC/", 403),
        ("operator", "/stats/chain/NOPE/", 404),
        ("operator", "/stats/chain/" + "X" * 300 + "/", 404),
    ],
)
def test_chain_page_permissions(placed: World, user: str, url: str, status: int):
    assert client_for(placed.users[user]).get(url).status_code == status


def test_tto_chain_page_counts_only_its_own_patents(placed: World):
    html = client_for(placed.users["tto_b"]).get("/stats/chain/GLC/" + Q).content.decode()
    assert re.search(
        r'data-testid="chain-library"><span class="muted">产业链入库专利</span><b>0 件</b>', html
    )
    assert 'data-testid="empty-branches"' in html
    mine = client_for(placed.users["tto_b"]).get("/stats/chain/SWYY/" + Q).content.decode()
    assert "A61K" in mine and "H01M" not in mine


def test_inventor_chain_page_counts_own_patents_without_library_links(placed: World):
    html = client_for(placed.users["inventor_a"]).get("/stats/chain/GLC/" + Q).content.decode()
    # p1 names 张三 (the inventor's account name) and p2 was submitted by the inventor.
    assert re.search(
        r'data-testid="chain-library"><span class="muted">产业链入库专利</span><b>2 件</b>', html
    )
    assert "H01M" in html and "/patents/?" not in html
    home = client_for(placed.users["inventor_a"]).get("/" + Q).content.decode()
    assert 'href="/stats/chain/GLC/?as_of=2024-06-30' in home


def test_enterprise_push_chart_drills_to_its_push_records(world: World):
    html = client_for(world.users["ent_x"]).get("/" + Q).content.decode()
    assert 'data-testid="chart-pushed"' in html
    assert 'href="/matching/inbox/" data-testid="drill-pushed"' in html
