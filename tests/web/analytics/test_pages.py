"""Dashboards per role on the home page, the region and organisation drill-downs, the report page
with the official figures apart, and the XLSX exports with their permissions."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from patentbridge_engine.analytics import OFFICIAL_SECTION_LABEL
from web.analytics.world import World
from web.matrix import anonymous, client_for

pytestmark = pytest.mark.django_db
Q = "?as_of=2024-06-30"
# Stored choice values that must never reach a reader.
RAW_CODES = (
    "directed_trial",
    "active_paid",
    "trial_ended",
    "in_library",
    "pending_college",
    "open_licence",
    "not_relevant",
    "negotiated",
    "entry_fee",
    "royalty",
    "exclusive",
    "ordinary",
    "None",
)


def visible_text(html: str) -> str:
    """The page text a reader sees: no data blocks, no tags, no attribute values."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def charts_of(html: str) -> dict[str, dict]:
    blocks = re.findall(
        r'<script id="(chart-[\w-]+)" type="application/json">(.*?)</script>', html, flags=re.S
    )
    return {key: json.loads(body) for key, body in blocks}


@pytest.mark.parametrize(
    ("user", "layout", "title", "tiles"),
    [
        ("operator", "platform", "全平台统计", ["LIB-APPROVED", "LIC-OFFERS", "PL-ACTIVE"]),
        ("tto_a", "tto", "本单位专利转化统计", ["MON-OUTSTANDING", "MON-INVENTOR"]),
        ("inventor_a", "inventor", "我的专利与收益", ["MON-INVENTOR"]),
        ("ent_x", "enterprise", "本企业需求与许可", ["MAT-NEEDS", "LIC-TRIALS"]),
        ("officer_lc", "region", "辖区统计", ["LIC-REACH", "LIC-CONVERSION"]),
        ("viewer_lc", "region", "辖区统计", ["LIC-LICENCES"]),
    ],
)
def test_each_role_gets_its_dashboard_in_chinese(world: World, user, layout, title, tiles):
    response = client_for(world.users[user]).get("/" + Q)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-layout="{layout}"' in html
    assert title in html
    for tile in tiles:
        assert f'data-testid="tile-{tile}"' in html
    text = visible_text(html)
    for code in RAW_CODES:
        assert not re.search(rf"(?<![\w-]){code}(?![\w-])", text), (user, code)
    assert "vendor/echarts.min.js" in html and "analytics/charts.js" in html
    assert "<script>" not in html  # no inline script under the CSP


def test_operator_dashboard_numbers_and_chart_data(world: World):
    html = client_for(world.users["operator"]).get("/" + Q).content.decode()
    assert re.search(r'data-testid="tile-LIC-LICENCES".*?<b>3 份</b>', html, flags=re.S)
    assert re.search(r'data-testid="tile-MON-RECEIVED".*?<b>¥12,000.00</b>', html, flags=re.S)
    charts = charts_of(html)
    grades = charts["chart-grades"]["option"]["series"][0]["data"]
    assert {d["name"]: d["value"] for d in grades} == {"A 核心": 1, "B 重要": 1, "D 可放弃/待处置": 1}
    chains = charts["chart-chains"]
    assert chains["option"]["yAxis"]["data"] == ["绿色低碳", "生物医药"]
    assert chains["links"][0] == "/stats/chain/GLC/?as_of=2024-06-30"
    regions = charts["chart-regions"]
    assert regions["links"][regions["option"]["xAxis"]["data"].index("山东省")].startswith(
        "/stats/region/37/"
    )
    monthly = charts["chart-monthly"]["option"]
    assert monthly["xAxis"]["data"][-1] == "2024-06" and monthly["series"][0]["data"][-5:] == [1, 2, 0, 0, 0]


def test_county_officer_dashboard_counts_only_its_region(world: World):
    html = client_for(world.users["officer_lc"]).get("/" + Q).content.decode()
    assert "聊城市" in html
    assert re.search(r'data-testid="tile-LIC-LICENCES".*?<b>2 份</b>', html, flags=re.S)
    # The map of 聊城市 lists its eight counties; the city's universities have no library patents
    # in the world, so the map card says so honestly instead of drawing an all-zero map.
    assert 'data-testid="chart-map"' in html and "聊城市地图" in html
    assert 'data-testid="empty-map"' in html and "莘县" in html and "临清市" in html
    counties = charts_of(html)["chart-counties"]
    assert counties["option"]["xAxis"]["data"] == ["聊城市莘县"]
    assert counties["links"] == ["/stats/region/371522/?as_of=2024-06-30&region=3715"]


def test_empty_states_are_honest(world: World):
    html = client_for(world.users["ent_y"]).get("/?as_of=2024-01-15").content.decode()
    assert 'data-testid="dashboard-empty"' in html
    assert "还没有可统计的记录" in html
    assert 'data-testid="empty-trials"' in html
    assert charts_of(html) == {}


def test_bad_parameters_show_a_chinese_message_not_an_error(world: World):
    response = client_for(world.users["operator"]).get("/?as_of=2024-02-30&region=xx")
    assert response.status_code == 200
    assert "统计日期格式应为 YYYY-MM-DD" in response.content.decode()
    outside = client_for(world.users["officer_lc"]).get("/?region=3702")
    assert outside.status_code == 200 and "只能查看本辖区内的统计数据" in outside.content.decode()


