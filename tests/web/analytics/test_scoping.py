"""Whose numbers: a county officer's include only its region, a TTO only its organisation, an
enterprise only its own side, an inventor only its own patents and income."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from patentbridge.analytics.indicators import compute
from patentbridge.analytics.scope import ScopeError, parse_as_of, parse_region, scope_for
from patentbridge_engine.analytics import Scope
from web.analytics.world import AS_OF, World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 1, 1)


def for_user(user: Any, region: str = "", as_of: dt.date = AS_OF) -> dict[str, Any]:
    return {v.id: v.value for v in compute(scope_for(user, as_of=as_of, region=region))}


def test_an_officer_is_confined_to_its_region(world: World):
    """聊城 (3715) holds ent_x (莘县): its two licences; no library patent of the region's own."""
    lc = for_user(world.users["officer_lc"])
    assert lc["LIC-LICENCES"] == 2
    assert lc["LIB-APPROVED"] == 0
    assert lc["MAT-NEEDS"] == 1
    assert lc["LIC-OFFERS"] == 1  # targets 莘县
    assert lc["MON-RECEIVED"] == Decimal("12000")
    qd = for_user(world.users["officer_qd"])
    assert qd["LIC-LICENCES"] == 1  # the open licence of ent_y; c2 was signed in August
    assert qd["MON-RECEIVED"] == Decimal("0")
    assert qd["MENU-FUNNEL"] == 1


def test_officer_numbers_never_exceed_the_platforms(world: World):
    everything = {v.id: v.value for v in compute(Scope(as_of=AS_OF))}
    lc = for_user(world.users["officer_lc"])
    for key in ("LIB-APPROVED", "LIC-LICENCES", "MAT-PUSHED", "MENU-FUNNEL", "OL-ACCEPTED"):
        assert lc[key] <= everything[key], key


def test_an_officer_may_narrow_but_not_widen_or_leave_its_region(world: World):
    officer = world.users["officer_lc"]
    assert scope_for(officer, as_of=AS_OF, region="371522").region == "371522"
    assert scope_for(officer, as_of=AS_OF).region == "3715"
    for other in ("37", "3702", "370212"):
        with pytest.raises(PermissionDenied, match="本辖区"):
            scope_for(officer, as_of=AS_OF, region=other)


def test_an_officer_without_region_sees_nothing_and_a_viewer_without_one_sees_the_platform(world: World):
    with pytest.raises(PermissionDenied, match="未登记行政区划"):
        scope_for(world.users["officer_none"], as_of=AS_OF)
    assert scope_for(world.users["viewer_none"], as_of=AS_OF).region == ""
    assert scope_for(world.users["viewer_lc"], as_of=AS_OF).region == "3715"


def test_a_tto_counts_its_own_organisation(world: World):
    a = for_user(world.users["tto_a"])
    assert a["LIB-APPROVED"] == 2
    assert a["LIC-LICENCES"] == 1  # c1 (granted by 甲大学)
    assert a["MON-RECEIVED"] == Decimal("12000")
    assert a["OL-PUBLISHED"] == 0
    b = for_user(world.users["tto_b"])
    assert b["LIB-APPROVED"] == 1
    assert b["LIC-LICENCES"] == 2  # c3 and the open licence c5
    assert b["OL-PUBLISHED"] == 1
    assert b["MON-RECEIVED"] == Decimal("0")


def test_a_tto_region_parameter_does_not_escape_its_organisation(world: World):
    scope = scope_for(world.users["tto_a"], as_of=AS_OF, region="37")
    assert scope.org_id == world.orgs["uni_a"].pk
    assert {v.id: v.value for v in compute(scope)}["LIB-APPROVED"] == 2


def test_an_enterprise_counts_its_own_side(world: World):
    x = for_user(world.users["ent_x"])
    assert x["MAT-NEEDS"] == 1
    assert x["MAT-PUSHED"] == 2
    assert x["LIC-LICENCES"] == 2
    assert x["LIC-TRIALS"] == 2
    assert x["LIB-APPROVED"] == 0  # the supply side is not the enterprise's
    y = for_user(world.users["ent_y"])
    assert y["MAT-NEEDS"] == 0
    assert y["OL-ACCEPTED"] == 1


def test_an_inventor_counts_own_patents_and_income(world: World):
    """p1 names 张三 (the inventor's account name), p2 was submitted by the inventor."""
    mine = for_user(world.users["inventor_a"])
    assert mine["LIB-APPROVED"] == 2
    assert mine["LIB-HIGH-VALUE"] == 1
    assert mine["LIC-LICENCES"] == 1
    assert mine["MON-INVENTOR"] == Decimal("1500")
    assert for_user(world.users["inventor_a"], as_of=dt.date(2024, 7, 2))["MON-INVENTOR"] == Decimal("2100")


def test_parameters_are_checked_in_chinese():
    assert parse_as_of("", TODAY) == TODAY
    assert parse_as_of("2024-06-30", TODAY) == dt.date(2024, 6, 30)
    for bad, message in (
        ("2024-13-01", "格式"),
        ("yesterday", "格式"),
        ("1970-01-01", "不能早于"),
        ("2030-01-01", "不能晚于今天"),
        ("2024-06-30T00:00:00", "格式"),
    ):
        with pytest.raises(ScopeError, match=message):
            parse_as_of(bad, TODAY)
    assert parse_region("371500") == "3715"
    assert parse_region("") == ""
    for bad in ("99", "3715x", "1234567", "00"):
        with pytest.raises(ScopeError, match="地区代码无效"):
            parse_region(bad)
