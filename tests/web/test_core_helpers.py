"""Core helpers other apps build on: detail-page panels, the restrict registry, Chinese labels and
the spreadsheet writer (widths, frozen bold header, several sheets, formula safety)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils.safestring import SafeString
from openpyxl import load_workbook

from patentbridge.core import labels, panels
from patentbridge.core import restrict as restrict_module
from patentbridge.core.labels import ACTION_LABELS, action_label, field_label, register_values, value_label
from patentbridge.core.spreadsheet import column_width, csv_bytes, safe_cell, xlsx_bytes, xlsx_sheets
from patentbridge_engine.ingest.record import FIELD_LABELS

# ---------------------------------------------------------------------------------------------
# panels
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def registry(monkeypatch):
    """An empty panel registry and a renderer that shows which template got which context."""
    monkeypatch.setattr(panels, "_registry", {page: {} for page in panels.PAGES})
    monkeypatch.setattr(
        panels, "render_to_string", lambda template, context, request=None: f"[{template}|{context['v']}]"
    )
    return panels._registry


def _request():
    return RequestFactory().get("/")


def test_a_panel_whose_context_is_none_is_left_out(registry):
    """Returning None hides a panel for this request and object; the others still render."""
    panels.register_panel("patent", "shown", "a.html", lambda request, obj: {"v": obj})
    panels.register_panel("patent", "hidden", "b.html", lambda request, obj: None)
    html = panels.render_panels("patent", _request(), "X")
    assert html == "[a.html|X]"
    assert isinstance(html, SafeString)


def test_the_context_function_decides_per_object(registry):
    """The same panel shows for one object and hides for another."""
    panels.register_panel("need", "odd", "odd.html", lambda request, obj: {"v": obj} if obj % 2 else None)
    assert panels.render_panels("need", _request(), 3) == "[odd.html|3]"
    assert panels.render_panels("need", _request(), 4) == ""


def test_panels_render_in_order_then_key(registry):
    """Lower ``order`` first; equal orders by key, whatever the registration order."""
    for key, order in (("zeta", 10), ("beta", 30), ("alpha", 30), ("first", 5)):
        panels.register_panel("patent", key, f"{key}.html", lambda request, obj, k=key: {"v": k}, order=order)
    assert [p.key for p in panels.panels_for("patent")] == ["first", "zeta", "alpha", "beta"]
    assert (
        panels.render_panels("patent", _request(), None)
        == "[first.html|first][zeta.html|zeta][alpha.html|alpha][beta.html|beta]"
    )


def test_slots_separate_panels_of_one_page(registry):
    """A "lead" panel never renders in "main" and vice versa; the default slot is "main"."""
    panels.register_panel("patent", "top", "top.html", lambda request, obj: {"v": "t"}, slot="lead")
    panels.register_panel("patent", "body", "body.html", lambda request, obj: {"v": "b"})
    assert [p.key for p in panels.panels_for("patent", "lead")] == ["top"]
    assert [p.key for p in panels.panels_for("patent")] == ["body"]
    assert panels.render_panels("patent", _request(), None, slot="lead") == "[top.html|t]"
    assert panels.render_panels("patent", _request(), None, slot="nowhere") == ""


def test_registering_the_same_key_again_replaces_the_panel(registry):
    """Keys are unique per page: a second registration replaces, it does not duplicate."""
    panels.register_panel("organization", "k", "old.html", lambda request, obj: {"v": 1})
    panels.register_panel("organization", "k", "new.html", lambda request, obj: {"v": 2}, order=1)
    found = panels.panels_for("organization")
    assert [(p.template, p.order) for p in found] == [("new.html", 1)]


def test_pages_are_independent_and_unknown_pages_are_refused(registry):
    """A panel of one page never shows on another; registering on an unknown page is an error."""
    panels.register_panel("patent", "p", "p.html", lambda request, obj: {"v": 1})
    assert panels.panels_for("need") == [] and panels.panels_for("organization") == []
    with pytest.raises(KeyError, match="unknown page"):
        panels.register_panel("invoice", "x", "x.html", lambda request, obj: {"v": 1})


def test_context_receives_the_request_and_the_object(registry):
    """Panels decide with the request (its user) and the object the page shows."""
    seen = []
    request = _request()
    panels.register_panel("need", "spy", "s.html", lambda req, obj: seen.append((req, obj)) or {"v": "ok"})
    panels.render_panels("need", request, "需求")
    assert seen == [(request, "需求")]


def test_every_registered_panel_has_a_template_and_a_known_slot():
    """The apps' real registrations point at templates that exist and slots the pages render."""
    registered = [(page, p) for page in panels.PAGES for p in panels.panels_for(page, "main")]
    registered += [(page, p) for page in panels.PAGES for p in panels.panels_for(page, "lead")]
    every = [(page, p) for page, reg in panels._registry.items() for p in reg.values()]
    assert len(registered) == len(every) > 0
    for _page, panel in every:
        get_template(panel.template)


