"""Strength labels and the honest "no strong match" state in the browser (issue 14): a precise
technical query shows 强相关 hits and no warning; a vague one shows its hits with the warning that
none is strong; a need page counts 强相关 N 件 out of its candidates."""

from __future__ import annotations

import re

import pytest

from .conftest import login

pytestmark = pytest.mark.browser

PRECISE = "二氧化碳跨临界循环高温热泵制取蒸汽"
VAGUE = "提高生产效率的方法"


def _search(page, server, text: str) -> tuple[int, int]:
    """(strong hits, all hits) of the search page for ``text``."""
    page.goto(server["url"] + "/search/")
    page.fill("[data-testid=semantic-search-input]", text)
    page.click(".searchbar button")
    page.wait_for_selector("[data-testid=search-count]")
    return int(page.inner_text("[data-testid=search-strong-count]")), int(
        page.inner_text("[data-testid=search-count]")
    )


def test_precise_query_has_strong_hits_and_no_warning(page, server):
    login(page, server, "operator")
    strong, total = _search(page, server, PRECISE)
    assert 0 < strong <= total
    assert page.locator("[data-testid=no-strong-match]").count() == 0
    labels = page.inner_text("[data-testid=search-strength]")
    assert "强相关" in labels and "可能相关" in labels and "弱相关" in labels


def test_vague_query_says_nothing_is_strong(page, server):
    login(page, server, "operator")
    strong, total = _search(page, server, VAGUE)
    assert total > 0 and strong == 0, (strong, total)
    warning = page.inner_text("[data-testid=no-strong-match]")
    assert "没有与检索内容强相关的专利" in warning


def test_need_page_counts_strong_candidates(page, server):
    login(page, server, "enterprise")
    page.goto(server["url"] + "/needs/new/")
    page.fill("#id_title", "高温热泵制取工业蒸汽")
    page.fill("#id_description", "希望用高温热泵回收车间低温余热，制取工业用蒸汽，替代燃气锅炉。")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/needs/\d+/$"))
    counted = page.inner_text("[data-testid=strong-count]")
    found = re.search(r"强相关 (\d+) 件 / 候选 (\d+) 件", counted)
    assert found, counted
    strong, candidates = int(found.group(1)), int(found.group(2))
    assert 0 <= strong <= candidates and candidates > 0
    # The warning shows exactly when no candidate is strong.
    assert (page.locator("[data-testid=no-strong-match]").count() == 1) == (strong == 0)
