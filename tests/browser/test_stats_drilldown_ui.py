"""Each demo role opens its dashboard, drills down once and exports (issue 13's "done when"): the
operator clicks a city on the Shandong map, the TTO and the inventor open a chain's technical
branches, the enterprise opens the records behind its push feedback, the county officer (宁阳县,
370921) drills from its city map into its county; each downloads an XLSX or PDF and the file is
checked. Also the period report and the Art. 21 annual data pages with their downloads."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from .test_stats_ui import _login

pytestmark = pytest.mark.browser


def _mounted(page: Any, key: str) -> Any:
    """The chart element once ECharts has drawn it (the map waits for its boundary file)."""
    return page.wait_for_selector(f"[data-chart=chart-{key}][data-mounted='1'] canvas")


def _open_table(card: Any) -> None:
    """Show a chart's table view (an empty chart's table is already open: a click would close it)."""
    card.locator("details").evaluate("details => { details.open = true; }")


def _download(page: Any, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.locator(selector).first.click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def _sheet_rows(body: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(body))
    return list(book.worksheets[0].iter_rows(min_row=2, values_only=True))


def test_operator_clicks_a_city_on_the_map_and_exports(page, server):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, server, "operator")
    canvas = _mounted(page, "map")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    # The city with most library patents, and where the chart draws the middle of its area.
    name, point = page.evaluate(
        """() => {
            const chart = window.echarts.getInstanceByDom(document.querySelector('[data-chart=chart-map]'));
            const top = chart.getOption().series[0].data.reduce((a, b) => (b.value > a.value ? b : a));
            const geo = chart.getModel().getSeriesByIndex(0).coordinateSystem;
            return [top.name, chart.convertToPixel({seriesIndex: 0}, geo.getRegion(top.name).getCenter())];
        }"""
    )
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_url(re.compile(r"/stats/region/37\d\d/"))
    code = re.search(r"/stats/region/(37\d\d)/", page.url).group(1)
    page.wait_for_selector("[data-testid=dashboard][data-layout=region]")
    assert name in page.locator("h2").first.inner_text()
    # The city's page draws its counties (or says honestly that none has patents placed in it).
    card = page.wait_for_selector("[data-testid=chart-map]")
    assert f"{name}地图" in card.inner_text()
    filename, body = _download(page, "[data-testid=export-map]")
    assert filename.startswith("stats-LIB-BY-REGION-")
    rows = _sheet_rows(body)
    # Keys are the city's counties, or "=<city>" for organisations registered at city level
    # (written with a leading apostrophe: the workbook never stores a cell that starts like a formula).
    assert rows and all(str(r[1]).lstrip("'").lstrip("=").startswith(code) for r in rows)
    assert errors == []


def test_operator_downloads_the_quarterly_report_pdf_and_xlsx(page, server):
    _login(page, server, "operator")
    page.locator("[data-testid=period-link]").click()
    page.wait_for_selector("[data-testid=period-report]")
    page.select_option("select[name=period]", index=0)  # the running quarter
    page.locator("[data-testid=period-form] button").click()
    page.wait_for_selector("[data-testid=flow-LIC-LICENCES]")
    name, body = _download(page, "[data-testid=period-pdf]")
    assert name.startswith("stats-period-all-") and name.endswith(".pdf") and body.startswith(b"%PDF")
    name, body = _download(page, "[data-testid=period-xlsx]")
    assert load_workbook(io.BytesIO(body)).sheetnames[:2] == ["统计范围", "本期新增"]


def test_tto_drills_a_chain_into_branches_and_exports(page, server):
    _login(page, server, "tto")
    page.wait_for_selector("[data-testid=dashboard][data-layout=tto]")
    card = page.locator("[data-testid=chart-chains]")
    _open_table(card)
    link = card.locator("[data-testid=drill-chains]").first
    chain = link.inner_text()
    link.click()
    page.wait_for_selector("[data-testid=chain-stats]")
    assert chain in page.locator("h2").first.inner_text()
    _mounted(page, "branches")
    name, body = _download(page, "[data-testid=export-branches]")
    assert name.startswith("stats-LIB-BY-BRANCH-")
    rows = _sheet_rows(body)
    assert rows and len({str(r[1]).split("/")[0] for r in rows}) == 1  # one chain's branches only


def test_tto_opens_its_art21_annual_data_and_exports(page, server):
    _login(page, server, "tto")
    page.locator("[data-testid=art21-link]").click()
    page.wait_for_selector("[data-testid=art21-A21-03]")
    assert "西安交通大学" in page.locator("h2").first.inner_text()
    name, body = _download(page, "[data-testid=art21-xlsx]")
    assert name.startswith("art21-")
    assert [r[0] for r in _sheet_rows(body)][:3] == ["A21-01", "A21-02", "A21-03"]


def test_inventor_drills_its_chain_and_exports(page, server):
    _login(page, server, "inventor")
    page.wait_for_selector("[data-testid=dashboard][data-layout=inventor]")
    card = page.locator("[data-testid=chart-chains]")
    _open_table(card)
    card.locator("[data-testid=drill-chains]").first.click()
    page.wait_for_selector("[data-testid=chain-stats]")
    # Own patents only: no links into the whole library.
    assert page.locator("a[href^='/patents/?']").count() == 0
    name, _ = _download(page, "[data-testid=export-branches]")
    assert name.startswith("stats-LIB-BY-BRANCH-")


def test_enterprise_drills_from_push_feedback_to_its_records_and_exports(page, server):
    _login(page, server, "enterprise")
    page.wait_for_selector("[data-testid=dashboard][data-layout=enterprise]")
    name, body = _download(page, "[data-testid=export-pushed]")
    assert name.startswith("stats-MAT-PUSHED-") and _sheet_rows(body)
    card = page.locator("[data-testid=chart-pushed]")
    _open_table(card)
    card.locator("[data-testid=drill-pushed]").first.click()
    page.wait_for_url(re.compile(r"/matching/inbox/"))


def test_county_officer_drills_into_its_county_and_exports(page, server):
    _login(page, server, "county")
    page.wait_for_selector("[data-testid=dashboard][data-layout=region]")
    card = page.locator("[data-testid=chart-map]")
    assert "泰安市地图" in card.locator("h3").inner_text()
    _open_table(card)
    links = card.locator("[data-testid=drill-map]")
    # Only its own county is counted (and linked) on its city's map.
    assert links.count() == 1 and links.first.inner_text() == "宁阳县"
    links.first.click()
    page.wait_for_url(re.compile(r"/stats/region/370921/"))
    assert "泰安市宁阳县" in page.locator("h2").first.inner_text()
    name, body = _download(page, "[data-testid=export-report]")
    assert name.startswith("stats-report-")
    scope = dict(load_workbook(io.BytesIO(body))["统计范围"].iter_rows(min_row=2, values_only=True))
    assert scope["地区"] == "370921"
    # Outside its county: refused.
    response = page.goto(server["url"] + "/stats/region/3709/")
    assert response is not None and response.status == 403
