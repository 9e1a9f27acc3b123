"""Files in, rows out: CNIPA XML field extraction, DOCTYPE stripping, encoding detection, CSV/JSON
reader details, resumable outcome streams, row estimates and inline chunk production.

Invariants protected:
- the CNIPA fixtures (real public documents) yield their bibliographic facts, and a grant-kind
  document is a grant while an A document is only published;
- every file problem surfaces as InputFormatError or a numbered per-row rejection;
- encoding detection keeps UTF-8 for UTF-8 (even with a stray byte) and falls back to GB18030;
- resuming after row N yields exactly the rows after N, in chunks of the requested size.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.classify import load_chain_config
from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest import detect_encoding, iter_outcomes, parse_cnipa_xml, read_rows
from patentbridge_engine.ingest.cnipa_xml import read_xml_files, strip_doctype
from patentbridge_engine.ingest.encoding import utf8_evidence
from patentbridge_engine.ingest.inspect import estimate_rows, inspect_file
from patentbridge_engine.ingest.pipeline import detect_format, header_report
from patentbridge_engine.ingest.producer import prepared_chunks
from patentbridge_engine.ingest.readers import read_csv, read_json, table_headers

FIXTURES = Path(__file__).parent / "fixtures"
FULLTEXT = FIXTURES / "CN102010000298420CN00001019453140BFULZH20190802CN00D.XML"
NS = 'xmlns:base="http://www.sipo.gov.cn/XMLSchema/base" xmlns:business="http://www.sipo.gov.cn/XMLSchema/business"'


# --- CNIPA XML ----------------------------------------------------------------------------------------


def test_fulltext_fixture_bibliography() -> None:
    """The real grant document yields its numbers, dates, parties, address, IPC, citations and claims."""
    values = parse_cnipa_xml(FULLTEXT.read_bytes(), FULLTEXT.name)
    assert values["application_number"] == "201010298420.4"
    assert values["publication_number"] == "CN101945314B"
    assert (values["filing_date"], values["publication_date"], values["grant_date"]) == (
        "20101002",
        "20190802",
        "20190802",
    )
    assert values["legal_status"] == "授权"
    assert values["applicants"] == ["广州市智专信息科技有限公司"] and values["inventors"] == ["张沈平"]
    assert values["applicant_address"].startswith("510000 广东省广州")
    assert values["ipc"] == ["G06F 13/12 (2006.01)"]
    assert values["citations"] == ["CN1719946A"]
    claims = values["claims"].split("\n")
    assert values["claims_count"] == len(claims) == 7 and values["main_claim"] == claims[0]
    assert all(claim[0].isdigit() for claim in claims)


def test_application_body_fixtures_are_keyed_by_file_name() -> None:
    """Application parts carry no number inside: the 13-digit file-name prefix is the number."""
    claims = FIXTURES / "2018103922220_100001_DA000164371417.xml"
    abstract = FIXTURES / "2018103922220_100004_DA000164371420.xml"
    first = parse_cnipa_xml(claims.read_bytes(), claims.name)
    second = parse_cnipa_xml(abstract.read_bytes(), abstract.name)
    assert first["application_number"] == second["application_number"] == "2018103922220"
    assert first["claims_count"] == 7 and first["main_claim"].startswith("一种血液灌流器的密封检测装置")
    assert "abstract" not in first and "claims" not in second
    assert second["abstract"].startswith("本发明提供了一种血液灌流器的密封检测装置")
    assert "\n" not in second["abstract"]  # <br/> line breaks become single spaces


def _fulltext(kind: str, ipc: str = "", extra: str = "") -> bytes:
    classification = ipc or (
        "<business:ClassificationIPCRDetails><business:ClassificationIPCR>"
        "<base:Text>H01M 10/0525 (2010.01)</base:Text></business:ClassificationIPCR>"
        "</business:ClassificationIPCRDetails>"
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><business:PatentDocumentAndRelated {NS}>'
        "<business:BibliographicData>"
        '<business:PublicationReference dataFormat="original"><base:DocumentID>'
        f"<base:DocNumber>116000000</base:DocNumber><base:Kind>{kind}</base:Kind><base:Date>20230801</base:Date>"
        "</base:DocumentID></business:PublicationReference>"
        '<business:ApplicationReference dataFormat="original"><base:DocumentID>'
        "<base:DocNumber>202310123456.6</base:DocNumber><base:Date>20230301</base:Date>"
        "</base:DocumentID></business:ApplicationReference>"
        f"{classification}<business:InventionTitle>一种 电池</business:InventionTitle>{extra}"
        "</business:BibliographicData></business:PatentDocumentAndRelated>"
    ).encode()


@pytest.mark.parametrize(
    ("kind", "status", "granted"),
    [
        ("A", "公开", False),
        ("B", "授权", True),
        ("U", "授权", True),
        ("S", "授权", True),
        ("C", "授权", True),
        ("X", None, False),
    ],
)
def test_kind_code_decides_grant_and_status(kind: str, status: str | None, granted: bool) -> None:
    """B/C/U/Y/S documents are grants (grant date = publication date); A is published; others say nothing."""
    values = parse_cnipa_xml(_fulltext(kind))
    assert values.get("legal_status") == status
    assert ("grant_date" in values) is granted
    assert values["publication_number"] == f"CN116000000{kind}"
    assert values["ipc"] == ["H01M 10/0525 (2010.01)"] and values["title"] == "一种 电池"
    assert values["claims_count"] is None and values["applicants"] == []


def test_pre_ipcr_documents_use_their_legacy_classification() -> None:
    """Documents of IPC editions 1–7 carry MainClassification/FurtherClassification instead of IPCR."""
    legacy = (
        "<business:ClassificationIPC>"
        '<business:MainClassification dataFormat="original">H01M 10/40</business:MainClassification>'
        '<business:FurtherClassification dataFormat="original">H01M 4/58</business:FurtherClassification>'
        '<business:FurtherClassification dataFormat="standard">IGNORED</business:FurtherClassification>'
        "<business:Edition>7</business:Edition>"
        "</business:ClassificationIPC>"
    )
    assert parse_cnipa_xml(_fulltext("B", ipc=legacy))["ipc"] == ["H01M 10/40", "H01M 4/58"]


def test_fulltext_outcome_goes_through_validation(tmp_path: Path) -> None:
    """A constructed A document becomes a published record with parsed dates and a canonical IPC."""
    path = tmp_path / "doc.xml"
    path.write_bytes(_fulltext("A"))
    [outcome] = list(iter_outcomes(read_rows(path)))
    record = outcome.record
    assert record is not None and outcome.label == "doc.xml"
    assert record.application_number == "202310123456.6" and record.stated_status == "published"
    assert record.filing_date == dt.date(2023, 3, 1) and record.grant_date is None
    assert record.ipc == ["H01M10/0525"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<root/>", "", "不支持的 XML 根元素"),
        (f"<business:PatentDocumentAndRelated {NS}/>".encode(), "", "BibliographicData"),
        (b"<cn-application-body/>", "claims.xml", "文件名应以申请号开头"),
        (b"<cn-application-body/>", "1234567_x.xml", "文件名应以申请号开头"),
        (b"<unclosed>", "", "XML 无法解析"),
        (b"", "", "XML 无法解析"),
    ],
)
def test_unusable_documents_raise_input_format_error(data: bytes, name: str, message: str) -> None:
    """Unknown roots, missing bibliography, unnamed application parts and broken XML are refused in Chinese."""
    with pytest.raises(InputFormatError, match=message):
        parse_cnipa_xml(data, name)


@pytest.mark.parametrize(
    "name", ["88100123_claims.xml", "881001234.xml", "2018103922220.xml", "201810392222_a.xml"]
)
def test_application_part_names_old_and_new(name: str) -> None:
    """8/9-digit (old) and 12/13-digit (new) numbers lead a part's file name, before _ or ."""
    values = parse_cnipa_xml(
        "<cn-application-body><cn-abstract><p>摘要</p></cn-abstract></cn-application-body>".encode(), name
    )
    assert name.startswith(values["application_number"]) and values["abstract"] == "摘要"


