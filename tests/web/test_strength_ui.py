"""Matches carry a calibrated strength, counts say 强相关 N 件, and a need the library cannot answer
is told so plainly instead of receiving a confident list."""

from __future__ import annotations

import re

import pytest

from patentbridge.demands.services import create_need

from .test_matching import HEAT_NEED, library  # noqa: F401  (fixture)
from .test_permissions import client_for
from .test_prospects import heat_pump, needs  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _page(users, need) -> str:
    return client_for(users["operator"]).get(f"/needs/{need.pk}/").content.decode()


def test_each_candidate_has_a_strength_and_the_count_names_strong_ones(users, library):  # noqa: F811
    """A heat-pump need against a heat-pump library: every row labelled; 强相关 counted apart, and the
    no-strong-match notice shown exactly when that count is zero."""
    need = create_need(actor=users["enterprise"], data=HEAT_NEED)
    page = _page(users, need)
    rows = page.count('data-testid="candidate-')
    labels = len(re.findall(r'data-testid="strength-(strong|possible|weak)"', page))
    assert rows >= 5 and labels == rows
    found = re.search(r"强相关 (\d+) 件 / 候选 (\d+) 件", page)
    assert found and int(found.group(2)) == rows
    strong = page.count('data-testid="strength-strong"')
    assert int(found.group(1)) == strong
    # The honest notice appears exactly when nothing is strong.
    assert ('data-testid="no-strong-match"' in page) == (strong == 0)
    assert "强相关：" in page  # the meaning of each level is on the page


def test_a_need_the_library_cannot_answer_says_so(users, library):  # noqa: F811
    """A dairy-farming need against heat pumps: no strong match, an honest notice, no strong tags."""
    need = create_need(
        actor=users["enterprise"],
        data={
            "title": "奶牛乳房炎快速检测",
            "description": "牧场需要快速检测奶牛隐性乳房炎的试剂盒，降低抗生素用量。",
        },
    )
    page = _page(users, need)
    assert 'data-testid="strength-strong"' not in page
    assert 'data-testid="no-strong-match"' in page and "没有与该需求强相关的专利" in page
    assert "强相关 0 件" in page or 'data-testid="no-match"' in page


def test_prospects_page_labels_needs_by_strength(users, needs, heat_pump):  # noqa: F811
    """Reverse matching for the owner's patent labels each need and counts the strong ones."""
    page = client_for(users["tto"]).get(f"/matching/patents/{heat_pump.application_number}/").content.decode()
    rows = page.count('data-testid="prospect-need-')
    assert rows >= 2 and len(re.findall(r'data-testid="strength-(strong|possible|weak)"', page)) == rows
    found = re.search(r"强相关 (\d+) 条 / 共 (\d+) 条", page)
    assert found and int(found.group(2)) == rows
    assert int(found.group(1)) == page.count('data-testid="strength-strong"')


def test_search_page_counts_by_strength(users, library):  # noqa: F811
    """The search page says how many hits are strong, possible and weak (adding up to the total) and
    labels each hit; a query nothing answers strongly gets the plain notice."""
    client = client_for(users["operator"])
    page = client.get("/search/", {"q": "高温热泵 蒸汽"}).content.decode()
    found = re.search(r"强相关 <b[^>]*>(\d+)</b> 件，可能相关 (\d+) 件，弱相关 (\d+) 件", page)
    total = int(re.search(r'data-testid="search-count">(\d+)<', page).group(1))
    assert found and sum(int(n) for n in found.groups()) == total > 0
    shown = len(re.findall(r'data-testid="strength-(strong|possible|weak)"', page))
    assert shown == page.count('class="hit"') > 0
    assert ('data-testid="no-strong-match"' in page) == (found.group(1) == "0")
    unrelated = client.get("/search/", {"q": "奶牛乳房炎检测试剂"}).content.decode()
    assert 'data-testid="strength-strong"' not in unrelated
