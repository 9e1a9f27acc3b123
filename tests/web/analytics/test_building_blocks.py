"""The pieces under the pages: day boundaries in the site's zone, chart and table building,
drill-down links per layout, the monthly series, an organisation's patent list, the report's
JSON shape and organisation visibility."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from patentbridge.analytics.access import may_see_org, request_params
from patentbridge.analytics.charts import chart_from_value, query
from patentbridge.analytics.dashboards import INVENTOR_NOTE, build_dashboard, layout_for
from patentbridge.analytics.indicators import Context, compute
from patentbridge.analytics.indicators.context import end_of_day
from patentbridge.analytics.org_patents import org_patent_rows
from patentbridge.analytics.report import PLATFORM_SECTION_LABEL, build_report
from patentbridge.analytics.series import monthly_rows
from patentbridge_engine.analytics import OFFICIAL_SECTION_LABEL, Row, Scope, Value, indicator
from web.analytics.world import AS_OF, World, at
from web.factories import make_member, make_org, make_patent

pytestmark = pytest.mark.django_db


def one(indicator_id: str, **scope) -> Value:
    scope.setdefault("as_of", AS_OF)
    return compute(Scope(**scope), [indicator_id])[0]


def test_a_day_ends_at_local_midnight_not_utc(db):
    """Shanghai is UTC+8: a record made at 23:30 local on as_of counts, one at 00:10 the next
    local day does not, although both are the same UTC date."""
    cutoff = end_of_day(dt.date(2024, 6, 30))
    assert timezone.localtime(cutoff).hour == 0 and timezone.localtime(cutoff).date() == dt.date(2024, 7, 1)
    inside = make_patent()
    outside = make_patent()
    type(inside).objects.filter(pk=inside.pk).update(created_at=at(2024, 6, 30, 23))
    type(outside).objects.filter(pk=outside.pk).update(
        created_at=timezone.make_aware(dt.datetime(2024, 7, 1, 0, 10), timezone.get_default_timezone())
    )
    assert one("LIB-INVENTORIED").value == 1
    assert one("LIB-INVENTORIED", as_of=dt.date(2024, 7, 1)).value == 2


def test_unknown_indicator_ids_are_refused(db):
    with pytest.raises(KeyError, match="未知的平台指标"):
        compute(Scope(as_of=AS_OF), ["LIB-APPROVED", "NOPE"])


def test_chart_rows_links_and_skipped_zero_rows(world: World):
    scope = Scope(as_of=AS_OF)
    chart = chart_from_value("g", "分级", one("LIB-GRADED"), "pie", scope, drill="library", skip_zero=True)
    assert chart.columns == ["分级", "数值（件）"]
    assert [r[0] for r in chart.table] == ["A 核心", "B 重要", "C 一般", "D 可放弃/待处置"]
    assert chart.table[2][1] == "0 件"  # the table keeps the zero row …
    drawn = [d["name"] for d in chart.payload["option"]["series"][0]["data"]]
    assert drawn == ["A 核心", "B 重要", "D 可放弃/待处置"]  # … the drawing leaves it out
    assert chart.payload["links"][0] == "/patents/?grade=A&library_status=in_library"
    assert chart.export_url == "/stats/export/LIB-GRADED.xlsx?as_of=2024-06-30"


def test_chart_of_a_rate_uses_the_rows_unit_and_extra_columns(world: World):
    chart = chart_from_value("u", "转化", one("CONV-BY-UNIVERSITY"), "hbar", Scope(as_of=AS_OF), drill="org")
    assert chart.unit == "%" and chart.columns == ["机构", "数值（%）", "入库专利", "已许可专利"]
    first = chart.table[0]
    assert first[0] == "乙学院" and first[1] == "100.0%" and first[2:] == ["1", "1"]
    assert chart.links[0] == f"/stats/org/{world.orgs['uni_b'].pk}/?as_of=2024-06-30"


def test_a_chart_with_nothing_to_draw_is_empty_but_keeps_its_table(world: World):
    chart = chart_from_value(
        "f", "漏斗", one("MENU-FUNNEL", as_of=dt.date(2024, 1, 1)), "funnel", Scope(as_of=AS_OF)
    )
    assert chart.empty and chart.payload == {}
    assert len(chart.table) == 6


def test_region_rows_link_only_to_real_region_codes(world: World):
    value = Value(
        indicator("LIB-BY-REGION"), 3, [Row("37", "山东省", 2), Row("-", "地区未知", 1), Row("=3715", "x", 0)]
    )
    chart = chart_from_value("r", "地区", value, "bar", Scope(as_of=AS_OF, region=""), drill="region")
    assert chart.links == ["/stats/region/37/?as_of=2024-06-30", "", ""]


def test_query_keeps_region_and_the_supply_organisation_only():
    assert query(Scope(as_of=AS_OF, region="3715")) == "as_of=2024-06-30&region=3715"
    assert query(Scope(as_of=AS_OF, org_id=7, org_side="supply")) == "as_of=2024-06-30&org=7"
    assert query(Scope(as_of=AS_OF, org_id=7, org_side="demand")) == "as_of=2024-06-30"
    assert query(Scope(as_of=AS_OF, org_id=7, org_side="supply", inventor_id=3)) == "as_of=2024-06-30"


@pytest.mark.parametrize(
    ("user", "layout"),
    [
        ("operator", "platform"),
        ("tto_a", "tto"),
        ("inventor_a", "inventor"),
        ("ent_x", "enterprise"),
        ("officer_lc", "region"),
        ("viewer_none", "region"),
    ],
)
def test_layout_follows_the_role(world: World, user, layout):
    assert layout_for(world.users[user]) == layout


def test_drill_downs_are_offered_only_where_the_role_may_follow_them(world: World):
    tto = build_dashboard(
        world.users["tto_a"], Scope(as_of=AS_OF, org_id=world.orgs["uni_a"].pk, org_side="supply")
    )
    counties = next(c for c in tto.charts if c.key == "counties")
    assert counties.links and not any(counties.links) and counties.drill_label == ""
    chains = next(c for c in tto.charts if c.key == "chains")
    assert any(link.startswith("/stats/chain/") for link in chains.links)
    assert tto.scope_name == "甲大学"
    ops = build_dashboard(world.users["operator"], Scope(as_of=AS_OF))
    assert any(
        link.startswith("/stats/org/")
        for link in next(c for c in ops.charts if c.key == "universities").links
    )
    assert ops.scope_name == "全平台" and ops.charts[0].key == "map" and ops.charts[0].kind == "map"
    assert all(c.key != "map" for c in tto.charts)


def test_inventor_dashboard_names_the_matching_rule_when_the_account_has_no_name(world: World):
    uni = world.orgs["uni_a"]
    nameless = make_member(uni, "inventor")
    board = build_dashboard(
        nameless, Scope(as_of=AS_OF, org_id=uni.pk, org_side="supply", inventor_id=nameless.pk)
    )
    assert INVENTOR_NOTE in board.notes and board.scope_name == "本人专利"
    named = world.users["inventor_a"]
    board = build_dashboard(named, Scope(as_of=AS_OF, org_id=uni.pk, org_side="supply", inventor_id=named.pk))
    assert INVENTOR_NOTE not in board.notes


def test_monthly_rows_count_signing_months_and_trials(world: World):
    rows = monthly_rows(Context(Scope(as_of=AS_OF)))
    assert len(rows) == 12 and rows[-1][0] == "2024-06"
    by_month = {m: (n, t) for m, n, t in rows}
    assert by_month["2024-02"] == (1, 1) and by_month["2024-03"] == (2, 1) and by_month["2024-06"] == (0, 0)
    later = {m: n for m, n, _ in monthly_rows(Context(Scope(as_of=dt.date(2024, 8, 31))))}
    assert later["2024-08"] == 1


def test_organisation_patents_best_grades_first_with_licences(world: World):
    ctx = Context(Scope(as_of=AS_OF, org_id=world.orgs["uni_a"].pk, org_side="supply"))
    listing = org_patent_rows(ctx)
    assert listing["total"] == 2
    first, second = listing["rows"]
    assert first["number"] == world.patents["p1"].application_number
    assert (first["grade"], first["high_value"], first["chains"], first["licences"]) == (
        "A",
        True,
        "绿色低碳",
        1,
    )
    assert second["grade"] == "B" and second["licences"] == 0  # c2 is signed in August
    early = org_patent_rows(
        Context(Scope(as_of=dt.date(2024, 6, 1), org_id=world.orgs["uni_a"].pk, org_side="supply"))
    )
    assert early["total"] == 1


def test_report_json_keeps_two_labelled_lists(world: World):
    data = build_report(Scope(as_of=AS_OF, region="37")).as_dict()
    assert data["region_name"] == "山东省" and data["as_of"] == "2024-06-30"
    assert data["platform"]["label"] == PLATFORM_SECTION_LABEL
    assert data["official"]["label"] == OFFICIAL_SECTION_LABEL
    money = next(d for d in data["platform"]["indicators"] if d["id"] == "MON-RECEIVED")
    assert (
        money["value"] == 12000.0 and money["display"] == "¥12,000.00" and money["kind_label"] == "平台口径"
    )
    assert all(f["kind"] == "official" for f in data["official"]["figures"])


def test_organisation_visibility_matrix(world: World):
    uni_a = world.orgs["uni_a"]
    assert may_see_org(world.users["operator"], uni_a)
    assert may_see_org(world.users["tto_a"], uni_a)
    assert not may_see_org(world.users["tto_b"], uni_a)
    assert not may_see_org(world.users["ent_x"], uni_a)
    assert not may_see_org(world.users["inventor_a"], uni_a)
    assert not may_see_org(world.users["officer_lc"], uni_a)
    jinan = make_member(make_org("济南市局", "government", region_code="370100"), "gov_officer")
    assert may_see_org(jinan, uni_a)
    assert not may_see_org(world.users["viewer_none"], uni_a)


def test_a_region_derived_from_the_uscc_places_an_organisation(world: World):
    """An enterprise without a kept region code but with a valid USCC (characters 3–8 = 371522)
    counts in 聊城 like one with the code kept."""
    from patentbridge_engine.ids.uscc import uscc_check_char

    body = "91371522MA3C0000X"[:17]
    company = make_org("莘县另一家公司", "enterprise", uscc=body + uscc_check_char(body))
    from patentbridge.demands.models import TechNeed

    need = TechNeed.objects.create(org=company, title="需求", description="需求")
    TechNeed.objects.filter(pk=need.pk).update(created_at=at(2024, 6, 1))
    assert one("MAT-NEEDS", region="3715").value == 2


def test_request_params_fall_back_with_a_message():
    factory = RequestFactory()
    today = timezone.localdate()
    assert request_params(factory.get("/", {"as_of": "2024-06-30", "region": "371500"})) == (
        AS_OF,
        "3715",
        "",
    )
    day, region, error = request_params(factory.get("/", {"as_of": "x" * 5000, "region": "37"}))
    assert (day, region) == (today, "") and "统计日期格式" in error
    day, region, error = request_params(factory.get("/", {"region": "地区"}))
    assert region == "" and "地区代码无效" in error


def test_money_values_are_decimals_with_cents(world: World):
    received = one("MON-RECEIVED")
    assert isinstance(received.value, Decimal) and received.display == "¥12,000.00"
    assert one("MON-RECEIVED", as_of=dt.date(2024, 1, 1)).display == "¥0.00"
