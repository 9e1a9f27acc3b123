"""Supply–demand matching in the browser: curate → push → enterprise feedback → funnel; reverse
matching for a TTO; inventor teams on a need; the search page."""

from __future__ import annotations

import re

import pytest

from .conftest import login

pytestmark = pytest.mark.browser

HEAT = ("锅炉房余热利用", "锅炉房和车间有大量低温余热，希望用高温热泵把它提升成工业用蒸汽，替代燃气锅炉。")
DRONE = ("无人机巡查园区空气污染", "园区想用无人机定期巡检，监测大气污染物并追查排放源头，需要机载监测方案。")


def tid(kind: str, key: str) -> str:
    """A data-testid selector for ids with dots (application numbers), quoted."""
    return f'[data-testid="{kind}-{key}"]'


def _post_need(page, server, title, description) -> str:
    login(page, server, "enterprise")
    page.goto(server["url"] + "/needs/new/")
    page.fill("#id_title", title)
    page.fill("#id_description", description)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/needs/\d+/$"))
    return page.url


def _switch(page, server, username):
    page.click("[data-testid=logout]")
    login(page, server, username)


def _candidate_numbers(page) -> list[str]:
    rows = page.locator("[data-testid=need-matches] tbody tr[data-testid^=candidate-]")
    return [rows.nth(i).get_attribute("data-testid").removeprefix("candidate-") for i in range(rows.count())]


def test_curate_push_feedback_and_funnel(page, server):
    """Operator pins two and drops one; the enterprise answers both in its inbox; the funnel counts."""
    need_url = _post_need(page, server, *HEAT)
    _switch(page, server, "operator")
    page.goto(need_url)
    first, second, third = _candidate_numbers(page)[:3]
    page.click(tid("pin", first))
    page.wait_for_selector(tid("item", first))
    page.click(tid("pin", second))
    page.wait_for_selector(tid("item", second))
    page.locator(tid("candidate", third) + " input[name=note]").fill("温区不符")
    page.click(tid("drop", third))
    page.wait_for_selector(tid("item", third))
    assert third not in _candidate_numbers(page)
    page.click("[data-testid=push]")
    page.wait_for_selector(".messages li")
    assert "已向" in page.inner_text(".messages")

    _switch(page, server, "enterprise")
    page.click("[data-testid=nav-inbox]")
    inbox = page.inner_text("[data-testid=inbox]")
    assert HEAT[0] in inbox
    assert page.locator(tid("inbox", third)).count() == 0  # dropped items never reach it
    page.click(tid("interested", first))
    page.wait_for_selector(".messages li")
    page.click(tid("irrelevant", second))  # no reason: refused with a clear message
    assert "请说明不相关的理由" in page.inner_text(".messages")
    page.fill(tid("reason", second), "我们需要 150℃ 以上的蒸汽")
    page.click(tid("irrelevant", second))
    page.wait_for_selector(tid("inbox", second) + " .tag.warn")

    _switch(page, server, "operator")
    page.goto(need_url)
    assert page.inner_text("[data-testid=funnel-interested]") == "1"
    shortlist = page.inner_text("[data-testid=need-shortlist]")
    assert "有意向" in shortlist and "150℃" in shortlist and "已剔除" in shortlist


def test_tto_finds_needs_for_its_patent(page, server):
    """A TTO opens one of its university's patents and lists the enterprises and needs it could serve."""
    login(page, server, "tto")
    page.goto(server["url"] + "/patents/?q=西安交通大学")
    page.locator("[data-testid=patent-table] tbody tr a").first.click()
    page.click("[data-testid=prospects-link]")
    page.wait_for_selector("[data-testid=prospect-needs]")
    assert page.locator("[data-testid=prospect-needs] tbody tr[data-testid^=prospect-need-]").count() >= 1
    assert "可能需要本专利的企业" in page.inner_text("[data-testid=prospect-enterprises]")


def test_need_page_offers_inventor_teams(page, server):
    """A drone-monitoring need is paired with the institute team behind the drone patents."""
    _post_need(page, server, *DRONE)
    teams = page.locator("[data-testid=need-teams] tbody tr[data-testid^=team-]")
    assert teams.count() >= 1
    teams.first.locator("a").first.click()
    profile = page.inner_text("[data-testid=team-profile]")
    assert "中科大数据研究院" in profile and "研究方向" in profile


def test_search_page_highlights_and_filters(page, server):
    """Plain-language search returns highlighted snippets; a facet narrows the hits."""
    login(page, server, "enterprise")
    page.click("[data-testid=nav-search]")
    page.fill("[data-testid=semantic-search-input]", "冬天热泵结霜以后制热效果变差")
    page.click(".searchbar button")
    page.wait_for_selector("[data-testid=search-count]")
    total = int(page.inner_text("[data-testid=search-count]"))
    assert total > 0
    assert page.locator("[data-testid=snippet] mark").count() > 0
    page.locator("[data-testid=search-facets] a[data-facet=patent_type]").first.click()
    page.wait_for_selector("[data-testid=search-count]")
    assert 0 < int(page.inner_text("[data-testid=search-count]")) <= total
