"""The menu and roadshow demo loaders on a platform without the demo patents: each prints why it
made nothing and leaves nothing half-made (its transaction is rolled back)."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings

from patentbridge.menus.models import PatentMenu
from patentbridge.roadshows.models import RoadshowEvent
from patentbridge.site.demo_menus import load_menus_demo
from patentbridge.site.demo_orgs import create_demo_accounts
from patentbridge.site.demo_roadshows import load_roadshows_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(tmp_path, chains):
    with override_settings(
        DATA_DIR=tmp_path, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        create_demo_accounts()
        yield


def test_menu_demo_without_patents_says_so_and_keeps_nothing(accounts):
    out = io.StringIO()
    load_menus_demo(out)
    assert (
        out.getvalue() == "  专利菜单（演示）：未生成——宁阳县现代高效农业链在资源库中没有可列入菜单的专利\n"
    )
    assert not PatentMenu.objects.exists()


def test_roadshow_demo_needs_the_menu_demo_first(accounts):
    out = io.StringIO()
    load_roadshows_demo(out)
    assert (
        out.getvalue() == "  一月一链路演（演示）：未生成——请先载入专利菜单演示（路演专利来自其县域遴选）\n"
    )
    assert not RoadshowEvent.objects.exists()