def test_region_drill_down_once_and_its_permissions(world: World):
    officer = client_for(world.users["officer_lc"])
    page = officer.get("/stats/region/371522/" + Q)
    assert page.status_code == 200
    html = page.content.decode()
    assert "聊城市莘县" in html and re.search(r'tile-LIC-LICENCES".*?<b>2 份</b>', html, flags=re.S)
    assert officer.get("/stats/region/3702/" + Q).status_code == 403
    assert officer.get("/stats/region/xyz/").status_code == 403
    assert client_for(world.users["tto_a"]).get("/stats/region/37/").status_code == 403
    assert client_for(world.users["operator"]).get("/stats/region/3702/" + Q).status_code == 200
    assert anonymous().get("/stats/region/37/").status_code == 302


def test_university_drill_down_lists_its_patents(world: World):
    org = world.orgs["uni_a"]
    response = client_for(world.users["operator"]).get(f"/stats/org/{org.pk}/" + Q)
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲大学" in html and "入库专利（共 2 件" in html
    assert world.patents["p1"].application_number in html
    assert world.patents["p3"].application_number not in html  # pending, not in the library
    assert client_for(world.users["tto_a"]).get(f"/stats/org/{org.pk}/").status_code == 200
    assert client_for(world.users["tto_b"]).get(f"/stats/org/{org.pk}/").status_code == 403
    assert client_for(world.users["ent_x"]).get(f"/stats/org/{org.pk}/").status_code == 403
    # 甲大学 (370102) is not in 聊城 (3715).
    assert client_for(world.users["officer_lc"]).get(f"/stats/org/{org.pk}/").status_code == 403
    assert client_for(world.users["operator"]).get("/stats/org/999999/").status_code == 404


def test_report_page_keeps_official_figures_in_their_own_section(world: World):
    html = client_for(world.users["operator"]).get("/stats/" + Q).content.decode()
    platform, _, official = html.partition('data-testid="official-section"')
    assert OFFICIAL_SECTION_LABEL in official and OFFICIAL_SECTION_LABEL not in platform
    assert 'data-testid="row-LIC-LICENCES"' in platform and "row-" not in official
    assert 'data-testid="official-OF-I5-2023"' in official and "official-OF" not in platform
    section = html.split('data-testid="platform-section"')[1].split('data-testid="official-section"')[0]
    # No official figure (name or value) is listed among the platform counts.
    assert "专利密集型产业增加值" not in section and "168713" not in section and "1349000" not in section
    assert set(re.findall(r'<span class="kind-tag">(.*?)</span>', section)) == {"平台口径"}
    assert (
        'data-testid="official-OF-I5-2023"'
        not in client_for(world.users["operator"]).get("/stats/?as_of=2023-06-30").content.decode()
    )


def xlsx(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_chart_export_has_the_rows_definition_and_scope(world: World):
    sheets = xlsx(client_for(world.users["operator"]).get("/stats/export/LIC-BY-ORIGIN.xlsx" + Q))
    rows = {r[0]: r[2] for r in sheets["LIC-BY-ORIGIN"][1:]}
    assert rows["定向许可（先试用）"] == 2 and rows["开放许可"] == 1
    assert sheets["指标定义"][1][0] == "LIC-BY-ORIGIN" and sheets["指标定义"][1][2] == "平台口径"
    assert sheets["统计范围"][1][:1] == ("统计日期",)


def test_report_export_puts_official_figures_on_their_own_sheet(world: World):
    sheets = xlsx(client_for(world.users["operator"]).get("/stats/export/report.xlsx" + Q))
    platform_ids = {r[0] for r in sheets["平台统计"][1:]}
    official_ids = {r[0] for r in sheets["官方公布数据"][1:]}
    assert "LIC-LICENCES" in platform_ids and "OF-I5-2023" in official_ids
    assert not platform_ids & official_ids
    monthly = xlsx(client_for(world.users["operator"]).get("/stats/export/LIC-MONTHLY.xlsx" + Q))
    assert monthly["按月许可合同"][-1] == ("2024-06", 0, 0)


def test_exports_follow_the_same_scope_and_refuse_the_rest(world: World):
    officer = client_for(world.users["officer_lc"])
    sheets = xlsx(officer.get("/stats/export/LIC-LICENCES.xlsx" + Q))
    assert sheets["合计"][1][1] == 2
    assert officer.get("/stats/export/LIC-LICENCES.xlsx?region=3702").status_code == 403
    uni_a = world.orgs["uni_a"].pk
    assert (
        client_for(world.users["ent_x"]).get(f"/stats/export/LIB-GRADED.xlsx?org={uni_a}").status_code == 403
    )
    assert (
        client_for(world.users["tto_a"]).get(f"/stats/export/LIB-GRADED.xlsx?org={uni_a}").status_code == 200
    )
    assert client_for(world.users["tto_a"]).get("/stats/export/LIB-GRADED.xlsx?org=abc").status_code == 403
    assert client_for(world.users["operator"]).get("/stats/export/NOPE.xlsx").status_code == 404
    assert anonymous().get("/stats/export/report.xlsx").status_code == 302
    assert client_for(world.users["officer_none"]).get("/stats/export/report.xlsx").status_code == 403