# ---------------------------------------------------------------------------------------------
# restrict
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_restrict_hands_user_and_action_to_the_models_rule(monkeypatch):
    """``restrict`` calls the registered rule with the queryset, the user and the action (default
    "view"), and returns exactly what the rule returns."""
    from patentbridge.core.models import Notification

    calls = []

    def rule(queryset, user, action):
        calls.append((queryset.model, user, action))
        return queryset.none()

    monkeypatch.setitem(restrict_module._rules, Notification, rule)
    qs = restrict_module.restrict(Notification.objects.all(), "用户")
    assert list(qs) == []
    restrict_module.restrict(Notification.objects.all(), "用户", "change")
    assert calls == [(Notification, "用户", "view"), (Notification, "用户", "change")]
    assert Notification in restrict_module.registered_models()


@pytest.mark.django_db
def test_registering_a_rule_again_replaces_it(monkeypatch):
    """One rule per model: the latest registration is the one applied."""
    from patentbridge.core.models import Notification

    monkeypatch.setitem(restrict_module._rules, Notification, lambda qs, user, action: "first")
    restrict_module.register_rule(Notification, lambda qs, user, action: "second")
    assert restrict_module.restrict(Notification.objects.all(), None) == "second"


# ---------------------------------------------------------------------------------------------
# labels
# ---------------------------------------------------------------------------------------------


def test_known_actions_use_their_own_label():
    """A listed action code shows its own label, not the generic fallback."""
    for code, label in ACTION_LABELS.items():
        assert action_label(code) == label


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("patents.patent.archived", "专利：操作"),
        ("grading.grade.recorded", "价值分级：登记"),
        ("ingest.file.deleted", "数据导入：删除"),
        ("unknownapp.thing.created", "其他：新建"),
        ("nodots", "其他：操作"),
        ("matching.saved", "供需匹配：保存"),
    ],
)
def test_unknown_actions_read_as_object_and_verb(code, expected):
    """An action without an entry is named by its app's object word and its last segment's verb."""
    assert action_label(code) == expected


def test_field_labels_cover_the_record_fields_and_fall_back_to_the_name():
    """Record fields use the import report's labels; workflow fields have their own; others stay."""
    for name, label in FIELD_LABELS.items():
        assert field_label(name) == label
    assert field_label("library_status") == "入库状态"
    assert field_label("no_such_field") == "no_such_field"


def test_value_labels_show_registered_choices_and_keep_other_values(monkeypatch):
    """A registered stored value shows its label (also when given as a non-string); unknown values
    and unregistered fields come back unchanged; lists are joined with "；"."""
    monkeypatch.setattr(labels, "_VALUES", {})
    register_values("colour", [("red", "红色"), (1, "一号")])
    register_values("colour", [("blue", "蓝色")])
    assert value_label("colour", "red") == "红色"
    assert value_label("colour", "blue") == "蓝色"
    assert value_label("colour", 1) == "一号"
    assert value_label("colour", "green") == "green"
    assert value_label("size", 7) == 7
    assert value_label("colour", ["甲", 2, "乙"]) == "甲；2；乙"


def test_registered_patent_choices_label_the_history():
    """The patents app registers its choice fields: a stored status reads in Chinese."""
    from patentbridge.patents.choices import LibraryStatusChoices

    for value, label in LibraryStatusChoices.choices:
        assert value_label("library_status", value) == label