def test_directory_rows_are_numbered_and_labelled(tmp_path: Path) -> None:
    """One row per XML file, in the order given; an unreadable file is an error row, not a crash."""
    good = tmp_path / "good.xml"
    good.write_bytes(_fulltext("B"))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<x>")
    missing = tmp_path / "missing.xml"
    rows = list(read_xml_files([good, broken, missing]))
    assert [(r.row_number, r.label) for r in rows] == [(1, "good.xml"), (2, "broken.xml"), (3, "missing.xml")]
    assert "application_number" in rows[0].values
    assert "XML" in rows[1].values["__error__"] and rows[2].values["__error__"]


# --- DOCTYPE stripping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<a/>", b"<a/>"),
        (b'<!DOCTYPE a SYSTEM "x.dtd"><a/>', b"<a/>"),
        (b"<?xml version='1.0'?>\n<!DOCTYPE a []><a/>", b"<?xml version='1.0'?>\n<a/>"),
        (b"<!DOCTYPE a [<!ELEMENT a ANY>]  \n><a/>", b"<a/>"),
        (b"<!DOCTYPE a [<!ELEMENT a ANY>", b"<!DOCTYPE a [<!ELEMENT a ANY>"),  # subset never closes
        (b"<!DOCTYPE a [] x><a/>", b"<!DOCTYPE a [] x><a/>"),  # junk after the subset
        (b"<!DOCTYPE a", b"<!DOCTYPE a"),
        (b"<!DOCTYPE a><!DOCTYPE b><a/>", b"<!DOCTYPE b><a/>"),  # only the first declaration
    ],
)
def test_strip_doctype_cases(data: bytes, expected: bytes) -> None:
    """A complete declaration (with internal subset) is cut out; an incomplete one is left for the parser."""
    assert strip_doctype(data) == expected


