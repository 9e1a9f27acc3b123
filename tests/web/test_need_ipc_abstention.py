"""A need takes its IPC from the suggestions only when the first one is confident: a vague need
keeps no IPC (shown as awaiting an operator) rather than a guessed class that would steer matching."""

from __future__ import annotations

import pytest

from web.factories import make_member, make_need, make_org
from web.test_permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise_user(chains):
    return make_member(make_org("需求企业", "enterprise", region_code="370900"), "enterprise")


def test_a_clear_need_takes_the_confident_class(enterprise_user):
    need = make_need(
        enterprise_user,
        title="空气源热泵除霜",
        description="寻求空气源热泵机组低温工况下蒸发器结霜的除霜技术，提高制热量与压缩机可靠性。",
    )
    assert need.ipc == ["F25B"]
    assert need.suggested_ipc[0]["confident"] is True
    page = client_for(enterprise_user).get(f"/needs/{need.pk}/").content.decode()
    assert 'data-testid="ipc-unconfirmed"' not in page


def test_a_vague_need_keeps_no_class_and_says_why(enterprise_user):
    need = make_need(
        enterprise_user, title="求一种管理方法", description="希望提高效率，降低成本，改善现状。"
    )
    assert need.suggested_ipc, "the suggestions are still shown"
    assert not any(s["confident"] for s in need.suggested_ipc)
    assert need.ipc == []
    page = client_for(enterprise_user).get(f"/needs/{need.pk}/").content.decode()
    assert "把握不足，未自动采用" in page


def test_reasons_are_empty_rather_than_a_dangling_label(monkeypatch):
    from patentbridge.demands import services

    class _S:
        subclass, title, score, drivers, confident = "A01B", "整地", 0.5, (), False

    class _Suggester:
        def suggest(self, text, k):
            return [_S()]

    class _Classifier:
        suggester = _Suggester()

        def classify(self, parsed, text, suggest_when_missing=False):
            return []

    # A suggestion without driving words (the engine can give one for a very short text).
    monkeypatch.setattr(services, "get_classifier", lambda: _Classifier())
    result = services.classify_need("标题", "说明")
    assert result["suggested_ipc"][0]["reason"] == ""
    assert result["ipc"] == []
