"""Hostile and broken import files: every reader fails with InputFormatError or rejects rows.

Covers the DOCTYPE backtracking (#a), XLSX zip bombs (#b), non-zip XLSX and deep nesting (#d),
one bad byte in a UTF-8 CSV (#e), and property-based fuzzing of all five readers (#g).
Hostile fixtures are generated here at small compressed size, never committed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patentbridge_engine.bench.hostile import shared_strings_bomb, small_xlsx
from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest.encoding import detect_encoding
from patentbridge_engine.ingest.inspect import inspect_file, xlsx_row_estimate
from patentbridge_engine.ingest.pipeline import RowOutcome, iter_outcomes, read_rows
from patentbridge_engine.ingest.safety import FileLimits

FUZZ = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SRC = Path(__file__).resolve().parents[2] / "src"
CSV_HEAD = "申请号,专利名称,申请日\n"
GOOD_ROW = "202310123456.6,一种电池装置,2023-05-01\n"


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _outcomes(path: Path, fmt: str) -> list[RowOutcome]:
    return list(iter_outcomes(read_rows(path, fmt)))


@contextmanager
def _file(data: bytes, name: str) -> Iterator[Path]:
    """A temporary file per example (hypothesis forbids function-scoped tmp_path reuse)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        yield path


def _read_all_or_refuse(data: bytes, name: str, fmt: str) -> None:
    """The only exception a reader may raise is InputFormatError, with a Chinese message."""
    with _file(data, name) as path:
        try:
            outcomes = _outcomes(path, fmt)
        except InputFormatError as exc:
            assert _cjk(str(exc)), str(exc)
            return
        for outcome in outcomes:
            assert outcome.record is not None or all(_cjk(i.reason) for i in outcome.issues)
            # PostgreSQL stores no NUL in text or JSON: none may reach the writer.
            assert "\\x00" not in repr(outcome)


# --- #a: DOCTYPE handling is linear, entities stay refused -----------------------------------


def test_unclosed_doctype_of_640_kb_parses_without_backtracking() -> None:
    """A 640 KB DOCTYPE that never closes is refused at once (the old regex took ~20 minutes).

    Run in a subprocess with a 60 s ceiling as a hang guard only; the timings are in
    bench/results/hostile_files.json.
    """
    script = (
        "from patentbridge_engine.ingest.cnipa_xml import parse_cnipa_xml\n"
        "from patentbridge_engine.errors import InputFormatError\n"
        "for tail in (b'', b'[', b'[ ]'):\n"
        "    data = b'<?xml version=\"1.0\"?><!DOCTYPE' + b' ' * 655360 + tail\n"
        "    try:\n"
        "        parse_cnipa_xml(data, 'x.xml')\n"
        "    except InputFormatError:\n"
        "        pass\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=SRC, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize(
    "document",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b"<cn-application-body><cn-abstract>&lol3;</cn-abstract></cn-application-body>",
        # XXE, with a "]" inside an entity value so the declaration is not stripped
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "]"> <!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<cn-application-body><cn-abstract>&e;</cn-abstract></cn-application-body>",
        # XXE in a plain internal subset
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<cn-application-body><cn-abstract>&e;</cn-abstract></cn-application-body>",
        # external parameter entity
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "]"> <!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>'
        b"<cn-application-body/>",
    ],
)
def test_entity_attacks_are_refused(tmp_path: Path, document: bytes) -> None:
    """Billion laughs, XXE and parameter entities never expand: the file becomes a rejected row."""
    path = tmp_path / "2018103922220_100001.xml"
    path.write_bytes(document)
    outcomes = _outcomes(path, "xml")
    assert len(outcomes) == 1 and outcomes[0].record is None
    reason = outcomes[0].issues[0].reason
    assert "XML 无法解析" in reason and "root:" not in reason


