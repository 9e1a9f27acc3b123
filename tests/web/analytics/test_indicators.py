"""Every platform indicator on the hand-built world, as of 2024-06-30 and on other days; the
expected numbers are worked out by hand in ``world.py``'s docstring."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from patentbridge.analytics.indicators import compute, platform_ids
from patentbridge_engine.analytics import Scope
from web.analytics.world import AS_OF, World

pytestmark = pytest.mark.django_db


def values(**scope: Any) -> dict[str, Any]:
    scope.setdefault("as_of", AS_OF)
    return {v.id: v for v in compute(Scope(**scope))}


def rows(value: Any) -> dict[str, Any]:
    return {r.key: r.value for r in value.rows}


def test_every_platform_indicator_has_a_compute_function(world: World):
    """The catalogue and the registry agree: no entry without a function, none extra."""
    from patentbridge.analytics.indicators import COMPUTE

    assert set(COMPUTE) == set(platform_ids())
    assert len(values()) == len(platform_ids())


def test_library_counts_as_of(world: World):
    v = values()
    assert v["LIB-INVENTORIED"].value == 5
    assert rows(v["LIB-INVENTORIED"]) == {"in_library": 4, "pending_college": 1}
    assert v["LIB-APPROVED"].value == 4  # p1, p2 (approved 06-15), p4, p5
    assert rows(v["LIB-GRADED"]) == {"A": 1, "B": 1, "C": 0, "D": 1}  # p4 graded in September
    assert v["LIB-GRADED"].value == 3
    assert v["LIB-HIGH-VALUE"].value == 1
    assert v["LIB-BY-CHAIN"].value == 3
    assert rows(v["LIB-BY-CHAIN"]) == {"GLC": 2, "SWYY": 1}
    owners = {r.label: r.value for r in v["LIB-BY-OWNER"].rows}
    assert owners == {"甲大学": 2, "乙学院": 1, "未登记盘点机构": 1}


def test_approval_date_not_creation_decides_the_library(world: World):
    """p2 was recorded in March but approved on 06-15: not in the library on 06-01."""
    early = values(as_of=dt.date(2024, 6, 1))
    assert early["LIB-APPROVED"].value == 3
    assert values(as_of=dt.date(2024, 1, 31))["LIB-INVENTORIED"].value == 2  # p1, p5


def test_region_breakdown_goes_one_level_down(world: World):
    nation = {r.key: r.value for r in values()["LIB-BY-REGION"].rows}
    assert nation == {"37": 3, "-": 1}
    shandong = {r.label: r.value for r in values(region="37")["LIB-BY-REGION"].rows}
    assert shandong == {"济南市": 2, "泰安市": 1}


def test_matching(world: World):
    v = values()
    assert v["MAT-NEEDS"].value == 1  # the second need was posted in July
    assert v["MAT-PUSHED"].value == 2
    assert rows(v["MAT-PUSHED"]) == {"interested": 1, "not_relevant": 0, "": 1}  # answered in August
    assert v["MAT-INTEREST"].value == 50.0
    assert values(as_of=dt.date(2024, 1, 31))["MAT-INTEREST"].value is None  # nothing pushed yet


def test_licensing_counts(world: World):
    v = values()
    assert v["LIC-OFFERS"].value == 1  # the second offer was published in August, the third never
    assert v["LIC-LICENCES"].value == 3  # c1, c3, c5; c2 signed in August; c4 a draft
    assert rows(v["LIC-LICENCES"]) == {"ordinary": 3, "sole": 0, "exclusive": 0}
    assert rows(v["LIC-BY-ORIGIN"])["directed_trial"] == 2
    assert rows(v["LIC-BY-ORIGIN"])["open_licence"] == 1
    assert v["LIC-TRIALS"].value == 2
    assert rows(v["LIC-FILED"]) == {"fixed": 0, "royalty": 1, "free": 0}
    assert rows(v["LIC-REACH"]) == {"universities": 1, "enterprises": 2, "counties": 2, "patents": 2}


def test_a_licence_signed_after_as_of_is_not_counted(world: World):
    later = values(as_of=dt.date(2024, 12, 31))
    assert later["LIC-LICENCES"].value == 4
    assert rows(later["LIC-LICENCES"])["exclusive"] == 1
    assert values(as_of=dt.date(2024, 2, 15))["LIC-LICENCES"].value == 1


def test_trial_conversion_rate_and_median_days(world: World):
    v = values()
    assert v["LIC-CONVERSION"].value == 50.0  # c1 converted, c3 ended unconverted
    assert v["LIC-CONVERSION-DAYS"].value == 91.0  # 2024-02-01 → 2024-05-02
    early = values(as_of=dt.date(2024, 4, 15))  # neither trial has ended or converted yet
    assert early["LIC-CONVERSION"].value is None
    assert early["LIC-CONVERSION-DAYS"].value is None
    assert values(as_of=dt.date(2024, 5, 10))["LIC-CONVERSION"].value == 100.0  # c3 not due yet


def test_money_as_of(world: World):
    v = values()
    assert v["MON-RECEIVED"].value == Decimal("12000")
    assert {r.key: r.value for r in v["MON-RECEIVED"].rows} == {
        "entry_fee": Decimal("10000"),
        "royalty": Decimal("2000"),
    }
    assert v["MON-OUTSTANDING"].value == Decimal("3000")  # waived and unreported left out
    assert v["MON-OVERDUE"].value == Decimal("3000")
    assert rows(v["MON-OVERDUE"])["1–30 天"] == Decimal("3000")
    later = values(as_of=dt.date(2024, 7, 31))
    assert later["MON-RECEIVED"].value == Decimal("13000")
    assert rows(later["MON-OVERDUE"])["31–90 天"] == Decimal("2000")
    assert values(as_of=dt.date(2024, 5, 15))["MON-OVERDUE"].value == Decimal("0")


def test_inventor_income_by_approval_date(world: World):
    v = values()
    assert v["MON-INVENTOR"].value == Decimal("3000")
    assert values(as_of=dt.date(2024, 7, 1))["MON-INVENTOR"].value == Decimal("3600")


def test_open_licences(world: World):
    v = values()
    assert v["OL-PUBLISHED"].value == 1  # d2 published in July
    assert v["OL-WITHDRAWN"].value == 1
    assert v["OL-ACCEPTED"].value == 1
    assert rows(v["OL-ACCEPTED"]) == {"free": 1, "paid": 0}
    assert values(as_of=dt.date(2024, 4, 30))["OL-WITHDRAWN"].value == 0


def test_public_list(world: World):
    v = values()
    assert v["PL-ENTERED"].value == 2
    assert v["PL-LEFT"].value == 1
    assert v["PL-ACTIVE"].value == 1
    assert rows(v["PL-ACTIVE"]) == {"": 0, "exchange": 0, "open_licence": 1}
    early = values(as_of=dt.date(2024, 2, 15))
    assert rows(early["PL-ACTIVE"]) == {"": 2, "exchange": 0, "open_licence": 0}  # route chosen in March


def test_menu_funnel_steps_by_date(world: World):
    v = values()
    assert rows(v["MENU-FUNNEL"]) == {
        "delivered": 2,
        "viewed": 1,
        "interested": 1,
        "trial_requested": 1,
        "trial": 1,
        "licensed": 1,
    }
    early = values(as_of=dt.date(2024, 1, 21))
    assert rows(early["MENU-FUNNEL"]) == {
        "delivered": 1,
        "viewed": 1,
        "interested": 0,
        "trial_requested": 0,
        "trial": 0,
        "licensed": 0,
    }
    assert rows(values(as_of=dt.date(2024, 4, 15))["MENU-FUNNEL"])["licensed"] == 0


def test_conversion_per_university_county_and_chain(world: World):
    v = values()
    assert v["CONV-PLATFORM"].value == 50.0  # p1 and p4 of 4 library patents
    uni = {r.label: (r.value, dict(r.extra)) for r in v["CONV-BY-UNIVERSITY"].rows}
    assert uni["甲大学"] == (50.0, {"入库专利": 2, "已许可专利": 1})
    assert uni["乙学院"] == (100.0, {"入库专利": 1, "已许可专利": 1})
    county = {r.key: (r.value, dict(r.extra)) for r in v["CONV-BY-COUNTY"].rows}
    assert county["371522"] == (2, {"被许可企业": 1, "试用转付费率(%)": 50.0})
    assert county["370212"][0] == 1
    chain = {r.key: r.value for r in v["CONV-BY-CHAIN"].rows}
    assert chain == {"GLC": 50.0, "SWYY": 100.0}
