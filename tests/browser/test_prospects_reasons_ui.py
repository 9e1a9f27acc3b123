"""The patent → needs page: reasons a person can read (whole words, shared IPC named in Chinese)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import login

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
_BARE_CODE = re.compile(r"^[A-H]\d{2}[A-Z]$")


def test_prospect_reasons_are_readable(page, server):
    """A TTO's heat-related patent lists needs with strength labels; a shared IPC cell never shows a
    bare code, and no matched term is a generic need word such as 系统 or 控制."""
    login(page, server, "tto")
    page.goto(server["url"] + "/patents/?q=西安交通大学")
    page.locator("[data-testid=patent-table] tbody tr a").first.click()
    page.click("[data-testid=prospects-link]")
    page.wait_for_selector("[data-testid=prospect-needs]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "matching_prospects.png"), full_page=True)
    rows = page.locator("[data-testid=prospect-needs] tbody tr[data-testid^=prospect-need-]")
    assert rows.count() >= 1
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        reasons = cells.nth(1).inner_text()
        assert any(label in reasons for label in ("强相关", "可能相关", "弱相关"))
        tags = [t.strip() for t in cells.nth(1).locator(".tag").all_inner_texts()]
        assert not {"系统", "控制"} & set(tags)
        for shared in filter(None, (s.strip() for s in cells.nth(2).inner_text().split("；"))):
            assert not _BARE_CODE.match(shared), shared
