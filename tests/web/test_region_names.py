"""One table names Shandong's divisions for every page: 370921 is 泰安市宁阳县 on the roadshow
calendar and menu funnels (licensing's region_label) as on the statistics map."""

from __future__ import annotations

from patentbridge.accounts.divisions import division_name, full_division_name
from patentbridge.analytics.regionmap import place_name
from patentbridge.licensing.services.deal_regions import region_label


def test_a_county_is_named_with_its_city_everywhere():
    assert region_label("370921") == "泰安市宁阳县"
    assert place_name("370921") == "泰安市宁阳县"
    assert full_division_name("370921") == "泰安市宁阳县"


def test_cities_and_the_province_keep_their_names():
    assert region_label("370900") == "泰安市"
    assert region_label("3709") == "泰安市"
    assert division_name("37") == "山东省"
    assert full_division_name("3715") == "聊城市"


def test_unknown_codes_fall_back_without_inventing_a_name():
    assert full_division_name("379999") == ""
    assert region_label("370999") == "泰安市（370999）"
    assert region_label("") == "未知地区"
    assert region_label("440305").startswith("广东省")
