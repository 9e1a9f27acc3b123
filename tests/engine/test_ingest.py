"""Readers, header mapping, validation and merging of imported rows."""

import datetime as dt
import json

import pytest
from openpyxl import Workbook

from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest import detect_encoding, iter_outcomes, map_headers, read_rows
from patentbridge_engine.ingest.merge import derive, merge_fields
from patentbridge_engine.ingest.record import PatentRecord
from patentbridge_engine.ingest.values import parse_date, parse_int, split_list


def _outcomes(path, **kw):
    return list(iter_outcomes(read_rows(path), **kw))


def test_real_61_column_export_reads_every_row(tmp_path, sample_csv_text):
    """All 10 real rows become records with numbers, type, IPC, status and region code."""
    path = tmp_path / "export.csv"
    path.write_text(sample_csv_text, encoding="utf-8")
    outcomes = _outcomes(path)
    assert len(outcomes) == 10 and all(o.record for o in outcomes)
    first = outcomes[0].record
    assert first.application_number == "202223220665.2"
    assert first.patent_type == "utility_model"
    assert first.ipc_main == "B64U20/80" and first.ipc == ["B64U20/80", "B64U101/30"]
    assert first.stated_status == "granted"
    assert first.filing_date == dt.date(2022, 12, 2)
    assert first.inventors[:2] == ["刘迪", "刘敏"]
    assert first.region_code == "河南(41)"
    assert [o.row_number for o in outcomes] == list(range(2, 12))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_are_detected(tmp_path, sample_csv_text, encoding):
    """UTF-8 with and without BOM, GBK and GB18030 all read to the same records."""
    path = tmp_path / f"export-{encoding}.csv"
    path.write_bytes(sample_csv_text.encode(encoding))
    expected = "gb18030" if encoding in ("gbk", "gb18030") else "utf-8-sig"
    assert detect_encoding(path) == expected
    records = [o.record for o in _outcomes(path)]
    assert records[0].title == "一种无人机机载多功能盒"
    assert len(records) == 10


def test_mixed_encoding_row_is_rejected_not_garbled(tmp_path):
    """A GBK line inside a UTF-8 file cannot be trusted: that row is rejected with a reason."""
    good = "申请号,专利名称\n202310123456.6,一种电池\n".encode()
    bad = "202320123456.1,一种灯具\n".encode("gbk")
    path = tmp_path / "mixed.csv"
    path.write_bytes(good + bad + b"x" * 10)
    (path.parent / "big.csv").write_bytes(good + b"\n" * (2 << 20) + bad)
    outcomes = _outcomes(path.parent / "big.csv")
    rejected = [o for o in outcomes if o.record is None]
    assert len(rejected) == 1 and "编码" in rejected[0].issues[0].reason


def test_rejections_name_row_field_and_reason(tmp_path):
    """Each bad row is rejected with its row number, the field and a Chinese reason; good rows pass."""
    path = tmp_path / "bad.csv"
    path.write_text(
        "申请号,专利名称,申请日,专利类型\n"
        "202310123456.6,好的记录,2023-05-01,发明\n"
        "202310123456.5,校验位错,2023-05-01,发明\n"
        ",没有申请号,2023-05-01,发明\n"
        "202320123456.1,日期错,2023-13-45,实用新型\n"
        "202320123456.1,类型不符,2023-01-01,发明\n"
        "202310123456.6,年份不符,2024-01-01,发明\n",
        encoding="utf-8",
    )
    outcomes = _outcomes(path)
    assert [o.record is not None for o in outcomes] == [True, False, False, False, False, False]
    reasons = {o.row_number: (o.issues[0].field, o.issues[0].reason) for o in outcomes if o.record is None}
    assert reasons[3][0] == "application_number" and "校验位" in reasons[3][1]
    assert reasons[4][0] == "application_number" and "缺少申请号" in reasons[4][1]
    assert reasons[5][0] == "filing_date" and "日期" in reasons[5][1]
    assert reasons[6][0] == "patent_type"
    assert reasons[7][0] == "filing_date" and "年份" in reasons[7][1]


