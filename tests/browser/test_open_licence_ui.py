"""An open licence in the browser: a university TTO declares an open licence on its own granted
patent (the self-check passes), records the submission and CNIPA's announcement; an enterprise
finds it in the public list and accepts it (an ordinary licence with its filing task three months
on); the TTO withdraws it with a reason and records the withdrawal's announcement; a second
enterprise can no longer accept, while the first licence stays.

The patent is chosen the way a TTO would: its university's granted patents in the library, the
first without an open-licence declaration. Screenshots go to /tmp/shots/licensing_open_*.png."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from patentbridge_engine.legal.terms import add_months

from .conftest import login

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
REASON = "技术路线调整，拟整体转让该专利"


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"licensing_open_{name}.png"), full_page=True)


# Some steps re-run every licensing check over the patents' ledgers; a busy machine needs longer
# than the suite's default 20 s.
STEP_TIMEOUT_MS = 60_000


def switch(page: Any, server: dict[str, Any], username: str) -> None:
    page.click("[data-testid=logout]")
    login(page, server, username)


def open_state(page: Any) -> str:
    return page.inner_text("[data-testid=open-state]").strip()


def own_granted_patent(page: Any, server: dict[str, Any]) -> str:
    """As the TTO: the university's granted patents, the first whose page offers 声明开放许可."""
    page.goto(server["url"] + "/patents/?q=西安交通大学")
    page.click("[data-testid=facets] a[data-facet=legal_status][data-value=granted]")
    page.wait_for_selector("[data-testid=facets] a.on[data-facet=legal_status]")
    links = page.locator("[data-testid=patent-table] tbody tr td:first-child a")
    numbers = [links.nth(i).inner_text().strip() for i in range(links.count())]
    for number in numbers:
        page.goto(f"{server['url']}/patents/{number}/")
        if page.locator("[data-testid=open-declare]").count():
            return number
    raise AssertionError(f"no granted patent of the TTO's university can be declared: {numbers}")


def declare_and_publish(page: Any, server: dict[str, Any]) -> tuple[str, str]:
    """The TTO declares (free, until the patent expires), the check passes, it records the
    submission and the announcement; returns the application number and the manage page URL."""
    page.set_default_timeout(STEP_TIMEOUT_MS)
    login(page, server, "tto")
    number = own_granted_patent(page, server)
    assert "未作开放许可声明" in page.inner_text("[data-testid=open-panel]")
    page.click("[data-testid=open-declare]")
    form = page.locator("[data-testid=open-form]")
    signers = form.locator("[data-testid=open-signers] input[type=checkbox]")
    assert signers.count() == 1  # 西安交通大学 alone
    signers.first.check()
    form.locator("select[name=fee-fee_type]").select_option("free")
    form.locator("select[name=term_kind]").select_option("until_patent_expiry")
    form.locator("input[name=contact]").fill("技术转移中心 029-00000000（浏览器测试）")
    page.click("[data-testid=open-save]")
    page.wait_for_url(re.compile(r".*/licensing/open/\d+/manage/$"))
    assert open_state(page) == "已自检"
    assert page.locator("[data-testid=open-manage] .finding-block").count() == 0
    shot(page, "01_checked")
    page.click("[data-testid=open-submit]")
    page.wait_for_selector("[data-testid=open-publish]")
    assert open_state(page) == "已提交"
    page.fill("input[name=publish-announcement_no]", "测试公告号 CN2026-OL-0001")
    page.click("[data-testid=open-publish]")
    page.wait_for_selector("[data-testid=open-withdraw-form]")
    assert open_state(page) == "已公告"
    shot(page, "02_published")
    return number, page.url


def test_declare_accept_withdraw(page: Any, server: dict[str, Any]) -> None:
    """Declare → publish → accept from the public list → withdraw → a second enterprise refused."""
    number, manage_url = declare_and_publish(page, server)

    # Anyone can see it in the public list; an enterprise accepts by written notice.
    switch(page, server, "ent_zibo")
    page.goto(server["url"] + "/licensing/open/?q=" + number)
    row = page.locator(f'[data-testid="open-row-{number}"]')
    assert "免费" in row.inner_text()
    row.locator("[data-testid=open-detail-link]").click()
    page.click("[data-testid=open-accept-button]")
    accept = page.locator("[data-testid=open-accept]")
    assert "通知即获得许可" in accept.inner_text()
    notified = dt.date.fromisoformat(accept.locator("input[name=notified_at]").input_value())
    page.click("[data-testid=open-accept-submit]")
    page.wait_for_url(re.compile(r".*/licensing/open/mine/$"))
    assert "已通知专利权人，取得普通许可" in page.inner_text(".messages")
    mine = page.locator("tr", has_text=number)
    assert "已获许可" in mine.inner_text() and "待备案" in mine.inner_text()
    assert f"期限 {add_months(notified, 3).isoformat()}" in mine.inner_text()
    shot(page, "03_accepted")
    mine.locator("a", has_text="XK-").click()
    page.wait_for_url(re.compile(r".*/licensing/contracts/\d+/$"))
    contract_url = page.url
    assert page.inner_text("[data-testid=contract-state]") == "实施中（免费）"
    assert "普通许可" in page.inner_text("[data-testid=contract]")
    filing = page.inner_text("[data-testid=filing-initial]")
    assert "待备案" in filing and f"备案期限 {add_months(notified, 3).isoformat()}" in filing
    shot(page, "04_licence")

    # The TTO withdraws with a reason; the announcement of the withdrawal makes it effective.
    switch(page, server, "tto")
    page.goto(manage_url)
    assert "淄博示范化工材料有限公司（演示）" in page.inner_text("[data-testid=open-acceptances]")
    form = page.locator("[data-testid=open-withdraw-form]")
    form.locator("textarea[name=withdraw-reason]").fill(REASON)
    form.locator("[data-testid=open-withdraw]").click()
    page.wait_for_selector("[data-testid=open-withdrawal-published]")
    assert open_state(page) == "撤回申请中"
    page.click("[data-testid=open-withdrawal-published]")
    page.wait_for_selector(".messages li")
    assert open_state(page) == "已撤回"
    assert REASON in page.inner_text("[data-testid=open-manage]")
    shot(page, "05_withdrawn")

    # A second enterprise: gone from the list, and a notice is refused with the reason.
    switch(page, server, "ent_yantai")
    page.goto(server["url"] + "/licensing/open/?q=" + number)
    assert page.locator(f'[data-testid="open-row-{number}"]').count() == 0
    declaration = re.search(r"/licensing/open/(\d+)/manage/", manage_url)
    assert declaration is not None
    page.goto(f"{server['url']}/licensing/open/{declaration.group(1)}/accept/")
    # The reason is shown before anything is written, and no notice form is offered.
    refusal = page.inner_text("[data-testid=open-accept-closed]")
    assert "该声明已不在开放许可目录中" in refusal
    assert "撤回" in refusal and "不能再通过该声明获得许可" in refusal
    assert page.locator("[data-testid=open-accept-submit]").count() == 0
    shot(page, "06_second_refused")

    # The first enterprise's licence continues (专利法 Art. 50 ¶2).
    switch(page, server, "ent_zibo")
    page.goto(contract_url)
    assert page.inner_text("[data-testid=contract-state]") == "实施中（免费）"
