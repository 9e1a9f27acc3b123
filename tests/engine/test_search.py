"""Text normalisation, tokenisation, the keyword index, the vector store and the hybrid index."""

import json
import subprocess
import sys

import numpy as np
import pytest

from patentbridge_engine.errors import PatentBridgeEngineError
from patentbridge_engine.retrieval.keyword import KeywordIndex
from patentbridge_engine.retrieval.vectors import NumpyVectorStore
from patentbridge_engine.search.explain import best_sentence, matched_terms
from patentbridge_engine.search.hybrid import SearchIndex
from patentbridge_engine.text.normalize import normalize_for_search, to_simplified
from patentbridge_engine.text.tokenize import cjk_bigrams, default_tokenizer

CORPUS = [
    {
        "id": "bat",
        "title": "一种锂离子电池正极材料及其制备方法",
        "abstract": "本发明提供一种锂离子电池正极材料。通过表面包覆，高温循环后容量保持率显著提高。",
        "ipc": ["H01M4/131"],
    },
    {
        "id": "hp",
        "title": "一种跨临界二氧化碳高温热泵系统",
        "abstract": "热泵系统包括压缩机、气体冷却器和蒸发器，用于工业余热回收，产生高温蒸汽。",
        "ipc": ["F25B30/02"],
    },
    {
        "id": "uav",
        "title": "一种无人机机载多功能盒",
        "abstract": "多功能盒设有通信模块和扩展接口，可挂载传感器，实时处理飞行数据。",
        "ipc": ["B64U20/80"],
    },
]


def test_traditional_and_full_width_are_normalised():
    """Queries in traditional characters or full width find simplified documents."""
    assert to_simplified("鋰離子電池") == "锂离子电池"
    assert normalize_for_search("ＣＯ２熱泵") == "co2热泵"


def test_tokens_drop_patent_boilerplate_and_keep_bigrams():
    """Stop words such as 所述 disappear from words; bigrams cover every CJK run."""
    words, bigrams = default_tokenizer().tokens("所述锂离子电池的正极")
    assert "所述" not in words and "锂离子" in words
    assert cjk_bigrams("正极材料") == ["正极", "极材", "材料"]
    assert "正极" in bigrams


def test_keyword_index_add_replace_delete_and_filter(tmp_path):
    """BM25 finds the right document; replacing and deleting by id take effect after commit."""
    tok = default_tokenizer()
    index = KeywordIndex(tmp_path / "kw")
    index.add((d["id"], *tok.tokens(d["title"] + d["abstract"])) for d in CORPUS)
    index.commit()
    words, bigrams = tok.tokens("热泵 余热回收")
    assert index.search(words, bigrams, 3)[0][0] == "hp"
    hot_words, hot_bigrams = tok.tokens("高温")
    assert {h[0] for h in index.search(hot_words, hot_bigrams, 3)} == {"bat", "hp"}
    assert [h[0] for h in index.search(hot_words, hot_bigrams, 3, allowed={"bat", "uav"})] == ["bat"]
    index.add([("hp", *tok.tokens("一种洗衣机"))])
    index.delete(["uav"])
    index.commit()
    assert len(index) == 2
    assert all(h[0] != "hp" for h in index.search(words, bigrams, 3))


def test_vector_store_exact_search_filter_delete_and_persistence(tmp_path):
    """Cosine ranking is exact; filters apply inside the scan; save/load keeps live rows only."""
    store = NumpyVectorStore(3)
    store.add(["a", "b", "c"], np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0]], dtype=np.float32))
    assert [i for i, _ in store.search([1, 0, 0], 2)] == ["a", "b"]
    assert [i for i, _ in store.search([1, 0, 0], 2, allowed={"c"})] == ["c"]
    store.delete(["a"])
    assert [i for i, _ in store.search([1, 0, 0], 3)] == ["b", "c"]
    store.save(tmp_path / "v")
    loaded = NumpyVectorStore.load(tmp_path / "v")
    assert len(loaded) == 2 and [i for i, _ in loaded.search([1, 0, 0], 1)] == ["b"]


def test_explanations():
    """Matched terms prefer longer words; the best sentence contains them."""
    terms = matched_terms(["高温", "锂离子", "电池"], ["锂离子", "电池", "高温", "循环"])
    assert terms[0] == "锂离子"
    assert "高温" in best_sentence("本发明提供一种材料。高温循环后容量保持率高。", ["高温"])


@pytest.fixture(scope="module")
def built_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("idx") / "index"
    index = SearchIndex.create(path)
    index.add(CORPUS)
    index.save()
    return path


@pytest.mark.parametrize(
    ("query", "expected"),
    [("高温循环后容量衰减快", "bat"), ("工厂余热做蒸汽", "hp"), ("飞行器上挂传感器", "uav")],
)
def test_hybrid_search_finds_plant_floor_needs(built_index, query, expected):
    """Needs in plain words reach the patent that solves them, with an explanation."""
    index = SearchIndex.open(built_index)
    hits = index.search(query, 3)
    assert hits[0].id == expected
    assert hits[0].keyword_rank is not None or hits[0].semantic_rank is not None