def test_missing_number_column_is_a_file_error(tmp_path):
    """Without an application-number column no row can be keyed: the file is refused up front."""
    path = tmp_path / "nokey.csv"
    path.write_text("名称,摘要\n一种电池,摘要\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="申请号"):
        _outcomes(path)


def test_mapping_file_overrides_headers(tmp_path):
    """An operator's mapping names columns the vocabulary does not know, or ignores one."""
    path = tmp_path / "custom.csv"
    path.write_text("编号,技术名称,备注\n202310123456.6,一种电池,x\n", encoding="utf-8")
    [outcome] = _outcomes(path, overrides={"编号": "application_number", "技术名称": "title", "备注": ""})
    assert outcome.record.title == "一种电池"
    with pytest.raises(ValueError, match="字段名无效"):
        map_headers(["编号"], {"编号": "no_such_field"})


def test_header_folding_and_unmapped_report():
    """Width, brackets and spaces do not matter; unknown columns are reported."""
    mapped = map_headers(["公开 (公告) 号", "申请号", "神秘列"])
    assert mapped.fields == {"公开 (公告) 号": "publication_number", "申请号": "application_number"}
    assert mapped.unmapped == ("神秘列",)


def test_incopat_style_headers():
    """incoPat column names map onto the same fields."""
    mapped = map_headers(
        ["标题 (中文)", "摘要 (中文)", "申请号", "IPC主分类", "当前法律状态", "转让次数", "简单同族个数"]
    )
    assert set(mapped.fields.values()) == {
        "title",
        "abstract",
        "application_number",
        "ipc_main",
        "legal_status",
        "transfer_count",
        "family_size",
    }


def test_xlsx_reader_with_excel_dates(tmp_path):
    """XLSX rows keep spreadsheet row numbers; Excel date cells become dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["申请号", "专利名称", "申请日"])
    sheet.append(["202310123456.6", "一种电池", dt.datetime(2023, 5, 1)])
    sheet.append([None, None, None])
    sheet.append(["bad", "坏行", "2023-05-01"])
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    outcomes = _outcomes(path)
    assert [(o.row_number, o.record is not None) for o in outcomes] == [(2, True), (4, False)]
    assert outcomes[0].record.filing_date == dt.date(2023, 5, 1)


def test_jsonl_reader_reports_broken_lines(tmp_path):
    """A line that is not JSON is rejected with its line number; others import."""
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"application_number": "202310123456.6", "title": "一种电池"}, ensure_ascii=False)
        + "\n{oops\n",
        encoding="utf-8",
    )
    outcomes = _outcomes(path)
    assert outcomes[0].record and outcomes[1].record is None and outcomes[1].row_number == 2
    assert "JSON" in outcomes[1].issues[0].reason


def test_patsnap_json_codes_and_grant_dates(tmp_path):
    """PatSnap LEGAL code 3 means granted; a B publication's date is the grant date."""
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(
            [
                {
                    "PN": "CN110513902B",
                    "APN": "CN201910834751.6",
                    "TITLE": "热泵",
                    "ABSTRACT": "提高#imgabs0#效率",
                    "ANCS": ["天津商业大学"],
                    "APD": "2019-09-05",
                    "PBD": "2024-02-20",
                    "IPCR": ["F25B1/10"],
                    "LEGAL": ["3", "75"],
                }
            ],
            ensure_ascii=False,
        )
    )
    [outcome] = _outcomes(path)
    record = outcome.record
    assert record.stated_status == "granted" and record.grant_date == dt.date(2024, 2, 20)
    assert record.abstract == "提高效率"
    assert record.applicants == ["天津商业大学"]