@given(st.binary(max_size=200))
def test_strip_doctype_only_removes_one_contiguous_span(data: bytes) -> None:
    """Property: the result is the input with at most one contiguous slice removed, starting at the
    first '<!DOCTYPE'; input without a declaration is returned unchanged."""
    result = strip_doctype(data)
    if b"<!DOCTYPE" not in data:
        assert result == data
        return
    start = data.find(b"<!DOCTYPE")
    assert result[:start] == data[:start]
    tail = len(result) - start
    assert data.endswith(result[start:]) and tail <= len(data) - start


# --- encodings -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "evidence"),
    [
        (b"", (0, 0)),
        (b"ascii only", (0, 0)),
        ("中文".encode(), (2, 0)),
        ("中文".encode("gbk"), (0, 4)),  # four GBK bytes, each an invalid UTF-8 start
        (b"\xff", (0, 1)),
        ("\ufffd".encode(), (0, 0)),  # a real U+FFFD in the file is neither valid nor invalid
        ("专利".encode() + b"\xff" + "名称".encode(), (4, 1)),
    ],
)
def test_utf8_evidence_counts(sample: bytes, evidence: tuple[int, int]) -> None:
    """(valid non-ASCII characters, invalid sequences) as UTF-8, hand-counted."""
    assert utf8_evidence(sample) == evidence


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (b"", "utf-8-sig"),
        (b"application_number,title\n1,x\n", "utf-8-sig"),
        (codecs.BOM_UTF8 + "申请号".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "申请号".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "申请号".encode("utf-16-be"), "utf-16"),
        ("申请号,专利名称\n".encode("gbk"), "gb18030"),
        ("申请号,专利名称,一种电池\n".encode() + b"\xff", "utf-8-sig"),  # 11 valid to 1 invalid
        ("申请号".encode() + b"\xff\xfe", "gb18030"),  # 3 valid to 2 invalid
    ],
)
def test_encoding_decisions(tmp_path: Path, content: bytes, encoding: str) -> None:
    """BOMs decide; otherwise UTF-8 needs eight valid characters per invalid sequence, else GB18030."""
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    assert detect_encoding(path) == encoding


def test_utf16_export_reads_like_utf8(tmp_path: Path) -> None:
    """A UTF-16 CSV (Excel's "Unicode text") reads to the same records."""
    path = tmp_path / "u16.csv"
    path.write_bytes("申请号\t专利名称\n202310123456.6\t一种电池\n".encode("utf-16"))
    [outcome] = list(iter_outcomes(read_rows(path)))
    assert outcome.record is not None and outcome.record.title == "一种电池"


# --- CSV and JSON reader details ---------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiter_is_taken_from_the_header_line(tmp_path: Path, delimiter: str) -> None:
    """Comma, tab and semicolon files are split by the delimiter their header uses most."""
    path = tmp_path / "d.csv"
    path.write_text(
        delimiter.join(["申请号", "专利名称", "申请人"])
        + "\n"
        + delimiter.join(["202310123456.6", "一种电池", "甲"])
        + "\n",
        encoding="utf-8",
    )
    [row] = list(read_csv(path))
    assert row.values == {"申请号": "202310123456.6", "专利名称": "一种电池", "申请人": "甲"}