def test_cnipa_doctype_with_dtd_path_still_parses(tmp_path: Path) -> None:
    """The real CNIPA prologue (SYSTEM DTD that is not shipped) is stripped and the body read."""
    path = tmp_path / "2018103922220_100001.xml"
    path.write_bytes(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE cn-application-body SYSTEM "cn-application-body-v1-0.dtd" [ ]  >\n'
        "<cn-application-body><cn-abstract><p>一种热泵</p></cn-abstract></cn-application-body>".encode()
    )
    (outcome,) = _outcomes(path, "xml")
    assert outcome.record is not None and outcome.record.abstract == "一种热泵"


def test_deeply_nested_xml_is_read_without_recursion(tmp_path: Path) -> None:
    """50,000 nested elements inside the abstract are flattened to text, with no RecursionError."""
    path = tmp_path / "2018103922220_100001.xml"
    path.write_bytes(
        b"<cn-application-body><cn-abstract>" + b"<b>" * 50_000 + b"x" + b"</b>" * 50_000 + b"</cn-abstract>"
        b"</cn-application-body>"
    )
    (outcome,) = _outcomes(path, "xml")
    assert outcome.record is not None and outcome.record.abstract == "x"


# --- #b: XLSX limits are checked before openpyxl parses anything ------------------------------


def test_shared_strings_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    """A 300 MB sharedStrings.xml (0.3 MB on disk) is refused by both inspection and the reader."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(shared_strings_bomb())
    assert path.stat().st_size < 2 << 20
    with pytest.raises(InputFormatError, match=r"压缩比异常|共享字符串表过大"):
        inspect_file(path, "xlsx")
    with pytest.raises(InputFormatError, match=r"压缩比异常|共享字符串表过大"):
        _outcomes(path, "xlsx")


def test_each_xlsx_limit_applies_on_its_own(tmp_path: Path) -> None:
    """Total size, per-member ratio and shared-strings size are separate limits."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(shared_strings_bomb(8))
    lax = FileLimits(max_ratio=10**9)
    with pytest.raises(InputFormatError, match="压缩比异常"):
        inspect_file(path, "xlsx", FileLimits(max_shared_strings_bytes=1 << 40))
    with pytest.raises(InputFormatError, match="共享字符串表过大"):
        inspect_file(path, "xlsx", FileLimits(max_ratio=10**9, max_shared_strings_bytes=1 << 20))
    with pytest.raises(InputFormatError, match="解压后过大"):
        inspect_file(path, "xlsx", FileLimits(max_ratio=10**9, max_unpacked_bytes=1 << 20))
    assert inspect_file(path, "xlsx", lax) == 1


def test_xlsx_row_estimate_reads_the_dimension_only(tmp_path: Path) -> None:
    """The row estimate comes from the first sheet's <dimension>, header excluded."""
    path = tmp_path / "a.xlsx"
    path.write_bytes(small_xlsx([["申请号", "专利名称"], *[[f"20231012345{i}.6", "x"] for i in range(7)]]))
    assert xlsx_row_estimate(path) == 7


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really", "申请号\n1\n".encode(), b"\x00" * 300])
def test_non_zip_xlsx_is_an_input_format_error(tmp_path: Path, content: bytes) -> None:
    """A file named .xlsx that is no ZIP archive is refused with a Chinese reason."""
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputFormatError, match="不是有效的 Excel"):
        inspect_file(path, "xlsx")
    with pytest.raises(InputFormatError, match="不是有效的 Excel"):
        _outcomes(path, "xlsx")


# --- #d: deep nesting and oversized values ----------------------------------------------------


def test_deeply_nested_json_is_an_input_format_error(tmp_path: Path) -> None:
    """100,000 nested arrays exceed the interpreter's stack: a Chinese error, not RecursionError."""
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputFormatError, match="嵌套层级过深"):
        _outcomes(path, "json")


