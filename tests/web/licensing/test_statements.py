"""Exports and statements: the licence ledger and ageing workbooks (scope, formula safety, columns)
and the PDF royalty statement and income-distribution sheet (structure, Chinese text, access)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zlib
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from patentbridge.licensing.services import filing, income, statements
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.licensing.services.money_usage import submit_usage_report
from patentbridge.licensing.services.statements_pdf import render_pdf
from web.licensing.factories import (
    MONEY_PAID_START,
    fee_lump_sum,
    make_contract,
    make_granted_patent,
    make_money_contract,
)

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/x","点击")'
TODAY = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)


# --- a reportlab-independent look into the PDF: streams (ASCII85 + Flate) and their strings ------


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        ch = raw[i]
        if ch == 0x5C:  # backslash
            nxt = raw[i + 1 : i + 2]
            if nxt.isdigit():
                digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
                assert digits is not None
                out.append(int(digits.group(), 8))
                i += 1 + len(digits.group())
                continue
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(nxt, nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return bytes(out)


def _cid_fonts(data: bytes) -> set[bytes]:
    """Resource names (``F2``) of the fonts encoded as UCS-2 (reportlab's CID fonts)."""
    names = set()
    for obj in re.finditer(rb"obj\s*<<(.*?)>>\s*endobj", data, re.S):
        body = obj.group(1)
        name = re.search(rb"/Name /(F\d+)", body)
        if name and b"/Encoding /UniGB-UCS2-H" in body:
            names.add(name.group(1))
    return names


def pdf_text(data: bytes) -> str:
    """Every string shown with Tj in the PDF's content streams, decoded by its font: UCS-2 for the
    CID font, Latin-1 for the standard ones, concatenated in drawing order."""
    cid = _cid_fonts(data)
    parts = []
    token = re.compile(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            content = zlib.decompress(base64.a85decode(m.group(1).strip(), adobe=True))
        except ValueError:
            continue
        font = b""
        for t in token.finditer(content):
            if t.group(1):
                font = t.group(1)
                continue
            raw = _unescape(t.group(2))
            parts.append(raw.decode("utf-16-be") if font in cid else raw.decode("latin-1"))
    return "".join(parts)


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def reported(parties, patent):
    """The §13 contract with 2026 reported (¥60,000 due) and ¥20,000 paid."""
    contract = make_money_contract(parties, [patent])
    rep = submit_usage_report(
        parties.enterprise_user,
        contract,
        period_start=MONEY_PAID_START,
        values={"net_sales": "200000.00", "units": "800"},
        on=dt.date(2027, 1, 5),
    )
    record_payment(parties.tto, rep.receivable, amount="20000.00", paid_on=dt.date(2027, 1, 20))
    rep.receivable.refresh_from_db()
    return contract, rep.receivable


def sheet_rows(content: bytes, title: str | None = None) -> list[list[object]]:
    book = load_workbook(io.BytesIO(content))
    sheet = book[title] if title else book.worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


# --- XLSX --------------------------------------------------------------------------------------


def test_ledger_lists_every_column_for_the_operator(parties, reported):
    contract, _ = reported
    rows = sheet_rows(statements.ledger_xlsx(parties.operator))
    assert tuple(rows[0]) == statements.LEDGER_HEADER
    (row,) = [r for r in rows[1:] if r[0] == contract.contract_no]
    values = dict(zip(statements.LEDGER_HEADER, row, strict=True))
    assert values["被许可方"] == parties.enterprise.name
    assert values["被许可方统一社会信用代码"] == parties.enterprise.uscc
    assert values["被许可方所在地区"] == "山东泰安（370902）"
    assert values["许可类型"] == "普通许可" and values["来源"] == "定向许可（先试用）"
    assert values["试用期"] == "2025-10-31～2025-12-31" and values["付费期"] == "2026-01-01～2027-12-31"
    assert values["付费条件"].startswith("入门费 ¥50,000.00（转为付费时支付）")
    assert values["应收金额合计"] == 60000 and values["已收金额合计"] == 20000
    assert values["备案号"] is None  # not filed yet


def test_ledger_shows_the_filing_number_and_date(parties, reported):
    contract, _ = reported
    row = contract.filings.get(kind="initial")
    filing.submit_filing(parties.tto, row, side="licensor", on=dt.date(2026, 1, 5))
    filing.record_filed(parties.tto, row, record_no="2026370000123456", filed_on=dt.date(2026, 1, 20))
    rows = sheet_rows(statements.ledger_xlsx(parties.tto))
    values = dict(zip(statements.LEDGER_HEADER, rows[1], strict=True))
    assert values["备案号"] == "2026370000123456"
    assert values["备案日期"].date() == dt.date(2026, 1, 20)


def test_a_tto_gets_only_its_own_contracts(parties, reported):
    """Another university's contract stays out of the TTO's ledger and ageing; the operator sees both."""
    contract, _ = reported
    other_patent = make_granted_patent(parties.other_university)
    other = make_contract(
        parties,
        [other_patent],
        licensor_org=parties.other_university,
        actor=parties.other_tto,
        fee_schedule=fee_lump_sum("5000.00"),
        stage="signed",
    )
    own = {r[0] for r in sheet_rows(statements.ledger_xlsx(parties.tto))[1:]}
    assert own == {contract.contract_no}
    assert {r[0] for r in sheet_rows(statements.ledger_xlsx(parties.other_tto))[1:]} == {other.contract_no}
    everything = {r[0] for r in sheet_rows(statements.ledger_xlsx(parties.operator))[1:]}
    assert {contract.contract_no, other.contract_no} <= everything
    ageing = sheet_rows(statements.ageing_xlsx(parties.tto, as_of=dt.date(2027, 3, 1)), "应收账款明细")
    assert {r[0] for r in ageing[1:]} == {contract.contract_no}


def test_ledger_neutralises_formula_titles(parties):
    """A patent titled like a formula is written as quoted text."""
    patent = make_granted_patent(parties.university, title=HOSTILE)
    make_contract(parties, [patent], fee_schedule=fee_lump_sum(), stage="signed")
    book = load_workbook(io.BytesIO(statements.ledger_xlsx(parties.tto)))
    cell = book.worksheets[0].cell(2, statements.LEDGER_HEADER.index("专利名称") + 1)
    assert cell.value == "'" + HOSTILE and cell.data_type == "s"


def test_ageing_workbook_has_detail_and_bucket_totals(parties, reported):
    content = statements.ageing_xlsx(parties.tto, as_of=dt.date(2027, 3, 31))
    detail = sheet_rows(content, "应收账款明细")
    assert tuple(detail[0]) == statements.AGEING_HEADER
    values = dict(zip(statements.AGEING_HEADER, detail[1], strict=True))
    assert values["未收金额"] == 40000 and values["逾期天数"] == 60 and values["账龄"] == "逾期31-90天"
    assert values["期间"] == "提成（2026年度）（含入门费）"
    unreported = [r for r in detail[1:] if r[4] == "提成（2027年度）"]
    assert unreported and unreported[0][-1] == "待报告"
    summary = dict(sheet_rows(content, "账龄汇总（2027-03-31）")[1:])
    assert summary["逾期31-90天"] == 40000 and summary["未到期"] == 0


def test_export_permissions_over_http(parties, reported, client):
    """Enterprises and inventors may not download ledgers; the TTO gets an XLSX with a safe name."""
    for user in (parties.enterprise_user, parties.inventor):
        client.force_login(user)
        assert client.get("/licensing/money/ledger.xlsx").status_code == 403
        assert client.get("/licensing/money/receivables/ageing.xlsx").status_code == 403
    with time_machine.travel(TODAY, tick=False):
        client.force_login(parties.tto)  # a session made before travelling would have expired
        response = client.get("/licensing/money/receivables/ageing.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="receivables-ageing-20270301.xlsx"'
    assert sheet_rows(response.content, "应收账款明细")[1][0] == reported[0].contract_no


# --- PDF ---------------------------------------------------------------------------------------


def test_royalty_statement_data_shows_the_working(parties, reported):
    contract, receivable = reported
    st = statements.royalty_statement(parties.enterprise_user, receivable, as_of=dt.date(2027, 3, 1))
    fields = dict(st.fields)
    assert st.title == "专利实施许可使用费结算单"
    assert fields["应收金额"] == "¥60,000.00" and fields["已收金额"] == "¥20,000.00"
    assert fields["未收金额"] == "¥40,000.00" and fields["结算期间"] == "2026-01-01～2026-12-31"
    tables = {heading: rows for heading, _, rows in st.tables}
    assert tables["计算过程"] == [
        ["入门费", "¥50,000.00"],
        ["提成 (净销售额 ¥200,000.00 × 3%)", "¥6,000.00"],
        ["年最低提成补足", "¥4,000.00"],
        ["合计应付", "¥60,000.00"],
    ]
    assert tables["使用情况报告（2026年度）"] == [["产量/销量（件）", "800"], ["净销售额", "200,000.00"]]
    assert fields["费用项目"] == "提成（2026年度）（含入门费）"
    assert tables["收款记录"] == [["2027-01-20", "¥20,000.00"]]
    assert any("民法典第八百四十六条" in n for n in st.notes)
    assert st.filename == f"royalty-{contract.contract_no}-{receivable.pk}.pdf"


def test_royalty_statement_pdf_is_a_pdf_with_the_chinese_text(parties, reported):
    _, receivable = reported
    st = statements.royalty_statement(parties.tto, receivable, as_of=dt.date(2027, 3, 1))
    data = render_pdf(st)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert page_count(data) == 1
    assert b"/STSong-Light" in data and b"UniGB-UCS2-H" in data
    text = pdf_text(data)
    for expected in (
        "专利实施许可使用费结算单",
        "¥60,000.00",
        "年最低提成补足",
        "合计应付",
        "民法典第八百四十六条",
    ):
        assert expected in text
    assert render_pdf(st) == data  # invariant output: same statement, same bytes


def test_statement_pdf_over_http_for_the_parties_only(parties, reported, client):
    contract, receivable = reported
    url = f"/licensing/money/receivables/{receivable.pk}/statement.pdf"
    client.force_login(parties.enterprise_user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'inline; filename="royalty-{contract.contract_no}-{receivable.pk}.pdf"'
    )
    for user in (parties.other_enterprise_user, parties.other_tto):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(parties.tto)
    for bad in ("abc", "99999999999999999999999", "-1", "0"):
        assert client.get(f"/licensing/money/receivables/{bad}/statement.pdf").status_code == 404


def test_distribution_sheet_pdf(parties, reported, client):
    """The sheet names the floors, the lines and the policy versions; only the licensor's TTO and
    operators may open it (the licensee is refused)."""
    contract, receivable = reported
    payment = receivable.payments.get()
    dist = income.compute_distribution(
        parties.tto,
        payment,
        deductions={"taxes": Decimal("2000.00")},
        own_rule_share=None,
        tto_share=Decimal("0.1"),
        inventors=[("张三", Decimal("0.6")), ("李四", Decimal("0.4"))],
        on=dt.date(2027, 1, 21),
    )
    st = statements.distribution_sheet(parties.operator, dist, as_of=dt.date(2027, 1, 22))
    fields = dict(st.fields)
    assert fields["净收入"] == "¥18,000.00" and fields["发明人奖励总额"] == "¥12,600.00"
    assert fields["发明人奖励比例"] == "70%" and fields["审批人"] == "待审批"
    assert {h: r for h, _, r in st.tables}["发明人分配"] == [
        ["张三", "60%", "¥7,560.00"],
        ["李四", "40%", "¥5,040.00"],
    ]
    assert any("山东省促进科技成果转化条例" in n for n in st.notes)
    data = render_pdf(st)
    assert data.startswith(b"%PDF-") and page_count(data) == 1
    text = pdf_text(data)
    assert "职务科技成果许可收入分配表" in text and "¥12,600.00" in text and "第四十五条第二款" in text
    client.force_login(parties.tto)
    response = client.get(f"/licensing/money/distributions/{dist.pk}/sheet.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert (
        response["Content-Disposition"]
        == f'inline; filename="income-{contract.contract_no}-{payment.pk}.pdf"'
    )
    client.force_login(parties.enterprise_user)
    assert client.get(f"/licensing/money/distributions/{dist.pk}/sheet.pdf").status_code == 403
    client.force_login(parties.other_tto)
    assert client.get(f"/licensing/money/distributions/{dist.pk}/sheet.pdf").status_code == 404


def test_safe_filename_keeps_only_ascii_words():
    """No quote, slash, line break or CJK character reaches the Content-Disposition header."""
    assert statements.safe_filename('XK-2026/"../许可\r\n', "pdf") == "XK-2026.pdf"
    assert statements.safe_filename('a"b;c', "xlsx") == "a-b-c.xlsx"
    assert statements.safe_filename("许可", "pdf") == "statement.pdf"


def test_a_statement_of_an_unreported_period_says_the_amount_is_pending(parties, reported):
    contract, _ = reported
    pending = contract.receivables.get(period_label="提成（2027年度）")
    st = statements.royalty_statement(parties.tto, pending, as_of=dt.date(2027, 3, 1))
    fields = dict(st.fields)
    assert fields["应收金额"] == "—" and fields["未收金额"] == "—"
    assert {h: r for h, _, r in st.tables}["计算过程"] == [["尚未提交使用情况报告，金额待定", "—"]]
    assert "收款记录" not in {h for h, _, _ in st.tables}


def test_a_lump_sum_statement_shows_the_fixed_amount(parties, patent):
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum("120000.00"), stage="signed")
    st = statements.royalty_statement(parties.tto, contract.receivables.get(), as_of=dt.date(2026, 1, 2))
    assert {h: r for h, _, r in st.tables}["计算过程"] == [["一次性许可费", "¥120,000.00"]]
    assert dict(st.fields)["结算期间"] == "—" and dict(st.fields)["到期日"] == "2026-01-01"


def test_a_long_statement_runs_over_pages_with_the_table_header_repeated():
    """Structure under load: 120 computation lines make several pages, each a valid page object."""
    rows = [[f"项目{i}", f"¥{i:,}.00"] for i in range(120)]
    data = render_pdf(
        statements.Statement(
            title="测试结算单", fields=[("合同编号", "X")], tables=[("明细", ["项目", "金额"], rows)]
        )
    )
    pages = page_count(data)
    assert pages >= 3
    text = pdf_text(data)
    assert text.count("金额") == pages  # the header row is repeated on every page of the table
    assert "项目119" in text and "¥119.00" in text


def test_hostile_text_in_a_statement_is_drawn_not_interpreted():
    """Markup-like and PDF-syntax text stays literal (paragraph markup is escaped)."""
    nasty = '<b>粗体</b> (括号) \\ <font color="red">红</font> &amp;'
    data = render_pdf(statements.Statement(title=nasty, fields=[(nasty, nasty)]))
    assert data.startswith(b"%PDF-")
    assert "<b>粗体</b>" in pdf_text(data)


def test_a_tto_without_licences_gets_a_header_only_ledger(parties):
    rows = sheet_rows(statements.ledger_xlsx(parties.other_tto))
    assert rows == [list(statements.LEDGER_HEADER)]


def test_demo_contracts_are_labelled_in_the_ledger_and_statements(parties, patent):
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum(), stage="signed", is_demo=True)
    values = dict(
        zip(statements.LEDGER_HEADER, sheet_rows(statements.ledger_xlsx(parties.operator))[1], strict=True)
    )
    assert values["演示数据"] == "是"
    st = statements.royalty_statement(parties.tto, contract.receivables.get(), as_of=dt.date(2026, 1, 2))
    assert dict(st.fields)["合同编号"] == f"{contract.contract_no}（演示数据）"


def test_the_distribution_sheet_is_refused_to_other_universities(parties, reported):
    _, receivable = reported
    dist = income.compute_distribution(
        parties.tto,
        receivable.payments.get(),
        deductions={},
        own_rule_share=None,
        tto_share=Decimal("0"),
        inventors=[("张三", Decimal("1"))],
        on=dt.date(2027, 1, 21),
    )
    with pytest.raises(PermissionDenied):
        statements.distribution_sheet(parties.other_tto, dist, as_of=dt.date(2027, 1, 22))
    income.approve_distribution(parties.operator, dist, on=dt.date(2027, 1, 22))
    dist.refresh_from_db()
    fields = dict(statements.distribution_sheet(parties.tto, dist, as_of=dt.date(2027, 1, 22)).fields)
    assert fields["审批人"] == parties.operator.username and fields["状态"] == "已审批"
