"""An enterprise asks a pool for its outbound licence in headless Chromium, the agency signs it
from the pool page's review area, then one of the licensed patents lapses: the daily sweep keeps
the contract running and the contract page marks that patent 已失效 with its date. Screenshots go
to ``PATENTBRIDGE_SCREENSHOTS`` when set."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.licensing.services.sweep import run_sweep
from patentbridge.pools.models import PoolLicenceRequest
from web.menus import test_menus_browser
from web.pools.factories import farm_patent, make_cast, make_pool, pool_patent
from web.pools.test_pools_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
browser_page = test_menus_browser.browser_page
_shot = test_menus_browser._shot


def test_request_grant_and_lapsed_patent_in_the_browser(browser_page: Any, live_server: Any) -> None:
    page, base = browser_page, live_server.url
    cast = make_cast()
    today = timezone.localdate()
    pool = make_pool(cast, open_on=today)
    kept = pool_patent(cast, pool, farm_patent(cast.uni_a, "A"), tto=cast.tto_a, on=today).patent
    lapsing = pool_patent(cast, pool, farm_patent(cast.uni_b, "B"), tto=cast.tto_b, on=today).patent

    # The enterprise asks through the form on the pool page.
    _login(page, base, cast.enterprise_user)
    page.goto(f"{base}/pools/{pool.pk}/")
    page.fill("[data-testid=intended-use]", "用于本公司玉米精量播种机的生产销售")
    _shot(page, "pools-request-enterprise")
    page.click("[data-testid=request-licence]")
    page.wait_for_selector("text=池外许可申请已提交")
    req = PoolLicenceRequest.objects.get(pool=pool)
    assert req.state == "submitted" and req.org == cast.enterprise
    assert "待运营机构处理" in page.inner_text(f"[data-testid=licence-request-{req.pk}]")

    # The agency sees it in the review area and signs.
    _login(page, base, cast.agency_user)
    page.goto(f"{base}/pools/{pool.pk}/")
    assert "玉米精量播种机" in page.inner_text("[data-testid=licence-requests]")
    _shot(page, "pools-request-agency")
    page.click(f"[data-testid=grant-request-{req.pk}]")
    page.wait_for_selector("text=池外统一许可合同已签订")
    req.refresh_from_db()
    assert req.state == "granted" and req.licence is not None
    contract = req.licence.contract

    # One patent lapses; the sweep keeps the licence for the other and the page says so.
    record_right_event(
        cast.operator, lapsing, kind="lapse", start=today, source="manual", source_ref="浏览器测试-终止"
    )
    run_sweep(today, recompute=False)
    contract.refresh_from_db()
    assert contract.state == "active_paid"
    _login(page, base, cast.enterprise_user)
    page.goto(f"{base}/licensing/contracts/{contract.pk}/")
    patents = page.inner_text("[data-testid=contract-patents]")
    assert "已失效" in patents and today.isoformat() in patents
    assert kept.application_number in patents and lapsing.application_number in patents
    assert page.locator("[data-testid=patent-ended]").count() == 1
    _shot(page, "contract-lapsed-patent")
