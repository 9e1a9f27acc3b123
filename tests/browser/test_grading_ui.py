"""Grading in the browser: the breakdown and an override on a patent page, the public
implementation list (route choice, export), and the pre-filing assessment form."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import login

pytestmark = pytest.mark.browser

# A test record (not demo data): a fiscally funded Jinan patent granted long enough ago.
_FUNDED = """
import datetime as dt
from patentbridge.accounts.models import Organization
from patentbridge.patents.models import Patent
Patent.objects.get_or_create(application_number="201810000001.1", defaults=dict(
    title="一种财政资助的余热回收装置（测试记录）", patent_type="invention", legal_status="granted",
    fiscal_funded=True, filing_date=dt.date(2018, 1, 5), grant_date=dt.date(2020, 2, 29),
    province="山东省", city="济南市", library_status="in_library",
    owner_org=Organization.objects.get(name="西安交通大学")))
"""


def _patentbridge(server, *args: str, stdin: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        PATENTBRIDGE_DATA_DIR=str(server["data_dir"]),
        PATENTBRIDGE_DATABASE_URL="",
        PATENTBRIDGE_TASKS="immediate",
    )
    done = subprocess.run(
        [sys.executable, "-m", "patentbridge", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_grade_breakdown_and_override(page, server):
    login(page, server, "tto")
    page.goto(server["url"] + "/patents/?q=西安交通大学")
    page.locator("[data-testid=patent-table] tbody tr a").first.click()
    card = page.locator("[data-testid=grade-card]")
    computed = page.inner_text("[data-testid=grade-computed]")
    assert computed in "ABCD"
    assert page.locator("[data-testid=grade-breakdown] tbody tr").count() == 15
    assert "PB-GRADE" in page.inner_text("[data-testid=grade-policy]")
    target = "A" if computed != "A" else "C"
    page.select_option("[data-testid=override-grade]", target)
    page.fill("[data-testid=override-reason]", "已有企业试用，市场前景明确")
    page.click("[data-testid=override-save]")
    page.wait_for_selector(".messages li")
    assert page.inner_text("[data-testid=grade-final]") == target
    assert "已有企业试用" in card.inner_text()
    assert page.inner_text("[data-testid=grade-computed]") == computed  # both shown
    page.click("[data-testid=grade-policy]")
    assert "分级边界" in page.inner_text("main")


def test_public_list_route_and_export(page, server):
    _patentbridge(server, "shell", stdin=_FUNDED)
    _patentbridge(server, "public-list", "--json")
    login(page, server, "tto")
    page.click("[data-testid=nav-public-list]")
    assert int(page.inner_text("[data-testid=public-list-count]")) >= 2  # Shandong and Jinan
    row = page.locator('[data-testid="entry-201810000001.1-jinan"]')
    assert "满 5 年" in row.inner_text() and "政府可实施" in row.inner_text()
    row.locator("[data-testid=route-select]").select_option("open_licence")
    row.locator("[data-testid=route-save]").click()
    page.wait_for_selector(".messages li")
    assert "开放许可声明" in page.locator('[data-testid="entry-201810000001.1-jinan"]').inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=public-list-export]")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_pre_filing_assessment(page, server):
    login(page, server, "inventor")
    page.click("[data-testid=nav-assess]")
    page.fill("[data-testid=assess-title]", "一种用于工业蒸汽制取的高温热泵系统")
    page.fill(
        "[data-testid=assess-abstract]",
        "回收工业低温余热，经两级压缩把热量提升到120℃以上，直接产生工业用蒸汽，替代燃气锅炉。",
    )
    page.fill(
        "[data-testid=assess-claims]",
        "1. 一种高温热泵系统，包括压缩机和闪蒸罐，其特征在于，冷凝器出口连接闪蒸罐。",
    )
    page.click("[data-testid=assess-submit]")
    page.wait_for_selector("[data-testid=assessment-report]")
    assert page.inner_text("[data-testid=predicted-grade]") in "ABCD"
    report = page.inner_text("[data-testid=assessment-report]")
    assert "热泵" in report and "新颖性初筛" in report
