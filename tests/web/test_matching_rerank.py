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
