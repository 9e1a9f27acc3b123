"""Statistics dashboards in the browser: each demo role's home page draws its ECharts charts under
the site's CSP, the operator drills down once (region → next level) and exports a chart's XLSX."""

from __future__ import annotations

import pytest

from .conftest import login

pytestmark = pytest.mark.browser


def _login(page, server, user: str) -> None:
    """Sign in, trying again while the start-up sweep holds SQLite's write lock (the login then
    answers 503 "数据库繁忙"; the session row cannot be written yet)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(8):
        try:
            login(page, server, user)
            return
        except PlaywrightTimeout:
            page.wait_for_timeout(2000)
    login(page, server, user)


@pytest.mark.parametrize(
    ("user", "layout"),
    [
        ("operator", "platform"),
        ("tto_bdri", "tto"),
        ("inventor", "inventor"),
        ("ent_weifang", "enterprise"),
        ("viewer", "region"),
    ],
)
def test_each_role_sees_its_dashboard_with_charts(page, server, user, layout):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, server, user)
    page.wait_for_selector(f"[data-testid=dashboard][data-layout={layout}]")
    drawn = page.locator("[data-chart][data-mounted='1'] canvas")
    empty = page.locator("[data-testid^=empty-]")
    cards = page.locator(".chart-card").count()
    # Every card either draws its chart or says honestly that there is nothing to count (the
    # deferred ECharts script may still be loading: look again for up to ten seconds).
    for _ in range(50):
        if drawn.count() + empty.count() == cards:
            break
        page.wait_for_timeout(200)
    assert cards > 0
    assert drawn.count() + empty.count() == cards
    assert errors == []


def test_operator_drills_down_a_region_and_exports(page, server):
    _login(page, server, "operator")
    card = page.locator("[data-testid=chart-regions]")
    card.locator("summary").click()
    link = card.locator("[data-testid=drill-regions]").first
    name = link.inner_text()
    link.click()
    page.wait_for_selector("[data-testid=dashboard][data-layout=region]")
    assert name in page.locator("h2").first.inner_text()
    with page.expect_download() as info:
        page.locator("[data-testid=export-counties]").click()
    assert info.value.suggested_filename.startswith("stats-CONV-BY-COUNTY-")