def test_quoted_line_breaks_stay_in_their_cell(tmp_path: Path) -> None:
    """A claim text with line breaks inside quotes is one cell; rows are numbered as a spreadsheet shows."""
    path = tmp_path / "q.csv"
    path.write_text(
        '申请号,主权项\n202310123456.6,"1.一种电池，\n其特征在于……"\n202320123456.1,短\n', encoding="utf-8"
    )
    rows = list(read_csv(path))
    assert [r.row_number for r in rows] == [2, 3]
    assert rows[0].values["主权项"] == "1.一种电池，\n其特征在于……"


def test_short_rows_and_empty_files(tmp_path: Path) -> None:
    """A row with fewer cells than headers lacks those keys; an empty file or a blank header is refused."""
    path = tmp_path / "s.csv"
    path.write_text("申请号,专利名称,申请人\n202310123456.6\n", encoding="utf-8")
    [row] = list(read_csv(path))
    assert row.values == {"申请号": "202310123456.6"}
    for content in ("", "\n\n", "   \n202310123456.6\n"):
        empty = tmp_path / "e.csv"
        empty.write_text(content, encoding="utf-8")
        with pytest.raises(InputFormatError, match="为空"):
            list(read_csv(empty))


@pytest.mark.parametrize("key", ["data", "patents", "records"])
def test_json_objects_with_a_record_list(tmp_path: Path, key: str) -> None:
    """Exports wrap the record array under data, patents or records; positions are row numbers."""
    path = tmp_path / "w.json"
    path.write_text(json.dumps({key: [{"application_number": "202310123456.6"}, 5]}), encoding="utf-8")
    rows = list(read_json(path))
    assert [r.row_number for r in rows] == [1, 2]
    assert rows[0].values == {"application_number": "202310123456.6"}
    assert "不是 JSON 对象" in rows[1].values["__error__"]


@pytest.mark.parametrize("content", ['{"total": 3}', "42", '"text"', "{broken", '{"data": {"a": 1}}'])
def test_json_without_a_record_array_is_a_file_error(tmp_path: Path, content: str) -> None:
    """A JSON file that holds no array of records is refused as a whole, in Chinese."""
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFormatError, match="JSON"):
        list(read_json(path))


def test_table_headers_union_in_first_seen_order(tmp_path: Path) -> None:
    """JSON records need not share keys: the header list is their union, internal markers excluded."""
    path = tmp_path / "u.json"
    path.write_text(json.dumps([{"b": 1, "a": 2}, {"c": 3, "a": 4}, 7]), encoding="utf-8")
    assert table_headers(list(read_json(path))) == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.tsv", "csv"),
        ("a.TXT", "csv"),
        ("a.xlsm", "xlsx"),
        ("a.xls", "xls"),
        ("a.XML", "xml"),
        ("a.json", "json"),
        ("a.jsonl", "jsonl"),
    ],
)
def test_format_from_extension(tmp_path: Path, name: str, fmt: str) -> None:
    """File extensions (any case) choose the reader."""
    assert detect_format(tmp_path / name) == fmt