def test_json_elements_nested_past_the_bound_are_rejected_one_by_one(tmp_path: Path) -> None:
    """An element nested 200 levels deep (below the stack limit) is one rejected row; others import."""
    deep: Any = "x"
    for _ in range(200):
        deep = {"k": deep}
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([{"申请号": "202310123456.6"}, {"申请号": "202310123457.0", "备注": deep}]))
    first, second = _outcomes(path, "json")
    assert first.record is not None
    assert second.record is None and "嵌套层级超过" in second.issues[0].reason


def test_jsonl_hostile_lines_are_rejected_per_line(tmp_path: Path) -> None:
    """A deep line, a 5,000-digit number and a broken line are three rejections; the good line imports."""
    path = tmp_path / "a.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"申请号": "202310123456.6"}),
                "[" * 100_000 + "]" * 100_000,
                '{"申请号": ' + "9" * 5000 + "}",
                '{"申请号": ',
            ]
        )
    )
    outcomes = _outcomes(path, "jsonl")
    assert [o.record is not None for o in outcomes] == [True, False, False, False]
    assert all(_cjk(o.issues[0].reason) for o in outcomes[1:])


# --- #e: one bad byte rejects one row, not the file -------------------------------------------


def test_one_bad_byte_in_utf8_csv_rejects_only_its_row(tmp_path: Path) -> None:
    """A UTF-8 file with one stray byte stays UTF-8; that row is rejected with field and reason."""
    rows = [f"2023101234{i:02d}.{0},一种电池装置{i},2023-05-01\n" for i in range(30)]
    body = CSV_HEAD.encode() + b"".join(r.encode() for r in rows)
    bad = body.replace("一种电池装置3,".encode(), "一种电池装置3".encode() + b"\xff,", 1)
    path = tmp_path / "a.csv"
    path.write_bytes(bad)
    assert detect_encoding(path) == "utf-8-sig"
    outcomes = _outcomes(path, "csv")
    rejected = [o for o in outcomes if any("编码" in i.reason for i in o.issues)]
    assert len(outcomes) == 30 and len(rejected) == 1
    assert rejected[0].row_number == 5 and rejected[0].issues[0].field == "title"


def test_nul_characters_reject_their_row_and_never_reach_the_writer(tmp_path: Path) -> None:
    """A NUL in a CSV cell, a header or a JSON string becomes U+FFFD: that row is rejected, no NUL survives."""
    csv_path = tmp_path / "nul.csv"
    header = CSV_HEAD.replace("\n", ",备\x00注\n")
    csv_path.write_text(header + GOOD_ROW.replace("\n", ",x\n") + GOOD_ROW.replace("一种", "一\x00种"))
    json_path = tmp_path / "nul.json"
    json_path.write_text(json.dumps([{"申请号": "202310123456.6", "专利名称": "一\u0000种"}]))
    csv_outcomes = _outcomes(csv_path, "csv")
    (json_outcome,) = _outcomes(json_path, "json")
    assert [o.record is not None for o in csv_outcomes] == [True, False]
    assert json_outcome.record is None and "编码" in json_outcome.issues[0].reason
    assert "\\x00" not in repr([*csv_outcomes, json_outcome])


def test_gbk_csv_is_still_detected(tmp_path: Path) -> None:
    """A real GBK export (few Chinese characters included) is still read as GB18030."""
    path = tmp_path / "g.csv"
    path.write_bytes((CSV_HEAD + GOOD_ROW).encode("gbk"))
    assert detect_encoding(path) == "gb18030"
    (outcome,) = _outcomes(path, "csv")
    assert outcome.record is not None and outcome.record.title == "一种电池装置"


def test_sample_cut_inside_a_character_is_not_a_bad_byte(tmp_path: Path) -> None:
    """A UTF-8 character split by the 1 MB sample boundary does not count against UTF-8."""
    path = tmp_path / "long.csv"
    path.write_bytes(CSV_HEAD.encode() + ("专" * 400_000).encode())
    assert detect_encoding(path) == "utf-8-sig"