def test_explanations_and_shared_ipc_on_hits(built_index):
    """A hit names the shared terms, its best sentence and the IPC subclasses it shares with the query."""
    hit = SearchIndex.open(built_index).search("锂离子电池 容量保持率", 1, query_ipc=["H01M10/0525"])[0]
    assert hit.id == "bat" and "锂离子" in hit.terms
    assert hit.sentence in CORPUS[0]["abstract"] and any(t in hit.sentence for t in hit.terms)
    assert hit.shared_ipc == ("H01M",)


def test_incremental_add_and_delete(built_index, tmp_path):
    """A document added or deleted later is found or gone without a rebuild."""
    index = SearchIndex.open(built_index)
    index.add([{"id": "wash", "title": "一种滚筒洗衣机", "abstract": "降低洗涤噪音的减振结构。"}])
    index.delete(["uav"])
    index.save()
    reopened = SearchIndex.open(built_index)
    assert reopened.search("洗衣机噪音", 1)[0].id == "wash"
    assert all(h.id != "uav" for h in reopened.search("无人机", 5))


def test_index_format_version_is_checked(built_index):
    """An index written by another format version is refused with a clear message."""
    meta = json.loads((built_index / "meta.json").read_text())
    (built_index / "meta.json").write_text(json.dumps({**meta, "format_version": 999}))
    try:
        with pytest.raises(PatentBridgeEngineError, match="build-index"):
            SearchIndex.open(built_index)
    finally:
        (built_index / "meta.json").write_text(json.dumps(meta))


def test_cli_contract(tmp_path):
    """build-index then search: one JSON line per query with K hits, best first."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps({k: v for k, v in d.items() if k != "title" or d["id"] != "uav"}, ensure_ascii=False)
            for d in CORPUS
        ),
        encoding="utf-8",
    )
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        '{"qid": "q1", "text": "热泵 余热"}\n{"qid": "q2", "text": "正极材料"}\n', encoding="utf-8"
    )
    out = tmp_path / "index"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "patentbridge_engine",
            "build-index",
            "--corpus",
            str(corpus),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    search = subprocess.run(
        [
            sys.executable,
            "-m",
            "patentbridge_engine",
            "search",
            "--index",
            str(out),
            "--queries",
            str(queries),
            "--k",
            "2",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert search.returncode == 0, search.stderr
    lines = [json.loads(line) for line in search.stdout.splitlines()]
    assert [line["qid"] for line in lines] == ["q1", "q2"]
    assert all(len(line["hits"]) == 2 for line in lines)
    assert lines[0]["hits"][0]["id"] == "hp" and lines[1]["hits"][0]["id"] == "bat"
    assert lines[0]["hits"][0]["score"] >= lines[0]["hits"][1]["score"]


class _CountingEncoder:
    """A query encoder that records the texts it was asked to encode (static vectors inside)."""

    def __init__(self, inner):
        self.inner, self.name, self.dim, self.texts = inner, "counting", inner.dim, []

    def encode_documents(self, texts):
        return self.inner.encode_documents(texts)

    def encode_queries(self, texts):
        self.texts.extend(texts)
        return self.inner.encode_queries(texts)


def test_semantic_mode_uses_the_strong_encoder_and_hybrid_the_fast_one(built_index):
    """The E5-style encoder is spent on semantic-only queries; hybrid fuses with the static vector
    unless told otherwise."""
    index = SearchIndex.open(built_index)
    strong = _CountingEncoder(index.doc_encoder)
    index.use_query_encoder(strong)
    index.search("锅炉余热 蒸汽 1", 2, mode="semantic")
    index.search("锅炉余热 蒸汽 2", 2, mode="hybrid")
    index.search("锅炉余热 蒸汽 3", 2, mode="keyword")
    assert strong.texts == ["锅炉余热 蒸汽 1"]
    index.use_query_encoder(strong, in_fusion=True)
    index.search("锅炉余热 蒸汽 4", 2, mode="hybrid")
    assert strong.texts[-1] == "锅炉余热 蒸汽 4"


def test_query_vectors_are_remembered_for_repeated_queries(built_index):
    """A need page asks the same text twice (patents, then teams): the second costs no encoding."""
    index = SearchIndex.open(built_index)
    strong = _CountingEncoder(index.doc_encoder)
    index.use_query_encoder(strong)
    first = index.search("飞行器 挂载 传感器 重复", 3, mode="semantic")
    second = index.search("飞行器 挂载 传感器 重复", 3, mode="semantic")
    assert strong.texts == ["飞行器 挂载 传感器 重复"] and first == second