def test_unknown_format_name_is_refused(tmp_path: Path) -> None:
    """Asking for a reader that does not exist is a file error, not a crash."""
    path = tmp_path / "a.csv"
    path.write_text("申请号\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="不支持的格式"):
        read_rows(path, "pdf")


# --- outcome streams ----------------------------------------------------------------------------------------


def _csv(tmp_path: Path, rows: int) -> Path:
    from patentbridge_engine.ids import app_check_char

    path = tmp_path / "n.csv"
    lines = ["申请号,专利名称"]
    for n in range(rows):
        digits = f"2023101{n:05d}"
        lines.append(f"{digits}.{app_check_char(digits)},专利{n}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("start_after", [0, 1, 5, 11, 12, 100])
def test_resume_yields_exactly_the_rows_after(tmp_path: Path, start_after: int) -> None:
    """start_after=N skips rows numbered ≤ N (header = 1) and nothing else."""
    path = _csv(tmp_path, 11)  # rows 2..12
    numbers = [o.row_number for o in iter_outcomes(read_rows(path), start_after=start_after)]
    assert numbers == [n for n in range(2, 13) if n > start_after]


def test_error_rows_become_outcomes_with_their_reason(tmp_path: Path) -> None:
    """A JSONL line that cannot be read is an outcome carrying the reader's message, in sequence."""
    path = tmp_path / "e.jsonl"
    path.write_text('{"application_number": "202310123456.6"}\n[1, 2]\n', encoding="utf-8")
    outcomes = list(iter_outcomes(read_rows(path)))
    assert [o.row_number for o in outcomes] == [1, 2]
    assert outcomes[1].record is None and outcomes[1].issues[0].field == "row"
    assert "JSON 对象" in outcomes[1].issues[0].reason


def test_header_report_for_json_and_broken_files(tmp_path: Path) -> None:
    """The pre-import header report reads the first record; a file that cannot be read gives None."""
    path = tmp_path / "h.json"
    path.write_text(
        json.dumps([{"PN": "CN1B", "APN": "CN201910834751.6", "LEGAL": ["3"], "神秘": 1}]), encoding="utf-8"
    )
    report = header_report(path)
    assert report is not None
    assert report.fields["APN"] == "application_number" and report.fields["法律状态"] == "legal_status"
    assert report.unmapped == ("神秘",)
    broken = tmp_path / "b.json"
    broken.write_text("{", encoding="utf-8")
    assert header_report(broken) is None


# --- row estimates ------------------------------------------------------------------------------------------


def test_row_estimates_per_format(tmp_path: Path) -> None:
    """CSV: lines minus the header; JSONL: lines; HTML-table XLS: <tr> minus the header; XML: files."""
    assert estimate_rows(_csv(tmp_path, 11), "csv") == 11
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text("{}\n{}\n{}\n", encoding="utf-8")
    assert estimate_rows(jsonl, "jsonl") == 3
    xls = tmp_path / "r.xls"
    xls.write_text(
        "<table><TR><td>申请号</td></TR><tr><td>1</td></tr><tr><td>2</td></tr></table>", encoding="utf-8"
    )
    assert estimate_rows(xls, "xls") == 2
    folder = tmp_path / "xml"
    folder.mkdir()
    for name in ("a.xml", "b.XML", "c.txt"):
        (folder / name).write_text("<a/>", encoding="utf-8")
    assert estimate_rows(folder, "xml") == 2
    assert estimate_rows(folder / "a.xml", "xml") == 1
    assert estimate_rows(jsonl, "unknown") is None
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert estimate_rows(empty, "csv") == 0


def test_inspection_never_fails_on_an_unreadable_estimate(tmp_path: Path) -> None:
    """The estimate only drives a progress bar: a missing file gives None, not an error."""
    assert inspect_file(tmp_path / "gone.csv", "csv") is None
    assert inspect_file(_csv(tmp_path, 3), "csv") == 3


# --- inline chunk production -------------------------------------------------------------------------------


def _chunks(path: Path, start_after: int, size: int) -> list[list[int]]:
    chunks = prepared_chunks(
        path,
        "csv",
        {},
        start_after=start_after,
        size=size,
        chain_config=load_chain_config(),
        as_of=dt.date(2026, 1, 1),
        parallel=False,
    )
    return [[row.outcome.row_number for row in chunk] for chunk in chunks]


@pytest.mark.parametrize(
    ("start_after", "size", "expected"),
    [
        (0, 4, [[2, 3, 4, 5], [6, 7, 8, 9], [10, 11]]),
        (0, 10, [[2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]),
        (0, 100, [[2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]),
        (5, 4, [[6, 7, 8, 9], [10, 11]]),
        (9, 4, [[10, 11]]),
        (11, 4, []),
        (50, 4, []),
    ],
)
def test_chunks_cover_the_rest_of_the_file_once(
    tmp_path: Path, start_after: int, size: int, expected: list[list[int]]
) -> None:
    """Chunks hold ``size`` rows (the last the remainder), start after the resume point, never repeat."""
    assert _chunks(_csv(tmp_path, 10), start_after, size) == expected


def test_prepared_rows_carry_derived_values_and_classes(tmp_path: Path) -> None:
    """Accepted rows come with derived values and classification rows; rejected rows with neither."""
    path = tmp_path / "p.csv"
    path.write_text(
        "申请号,专利名称,分类号,申请日,专利类型\n"
        "202310123456.6,一种锂离子电池,H01M10/0525,2023-05-01,发明\n"
        "202310123456.5,校验位错,H01M10/0525,2023-05-01,发明\n",
        encoding="utf-8",
    )
    [chunk] = prepared_chunks(
        path,
        "csv",
        {},
        start_after=0,
        size=10,
        chain_config=load_chain_config(),
        as_of=dt.date(2026, 1, 1),
        parallel=False,
    )
    good, bad = chunk
    assert good.derived is not None and good.derived.expiry_date == dt.date(2043, 4, 30)
    assert ("ipc", "H01M") in {(c[0], c[1]) for c in good.classes}
    assert bad.outcome.record is None and bad.derived is None and not bad.classes