# --- #g: property-based fuzzing of every reader -----------------------------------------------

_FORMATS = [
    ("a.csv", "csv"),
    ("a.xlsx", "xlsx"),
    ("a.json", "json"),
    ("a.jsonl", "jsonl"),
    ("2018103922220_1.xml", "xml"),
]


@FUZZ
@given(data=st.binary(max_size=4096), fmt=st.sampled_from(_FORMATS))
def test_random_bytes_never_escape_as_other_exceptions(data: bytes, fmt: tuple[str, str]) -> None:
    """Random bytes in any format: InputFormatError or per-row rejections, nothing else."""
    _read_all_or_refuse(data, *fmt)


_cell = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.sampled_from(["202310123456.6", "2023-02-30", "H01M10/0525;坏", "=1+1", "\ufffd"]),
)
_json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)
_headers = st.lists(
    st.sampled_from(["申请号", "专利名称", "申请日", "IPC分类号", "申请人", "法律状态", "APN", "LEGAL", "x"]),
    min_size=1,
    max_size=6,
)


@FUZZ
@given(headers=_headers, rows=st.lists(st.lists(_cell, max_size=8), max_size=6))
def test_random_csv_tables(headers: list[str], rows: list[list[Any]]) -> None:
    """Random tables written as CSV read to outcomes or a Chinese file error."""
    lines = [",".join(headers)] + [",".join("" if c is None else str(c) for c in row) for row in rows]
    _read_all_or_refuse("\n".join(lines).encode(), "a.csv", "csv")


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=_headers,
    rows=st.lists(
        st.lists(_cell.filter(lambda c: not isinstance(c, str) or c.isprintable()), max_size=6), max_size=5
    ),
    flip=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=3),
)
def test_random_xlsx_workbooks_and_corruptions(
    headers: list[str], rows: list[list[Any]], flip: list[tuple[int, int]]
) -> None:
    """Random workbooks, optionally with flipped bytes, read to outcomes or a Chinese file error."""
    data = bytearray(small_xlsx([headers, *rows]))
    for offset, value in flip:
        data[offset % len(data)] = value
    _read_all_or_refuse(bytes(data), "a.xlsx", "xlsx")


@FUZZ
@given(
    value=_json_value,
    records=st.lists(st.dictionaries(st.sampled_from(["申请号", "APN", "LEGAL", "名称"]), _json_value)),
)
def test_random_json_and_jsonl_structures(value: Any, records: list[dict[str, Any]]) -> None:
    """Any JSON value as a file, and any records as JSONL, read to outcomes or a Chinese file error."""
    _read_all_or_refuse(json.dumps(value).encode(), "a.json", "json")
    _read_all_or_refuse(json.dumps(records).encode(), "a.json", "json")
    _read_all_or_refuse("\n".join(json.dumps(r) for r in records).encode(), "a.jsonl", "jsonl")


_xml_tag = st.sampled_from(
    ["cn-application-body", "cn-claims", "claim", "description", "invention-title", "cn-abstract", "p"]
)


@st.composite
def _xml_tree(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(_xml_tag)
    text = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10))
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    children = draw(st.lists(_xml_tree(depth + 1), max_size=3)) if depth < 4 else []
    return f"<{tag}>{text}{''.join(children)}</{tag}>"


@FUZZ
@given(
    body=_xml_tree(),
    prologue=st.sampled_from(
        ["", "<!DOCTYPE cn-application-body SYSTEM 'a.dtd'>", "<!DOCTYPE x [", "<!DOCTYPE"]
    ),
)
def test_random_xml_documents(body: str, prologue: str) -> None:
    """Random CNIPA-like element trees, with odd prologues, give a record or a rejected row."""
    _read_all_or_refuse(f'<?xml version="1.0"?>{prologue}{body}'.encode(), "2018103922220_1.xml", "xml")