# ---------------------------------------------------------------------------------------------
# spreadsheet
# ---------------------------------------------------------------------------------------------


def test_column_width_counts_cjk_double_and_is_bounded():
    """Width grows with the label (CJK counts double), between 10 and 40; sentence columns get 60."""
    assert column_width("ID") == 10.0
    assert column_width("申请号") == 3 * 2 + 4
    assert column_width("IPC分类号") == 3 + 3 * 2 + 4
    assert column_width("很长的列名" * 10) == 40.0
    for wide in ("摘要", "专利名称", "主权项"):
        assert column_width(wide) == 60.0
    assert column_width("申请号申请号") > column_width("申请号")


def test_csv_has_a_bom_empty_cells_for_none_and_safe_cells():
    """Excel-readable UTF-8 (BOM), None as an empty field, formula text quoted in header and rows."""
    data = csv_bytes(["申请号", "=cmd"], [["2023", None], [5, "+1"]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["申请号", "'=cmd"], ["2023", ""], ["5", "'+1"]]


def test_safe_cell_turns_other_objects_into_safe_text():
    """Non-text objects are converted to text first, then neutralised like any text."""

    class Odd:
        def __str__(self):
            return "@SUM(A1)"

    assert safe_cell(Odd()) == "'@SUM(A1)"
    assert safe_cell(Decimal("-3.5")) == Decimal("-3.5")
    assert safe_cell(True) is True


def _book(data):
    return load_workbook(io.BytesIO(data))


def test_every_sheet_of_a_workbook_has_a_frozen_bold_header():
    """Each sheet in ``xlsx_sheets`` is formatted like a single-sheet export."""
    data = xlsx_sheets(
        [
            ("第一页", ["申请号", "专利名称"], [["1", "甲"]], None),
            ("第二页", ["列名", "说明"], [["a", "b"], ["c", "d"]], (12, 30)),
            ("第三页", ["x"], [], None),
        ]
    )
    book = _book(data)
    assert book.sheetnames == ["第一页", "第二页", "第三页"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
    assert book["第三页"].max_row == 1
    assert [c.value for c in book["第二页"]["A"]] == ["列名", "a", "c"]


def test_given_widths_win_and_missing_ones_fall_back_to_the_header():
    """Explicit widths apply to the first columns; columns beyond them get the header's width."""
    data = xlsx_bytes("表", ["摘要", "申请号", "IPC"], [], widths=(15,))
    sheet = _book(data)["表"]
    assert sheet.column_dimensions["A"].width == 15
    assert sheet.column_dimensions["B"].width == column_width("申请号")
    assert sheet.column_dimensions["C"].width == column_width("IPC")


def test_default_widths_follow_the_header_labels():
    """Without widths, sentence columns are wide and short codes narrow."""
    sheet = _book(xlsx_bytes("表", ["专利名称", "ID"], []))["表"]
    assert sheet.column_dimensions["A"].width == 60
    assert sheet.column_dimensions["B"].width == 10


def test_xlsx_cells_are_safe_and_typed_values_stay_typed():
    """Formula-like text is quoted in every sheet; numbers and dates remain numbers and dates."""
    day = dt.date(2023, 5, 1)
    data = xlsx_sheets(
        [
            ("甲", ["=HEADER"], [['=HYPERLINK("x")', 3]], None),
            ("乙", ["日期"], [[day, -2.5, None, "-10"]], None),
        ]
    )
    book = _book(data)
    assert book["甲"]["A1"].value == "'=HEADER"
    assert book["甲"]["A2"].value == '\'=HYPERLINK("x")'
    assert book["甲"]["B2"].value == 3
    row = [c.value for c in book["乙"][2]]
    assert row[0].date() == day and row[1] == -2.5 and row[2] is None and row[3] == "'-10"


def test_rows_can_be_a_generator_and_are_written_in_order():
    """Large exports stream rows: a generator is consumed once and every row lands in order."""
    data = xlsx_bytes("表", ["n"], ([n] for n in range(500)))
    values = [row[0] for row in _book(data)["表"].iter_rows(min_row=2, values_only=True)]
    assert values == list(range(500))
