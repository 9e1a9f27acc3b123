"""A directed licence in the browser, from interest to money: an enterprise applies for the free
trial of a published offer, the licensor's TTO accepts and signs (submit → approve → sign), the
trial ends, the enterprise converts to the paid licence, the TTO records the filing, the enterprise
reports its first paid period, the TTO records the payment and computes the income distribution,
which an operator approves.

The offer is the demo's published 泰安 offer (¥50,000 entry fee + 3 % of net sales, at least
¥10,000 a year, after a six-month trial). The clock: the TTO accepts and signs with a business date
seven months back (the forms take the date the step really happened), so the trial is over today.
Screenshots go to /tmp/shots/licensing_*.png."""

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
OFFER = "定向泰安 · 先免费试用再付费许可（演示）"
NET_SALES = "300000"


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"licensing_{name}.png"), full_page=True)


# Some steps re-run every licensing check over the patents' ledgers; a busy machine needs longer
# than the suite's default 20 s.
STEP_TIMEOUT_MS = 60_000


def switch(page: Any, server: dict[str, Any], username: str) -> None:
    page.click("[data-testid=logout]")
    login(page, server, username)


def messages(page: Any) -> str:
    return page.inner_text(".messages")


def act(page: Any, event: str, on: dt.date | None = None) -> None:
    """Press a contract action button (with its business date when given) and wait for the page."""
    form = page.locator(f"[data-testid=form-{event}]")
    if on is not None:
        form.locator(f"input[name={event}-on]").fill(on.isoformat())
    form.locator(f"[data-testid=act-{event}]").click()
    page.wait_for_selector(".messages li")


def state(page: Any) -> str:
    return page.inner_text("[data-testid=contract-state]").strip()


def apply_for_trial(page: Any, server: dict[str, Any]) -> str:
    """The enterprise finds the published offer and applies for the trial of its patents."""
    page.set_default_timeout(STEP_TIMEOUT_MS)
    login(page, server, "ent_zibo")
    page.goto(server["url"] + "/licensing/offers/")
    page.locator("[data-testid=offers] a", has_text=OFFER).click()
    assert page.inner_text("[data-testid=offer-state]") == "已发布"
    assert "入门费 ¥50,000.00" in page.inner_text("[data-testid=offer-fee]")
    apply = page.locator("[data-testid=apply]")
    assert "不在本项目的定向地区内" in apply.inner_text()  # 淄博 applies to a 泰安 offer
    for box in apply.locator("input[name=patents]").all():
        box.check()
    apply.locator("textarea[name=intended_use]").fill("化工园区无人机巡检（浏览器测试）")
    page.click("[data-testid=apply-submit]")
    page.wait_for_url(re.compile(r".*/licensing/applications/\d+/$"))
    assert "申请已提交" in messages(page)
    assert page.inner_text("[data-testid=application-state]") == "已申请"
    assert page.locator("[data-testid=out-of-region]").is_visible()
    shot(page, "01_applied")
    return page.url


def accept_and_sign(page: Any, server: dict[str, Any], application_url: str) -> tuple[str, dt.date]:
    """The TTO accepts the application with a start seven months back, then submits, approves and
    signs the draft on that date; returns the contract page URL and the start date."""
    switch(page, server, "tto_bdri")
    page.goto(application_url)
    today = dt.date.fromisoformat(page.input_value("[data-testid=decide] input[name=on]"))
    start = add_months(today, -7)
    page.fill("[data-testid=decide] input[name=on]", start.isoformat())
    page.click("[data-testid=accept]")
    page.wait_for_url(re.compile(r".*/licensing/contracts/\d+/$"))
    assert "生成合同草稿" in messages(page)
    assert state(page) == "草稿"
    assert f"{start.isoformat()} 至" in page.inner_text("[data-testid=contract]")
    act(page, "submit", start)
    assert state(page) == "审批中"
    act(page, "approve", start)
    assert state(page) == "已审批待签订"
    act(page, "sign", start)
    assert "已办理：签订" in messages(page) and state(page) == "试用中"
    trial = page.inner_text("[data-testid=contract]")
    assert f"6 个月，至 {add_months(start, 6).isoformat()}" in trial
    filing = page.inner_text("[data-testid=filing-initial]")
    assert "待备案" in filing and f"备案期限 {add_months(start, 3).isoformat()}" in filing
    shot(page, "02_signed_trial")
    return page.url, start


