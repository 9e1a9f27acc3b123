"""The library as a person uses it: login, faceted list, search, patent page, export, upload."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import login

pytestmark = pytest.mark.browser
DEMO_DATA = Path(__file__).resolve().parents[2] / "src" / "patentbridge" / "demo_data"


def test_login_and_wrong_password(page, server):
    """A wrong password shows an error; the right one lands on the overview with counts."""
    page.goto(server["url"] + "/patents/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "operator")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator("text=用户名或密码不正确").is_visible()
    login(page, server, "operator")
    assert int(page.inner_text("[data-testid=total]")) >= 140
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")


def test_faceted_list_narrows_and_clears(page, server):
    """Clicking a facet narrows the list in place (HTMX) and updates the address; clearing restores it."""
    login(page, server, "enterprise")
    page.goto(server["url"] + "/patents/")
    total = int(page.inner_text("[data-testid=result-count]"))
    page.click("a[data-facet=patent_type][data-value=utility_model]")
    page.wait_for_url("**patent_type=utility_model**")
    page.wait_for_function(f"document.querySelector('[data-testid=result-count]').innerText != '{total}'")
    narrowed = int(page.inner_text("[data-testid=result-count]"))
    assert 0 < narrowed < total
    types = page.locator("[data-testid=patent-table] tbody tr td:nth-child(4)").all_inner_texts()
    assert set(types) == {"实用新型"}
    page.click("text=清除全部筛选")
    page.wait_for_function(f"document.querySelector('[data-testid=result-count]').innerText == '{total}'")


def test_keyword_search(page, server):
    """Searching a technical term returns only matching patents."""
    login(page, server, "viewer")
    page.goto(server["url"] + "/patents/")
    page.fill("[data-testid=search-input]", "无人机")
    page.press("[data-testid=search-input]", "Enter")
    page.wait_for_url("**q=**")
    page.wait_for_function("document.querySelector('[data-testid=result-count]').innerText < 20")
    titles = page.locator("[data-testid=patent-table] tbody tr td:nth-child(2)").all_inner_texts()
    # The term may also match in an abstract, so not every title carries it.
    assert len(titles) == int(page.inner_text("[data-testid=result-count]"))
    assert sum("无人机" in t for t in titles) >= 5


def test_patent_page_shows_reasons_and_provenance(page, server):
    """The patent page explains each class and where the record came from."""
    login(page, server, "viewer")
    page.goto(server["url"] + "/patents/201910834751.6/")
    assert "跨临界CO2" in page.inner_text("[data-testid=patent-title]")
    classes = page.inner_text("[data-testid=classifications]")
    assert "重点产业链" in classes and "属于产业链配置" in classes and "WIPO技术领域" in classes
    assert "导入批次" in page.inner_text("[data-testid=provenance]")


def test_export_downloads_the_filtered_list(page, server):
    """XLSX and CSV downloads contain the rows of the filtered list."""
    login(page, server, "enterprise")
    page.goto(server["url"] + "/patents/?patent_type=utility_model")
    expected = int(page.inner_text("[data-testid=result-count]"))
    with page.expect_download() as xlsx_info:
        page.click("[data-testid=export-xlsx]")
    sheet = load_workbook(io.BytesIO(Path(xlsx_info.value.path()).read_bytes())).active
    assert sheet.max_row == expected + 1 and sheet.cell(1, 1).value == "申请号"
    with page.expect_download() as csv_info:
        page.click("[data-testid=export-csv]")
    rows = list(csv.reader(io.StringIO(Path(csv_info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == expected + 1


def test_upload_shows_live_progress_to_completion(page, server, tmp_path):
    """An operator uploads a GBK export of patents already in the library; the batch page polls until
    the worker finishes; counts add up (a TTO may not rewrite other organisations' patents: see
    tests/web/test_ownership.py)."""
    text = gzip.decompress((DEMO_DATA / "schema_sample_10.csv.gz").read_bytes()).decode("utf-8")
    lines = text.splitlines()
    lines.append(lines[1].replace("CN202223220665.2", "CN202223220665.9"))  # a bad check character
    source = tmp_path / "导出-gbk.csv"
    source.write_bytes("\n".join(lines).encode("gbk"))
    login(page, server, "operator")
    page.goto(server["url"] + "/imports/")
    page.set_input_files("input[name=file]", str(source))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_url("**/imports/*/")
    page.wait_for_selector("[data-testid=batch-progress][data-status=completed]", timeout=60_000)
    counts = {
        k: int(page.inner_text(f"[data-testid={k}]"))
        for k in ("rows-read", "imported", "updated", "unchanged", "rejected")
    }
    assert counts["rows-read"] == 11 and counts["rejected"] == 1
    assert counts["imported"] + counts["updated"] + counts["unchanged"] + counts["rejected"] == 11
    assert "校验位错误" in page.inner_text("[data-testid=batch-progress]")
    with page.expect_download() as report:
        page.click("[data-testid=reject-report]")
    assert "校验位错误" in Path(report.value.path()).read_text(encoding="utf-8-sig")


def test_inventory_chain_through_the_ui(page, server):
    """Inventor enters a patent; the college reviewer and the TTO approve it into the library."""
    login(page, server, "inventor")
    page.goto(server["url"] + "/patents/new/")
    page.fill("#id_application_number", "202310123456.6")
    page.fill("#id_title", "一种高温热泵用混合工质")
    page.fill("#id_ipc", "F25B30/02")
    page.fill("#id_college", "能源与动力工程学院")
    page.click("button[name=submit]")
    page.wait_for_url("**/patents/202310123456.6/")
    assert page.inner_text("[data-testid=library-status]") == "待学院审核"
    page.click("[data-testid=logout]")
    login(page, server, "college")
    page.goto(server["url"] + "/patents/202310123456.6/")
    page.click("[data-testid=college-approve]")
    page.wait_for_selector("text=操作成功")
    assert page.inner_text("[data-testid=library-status]") == "待学校审核"
    page.click("[data-testid=logout]")
    login(page, server, "tto")
    page.goto(server["url"] + "/patents/202310123456.6/")
    page.select_option("select[name=self_assessment]", "good")
    page.click("[data-testid=university-approve]")
    page.wait_for_selector("text=操作成功")
    assert page.inner_text("[data-testid=library-status]") == "已入库"
    history = page.inner_text("[data-testid=provenance]")
    assert "学院审核通过" in history and "审核通过入库" in history
    assert "入库状态：待学校审核 → 已入库" in history and "pending_" not in history
