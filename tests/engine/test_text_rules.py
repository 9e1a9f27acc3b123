"""Text rules under retrieval: width folding, traditional → simplified, tokens, need reduction edges,
and the explanation helpers shown to people."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.search.explain import best_sentence, is_readable_term, matched_terms, sentences
from patentbridge_engine.text.need import reduce_need_text
from patentbridge_engine.text.normalize import normalize_for_search, to_simplified
from patentbridge_engine.text.tokenize import Tokenizer, cjk_bigrams, default_tokenizer
from patentbridge_engine.text.width import normalize_text, to_halfwidth

# Full-width ASCII is U+FF01..U+FF5E, each 0xFEE0 above its half-width twin.
_FULLWIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
_HALFWIDTH = "".join(chr(c) for c in range(0x21, 0x7F))

# ---------------------------------------------------------------------------------------------
# width.py
# ---------------------------------------------------------------------------------------------


def test_every_fullwidth_ascii_character_folds_to_its_halfwidth_twin():
    """The whole full-width block folds, position for position, and the ideographic space too."""
    assert to_halfwidth(_FULLWIDTH) == _HALFWIDTH
    assert to_halfwidth("\u3000") == " "


def test_cjk_text_and_cjk_punctuation_outside_the_block_are_left_alone():
    """Only the full-width ASCII block folds: 。、「」 and Chinese characters stay as they are."""
    text = "热泵。、「机组」《标准》"
    assert to_halfwidth(text) == text


@given(st.text(alphabet=_FULLWIDTH + _HALFWIDTH + "热泵机组。\u3000 "))
def test_halfwidth_folding_is_idempotent_and_length_preserving(text):
    """Folding twice equals folding once, and never changes the number of characters."""
    once = to_halfwidth(text)
    assert to_halfwidth(once) == once
    assert len(once) == len(text)


def test_normalize_text_collapses_every_kind_of_space():
    """Runs of ASCII, ideographic and no-break spaces and newlines become one space; ends are stripped."""
    assert normalize_text("  热泵\u3000\u3000机组 \u00a0\n\t控制  ") == "热泵 机组 控制"
    assert normalize_text(None) == ""
    assert normalize_text("") == ""
    assert normalize_text(" \u3000 ") == ""


# ---------------------------------------------------------------------------------------------
# normalize.py
# ---------------------------------------------------------------------------------------------


def test_traditional_characters_become_simplified_and_others_are_untouched():
    """Character-level conversion: traditional characters change, simplified, Latin and digits do not."""
    assert to_simplified("熱泵機組") == "热泵机组"
    assert to_simplified("熱泵 CO2 機組 2024") == "热泵 CO2 机组 2024"
    simplified = "一种锂离子电池正极材料及其制备方法"
    assert to_simplified(simplified) == simplified


def test_conversion_is_the_same_on_first_and_later_calls():
    """The lazy per-character cache gives the same answer whether a character is new or seen."""
    text = "變頻壓縮機與冷凝器"
    first = to_simplified(text)
    assert to_simplified(text) == first == "变频压缩机与冷凝器"
    # A mixed text reusing seen characters alongside unseen ones.
    assert to_simplified("冷凝器與變壓器") == "冷凝器与变压器"


def test_search_normalisation_folds_width_script_and_case_together():
    """A full-width, traditional, upper-case query equals its half-width simplified lower-case form."""
    assert normalize_for_search("ＬＥＤ燈具ＰＣＢ散熱") == "led灯具pcb散热"
    assert normalize_for_search("") == ""
    assert normalize_for_search(None) == ""  # type: ignore[arg-type]


@given(st.text(alphabet=_FULLWIDTH + string.ascii_letters + "熱泵機組热泵机组電池电池\u3000 "))
def test_search_normalisation_is_idempotent(text):
    """Indexing a normalised text again changes nothing: queries and documents meet in one form."""
    once = normalize_for_search(text)
    assert normalize_for_search(once) == once


def test_traditional_and_simplified_queries_give_the_same_tokens():
    """Words and bigrams of a traditional query equal those of its simplified form."""
    tok = default_tokenizer()
    assert tok.tokens("鋰離子電池正極材料") == tok.tokens("锂离子电池正极材料")


# ---------------------------------------------------------------------------------------------
# tokenize.py
# ---------------------------------------------------------------------------------------------


def test_bigrams_never_cross_a_non_cjk_gap():
    """Each CJK run is cut separately: no bigram spans Latin, digits or punctuation."""
    assert cjk_bigrams("热泵abc机组") == ["热泵", "机组"]
    assert cjk_bigrams("热泵，机组") == ["热泵", "机组"]
    assert cjk_bigrams("泵 机") == ["泵", "机"]
    assert cjk_bigrams("abc 123") == []


@given(st.lists(st.text(alphabet="热泵机组锂电池正极", min_size=1, max_size=8), min_size=1, max_size=5))
def test_bigram_count_is_run_length_minus_one_per_run(runs):
    """A run of n ≥ 2 characters gives n − 1 bigrams, a single character one unigram."""
    text = " ".join(runs)
    expected = sum(max(len(run) - 1, 1) for run in runs)
    grams = cjk_bigrams(text)
    assert len(grams) == expected
    assert all(1 <= len(g) <= 2 for g in grams)


def test_words_drop_stop_words_and_punctuation_and_lower_latin():
    """Words hold no punctuation, no stop words and only lower-case Latin."""
    tok = Tokenizer(stopwords=frozenset({"装置"}))
    words = tok.words("一种ＬＥＤ照明装置，包括PCB板！")
    assert "装置" not in words
    assert "led" in words and "pcb" in words
    assert not any(ch in w for w in words for ch in "，！,! ")


def test_words_keep_duplicates_in_order():
    """Repeated words stay repeated: query-term frequency depends on it."""
    words = Tokenizer().words("热泵 热泵 热泵")
    assert words.count("热泵") == 3


def test_tokens_are_words_and_bigrams_of_the_normalised_text():
    """``tokens`` normalises once and gives the same as normalising and calling ``words``/``cjk_bigrams``."""
    tok = default_tokenizer()
    text = "高溫熱泵ＣＯ２機組"
    norm = normalize_for_search(text)
    assert tok.tokens(text) == (tok.words(norm, normalized=True), cjk_bigrams(norm))
    assert tok.many([text, "电池"]) == [tok.tokens(text), tok.tokens("电池")]


def test_default_tokenizer_drops_patent_boilerplate_words():
    """所述 and 其特征在于 are patent boilerplate: never query or index words."""
    words = default_tokenizer().words("其特征在于，所述压缩机连接所述冷凝器")
    assert "所述" not in words and "其特征在于" not in words
    assert "压缩机" in words and "冷凝器" in words


def test_dictionary_check_knows_common_words_but_not_nonsense():
    """Real words are dictionary words; a random character pair is not."""
    tok = default_tokenizer()
    assert tok.is_dictionary_word("压缩机")
    assert not tok.is_dictionary_word("泵锂")


# ---------------------------------------------------------------------------------------------
# need.py edge cases
# ---------------------------------------------------------------------------------------------

_PROBLEM = (
    "需要研制一种适用于高寒地区的空气源热泵机组，在零下三十度环境下稳定制热，"
    "解决蒸发器结霜导致制热量衰减的问题，并降低压缩机排气温度。"
    "机组应采用喷气增焓压缩技术与智能除霜控制策略，化霜期间室内温度波动不超过两度。"
)


def test_cooperation_wish_sentences_are_dropped():
    """ "希望与高校合作…" says nothing about the technology and leaves the query."""
    text = _PROBLEM + "希望与高校专家团队开展合作，共同攻关。" + _PROBLEM.replace("高寒", "严寒")
    reduced = reduce_need_text(text)
    assert "希望与高校" not in reduced
    assert "蒸发器结霜" in reduced


def test_a_sentence_repeated_inside_a_need_is_kept_once():
    """The same sentence twice (not a whole-body repeat) still counts once."""
    sentence = "压缩机排气温度过高导致润滑油碳化。"
    reduced = reduce_need_text(_PROBLEM + sentence + "另外需要提高机组能效比。" + sentence)
    assert reduced.count("润滑油碳化") == 1


def test_parenthesised_enumerator_opens_a_dropped_section():
    """ "（二）合作方式" drops its section like "二、合作方式" would; "（三）" opens a kept one again."""
    text = (
        "（一）需求内容：" + _PROBLEM + "（二）合作方式：技术转让，费用面议，可分期支付。"
        "（三）技术指标：制热能效比不低于二点五，噪声不高于五十五分贝。"
    )
    reduced = reduce_need_text(text)
    assert "技术转让" not in reduced and "费用面议" not in reduced
    assert "能效比" in reduced and "蒸发器结霜" in reduced


def test_unknown_enumerated_heading_naming_a_dropped_topic_is_dropped():
    """An enumerated heading that is not in the list but names a dropped topic right after it
    (within its first words) is judged by those words."""
    text = _PROBLEM + "四、关于合作方式的说明：双方共同出资，收益按比例分成，签订长期协议。"
    reduced = reduce_need_text(text)
    assert "收益按比例分成" not in reduced
    assert "蒸发器结霜" in reduced


def test_unpunctuated_lines_become_sentences():
    """A line without a sentence end is closed with 。 so that sentences never run together."""
    text = (
        "需求内容：\n研制高寒地区空气源热泵机组，零下三十度稳定制热\n"
        "解决蒸发器结霜与制热量衰减问题，降低压缩机排气温度\n"
        "提高机组在低温环境下的能效比与可靠性，延长压缩机寿命\n"
        "采用喷气增焓压缩与智能除霜控制，化霜期间室内温度波动不超过两度\n"
        "联系人：王工，电话一三八零零零零零零零零，邮箱略\n"
    )
    reduced = reduce_need_text(text)
    assert "制热。" in reduced and "排气温度。" in reduced
    assert "王工" not in reduced
    assert "\n" not in reduced


def test_a_doubled_short_query_is_collapsed_even_below_the_reduction_length():
    """A body pasted twice is halved before the length check, so a doubled short text is kept once;
    an odd-length or tiny text is never cut."""
    half = "锂电池正极材料表面包覆工艺"
    assert reduce_need_text(half + half) == half
    assert reduce_need_text("热泵热泵") == "热泵热泵"
    assert reduce_need_text(half + half + "。") == half + half + "。"


def test_reduction_of_a_reduced_need_changes_nothing():
    """Reducing twice equals reducing once: the kept text holds no headers or boilerplate left to drop."""
    text = (
        "高寒空气源热泵研制。需求内容：" + _PROBLEM + "预期目标：零下三十度制热能效比不低于二点二，"
        "化霜周期不少于两小时。公司简介：我公司成立于二零零八年，注册资本三千万元，员工两百人。"
        "合作方式：委托开发。"
    )
    once = reduce_need_text(text)
    assert once != text
    assert reduce_need_text(once) == once


def test_boilerplate_needs_a_subject_and_a_cue_together():
    """A technical sentence mentioning 管理 or 资金 without a company subject is kept; the same cue
    with 公司 as subject is dropped."""
    technical = "电池管理系统需要精确估计荷电状态，误差小于百分之三。"
    company = "我公司管理规范，资金充足，具备承担项目的能力。"
    reduced = reduce_need_text(_PROBLEM + technical + company)
    assert "荷电状态" in reduced
    assert "资金充足" not in reduced


# ---------------------------------------------------------------------------------------------
# explain.py
# ---------------------------------------------------------------------------------------------


def test_readable_terms_need_two_characters_and_latin_needs_a_letter():
    """Single characters are never reasons; Latin tokens need a letter; CJK words follow ``known``."""
    assert not is_readable_term("")
    assert not is_readable_term("a")
    assert is_readable_term("3d")
    assert is_readable_term("li-ion")
    assert not is_readable_term("12.5")
    assert is_readable_term("热泵")  # without a dictionary any CJK word of two characters passes
    assert not is_readable_term("热泵", lambda _: False)
    assert is_readable_term("热泵", lambda w: w == "热泵")


def test_matched_terms_are_shared_distinct_longest_first_and_limited():
    """Only words in both texts, each once, longer before shorter, query order among equals, capped."""
    query = ["电池", "锂离子电池", "正极", "电池", "涂层", "正极材料", "未出现"]
    doc = ["正极材料", "电池", "正极", "锂离子电池", "涂层"]
    terms = matched_terms(query, doc)
    assert terms == ["锂离子电池", "正极材料", "电池", "正极", "涂层"]
    assert matched_terms(query, doc, limit=2) == ["锂离子电池", "正极材料"]
    assert matched_terms(query, []) == []


def test_sentences_split_at_sentence_ends_and_lines_not_semicolons():
    """。！？ and line ends split; semicolons do not; fragments with few CJK characters are dropped."""
    text = "第一句话包含足够多的汉字；仍然是第一句。第二句话也很长吗？图1\n第三句话在新的一行上"
    found = sentences(text)
    assert found == [
        "第一句话包含足够多的汉字；仍然是第一句。",
        "第二句话也很长吗？",
        "第三句话在新的一行上",
    ]
    assert sentences("") == []


def test_best_sentence_prefers_more_terms_then_longer_terms_then_earlier():
    """The sentence with the most matched terms wins; on a tie the longer terms, then the first."""
    text = "本装置设有压缩机和泵体结构。本装置包括冷凝器与蒸发器组件。本装置包括冷凝器和蒸发器部件。"
    assert best_sentence(text, ["冷凝器", "蒸发器", "泵"]) == "本装置包括冷凝器与蒸发器组件。"
    assert best_sentence(text, ["压缩机", "泵体", "冷凝器"]) == "本装置设有压缩机和泵体结构。"


def test_best_sentence_falls_back_to_the_text_when_no_sentence_qualifies():
    """With only debris-length fragments, the stripped text itself is shown rather than nothing."""
    assert best_sentence("  图1(a)  ", ["图"]) == "图1(a)"
    assert best_sentence("", [], claims="") == ""


def test_shortened_sentences_never_exceed_the_limit_plus_markers():
    """An over-long best sentence is cut to at most ``max_chars`` plus the leading and trailing
    ellipsis, and still contains the first matched term."""
    long = "，".join(f"第{n}部分描述了一种结构细节" for n in range(30)) + "，其中的热交换器提高效率。"
    for limit in (40, 60, 100):
        shown = best_sentence(long, ["热交换器"], max_chars=limit)
        assert len(shown) <= limit + 2
        assert "热交换器" in shown
        assert shown.startswith("…") and shown.endswith("…")
