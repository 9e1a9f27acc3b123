"""Regions (guide §1.3): an organisation's GB/T 2260 code, kept or derived from the USCC's
characters 3–8 with a valid check character (DR §11.6), prefix scoping, and the officer's scope."""

from __future__ import annotations

import pytest

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.models import Organization
from patentbridge.accounts.regions import (
    officer_prefix,
    orgs_within,
    region_code_of,
    region_of,
    region_prefix,
    region_q,
    within,
)
from patentbridge.core.labels import action_label
from patentbridge.core.restrict import registered_models
from patentbridge.menus import models as menu_models
from web.factories import make_member, make_org
from web.menus.factories import COUNTY, valid_uscc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("370000", "37"),
        ("371500", "3715"),
        ("371522", "371522"),
        ("3715", "3715"),
        ("37", "37"),
        ("", ""),
        ("3715221", ""),
        ("37a5", ""),
        (" 371500 ", "3715"),
    ],
)
def test_prefixes_strip_the_zero_padding(code, prefix):
    assert region_prefix(code) == prefix


def test_within_is_prefix_containment_and_unknown_is_never_inside():
    assert within("371522", "3715") and within("371522", "370000") and within("371522", "371522")
    assert not within("371502", "371522") and not within("3715", "371522")
    assert not within("", "37") and not within("371522", "")


def test_kept_code_wins_then_a_valid_uscc_then_nothing():
    kept = make_org("甲", "enterprise", region_code="370902", uscc=valid_uscc(COUNTY))
    assert region_of(kept).code == "370902" and region_of(kept).source == "region_code"
    derived = make_org("乙", "enterprise", uscc=valid_uscc(COUNTY))
    region = region_of(derived)
    assert (region.code, region.source, region.prefix) == (COUNTY, "uscc", COUNTY)
    assert "第3–8位" in region.evidence and derived.uscc in region.evidence
    good = valid_uscc(COUNTY)
    bad_check = make_org("丙", "enterprise", uscc=good[:17] + ("0" if good[17] != "0" else "1"))
    assert region_of(bad_check).code == "" and "校验位不正确" in region_of(bad_check).evidence
    assert region_of(make_org("丁", "enterprise")).code == ""
    # DR §14 vector: 91370100MA3C00000E is a valid Jinan code (prefix 3701).
    jinan = make_org("戊", "enterprise", uscc="91370100MA3C00000E")
    assert region_code_of(jinan) == "370100" and region_of(jinan).prefix == "3701"


def test_region_of_a_user_is_its_organisations_and_officers_are_scoped():
    gov = make_org("莘县局", "government", region_code=COUNTY)
    officer = make_member(gov, RoleChoices.GOV_OFFICER)
    assert region_code_of(officer) == COUNTY and officer_prefix(officer) == COUNTY
    assert officer_prefix(make_member(gov, RoleChoices.VIEWER)) is None
    assert officer_prefix(make_member(make_org("无地区局", "government"), "gov_officer")) == ""


def test_region_filters_never_mean_everything():
    inside = make_org("莘县企业", "enterprise", region_code=COUNTY)
    make_org("青岛企业", "enterprise", region_code="370212")
    by_uscc = make_org("莘县信用代码企业", "enterprise", uscc=valid_uscc(COUNTY))
    assert list(Organization.objects.filter(region_q("region_code", "3715"))) == [inside]
    assert Organization.objects.filter(region_q("region_code", "")).count() == 0
    assert set(orgs_within(Organization.objects.all(), "3715")) == {inside, by_uscc}


def test_gov_officer_reads_and_selects_but_never_offers_licenses_or_pushes():
    """专利法 Art. 79: the officer's actions are reads and menu selection only."""
    officer = make_member(make_org("莘县局2", "government", region_code=COUNTY), "gov_officer")
    assert all(
        policies.can(officer, a)
        for a in ("patents.view", "demands.view", "menus.view", "menus.select", "menus.funnel")
    )
    forbidden = [
        a
        for a in policies._ACTIONS
        if a.startswith(("licensing.", "matching.", "grading."))
        or a
        in ("menus.compose", "menus.publish", "menus.push", "menus.respond", "patents.change", "demands.post")
    ]
    assert forbidden and not any(policies.can(officer, a) for a in forbidden)
    assert OrgKindChoices.AGENCY.label == "服务机构" and RoleChoices.GOV_OFFICER.label == "政府部门（区县）"


def test_menu_models_have_rules_and_actions_have_chinese_labels():
    wanted = {
        menu_models.PatentMenu,
        menu_models.MenuItem,
        menu_models.MenuDelivery,
        menu_models.SupplementRequest,
        menu_models.MenuSelection,
        menu_models.MenuPush,
    }
    assert wanted <= set(registered_models())
    from patentbridge.menus.labels import MENU_ACTION_LABELS

    assert all(
        action_label(code) == label and not label.isascii() for code, label in MENU_ACTION_LABELS.items()
    )
