"""First-run polish as a person meets it: Chinese error pages, offline API docs, self-service
tokens, the import template, curation feedback with the operator's note, and unread badges."""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request

import pytest
from openpyxl import load_workbook

from .conftest import login

pytestmark = pytest.mark.browser


def test_error_pages_are_chinese_inside_the_site(page, server):
    """403 and 404 pages keep the navigation and explain in Chinese."""
    login(page, server, "enterprise")
    response = page.goto(server["url"] + "/imports/")
    assert response.status == 403
    assert "无权访问" in page.inner_text("[data-testid=error-403]")
    assert page.locator("[data-testid=nav-search]").is_visible()
    response = page.goto(server["url"] + "/patents/NO-SUCH-PATENT/")
    assert response.status == 404 and "页面不存在" in page.inner_text("[data-testid=error-404]")


def test_api_docs_render_with_the_network_blocked(page, server):
    """Swagger UI comes from the app's own static files: with every other host blocked it renders."""
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(server["url"]):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    login(page, server, "operator")
    page.goto(server["url"] + "/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "PatentBridge" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert outside == []


def _api_status(server, key: str) -> int:
    """Call the API with only the bearer token (no browser session cookie)."""
    request = urllib.request.Request(
        server["url"] + "/api/patents", headers={"Authorization": f"Bearer {key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_token_self_service_from_the_profile(page, server):
    """A TTO creates a token (shown once), uses it on the API, and revokes it."""
    login(page, server, "tto")
    page.click("[data-testid=nav-profile]")
    page.fill("[data-testid=token-name]", "校内系统同步")
    page.click("[data-testid=create-token]")
    key = page.inner_text("[data-testid=new-token-key]")
    assert key.startswith("pb_")
    assert _api_status(server, key) == 200
    page.reload()
    assert key not in page.content() and "校内系统同步" in page.inner_text("[data-testid=api-tokens]")
    page.locator("[data-testid=api-tokens] button[data-testid^=revoke-]").first.click()
    page.wait_for_selector("text=已吊销令牌")
    assert _api_status(server, key) == 401


def test_import_template_download(page, server):
    """The import page offers the template; it opens with the importer's Chinese headers."""
    login(page, server, "tto")
    page.goto(server["url"] + "/imports/")
    with page.expect_download() as download:
        page.click("[data-testid=import-template]")
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    headers = [c.value for c in book["专利清单"][1]]
    assert headers[:3] == ["申请号", "公开（公告）号", "专利名称"] and "填写说明" in book.sheetnames


def test_note_feedback_and_unread_badge(page, server):
    """The operator's pin gets a visible confirmation; the enterprise sees a badge for the push, the
    operator's note beside the patent, and the badge clears once the inbox is opened."""
    login(page, server, "enterprise")
    page.goto(server["url"] + "/needs/new/")
    page.fill("#id_title", "锂离子电池负极材料低温性能提升")
    page.fill("#id_description", "寻求改善锂离子电池石墨负极低温充放电性能的材料与制备工艺。")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/needs/\d+/$"))
    need_url = page.url
    page.click("[data-testid=logout]")
    login(page, server, "operator")
    page.goto(need_url)
    first = page.locator("[data-testid=need-matches] tbody tr[data-testid^=candidate-]").first
    number = first.get_attribute("data-testid").removeprefix("candidate-")
    first.locator("input[name=note]").fill("低温负极对口，建议先试用")
    first.locator(f"[data-testid=pin-{number}]").click()
    assert f"已入选 {number}" in page.inner_text(".messages")
    page.click("[data-testid=push]")
    page.wait_for_selector(".messages li")
    page.click("[data-testid=logout]")
    login(page, server, "enterprise")
    assert int(page.inner_text("[data-testid=inbox-badge]")) >= 1
    page.click("[data-testid=nav-inbox]")
    assert "运营中心说明：低温负极对口，建议先试用" in page.inner_text(f"[data-testid=inbox-{number}]")
    assert page.locator(f"[data-testid=inbox-{number}] [data-testid=new-push]").count() == 1
    page.goto(server["url"] + "/")
    assert page.locator("[data-testid=inbox-badge]").count() == 0
