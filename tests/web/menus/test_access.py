"""The ``core.restrict`` rules of the menu models, role by role: who sees a published (pushed)
menu and a draft, its items, deliveries, supplements, selection and pushes, and who may change or
select; plus the policy numbers (minimum per chain, re-push window) read from the dated policy
table when it has them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from patentbridge.core.restrict import restrict
from patentbridge.menus import coverage
from patentbridge.menus.models import (
    MenuDelivery,
    MenuItem,
    MenuPush,
    MenuSelection,
    PatentMenu,
    SupplementRequest,
)
from patentbridge.menus.services import compose, release
from web.menus.factories import COUNTY, ON, chain_patents
from web.menus.test_compose import new_menu
from web.menus.test_pages import pushed

pytestmark = pytest.mark.django_db

ROLES = (
    "admin",
    "operator",
    "tto",
    "other_tto",
    "inventor",
    "officer",
    "city_officer",
    "other_officer",
    "ent_a",
    "ent_far",
)


def user_of(cast, role):
    return {
        "admin": cast.p.admin,
        "operator": cast.p.operator,
        "tto": cast.p.tto,
        "other_tto": cast.p.other_tto,
        "inventor": cast.p.inventor,
        "officer": cast.officer,
        "city_officer": cast.city_officer,
        "other_officer": cast.other_officer,
        "ent_a": cast.ent_a_user,
        "ent_far": cast.ent_far_user,
    }[role]


@pytest.fixture
def world(cast):
    chain_patents(cast.p.other_university, 2)
    menu, _ = pushed(cast)  # 3 own patents + 2 drawn from the other university = 5 items
    draft = new_menu(cast, title="草稿")
    return cast, menu, draft


# role → (menus seen, may change the pushed menu, may select it, items seen, deliveries seen, children)
EXPECTED = {
    "admin": ({"pushed", "draft"}, True, True, 5, 4, True),
    "operator": ({"pushed", "draft"}, True, True, 5, 4, True),
    "tto": ({"pushed", "draft"}, True, False, 5, 4, True),
    "other_tto": (set(), False, False, 0, 0, False),
    "inventor": (set(), False, False, 0, 0, False),
    "officer": ({"pushed"}, False, True, 5, 4, True),
    "city_officer": ({"pushed"}, False, True, 5, 4, True),
    "other_officer": (set(), False, False, 0, 0, False),
    "ent_a": ({"pushed"}, False, False, 2, 2, False),
    "ent_far": (set(), False, False, 0, 0, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_and_acts_on_what_its_rule_allows(world, role):
    cast, menu, draft = world
    user = user_of(cast, role)
    names = {menu.pk: "pushed", draft.pk: "draft"}
    seen, change, select, n_items, n_deliveries, children = EXPECTED[role]
    assert {names[m.pk] for m in restrict(PatentMenu.objects.all(), user)} == seen
    assert restrict(PatentMenu.objects.filter(pk=menu.pk), user, "change").exists() is change
    # "select" is only a question for officers; platform roles pass every rule
    assert restrict(PatentMenu.objects.filter(pk=menu.pk), user, "select").exists() is select
    assert restrict(MenuItem.objects.filter(menu=menu), user).count() == n_items
    assert restrict(MenuDelivery.objects.filter(menu=menu), user).count() == n_deliveries
    for model in (SupplementRequest, MenuSelection, MenuPush):
        assert restrict(model.objects.filter(menu=menu), user).exists() is children, model


def test_an_enterprise_answers_only_its_own_deliveries(world):
    cast, menu, _ = world
    assert restrict(MenuDelivery.objects.filter(menu=menu), cast.ent_a_user, "respond").count() == 2
    assert restrict(MenuDelivery.objects.filter(menu=menu), cast.ent_a_user, "change").count() == 0
    assert restrict(MenuDelivery.objects.filter(menu=menu), cast.officer, "respond").count() == 0


def test_officers_see_included_items_only(world):
    cast, _, draft = world
    items = list(MenuItem.objects.filter(menu__state="published"))
    assert len(items) == 5
    removed = items[-1]
    removed.state = "removed"
    removed.save()
    assert restrict(MenuItem.objects.all(), cast.officer).count() == 4
    assert restrict(MenuItem.objects.all(), cast.p.tto).count() == 5 + draft.items.count()


# --- policy numbers -----------------------------------------------------------------------------


def fake_policy(values):
    def value(key, *, as_of, region_code=""):
        if key not in values:
            raise KeyError(f"未知的政策参数：{key}")
        return values[key]

    return value


def test_the_minimum_comes_from_the_policy_table_when_it_has_the_key(cast, monkeypatch):
    monkeypatch.setattr(coverage.policy, "value", fake_policy({"MENU_MIN_ITEMS": 3}))
    assert coverage.min_items(as_of=ON, region_code=COUNTY) == (3, True)
    chain_patents(cast.p.university, 1)
    chain_patents(cast.p.other_university, 5)
    menu = new_menu(cast)
    assert menu.min_per_chain == 3
    (run,) = compose.supplement(cast.p.tto, menu, on=ON)
    assert (run.request.minimum, run.request.shortfall, run.request.filled) == (3, 2, 2)


def test_the_repush_window_comes_from_the_policy_table_when_it_has_the_key(cast, monkeypatch):
    _menu, items = pushed(cast)
    second = new_menu(cast, title="第二份")
    for item in items[:2]:
        compose.add_item(cast.p.tto, second, item.patent, on=ON)
    release.publish(cast.p.tto, second, on=ON)
    release.select_items(cast.officer, second, items=list(second.items.values_list("pk", flat=True)), on=ON)
    monkeypatch.setattr(coverage.policy, "value", fake_policy({"MENU_REPUSH_DAYS": 3}))
    push = release.push(cast.p.tto, second, enterprises=[cast.ent_a.pk], on=ON + dt.timedelta(days=4))
    assert push.delivery_count == 2 and push.skipped == []


def test_recipient_cap_and_compose_bounds(cast, monkeypatch):
    menu, _ = pushed(cast)
    monkeypatch.setattr(release, "MAX_RECIPIENTS", 1)
    with pytest.raises(ValidationError, match="一次最多推送 1 家企业"):
        release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=ON)
    chain_patents(cast.p.university, 4)
    draft = new_menu(cast, title="上限")
    assert len(compose.compose(cast.p.tto, draft, on=ON, per_chain=2).added) == 2
    assert len(compose.compose(cast.p.tto, draft, on=ON, per_chain=-5).added) == 0  # at least 1, already 2
