"""Need matching re-orders its top candidates with the strong encoder (E5; issue 14)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from patentbridge.demands.services import create_need
from patentbridge.matching.needs import library_numbers, match_need, need_text
from patentbridge.search.index import get_index
from patentbridge_engine.retrieval.passages import passage_text

from .test_matching import HEAT_NEED, library  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rerank_on(settings):
    settings.PATENTBRIDGE_NEED_RERANK = "on"


class _OnePatentEncoder:
    """Stands in for E5: only ``target``'s passage is close to the need."""

    name, dim = "one-patent", 2

    def __init__(self, target: str) -> None:
        self.target = target
        self.passages: list[str] = []

    def encode_documents(self, texts: list[str]) -> Any:
        self.passages.extend(texts)
        return np.array([[1.0, 0.0] if t == self.target else [0.0, 1.0] for t in texts], np.float32)

    def encode_queries(self, texts: list[str]) -> Any:
        return np.array([[1.0, 0.0] for _ in texts], np.float32)


def test_need_matching_moves_up_the_patent_e5_prefers_and_keeps_the_candidates(users, library, monkeypatch):  # noqa: F811
    monkeypatch.setattr(get_index(), "_query_encoder", _OnePatentEncoder(""))
    need = create_need(actor=users["enterprise"], data=HEAT_NEED)
    index = get_index()
    plain = index.search(need_text(need), 20, allowed=library_numbers(), query_ipc=need.ipc)
    target = plain[6]
    doc = index.docs.get(target.id)
    encoder = _OnePatentEncoder(passage_text(doc))
    monkeypatch.setattr(index, "_query_encoder", encoder)
    matches = match_need(need, 20)
    order = [m.patent.application_number for m in matches]
    assert set(order) == {h.id for h in plain}
    assert order.index(target.id) < 6
    # E5 read the candidates' passages, not the whole library (132 patents)
    assert 0 < len(encoder.passages) <= 20


def test_off_keeps_the_hybrid_order_and_never_calls_e5(users, library, monkeypatch, settings):  # noqa: F811
    settings.PATENTBRIDGE_NEED_RERANK = "off"
    index = get_index()
    encoder = _OnePatentEncoder("")
    monkeypatch.setattr(index, "_query_encoder", encoder)
    need = create_need(actor=users["enterprise"], data=HEAT_NEED)
    plain = index.search(need_text(need), 10, allowed=library_numbers(), query_ipc=need.ipc)
    order = [m.patent.application_number for m in match_need(need, 10)]
    assert order == [h.id for h in plain]
    assert encoder.passages == [] and len(index.passages) == 0


def test_a_new_need_warms_its_candidates_passages_before_the_page(
    users,
    library,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """Creating a need queues the warm-up when it commits (run inline here): the candidates'
    passage vectors are in the cache, so the page encodes none of them again."""
    index = get_index()
    encoder = _OnePatentEncoder("")
    monkeypatch.setattr(index, "_query_encoder", encoder)
    with django_capture_on_commit_callbacks(execute=True):
        need = create_need(actor=users["enterprise"], data=HEAT_NEED)
    index = get_index()
    warmed = len(encoder.passages)
    assert 0 < warmed <= 20 and len(index.passages) == warmed
    match_need(need, 10)
    assert len(encoder.passages) == warmed


def test_the_warm_up_task_does_nothing_when_off(users, library, settings):  # noqa: F811
    from patentbridge.matching.tasks import warm_need_rerank

    need = create_need(actor=users["enterprise"], data=HEAT_NEED)
    settings.PATENTBRIDGE_NEED_RERANK = "off"
    assert warm_need_rerank.call([need.pk]) == 0
    settings.PATENTBRIDGE_NEED_RERANK = "on"
    assert warm_need_rerank.call([need.pk]) == 1


def test_a_bulk_load_queues_one_warm_up_for_every_need(users, library, monkeypatch, settings):  # noqa: F811
    """The demo posts its needs with events quiet; one queued job then warms them all."""
    from patentbridge.matching.tasks import queue_open_needs_warmup

    index = get_index()
    encoder = _OnePatentEncoder("")
    monkeypatch.setattr(index, "_query_encoder", encoder)
    create_need(actor=users["enterprise"], data=HEAT_NEED)
    settings.PATENTBRIDGE_NEED_RERANK = "off"
    assert queue_open_needs_warmup() == 0 and len(index.passages) == 0
    settings.PATENTBRIDGE_NEED_RERANK = "on"
    assert queue_open_needs_warmup() == 1  # the immediate backend runs it here
    assert 0 < len(index.passages) <= 20
