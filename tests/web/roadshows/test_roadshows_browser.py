"""A roadshow in headless Chromium (Debian's /usr/bin/chromium through Playwright, against the
test server): the organiser creates the event through the form, adds a patent and a presenter and
opens registration; the county officer invites a county firm; the enterprise registers; the
organiser marks it held; the enterprise states its intention; the organiser follows up and links
the signed licence; the funnel shows the deal. Screenshots go to ``PATENTBRIDGE_SCREENSHOTS``."""

from __future__ import annotations

import pytest
from django.utils import timezone

from patentbridge.roadshows.models import RoadshowEvent, RoadshowIntention
from web.licensing.factories import fee_lump_sum, make_contract
from web.menus.factories import chain_patents
from web.menus.test_menus_browser import _login, _shot, browser_page  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_register_intend_and_outcome_in_the_browser(browser_page, live_server, chains):  # noqa: F811
    from web.menus.factories import make_cast

    cast = make_cast()
    patent = chain_patents(cast.p.university, 1)[0]
    page, base = browser_page, live_server.url
    today = timezone.localdate()

    _login(page, base, cast.p.tto)
    page.goto(f"{base}/roadshows/")
    _shot(page, "r1-calendar-empty")
    page.click("[data-testid=new-event]")
    page.fill("#id_title", "一月一链·绿色低碳专场")
    page.select_option("#id_chain", label="绿色低碳")
    page.fill("#id_month", today.strftime("%Y-%m"))
    page.fill("#id_event_date", today.isoformat())
    page.fill("#id_region_code", "371522")
    page.select_option("#id_cohost_org", label=cast.county_gov.name)
    page.fill("#id_venue", "莘县科技会堂")
    _shot(page, "r2-new-event-form")
    page.click("[data-testid=create-event]")
    page.wait_for_selector("[data-testid=event-head]")
    event = RoadshowEvent.objects.get()
    page.fill("[data-testid=add-item-form] input[name=patent]", patent.application_number)
    page.fill("[data-testid=add-item-form] input[name=asking_amount]", "200000")
    page.click("[data-testid=add-item]")
    page.wait_for_selector(".messages li")
    assert "已加入路演专利" in page.inner_text(".messages")
    item = event.items.get()
    page.fill(f"[data-testid=item-{item.pk}] input[name=name]", "张三")
    page.click(f"[data-testid=add-presenter-{item.pk}]")
    page.wait_for_selector(".messages li")
    page.click("[data-testid=next-status]")  # 开放报名
    page.wait_for_selector("[data-testid=event-status]:has-text('报名中')")

    _login(page, base, cast.officer)
    page.goto(f"{base}/roadshows/{event.pk}/")
    page.select_option("[data-testid=invite-select]", label=cast.ent_a.name)
    page.click("[data-testid=invite]")
    page.wait_for_selector(".messages li")
    _shot(page, "r3-officer-invites")
    assert event.invitations.get().org == cast.ent_a

    _login(page, base, cast.ent_a_user)
    page.goto(f"{base}/roadshows/")
    page.click(f"[data-testid=event-{event.pk}] a")
    page.fill("[data-testid=register-form] input[name=contact]", "王经理")
    page.click("[data-testid=register]")
    page.wait_for_selector("[data-testid=registered]")

    _login(page, base, cast.p.tto)
    page.goto(f"{base}/roadshows/{event.pk}/")
    page.click("[data-testid=next-status]")  # 登记为已举办
    page.wait_for_selector("[data-testid=event-status]:has-text('已举办')")

    _login(page, base, cast.ent_a_user)
    page.goto(f"{base}/roadshows/{event.pk}/")
    page.fill("[data-testid=intend-amount]", "180000")
    page.click("[data-testid=intend]")
    page.wait_for_selector(".messages li")
    assert "已登记意向" in page.inner_text(".messages")
    intention = RoadshowIntention.objects.get()

    contract = make_contract(
        cast.p, [patent], licensee_org=cast.ent_a, fee_schedule=fee_lump_sum("120000.00"), stage="signed"
    )
    _login(page, base, cast.p.tto)
    page.goto(f"{base}/roadshows/{event.pk}/")
    box = f"[data-testid=intention-{intention.pk}]"
    page.fill(f"{box} input[name=note]", "企业来校洽谈")
    page.click(f"[data-testid=follow-up-{intention.pk}-btn]")
    page.wait_for_selector(".messages li")
    page.select_option(f"[data-testid=outcome-contract-{intention.pk}]", value=str(contract.pk))
    page.click(f"[data-testid=outcome-{intention.pk}-btn]")
    page.wait_for_selector(".messages li")
    assert "已关联许可成果" in page.inner_text(".messages")
    assert page.inner_text("[data-testid=f-deals]") == "1"
    assert "¥120,000.00" in page.inner_text("[data-testid=f-deal-amount]")
    assert "¥180,000.00" in page.inner_text("[data-testid=f-intention-amount]")
    _shot(page, "r4-organiser-event-page")

    _login(page, base, cast.officer)
    page.goto(f"{base}/roadshows/{event.pk}/")
    page.wait_for_selector("[data-testid=funnel-chart]")
    _shot(page, "r5-officer-event-page")
    page.goto(f"{base}/roadshows/")
    _shot(page, "r6-officer-calendar")
