"""IPC suggestion: real-patent statistics, whole-word reasons and abstention on unclear text."""

from __future__ import annotations

import pytest

from patentbridge_engine.classify import IpcSuggester, load_ipc_titles
from patentbridge_engine.text.tokenize import default_tokenizer


@pytest.fixture(scope="module")
def suggester() -> IpcSuggester:
    return IpcSuggester(load_ipc_titles())


def test_heat_pump_draft_goes_to_heat_pumps_not_fuel_injection(suggester: IpcSuggester) -> None:
    """A heat-pump draft is suggested F25B (heat pumps) first, never F02M above it (#7 report)."""
    for text in (
        "一种高温热泵干燥装置，包括压缩机、冷凝器、蒸发器和节流阀",
        "一种用于工业蒸汽制取的高温热泵系统。本发明公开一种高温热泵系统，回收工业低温余热，经两级压缩产生工业用蒸汽。",
    ):
        codes = [h.subclass for h in suggester.suggest(text, 3)]
        assert codes[0] == "F25B", codes


def test_reasons_are_whole_dictionary_words_of_the_text(suggester: IpcSuggester) -> None:
    """Every reason is a dictionary word that occurs in the text, never a bare bigram fragment."""
    text = "锂离子电池电解液的高低温循环寿命提升方法"
    tok = default_tokenizer()
    hits = suggester.suggest(text, 3)
    assert hits[0].subclass == "H01M"
    for hit in hits:
        assert hit.drivers
        for word in hit.drivers:
            assert word in text and len(word) >= 2 and tok.is_dictionary_word(word)


def test_clear_text_is_confident_and_vague_text_abstains(suggester: IpcSuggester) -> None:
    """A specific technical text keeps its first suggestion with abstain=True; a text that could be
    anything returns no suggestion at all, and only the first suggestion can be confident."""
    clear = suggester.suggest("锂离子电池正极材料及其制备方法", 3, abstain=True)
    assert clear and clear[0].confident and not any(h.confident for h in clear[1:])
    vague = "一种系统及其方法和装置"
    assert suggester.suggest(vague, 3, abstain=True) == []
    unconfident = suggester.suggest(vague, 3)
    assert unconfident and not unconfident[0].confident


def test_titles_only_model_still_available() -> None:
    """examples={} builds the scheme-only model (no shipped statistics), e.g. for a custom scheme."""
    small = IpcSuggester(
        {"H01M": "用于直接转变化学能为电能的方法或装置，例如电池组", "A01B": "农业或林业的整地"}, {}
    )
    assert small.suggest("电池组", 1)[0].subclass == "H01M"