def test_cnipa_fulltext_xml(fixtures_dir):
    """Bibliography, IPC, applicants, inventors, claims and citations come out of the XML."""
    [outcome] = _outcomes(fixtures_dir / "CN102010000298420CN00001019453140BFULZH20190802CN00D.XML")
    record = outcome.record
    assert record.application_number == "201010298420.4"
    assert record.publication_number == "CN101945314B" and record.grant_number == "CN101945314B"
    assert record.ipc == ["G06F13/12"]
    assert record.applicants == ["广州市智专信息科技有限公司"]
    assert record.title == "一种耳机、相应的音源设备以及控制方法"
    assert record.main_claim.startswith("1.一种耳机") and record.claims_count and record.claims_count >= 5
    assert record.citations and record.citations[0].startswith("CN1719946")


def test_cnipa_application_bodies_share_a_number(fixtures_dir, tmp_path):
    """Application-body parts are keyed by the number in their file name."""
    outcomes = _outcomes(fixtures_dir)
    bodies = [o for o in outcomes if o.label.startswith("2018103922220")]
    assert {o.record.application_number for o in bodies} == {"201810392222.0"}
    assert any(o.record.claims for o in bodies) and any(o.record.abstract for o in bodies)
    broken = tmp_path / "x.xml"
    broken.write_text("<not-closed>", encoding="utf-8")
    [bad] = _outcomes(broken)
    assert bad.record is None and "XML" in bad.issues[0].reason


def test_xml_entity_expansion_is_refused(tmp_path):
    """Uploaded XML cannot expand entities (billion laughs)."""
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', encoding="utf-8")
    [outcome] = _outcomes(path)
    assert outcome.record is None


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("20221202", dt.date(2022, 12, 2)),
        ("2022/12/2", dt.date(2022, 12, 2)),
        ("2022年12月2日", dt.date(2022, 12, 2)),
        ("0", None),
        ("", None),
        (44927, dt.date(2023, 1, 1)),
    ],
)
def test_date_formats(raw, value):
    """Date spellings of Chinese exports, and Excel serial numbers."""
    assert parse_date(raw) == value


def test_values_helpers():
    """Counts, lists and bad values."""
    assert parse_int("1,024") == 1024 and parse_int("") is None
    with pytest.raises(ValueError):
        parse_int("三")
    assert split_list("甲;乙；甲|丙") == ["甲", "乙", "丙"]


def test_merge_keeps_newer_publication_in_any_order():
    """An A publication never overwrites its B grant text, whichever arrives first."""
    a = PatentRecord(
        "202310123456.6",
        publication_number="CN1A",
        publication_date=dt.date(2024, 1, 1),
        title="申请文本",
        stated_status="published",
    )
    b = PatentRecord(
        "202310123456.6",
        publication_number="CN1B",
        publication_date=dt.date(2025, 1, 1),
        title="授权文本",
        stated_status="granted",
        grant_number="CN1B",
    )
    first = merge_fields(merge_fields({}, a), b)
    second = merge_fields(merge_fields({}, b), a)
    assert first == second
    assert first["title"] == "授权文本" and first["stated_status"] == "granted"


def test_merge_fills_gaps_but_never_erases():
    """Empty incoming values keep the stored ones; older records may still fill empty fields."""
    stored = merge_fields(
        {}, PatentRecord("202310123456.6", title="名称", publication_date=dt.date(2025, 1, 1))
    )
    merged = merge_fields(
        stored, PatentRecord("202310123456.6", abstract="摘要", publication_date=dt.date(2024, 1, 1))
    )
    assert merged["title"] == "名称" and merged["abstract"] == "摘要"


def test_derive_status_expiry_kind_and_region():
    """Derived values: expired past term, applicant kind text first, region from 国省代码."""
    fields = merge_fields(
        {},
        PatentRecord(
            "201220123456.0",
            patent_type="utility_model",
            filing_date=dt.date(2012, 5, 1),
            stated_status="granted",
            applicant_kind_text="大专院校",
            applicants=["某某公司"],
            region_code="山东(37)",
        ),
    )
    derived = derive(fields, dt.date(2026, 1, 1))
    assert derived.legal_status == "expired"
    assert derived.expiry_date == dt.date(2022, 4, 30)
    assert derived.applicant_kind == "university"
    assert derived.province == "山东"
