"""An enterprise posts a need in its own words and sees matched library patents with reasons."""

from __future__ import annotations

import pytest

from .conftest import login

pytestmark = pytest.mark.browser


def test_post_need_and_see_matches(page, server):
    """Post → need page with suggested IPC, chain reasons and matched patents."""
    login(page, server, "enterprise")
    page.goto(server["url"] + "/needs/new/")
    page.fill("#id_title", "车间余热制蒸汽")
    page.fill("#id_description", "车间有大量低温余热，希望用热泵把它提升成工业用高温蒸汽，降低燃气消耗。")
    page.select_option("#id_wanted_mode", "trial_then_licence")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/needs/*/")
    assert page.inner_text("[data-testid=need-title]") == "车间余热制蒸汽"
    classification = page.inner_text("[data-testid=need-classification]")
    assert "主要依据词" in classification
    matches = page.inner_text("[data-testid=need-matches]")
    assert "热泵" in matches
    rows = page.locator("[data-testid=need-matches] tbody tr").count()
    assert rows >= 5


def test_university_sees_open_needs(page, server):
    """A TTO browses the open needs posted by enterprises (the real BDCI-2019 set in the demo)."""
    login(page, server, "tto")
    page.goto(server["url"] + "/needs/")
    assert int(page.inner_text("[data-testid=need-count]")) >= 176
