"""Readable reasons: whole dictionary words as matched terms, whole sentences as the best sentence."""

from __future__ import annotations

from patentbridge_engine.search.explain import best_sentence, is_readable_term, matched_terms
from patentbridge_engine.text.tokenize import default_tokenizer


def test_segmenter_guesses_and_fragments_are_never_reasons() -> None:
    """Words jieba only guessed (温循, 命的) or bigram fragments (解液) are not shown as matched terms."""
    tok = default_tokenizer()
    query = tok.words("锂电池电解液温循寿命的提升")
    doc = [*tok.words("一种锂电池电解液，提高电池温循寿命。"), "解液", "命的"]
    terms = matched_terms([*query, "解液", "命的"], doc, known=tok.is_dictionary_word)
    assert "电解液" in terms and "锂电池" in terms
    assert not {"温循", "解液", "命的"} & set(terms)
    assert all(tok.is_dictionary_word(t) for t in terms)


def test_latin_tokens_are_readable_but_digits_and_single_characters_are_not() -> None:
    """CBN or PERC are real terms; "2018" or "中" explain nothing."""
    assert is_readable_term("cbn", lambda _: False)
    assert not is_readable_term("2018", lambda _: True)
    assert not is_readable_term("中")


def test_best_sentence_is_a_whole_sentence_not_a_semicolon_clause() -> None:
    """The sentence runs to its full stop even when it holds semicolons."""
    abstract = (
        "本发明公开一种出灰机。所述出灰机包括圆盘；所述圆盘下设刮板，刮板使石灰均匀下降。其他说明文字在这里。"
    )
    sentence = best_sentence(abstract, ["刮板", "圆盘"])
    assert sentence == "所述出灰机包括圆盘；所述圆盘下设刮板，刮板使石灰均匀下降。"


def test_best_sentence_skips_figure_debris_and_falls_back_to_the_claim() -> None:
    """OCR figure labels are not sentences; a term found only in the claim brings the claim's sentence."""
    abstract = "20(角度)。本发明涉及一种换热装置及其控制方法。"
    claims = "1.一种热泵干燥装置，其特征在于包括压缩机和冷凝器。"
    assert best_sentence(abstract, ["热泵"], claims=claims) == claims
    assert "角度" not in best_sentence(abstract, ["角度"])


def test_long_sentence_is_cut_at_a_clause_end_and_marked() -> None:
    """An over-long sentence is shortened at a comma, never mid-word, and says so with an ellipsis."""
    long = (
        "本发明提供一种高韧性立方氮化硼单晶的合成方法，"
        + "包括触媒配制、原料混合、高温高压合成，" * 10
        + "得到韧性好的单晶。"
    )
    shown = best_sentence(long, ["立方氮化硼"], max_chars=60)
    assert shown.endswith("…") and len(shown) <= 62
    assert shown[:-1] in long and "立方氮化硼" in shown
