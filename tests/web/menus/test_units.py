"""Small pieces: id parsing for URLs, forms and services; the officer's region check; coverage
rows; text limits; and user text shown escaped on every menu page and in the PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from patentbridge.menus.access import officer_may_act
from patentbridge.menus.coverage import Shortfall, menu_coverage, repush_days
from patentbridge.menus.queries import clean_ids, get_delivery, get_menu, safe_pk
from patentbridge.menus.services import common, release
from web.factories import make_member, make_org
from web.matrix import client_for
from web.menus.factories import COUNTY, ON, chain_patents
from web.menus.test_compose import new_menu
from web.menus.test_lifecycle import items, published_menu

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "pk"),
    [
        ("12", 12),
        (" 7 ", 7),
        (3, 3),
        ("0", None),
        ("-4", None),
        ("1e3", None),
        ("abc", None),
        (None, None),
        ("9" * 30, None),
        (2**62, None),
        (2**62 - 1, 2**62 - 1),
    ],
)
def test_safe_pk(raw, pk):
    assert safe_pk(raw) == pk


def test_clean_ids_for_pages_drop_the_implausible_and_keep_order():
    assert clean_ids(["3", "x", "3", "-1", "9" * 40, "5"]) == [3, 5]
    assert clean_ids([]) == []


def test_clean_ids_for_services_refuse_any_implausible_value():
    assert common.clean_ids(["2", 1, "2"], "items", "无效") == [2, 1]
    for bad in (["x"], [0], [-3], [10**30], [None]):
        with pytest.raises(ValidationError) as exc:
            common.clean_ids(bad, "items", "遴选条目无效")
        assert exc.value.message_dict == {"items": ["遴选条目无效"]}


def test_clean_text_limits_and_requirement():
    assert common.clean_text("  说明 ", "note", 10) == "说明"
    with pytest.raises(ValidationError, match="请填写理由"):
        common.clean_text(" ", "note", 10, required=True, label="理由")
    with pytest.raises(ValidationError, match="最多 3 个字符"):
        common.clean_text("四个字符", "note", 3, label="备注")


def test_shortfall_never_goes_negative_and_coverage_keeps_the_chain_order():
    assert Shortfall(COUNTY, "GLC", found=7, minimum=5).shortfall == 0
    short = menu_coverage(COUNTY, {"NEV": 0, "GLC": 4, "AGRI": 1}, 2)
    assert [(s.chain, s.shortfall) for s in short] == [("NEV", 2), ("AGRI", 1)]
    assert menu_coverage(COUNTY, {}, 5) == []
    assert repush_days(as_of=ON) == (90, False)


def test_officer_may_act_only_inside_its_prefix(cast):
    assert officer_may_act(cast.officer, COUNTY) and officer_may_act(cast.city_officer, COUNTY)
    assert officer_may_act(cast.city_officer, "3715") and not officer_may_act(cast.officer, "3715")
    assert not officer_may_act(cast.other_officer, COUNTY)
    assert not officer_may_act(cast.p.operator, COUNTY)  # not an officer at all
    assert not officer_may_act(cast.officer, "")
    nowhere = make_member(make_org("无地区局", "government"), "gov_officer")
    assert not officer_may_act(nowhere, COUNTY)


def test_lookups_404_outside_scope_and_for_junk(cast):
    menu = published_menu(cast, n=1)
    assert get_menu(cast.officer, menu.pk) == menu
    for user, pk in ((cast.other_officer, menu.pk), (cast.officer, "x"), (cast.officer, 10**40)):
        with pytest.raises(Http404):
            get_menu(user, pk)
    with pytest.raises(Http404):
        get_menu(cast.officer, menu.pk, "change")
    release.select_items(cast.officer, menu, items=[items(menu)[0].pk], on=ON)
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    delivery = menu.deliveries.get()
    assert get_delivery(cast.ent_a_user, delivery.pk, "respond") == delivery
    with pytest.raises(Http404):
        get_delivery(cast.ent_b_user, delivery.pk, "respond")
    with pytest.raises(Http404):
        get_delivery(cast.officer, delivery.pk, "respond")


def test_user_text_is_escaped_on_the_pages(cast):
    chain_patents(cast.p.university, 1)
    menu = new_menu(cast, title="<script>alert(1)</script>菜单", description="<img src=x onerror=alert(2)>")
    from patentbridge.menus.services import compose

    compose.compose(cast.p.tto, menu, on=ON)
    item = menu.items.get()
    compose.remove_item(cast.p.tto, item, note="<b>理由</b>")
    html = client_for(cast.p.tto).get(f"/menus/{menu.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;菜单" in html
    assert "<img src=x" not in html and "&lt;b&gt;理由&lt;/b&gt;" in html
    listing = client_for(cast.p.tto).get("/menus/").content.decode()
    assert "<script>alert(1)" not in listing


def test_export_pdf_survives_markup_in_titles(cast):
    from patentbridge.menus.exports import menu_pdf
    from patentbridge.menus.queries import included_items

    (patent,) = chain_patents(cast.p.university, 1)
    patent.title = "一种<装置> & <b>方法</b>"
    patent.save()
    menu = new_menu(cast, title="A&B <菜单>")
    from patentbridge.menus.services import compose

    compose.compose(cast.p.tto, menu, on=ON)
    assert menu_pdf(menu, included_items(menu), as_of=dt.date(2026, 3, 2)).startswith(b"%PDF")
