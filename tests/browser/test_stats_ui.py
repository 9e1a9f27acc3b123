"""Statistics dashboards in the browser: each demo role's home page draws its ECharts charts under
the site's CSP, the operator drills down once (region → next level) and exports a chart's XLSX."""

from __future__ import annotations

import pytest

from .conftest import login

pytestmark = pytest.mark.browser


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
    login(page, server, user)
    page.wait_for_selector(f"[data-testid=dashboard][data-layout={layout}]")
    drawn = page.locator("[data-chart][data-mounted='1'] canvas")
    empty = page.locator("[data-testid^=empty-]")
    page.wait_for_timeout(300)
    # Every card either draws its chart or says honestly that there is nothing to count.
    assert drawn.count() + empty.count() == page.locator(".chart-card").count()
    assert errors == []


def test_operator_drills_down_a_region_and_exports(page, server):
    login(page, server, "operator")
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
