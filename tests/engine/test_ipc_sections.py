"""IPC section model: naive-Bayes arithmetic, count building, section-first ranking, abstention and
whole-word reasons."""

from __future__ import annotations

import math

import pytest

from patentbridge_engine.classify import IpcSuggester, load_ipc_titles
from patentbridge_engine.classify.sections import (
    SECTIONS,
    SectionModel,
    build_section_counts,
    load_section_model,
    section_features,
)
from patentbridge_engine.text.tokenize import default_tokenizer


def test_log_scores_follow_naive_bayes_by_hand() -> None:
    """Two features, counts only in A and B: prior + (Σ log-likelihoods) / √n, worked by hand."""
    counts = {"热泵": [0, 0, 0, 0, 0, 3, 0, 0], "电池": [0, 0, 0, 0, 0, 0, 0, 1]}
    model = SectionModel(counts, alpha=1.0)
    # Totals: F = 3, H = 1, others 0 (prior floored at alpha = 1). Vocabulary 2.
    scores = model.log_scores(["热泵", "热泵", "未知"])
    assert scores is not None
    f = SECTIONS.index("F")
    h = SECTIONS.index("H")
    expected_f = math.log(3 / 4) + (2 * math.log((3 + 1) / (3 + 2))) / math.sqrt(2)
    expected_h = math.log(1 / 4) + (2 * math.log((0 + 1) / (1 + 2))) / math.sqrt(2)
    assert scores[f] == pytest.approx(expected_f)
    assert scores[h] == pytest.approx(expected_h)
    assert max(range(8), key=lambda i: scores[i]) == f
    assert model.log_scores(["未知"]) is None


def test_build_section_counts_splits_shares_weights_and_prunes() -> None:
    docs = [
        (["热泵", "压缩机"], {"F": 1.0}, 2.0),
        (["热泵", "罕见"], {"F": 0.5, "H": 0.5}, 1.0),
        (["罕见词"], {"A": 1.0}, 1.0),  # total 1 < 2: pruned
    ]
    counts = build_section_counts(docs)
    f, h = SECTIONS.index("F"), SECTIONS.index("H")
    assert counts["热泵"][f] == 2.5 and counts["热泵"][h] == 0.5
    assert counts["压缩机"][f] == 2.0
    assert "罕见词" not in counts and "罕见" not in counts  # 罕见: 0.5 + 0.5 = 1 < 2


def test_word_support_is_positive_only_for_the_words_section() -> None:
    model = SectionModel({"w:热泵": [0, 0, 0, 0, 0, 9, 0, 0], "w:电池": [0, 0, 0, 0, 0, 0, 0, 9]})
    assert model.word_support("热泵", "F") > 0 > model.word_support("热泵", "H")
    assert model.word_support("没见过", "F") == 0.0


def test_section_features_are_bigrams_and_whole_words() -> None:
    feats = section_features("锂离子电池正极材料")
    assert "电池" in feats and ("w:正极材料" in feats or "w:正极" in feats)
    assert all(len(f) <= 2 or f.startswith("w:") or f.isascii() for f in feats)


@pytest.fixture(scope="module")
def suggester() -> IpcSuggester:
    assert load_section_model() is not None, "ipc_section_counts.json.gz must ship with the engine"
    return IpcSuggester(load_ipc_titles())


@pytest.mark.parametrize(
    ("title", "section"),
    [
        ("一种建筑施工用脚手架", "E"),
        ("一种纺织品染色机", "D"),
        ("一种内燃机活塞", "F"),
        ("一种桥梁伸缩缝", "E"),
        ("基于深度学习的图像识别方法", "G"),
        ("一种锂离子电池正极材料及其制备方法", "H"),
        ("一种高度可调自动供袋设备", "B"),
    ],
)
def test_everyday_titles_land_in_their_section(suggester: IpcSuggester, title: str, section: str) -> None:
    """Titles of the sections the old bigram scorer missed most (B, D, E, F) get the right section."""
    assert suggester.suggest(title, 3)[0].subclass[0] == section


def test_first_suggestion_belongs_to_the_most_likely_section(suggester: IpcSuggester) -> None:
    """Scores are P(section)·P(subclass | section) and sorted, except that the first is always the best
    subclass of the best section."""
    hits = suggester.suggest("一种新能源汽车电池外壳生产模具", 5)
    assert len(hits) == 5
    assert all(0 <= h.score <= 1 for h in hits)
    assert [h.score for h in hits[1:]] == sorted((h.score for h in hits[1:]), reverse=True)


def test_vague_text_abstains_and_only_the_first_is_confident(suggester: IpcSuggester) -> None:
    for vague in ("一种系统及其方法和装置", "一种装置"):
        assert suggester.suggest(vague, 3, abstain=True) == []
        shown = suggester.suggest(vague, 3)
        assert not any(h.confident for h in shown)
    clear = suggester.suggest("一种建筑施工用脚手架", 3, abstain=True)
    assert clear and clear[0].subclass == "E04G" and clear[0].confident
    assert not any(h.confident for h in clear[1:])


@pytest.mark.parametrize(
    "text",
    [
        "一种玻璃胶生产用高速分散装置",
        "一种高度可调自动供袋设备",
        "一种用于工业蒸汽制取的高温热泵系统，回收工业低温余热",
        "基于深度学习的图像识别方法",
    ],
)
def test_reasons_are_whole_words_of_the_text(suggester: IpcSuggester, text: str) -> None:
    """Every reason is a dictionary word (jieba or patent lexicon) found in the text — never a bigram
    cut out of a longer word — and the first suggestion always has one."""
    tok = default_tokenizer()
    hits = suggester.suggest(text, 3)
    assert hits[0].drivers
    words = set(tok.words(text))
    for hit in hits:
        for word in hit.drivers:
            assert word in words and len(word) >= 2 and tok.is_dictionary_word(word), (hit.subclass, word)


def test_a_custom_scheme_ranks_without_the_shipped_section_model() -> None:
    """examples={} (a custom scheme) keeps the plain subclass ranking: the shipped section statistics
    describe the full IPC, not the caller's table."""
    small = IpcSuggester({"H01M": "电池组", "A01B": "农业或林业的整地"}, {})
    assert small.suggest("电池组", 1)[0].subclass == "H01M"
    with_sections = IpcSuggester(
        {"H01M": "电池组", "A01B": "农业或林业的整地"},
        {},
        sections=SectionModel({"w:电池组": [0, 0, 0, 0, 0, 0, 0, 5], "电池": [0, 0, 0, 0, 0, 0, 0, 5]}),
    )
    assert with_sections.suggest("电池组", 1)[0].subclass == "H01M"


def test_section_model_decides_short_texts_only() -> None:
    """A section model that insists on A moves a short title to A01B, but a long text (title + abstract,
    over 60 bigrams) is ranked by the subclass scorer alone, which knows 电池组 is H01M."""
    insists_on_a = SectionModel({"w:电池组": [500, 0, 0, 0, 0, 0, 0, 0], "电池": [500, 0, 0, 0, 0, 0, 0, 0]})
    small = IpcSuggester({"H01M": "电池组", "A01B": "农业或林业的整地"}, {}, sections=insists_on_a)
    assert small.suggest("电池组", 2)[0].subclass == "A01B"
    assert small.suggest("电池组，" * 40, 2)[0].subclass == "H01M"
