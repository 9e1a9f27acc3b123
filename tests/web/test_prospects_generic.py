"""Reverse matching drops words that are generic in the needs corpus (系统, 控制 …) from the patent."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from patentbridge.demands.models import TechNeed
from patentbridge.demands.services import create_need
from patentbridge.matching.generic_words import (
    MIN_NEEDS,
    generic_need_words,
    generic_words_of,
    strip_generic,
)
from patentbridge.matching.needs import HitView
from patentbridge.matching.prospects import prospects_for
from patentbridge.patents.models import Patent
from patentbridge_engine.search.hybrid import Hit

from .test_matching import library  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# Five of six needs talk about a control system; one is about heat pumps. 系统 and 控制 are in 5/6 of
# the needs (> 20 %), 热泵 in 1/6 (< 20 %).
NEEDS = [
    ("高温热泵制取工业蒸汽", "车间低温余热希望用热泵提升为高温蒸汽，替代燃气锅炉。"),
    ("生产线控制系统改造", "现有生产线控制系统老旧，需要新的控制系统提高效率。"),
    ("仓库温湿度控制系统", "仓库需要温湿度自动控制系统，控制精度要求较高。"),
    ("水泵站远程控制系统", "泵站设备分散，需要远程控制系统集中管理。"),
    ("注塑机控制系统升级", "注塑机控制系统响应慢，希望升级控制系统。"),
    ("灌溉控制系统", "农田灌溉需要按土壤湿度自动控制的系统。"),
]


def test_document_frequency_picks_words_common_to_the_needs() -> None:
    """A word counts once per need; only words in more than a fifth of the needs are generic."""
    texts = [f"{t}。{d}" for t, d in NEEDS]
    generic = generic_words_of(texts)
    assert {"系统", "控制"} <= generic
    assert "热泵" not in generic and "蒸汽" not in generic
    # A handful of needs is too few to call anything generic.
    assert generic_words_of(texts[: MIN_NEEDS - 1]) == frozenset()


def test_strip_generic_keeps_the_technical_words() -> None:
    stripped = strip_generic("一种热泵控制系统，用于回收余热", frozenset({"系统", "控制"}))
    # 控制系统 is made only of generic words; 热泵 is not generic.
    assert "热泵" in stripped and "余热" in stripped
    assert "系统" not in stripped and "控制" not in stripped
    assert strip_generic("原文不变", frozenset()) == "原文不变"


@pytest.fixture
def corpus(users, library, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        return [create_need(actor=users["enterprise"], data={"title": t, "description": d}) for t, d in NEEDS]


def test_heat_pump_patent_is_not_matched_by_control_system_words(users, corpus):
    """A heat-pump patent whose text says 系统 and 控制 ranks the heat-pump need first; no hit is
    explained by a generic word, and the control-system needs are not called 强相关."""
    patent = Patent.objects.filter(title__contains="热泵").order_by("pk").first()
    assert patent is not None
    Patent.objects.filter(pk=patent.pk).update(
        owner_org=users["tto"].membership.org,
        abstract=f"{patent.abstract}本系统通过控制系统控制压缩机。",
    )
    patent.refresh_from_db()
    assert {"系统", "控制"} <= generic_need_words()
    ranked, _ = prospects_for(users["tto"], patent)
    assert ranked[0].need.title == NEEDS[0][0]
    for prospect in ranked:
        assert not {"系统", "控制"} & set(prospect.terms), prospect.terms
        if prospect.need.title != NEEDS[0][0]:
            assert prospect.strength_label != "强相关"
    assert ranked[0].strength_label in {"强相关", "可能相关"}


def test_generic_words_follow_the_open_needs(users, corpus):
    """Closing the control-system needs changes the corpus: 控制 stops being generic."""
    assert "控制" in generic_need_words()
    TechNeed.objects.filter(title__contains="控制").update(status="closed")
    assert "控制" not in generic_need_words()


@dataclass(frozen=True)
class _View(HitView):
    hit: Hit


def test_shared_ipc_is_named_in_chinese() -> None:
    """A shared subclass is shown with its official Chinese title (shortened), not as a bare code."""
    view = _View(Hit(id="1", score=0.1, shared_ipc=("F25B", "Z99Z")))
    named = view.shared_ipc_named
    assert named[0].startswith("F25B ") and "制冷" in named[0]
    assert len(named[0]) <= len("F25B ") + 17
    assert named[1] == "Z99Z"  # unknown codes stay as they are
