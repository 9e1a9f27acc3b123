"""A pool in headless Chromium (Debian's /usr/bin/chromium through Playwright, against the test
server): a member's TTO applies its patent through the form, the agency admits it from the review
queue, grants the outbound licence under the tariff, the licensee's payment is recorded, and the
agency generates the distribution statement and opens it. Screenshots go to
``PATENTBRIDGE_SCREENSHOTS`` when set (for looking at the pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.pools.models import MemberApplication, PoolDistribution, PoolLicence
from web.conftest import PASSWORD
from web.menus import test_menus_browser
from web.pools.factories import farm_patent, make_cast, make_pool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Headless Chromium as the menus' browser test starts it, and its screenshot helper.
browser_page = test_menus_browser.browser_page
_shot = test_menus_browser._shot


def _login(page: Any, base: str, user: Any) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_admission_outbound_licence_and_distribution_in_the_browser(
    browser_page: Any, live_server: Any
) -> None:
    page, base = browser_page, live_server.url
    cast = make_cast()
    today = timezone.localdate()
    pool = make_pool(cast, open_on=today)
    patent = farm_patent(cast.uni_a, "A")

    # The member's TTO applies through the form.
    _login(page, base, cast.tto_a)
    page.goto(f"{base}/pools/")
    page.click(f"[data-testid=pool-{pool.pk}] a")
    page.click("[data-testid=apply-link]")
    page.select_option("#id_patent", str(patent.pk))
    page.select_option("#id_category", "core")
    _shot(page, "pools-apply")
    page.click("[data-testid=submit-application]")
    page.wait_for_selector("[data-testid=applications]")
    app = MemberApplication.objects.get(pool=pool)
    assert app.state == "submitted" and app.auto_check["blocks"] == []

    # The agency admits it from the review queue.
    _login(page, base, cast.agency_user)
    page.goto(f"{base}/pools/{pool.pk}/")
    page.click(f"[data-testid=admit-{app.pk}]")
    page.wait_for_selector(f'[data-testid="status-{patent.application_number}"]')
    assert page.inner_text(f'[data-testid="status-{patent.application_number}"]') == "在池"

    # … grants the outbound licence to the enterprise under the published tariff.
    page.select_option("[data-testid=licensee]", str(cast.enterprise.pk))
    page.click("[data-testid=grant-licence]")
    page.wait_for_selector("text=池外统一许可合同已签订")
    licence = PoolLicence.objects.get(pool=pool)
    assert licence.contract.state == "active_paid"
    assert licence.contract.contract_no in page.inner_text("[data-testid=licences]")
    _shot(page, "pools-detail")

    # The licensee pays; the agency generates the statement for the year so far and opens it.
    record_payment(
        cast.agency_user, Receivable.objects.get(contract=licence.contract), amount="300000", paid_on=today
    )
    page.goto(f"{base}/pools/{pool.pk}/")
    page.fill("[data-testid=distribute-form] input[name=start]", dt.date(today.year, 1, 1).isoformat())
    page.fill("[data-testid=distribute-form] input[name=end]", today.isoformat())
    page.click("[data-testid=distribute]")
    page.wait_for_selector("text=收益分配单已生成")
    dist = PoolDistribution.objects.get(pool=pool)
    page.click(f"[data-testid=statement-{dist.pk}]")
    page.wait_for_selector("[data-testid=statement]")
    assert page.inner_text("[data-testid=gross]") == "¥300,000.00"
    assert page.inner_text(f"[data-testid=amount-{cast.uni_a.pk}]") == "¥270,000.00"
    assert dist.distributable == Decimal("270000.00")
    _shot(page, "pools-statement")
