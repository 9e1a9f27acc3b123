"""A navigation report in headless Chromium (Debian's /usr/bin/chromium through Playwright, against
the test server): the operator creates a region project, the report is generated, every chart is
drawn by ECharts, a finding with an action is added and the report published; the region's officer
then opens it. Screenshots go to ``PATENTBRIDGE_SCREENSHOTS`` when set."""

from __future__ import annotations

from typing import Any

import pytest

from patentbridge.navigation.models import NavigationReport
from web.menus.test_menus_browser import _shot, browser_page  # noqa: F401  (fixture)
from web.navigation.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD_FIELD = "#id_password"


def _login(page: Any, base: str, user: Any) -> None:
    from web.conftest import PASSWORD

    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill(PASSWORD_FIELD, PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_report_page_in_the_browser(browser_page: Any, live_server: Any, chains: None) -> None:  # noqa: F811
    page, base = browser_page, live_server.url
    world = build_world()
    _login(page, base, world.operator)
    page.goto(base + "/navigation/")
    assert page.locator("[data-testid=no-projects]").count() == 1
    page.click("[data-testid=new-project]")
    _shot(page, "navigation-new")
    page.select_option("#id_kind", "region")
    page.fill("#id_scope", "3709")
    page.fill("#id_need", "研判泰安市热泵产业的短板与合作对象（演示）")
    page.click("[data-testid=create-project]")
    page.wait_for_selector("[data-testid=section-positioning]")
    # ECharts draws into a canvas inside every chart container.
    page.wait_for_selector("[data-chart=nav-chart-trend] canvas")
    drawn = page.locator("[data-chart] canvas").count()
    assert drawn >= 6
    _shot(page, "navigation-report-draft")
    page.fill("textarea[name=text]", "电池分支薄弱，库内高校有相关专利")
    page.select_option("select[name=action_kind]", "collaborate")
    page.fill("input[name=action]", "对接山东大学电池团队，开展许可谈判")
    page.click("[data-testid=add-finding]")
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=report-state]:has-text('已发布')")
    report = NavigationReport.objects.get()
    assert report.state == "published"
    # Refresh: a second version, then its key-number diff against the first.
    page.click("text=全部版本")
    page.click("[data-testid=refresh]")
    page.wait_for_selector("[data-testid=section-trend]")
    page.click("[data-testid=diff-link]")
    page.wait_for_selector("[data-testid=diff-patents]")
    _shot(page, "navigation-diff")
    page.goto(base + "/navigation/")
    _shot(page, "navigation-list")
    _login(page, base, world.officer)
    page.goto(base + "/navigation/")
    page.click(f"[data-testid=project-{report.project_id}] a")
    assert page.locator("text=第 2 版").count() == 0  # the refreshed draft is not for readers
    page.click("text=第 1 版")
    page.wait_for_selector("[data-chart=nav-chart-positioning] canvas")
    assert "对接山东大学电池团队" in page.content()
    assert page.locator("[data-testid=publish]").count() == 0
    _shot(page, "navigation-report-officer")