def test_interest_trial_conversion_filing_report_payment_income(page: Any, server: dict[str, Any]) -> None:
    """The whole directed-licence walk, every step through the pages."""
    application_url = apply_for_trial(page, server)
    contract_url, start = accept_and_sign(page, server, application_url)

    # The clock has moved on: the trial's last day has passed, the TTO records its end today.
    act(page, "trial_ended")
    assert state(page) == "待转化"
    switch(page, server, "ent_zibo")
    page.goto(contract_url)
    assert page.locator("[data-testid=act-convert]").is_visible()
    act(page, "convert")
    assert "已办理：转为付费许可" in messages(page) or state(page) == "付费实施中"
    assert state(page) == "付费实施中"
    assert "入门费 ¥50,000.00" in page.inner_text("[data-testid=contract-fee]")
    shot(page, "03_converted")

    # The TTO records the filing: submitted, then filed with CNIPA's record number.
    switch(page, server, "tto_bdri")
    page.goto(contract_url)
    filing = page.locator("[data-testid=filing-initial]")
    filing.locator("input[name=submit-on]").fill((start + dt.timedelta(days=20)).isoformat())
    filing.locator("select[name=submit-side]").select_option("licensor")
    filing.locator("[data-testid=filing-submit]").click()
    page.wait_for_selector("[data-testid=filing-filed]")
    filing = page.locator("[data-testid=filing-initial]")
    filing.locator("input[name=filed-record_no]").fill("测试备案号2026-0001")
    filing.locator("input[name=filed-on]").fill((start + dt.timedelta(days=35)).isoformat())
    filing.locator("[data-testid=filing-filed]").click()
    page.wait_for_selector("[data-testid=record-no]")
    assert page.inner_text("[data-testid=record-no]") == "测试备案号2026-0001"
    assert "已备案" in page.inner_text("[data-testid=filing-initial]")
    shot(page, "04_filed")

    # The enterprise reports the first paid period: 3 % of ¥300,000 plus the entry fee is due.
    switch(page, server, "ent_zibo")
    page.goto(contract_url)
    usage = page.locator("[data-testid=usage-form]")
    options = usage.locator("[data-testid=usage-period] option").all()
    paid_first = next(o for o in options if "试用期免费" not in o.inner_text())
    usage.locator("[data-testid=usage-period]").select_option(paid_first.get_attribute("value"))
    usage.locator("[data-testid=usage-net_sales]").fill(NET_SALES)
    usage.locator("[data-testid=usage-submit]").click()
    page.wait_for_selector(".messages li")
    reports = page.inner_text("[data-testid=money-usage]")
    assert "300,000.00" in reports or "300000.00" in reports
    row = page.locator("[data-testid=money-receivables] tr", has_text="含入门费")
    assert "¥59,000.00" in row.inner_text()  # ¥50,000 + 3 % × ¥300,000 (above the pro-rated minimum)
    receivable = row.get_attribute("data-testid").removeprefix("receivable-")
    shot(page, "05_usage_report")

    # The TTO records the payment in full and computes the income distribution.
    switch(page, server, "tto_bdri")
    page.goto(contract_url)
    page.click(f"[data-testid=pay-open-{receivable}]")
    assert page.input_value(f"[data-testid=pay-amount-{receivable}]") == "59000.00"
    page.click(f"[data-testid=pay-save-{receivable}]")
    page.wait_for_selector(".messages li")
    assert page.inner_text(f"[data-testid=state-{receivable}]") == "已收清"
    shot(page, "06_paid")
    page.locator("[data-testid^=distribute-]").first.click()
    page.wait_for_selector("[data-testid=distribution-form]")
    assert page.inner_text("[data-testid=gross]") == "¥59,000.00"
    page.fill("input[name=tto_share]", "10")
    page.click("[data-testid=compute]")
    page.wait_for_selector("[data-testid=distribution-sheet]")
    assert "收益分配已计算" in messages(page)
    assert page.inner_text("[data-testid=dist-state]") == "已计算"
    # Not a state-run unit: the national floor of 50 % of net income goes to the inventors.
    assert page.inner_text("[data-testid=pool]").startswith("¥29,500.00")
    assert page.locator("[data-testid^=line-]").count() >= 1
    pdf = page.request.get(server["url"] + page.locator("[data-testid=sheet-pdf]").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    shot(page, "07_income_sheet")

    # A second person approves the distribution.
    sheet_url = page.url
    switch(page, server, "operator")
    page.goto(sheet_url)
    page.click("[data-testid=approve]")
    page.wait_for_selector(".messages li")
    assert page.inner_text("[data-testid=dist-state]") == "已审批"
    shot(page, "08_income_approved")
