"""The menu and roadshow demos (``site.demo_menus``, ``site.demo_roadshows``) on a loaded demo:
built through the services, labelled 演示, the funnels' numbers, what the county officer sees,
and a second run of each loader adds nothing (rows and audit events).

The demo is loaded once per module on a frozen day, inside a transaction rolled back at the end,
with the bundled files that hold granted patents (the CNKI subset's 中山大学 records fill the
menu from the 资源库; the heat-pump and sample files feed the licensing demo)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.test import override_settings

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import LicenceApplication, LicenceOffer
from patentbridge.menus.funnel import funnel
from patentbridge.menus.models import MenuDelivery, PatentMenu
from patentbridge.roadshows.funnel import event_funnel
from patentbridge.roadshows.models import RoadshowEvent
from patentbridge.site import demo as demo_module
from patentbridge.site.demo_menus import FOOD_FIRM, MACHINERY_FIRM, demo_menu, load_menus_demo
from patentbridge.site.demo_orgs import user
from patentbridge.site.demo_roadshows import demo_event, load_roadshows_demo
from web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOAD_DAY = dt.date(2026, 12, 10)
NOW = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)
DEMO_FILES = ("cnki_subset.xls", "hthp_patents.json.gz", "schema_sample_10.csv.gz")


def counts() -> dict[str, int]:
    """Rows of every menu, roadshow and licensing model, and their audit events."""
    out = {
        m.__name__: m.objects.count()
        for label in ("menus", "roadshows", "licensing")
        for m in apps.get_app_config(label).get_models()
    }
    out["audit"] = AuditEvent.objects.filter(action__regex=r"^(menus|roadshows|licensing)\.").count()
    return out


@dataclass(frozen=True)
class Loaded:
    first: str
    second: str
    counts_first: dict[str, int]
    counts_second: dict[str, int]


def _seed_chains() -> None:
    from patentbridge.patents.models import IndustryChain
    from patentbridge_engine.classify import load_chain_config

    for position, chain in enumerate(load_chain_config()["chains"]):
        IndustryChain.objects.get_or_create(
            code=chain["code"],
            defaults={
                "name": chain["name"],
                "ipc_patterns": chain["ipc"],
                "keywords": chain["keywords"],
                "position": position,
            },
        )


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    data = tmp_path_factory.mktemp("demo-data")
    local = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DATA_DIR=data,
        MEDIA_ROOT=data / "media",
    )
    plan = tuple(row for row in demo_module.DEMO_PLAN if row[1] in DEMO_FILES)
    assert len(plan) == len(DEMO_FILES)
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True), local, transaction.atomic():
        _seed_chains()  # ``patentbridge init`` seeds them before loading the demo
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(demo_module, "DEMO_PLAN", plan)
            demo_module.load_demo(io.StringIO())
        first = io.StringIO()
        load_menus_demo(first)
        load_roadshows_demo(first)
        counts_first = counts()
        second = io.StringIO()
        load_menus_demo(second)
        load_roadshows_demo(second)
        yield Loaded(first.getvalue(), second.getvalue(), counts_first, counts())
        transaction.set_rollback(True)


def test_a_second_run_adds_nothing(demo: Loaded) -> None:
    assert demo.counts_second == demo.counts_first
    assert demo.first == demo.second  # same funnel lines, nothing rebuilt
    assert PatentMenu.objects.count() == 1 and RoadshowEvent.objects.count() == 1
    assert "未生成" not in demo.first


def test_menu_funnel_has_real_numbers(demo: Loaded) -> None:
    """4 selected items × 2 宁阳 firms = 8 deliveries, all opened; one 有意向 with a trial request,
    one 不相关 (技术不匹配)."""
    menu = demo_menu()
    assert menu is not None and menu.is_demo and menu.title.endswith("（演示）")
    assert menu.state == "published" and menu.target_region == "370921"
    assert (
        menu.selection.items.count() == 4
        and menu.selection.selector_org.name == "宁阳县市场监督管理局（演示）"
    )
    deliveries = list(
        MenuDelivery.objects.filter(menu=menu).select_related("item__patent", "item__chain", "enterprise")
    )
    row = funnel(deliveries)
    assert row.counts["delivered"] == 8 and row.counts["viewed"] == 8
    assert row.counts["interested"] == 1 and row.counts["trial_requested"] == 1 and row.not_relevant == 1
    assert {d.enterprise.name for d in deliveries} == {
        "宁阳示范农机装备有限公司（演示）",
        "宁阳示范食品加工有限公司（演示）",
    }
    refused = next(d for d in deliveries if d.response == "not_relevant")
    assert refused.enterprise == user(MACHINERY_FIRM).membership.org and refused.reason == "tech_mismatch"
    wanted = next(d for d in deliveries if d.application_id)
    assert wanted.enterprise == user(FOOD_FIRM).membership.org
    assert wanted.application.is_demo and wanted.application.offer.is_demo
    assert wanted.application.offer.title.endswith("（演示）")
    # Published in the university's name; the SDAU records have no legal status, so 资源库 items.
    assert menu.publisher_org.name == "山东农业大学"
    assert all(i.is_supplement for i in menu.items.all())
    assert "菜单全部由资源库补充" in demo.first


def test_roadshow_funnel_and_outcome(demo: Loaded) -> None:
    event = demo_event()
    assert event is not None and event.is_demo and event.title.endswith("（演示）")
    assert event.month == "2026-12" and event.event_date == dt.date(2026, 12, 7) and event.status == "held"
    assert (
        event.organiser_org.name == "山东农业大学" and event.cohost_org.name == "宁阳县市场监督管理局（演示）"
    )
    f = event_funnel(event)
    assert (f.items, f.invited, f.registered, f.attended, f.intentions) == (4, 3, 3, 2, 2)
    assert f.intention_amount == Decimal("280000.00")  # 200,000 (trial) + 80,000 (licence)
    assert (f.outcomes, f.deals) == (1, 0)  # linked to the trial application, not yet signed
    menu_items = {i.menu_item.patent_id for i in event.items.select_related("menu_item")}
    assert menu_items == set(demo_menu().selection.items.values_list("patent_id", flat=True))
    linked = event.intentions.get(application__isnull=False)
    assert linked.org == user(FOOD_FIRM).membership.org
    assert linked.application == LicenceApplication.objects.get(applicant_org=linked.org, is_demo=True)
    assert linked.follow_ups.count() == 1
    assert "意向金额 ¥280,000.00" in demo.first
    invited_by = set(event.invitations.values_list("invited_by__username", flat=True))
    assert invited_by == {"county", "tto_sdau"}


def test_what_the_county_officer_sees(demo: Loaded, client) -> None:
    assert client.login(username="county", password=_password("county"))
    event = demo_event()
    calendar = client.get("/roadshows/").content.decode()
    assert event.title in calendar and "本辖区" in calendar
    page = client.get(f"/roadshows/{event.pk}/").content.decode()
    assert 'data-testid="f-intentions">2<' in page and "¥280,000.00" in page
    assert 'data-testid="next-status"' not in page and 'data-testid="add-item-form"' not in page
    menu_funnel = client.get(f"/menus/{demo_menu().pk}/funnel/")
    assert menu_funnel.status_code == 200


def _password(username: str) -> str:
    """Demo passwords are random: set a known one for the test client (inside the rollback)."""
    account = user(username)
    account.set_password(PASSWORD)
    account.save()
    return PASSWORD


def test_offer_and_application_are_demo_records(demo: Loaded) -> None:
    offer = LicenceOffer.objects.get(title__contains="宁阳县专利菜单配套")
    assert offer.is_demo and offer.state == "published" and offer.target_regions == ["3709"]
