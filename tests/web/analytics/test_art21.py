"""The annual 科技成果转化情况 data (促进科技成果转化法 Art. 21) per university on the world of
``world.py``: the rows for 甲大学 in 2024 are worked out by hand from the world's records.

甲大学 (uni_a) in 2024: p1 in the library since 01-10, p2 approved 06-15 (p3 pending); contracts c1
(ordinary, trial, signed 02-01, filed 04-01) and c2 (exclusive, signed 08-01), c4 a draft; paid on
c1: 10,000 + 2,000 + 1,000; inventors' lines 1,500 + 1,500 (03-10) and 600 (07-01); at the year's
end r2 has 5,000 − 3,000 = 2,000 outstanding (r3 waived, r4 not yet reported).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from patentbridge.analytics.art21 import NOT_RECORDED, build_art21, parse_year
from web.analytics.world import World
from web.matrix import anonymous, client_for

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def values(world: World, org: str, year: int) -> dict[str, object]:
    report = build_art21(world.orgs[org], year, TODAY)
    return {line.row.id: line.value for line in report.lines}


def test_uni_a_2024_rows(world: World):
    v = values(world, "uni_a", 2024)
    assert v["A21-01"] == 2 and v["A21-02"] == 2
    assert (v["A21-03"], v["A21-04"], v["A21-05"], v["A21-06"]) == (2, 1, 0, 1)
    assert v["A21-07"] == 1 and v["A21-08"] == 2 and v["A21-09"] == 1
    assert v["A21-10"] == Decimal("13000")
    assert v["A21-11"] == Decimal("3600")
    assert v["A21-12"] == Decimal("2000")
    assert v["A21-13"] is None and v["A21-14"] is None


def test_a_later_year_has_no_flows_but_keeps_the_stock(world: World):
    v = values(world, "uni_a", 2025)
    assert v["A21-01"] == 2 and v["A21-02"] == 0 and v["A21-03"] == 0
    assert v["A21-10"] == Decimal("0") and v["A21-11"] == Decimal("0")
    before = values(world, "uni_a", 2023)
    assert before["A21-01"] == 0 and before["A21-03"] == 0


def test_uni_b_2024_counts_only_its_own_licences(world: World):
    v = values(world, "uni_b", 2024)
    # c3 (trial, 03-01) and c5 (the open-licence acceptance, 03-01); none filed, no money.
    assert v["A21-03"] == 2 and v["A21-07"] == 1 and v["A21-09"] == 0
    assert v["A21-10"] == Decimal("0")


def test_parse_year():
    assert parse_year("2024", TODAY) == (2024, "")
    assert parse_year("", TODAY) == (2025, "")
    for bad in ("2027", "1984", "abcd", "20 24", "-1"):
        year, error = parse_year(bad, TODAY)
        assert year == 2025 and "年度应为" in error


def test_tto_reads_its_own_university_page_and_xlsx(world: World):
    client = client_for(world.users["tto_a"])
    html = client.get("/stats/art21/?year=2024").content.decode()
    assert "甲大学" in html and "2024 年度" in html
    assert 'data-testid="art21-A21-10"' in html and "¥13,000.00" in html
    assert NOT_RECORDED in html and "第二十一条" in html
    response = client.get("/stats/art21/export.xlsx?year=2024")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = {r[0]: r for r in book["年度数据"].iter_rows(min_row=2, values_only=True)}
    assert rows["A21-03"][2] == 2 and rows["A21-10"][2] == 13000 and rows["A21-13"][2] == NOT_RECORDED
    assert all(r[5] for r in rows.values())  # every row names its source
    facts = dict(book["说明"].iter_rows(min_row=2, values_only=True))
    assert facts["单位"] == "甲大学" and facts["年度"] == "2024 年度"


def test_operator_picks_any_university(world: World):
    client = client_for(world.users["operator"])
    html = client.get("/stats/art21/").content.decode()
    assert 'data-testid="art21-pick"' in html and "乙学院" in html and "甲大学" in html
    uni_b = world.orgs["uni_b"].pk
    html = client.get(f"/stats/art21/?org={uni_b}&year=2024").content.decode()
    assert "乙学院" in html
    response = client.get(f"/stats/art21/export.xlsx?org={uni_b}&year=2024")
    assert response.status_code == 200 and f"art21-{uni_b}-2024.xlsx" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("user", "query", "status"),
    [
        ("tto_a", "?org={uni_b}", 403),
        ("tto_a", "?org={uni_a}&year=2024", 200),
        ("tto_b", "?org={uni_a}", 403),
        ("inventor_a", "", 403),
        ("ent_x", "", 403),
        ("officer_lc", "", 403),
        ("viewer_lc", "", 403),
        ("operator", "?org={ent_x}", 404),
        ("operator", "?org=abc", 403),
        ("operator", "?org=999999", 404),
    ],
)
def test_art21_permissions(world: World, user: str, query: str, status: int):
    ids = {k: world.orgs[k].pk for k in ("uni_a", "uni_b", "ent_x")}
    client = client_for(world.users[user])
    assert client.get("/stats/art21/" + query.format(**ids)).status_code == status
    assert client.get("/stats/art21/export.xlsx" + query.format(**ids)).status_code == status


def test_export_refuses_a_bad_year_and_anonymous(world: World):
    client = client_for(world.users["tto_a"])
    assert client.get("/stats/art21/export.xlsx?year=3000").status_code == 403
    html = client.get("/stats/art21/?year=3000").content.decode()
    assert 'data-testid="stats-error"' in html and "年度应为" in html
    assert client_for(world.users["operator"]).get("/stats/art21/export.xlsx").status_code == 403
    response = anonymous().get("/stats/art21/")
    assert response.status_code == 302
