"""Shared helpers: plausible primary keys from user input, and a demo step that either commits
with its summary or leaves nothing behind and prints the refusal in Chinese."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from patentbridge.accounts.models import Organization
from patentbridge.core.ids import MAX_PK, safe_pk
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.site.demo_steps import run_demo_step


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (3, 3),
        ("0", None),
        ("-4", None),
        ("abc", None),
        (None, None),
        ("9" * 30, None),
    ],
)
def test_safe_pk(value, expected):
    assert safe_pk(value) == expected


def test_the_largest_plausible_key_is_below_the_database_integer():
    assert safe_pk(str(MAX_PK - 1)) == MAX_PK - 1
    assert safe_pk(str(MAX_PK)) is None


@pytest.mark.django_db
def test_a_demo_step_commits_and_prints_its_summary():
    out = io.StringIO()

    def build() -> str:
        Organization.objects.create(name="演示步骤机构（演示）", kind="agency")
        return "已建立 1 个机构"

    run_demo_step(out, "演示步骤", build)
    assert out.getvalue() == "  演示步骤：已建立 1 个机构\n"
    assert Organization.objects.filter(name="演示步骤机构（演示）").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ValidationError("资源库中没有可列入菜单的专利"), "资源库中没有可列入菜单的专利"),
        (LicensingRefused("L3", "已有独占许可"), "已有独占许可（规则 L3）"),
    ],
)
def test_a_refused_demo_step_leaves_nothing_and_says_why(error, reason):
    out = io.StringIO()

    def build() -> str:
        Organization.objects.create(name="半途机构（演示）", kind="agency")
        raise error

    run_demo_step(out, "演示步骤", build)
    assert out.getvalue() == f"  演示步骤：未生成——{reason}\n"
    assert not Organization.objects.filter(name="半途机构（演示）").exists()


def test_demo_offer_titles_do_not_end_like_each_other():
    """The licensing demo finds its offers again by title suffix; the menu demo's offer must not
    end the same way, or a rerun would take one for the other (and two links read alike)."""
    from patentbridge.site.demo_licensing_deals import OFFER_SUFFIXES
    from patentbridge.site.demo_menus import OFFER_SUFFIX

    for suffix in OFFER_SUFFIXES.values():
        assert not OFFER_SUFFIX.endswith(suffix) and not suffix.endswith(OFFER_SUFFIX), suffix
