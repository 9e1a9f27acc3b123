"""The menu in headless Chromium (Debian's /usr/bin/chromium through Playwright, against the test
server): the TTO composes and publishes, the county officer selects, the TTO pushes, the
enterprise opens its inbox, marks interest and asks for a free trial, and the funnel shows it.
Screenshots go to ``PATENTBRIDGE_SCREENSHOTS`` when set (for looking at the pages)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from patentbridge.menus.models import MenuDelivery, PatentMenu
from web.conftest import PASSWORD
from web.menus.factories import chain_patents
from web.menus.test_compose import new_menu
from web.menus.test_lifecycle import offer_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Any:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make sysdeps installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls (setting
    # up and checking rows) are ordinary synchronous code that Django would otherwise refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            browser.close()
            # Inside Playwright's sync context the test's ORM calls run on their own database
            # connection; on PostgreSQL it would stay open and block dropping the test database.
            connections.close_all()


def _shot(page: Any, name: str) -> None:
    target = os.environ.get("PATENTBRIDGE_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def _login(page: Any, base: str, user: Any) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=total]")


def test_compose_select_push_interest_and_trial_in_the_browser(browser_page, live_server, chains):
    from web.menus.factories import make_cast

    cast = make_cast()
    own = chain_patents(cast.p.university, 3)
    chain_patents(cast.p.other_university, 3)
    chain_patents(cast.p.university, 2, "AGRI")
    chain_patents(cast.p.other_university, 1, "AGRI")
    offer_for(cast, [own[0]])
    menu = new_menu(cast, chains=("GLC", "AGRI"), title="莘县绿色低碳与现代农业专利菜单")
    page, base = browser_page, live_server.url

    _login(page, base, cast.p.tto)
    page.goto(f"{base}/menus/{menu.pk}/")
    _shot(page, "1-composer-draft")
    page.click("[data-testid=compose]")
    page.wait_for_selector("[data-testid=supplement-tag]")
    # GLC: 3 own, 2 drawn from the other university; AGRI: 2 own, short 3, the pool has only 1.
    assert page.locator("[data-testid=supplement-tag]").count() == 3
    assert "仍缺 2 件" in page.inner_text("[data-testid=supplements]")
    _shot(page, "2-composed-with-supplement")
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=selection-status]")
    assert PatentMenu.objects.get(pk=menu.pk).state == "published"

    _login(page, base, cast.officer)
    page.goto(f"{base}/menus/")
    assert menu.title in page.inner_text("[data-testid=menus]")
    page.goto(f"{base}/menus/{menu.pk}/")
    page.check(f'[data-testid="pick-{own[0].application_number}"]')
    page.check(f'[data-testid="pick-{own[1].application_number}"]')
    _shot(page, "3-officer-selects")
    page.click("[data-testid=save-selection]")
    page.wait_for_selector(".messages li")
    assert "已遴选 2 件专利" in page.inner_text(".messages")

    _login(page, base, cast.p.tto)
    page.goto(f"{base}/menus/{menu.pk}/push/")
    page.check(f"[data-testid=to-{cast.ent_a.pk}]")
    page.check(f"[data-testid=to-{cast.ent_b.pk}]")
    _shot(page, "4-push-form")
    page.click("[data-testid=send-push]")
    page.wait_for_selector("[data-testid=pushes]")
    assert MenuDelivery.objects.filter(menu=menu).count() == 4

    _login(page, base, cast.ent_a_user)
    page.goto(f"{base}/menus/inbox/")
    _shot(page, "5-enterprise-inbox")
    page.click(f'[data-testid="inbox-menu-{menu.pk}"] a')
    page.wait_for_selector("[data-testid=menu-items]")
    _shot(page, "6-enterprise-menu")
    page.click(f'[data-testid="interested-{own[1].application_number}"]')
    page.wait_for_selector(".messages li")
    page.click(f'[data-testid="trial-{own[0].application_number}"]')
    page.wait_for_url("**/licensing/applications/**")
    _shot(page, "7-trial-application")
    delivery = MenuDelivery.objects.get(menu=menu, enterprise=cast.ent_a, item__patent=own[0])
    assert delivery.application is not None and delivery.application.requested_mode == "trial_then_paid"

    _login(page, base, cast.officer)
    page.goto(f"{base}/menus/{menu.pk}/funnel/")
    page.wait_for_selector("[data-testid=funnel-chart]")
    chart = page.text_content("[data-testid=funnel-chart]") or ""
    assert "送达" in chart and "申请试用/许可" in chart
    _shot(page, "8-officer-funnel")
    page.goto(f"{base}/menus/funnel/?group=county")
    _shot(page, "9-funnel-by-county")
    assert "聊城市莘县" in page.inner_text("[data-testid=funnel-table]")
