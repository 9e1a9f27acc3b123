"""What the menu exports say, column by column: the item rows (chain, number, title, owner, grade,
modes on offer, contact team, reasons, source, the county's selection), the facts sheet in the
publisher's name, the supplement sheet, and the PDF (CJK font, landscape, one table per chain)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from patentbridge.matching.teams import rebuild_teams
from patentbridge.menus.exports import HEADER, item_rows, menu_pdf, menu_xlsx
from patentbridge.menus.queries import included_items
from patentbridge.menus.services import compose, release
from web.menus.factories import ON, chain_patents, grade
from web.menus.test_compose import new_menu
from web.menus.test_lifecycle import offer_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def composed(cast):
    own = chain_patents(cast.p.university, 2)
    theirs = chain_patents(cast.p.other_university, 3)
    grade([own[0]], "A", high_value=True)
    offer_for(cast, [own[0]])
    rebuild_teams()
    menu = new_menu(cast, description="面向莘县热电与食品加工企业")
    compose.compose(cast.p.tto, menu, on=ON)
    return cast, menu, own, theirs


def rows_by_number(menu):
    return {r[1]: r for r in item_rows(menu, included_items(menu))}


def test_item_rows_carry_every_column_in_header_order(composed):
    cast, menu, own, theirs = composed
    rows = rows_by_number(menu)
    assert len(HEADER) == 10 and set(rows) == {p.application_number for p in own + theirs}
    graded = rows[own[0].application_number]
    chain, number, title, owner, grade_, modes, team, reasons, source, selected = graded
    assert (chain, number, title, owner) == (
        "绿色低碳",
        own[0].application_number,
        own[0].title,
        cast.p.university.name,
    )
    assert grade_ == "A" and modes == "先免费试用、再达成许可、付费许可"
    assert team.startswith(cast.p.university.name) and team.endswith("团队")
    assert "价值分级 A，高价值发明专利" in reasons and "权利人已发布许可项目" in reasons
    assert (source, selected) == ("本单位", "尚未遴选")
    plain = rows[own[1].application_number]
    assert plain[4] == "未分级" and plain[5] == "待协商"
    supplied = [rows[p.application_number] for p in theirs]
    assert all(r[8] == "资源库补充" and r[3] == cast.p.other_university.name for r in supplied)


def test_selection_column_follows_the_county(composed):
    cast, menu, own, _ = composed
    release.publish(cast.p.tto, menu, on=ON)
    first = menu.items.get(patent=own[0])
    release.select_items(cast.officer, menu, items=[first.pk], on=ON)
    rows = rows_by_number(menu)
    assert rows[own[0].application_number][9] == "已遴选"
    assert {r[9] for n, r in rows.items() if n != own[0].application_number} == {"未遴选"}


def test_workbook_has_facts_items_and_the_supplement_log(composed):
    cast, menu, _own, _theirs = composed
    book = load_workbook(io.BytesIO(menu_xlsx(menu, included_items(menu), as_of=dt.date(2026, 3, 5))))
    assert book.sheetnames == ["菜单", "专利清单", "资源库补充"]
    facts = dict(book["菜单"].iter_rows(min_row=2, values_only=True))
    assert facts["菜单名称"] == menu.title and facts["发布单位"] == cast.p.university.name
    assert facts["目标地区"] == "聊城市莘县（371522）" and facts["目标产业链"] == "绿色低碳"
    assert facts["状态"] == "草稿" and facts["发布日期"] == "未发布" and facts["导出日期"] == "2026-03-05"
    header = next(book["专利清单"].iter_rows(max_row=1, values_only=True))
    assert list(header) == list(HEADER)
    (log,) = list(book["资源库补充"].iter_rows(min_row=2, values_only=True))
    assert log[:6] == ("绿色低碳", "371522", 2, 5, 3, 3)


def test_pdf_is_landscape_with_the_cjk_font_and_the_publishers_name(composed):
    _cast, menu, _own, _theirs = composed
    data = menu_pdf(menu, included_items(menu), as_of=ON)
    assert data.startswith(b"%PDF") and b"STSong-Light" in data and b"UniGB-UCS2-H" in data
    # landscape A4: the media box is wider than high
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in data
    empty = new_menu(_cast, title="空菜单")
    assert menu_pdf(empty, [], as_of=ON).startswith(b"%PDF")
