"""Navigation web parts without pages: display tables, PDF drawings, exports, scope resolution,
the region mapping and access rules at the queryset level."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from openpyxl import load_workbook
from reportlab.graphics.shapes import Drawing

from engine.test_navigation import LABELS, snapshot
from patentbridge.core.restrict import restrict
from patentbridge.navigation import services
from patentbridge.navigation.document import key_number_rows, percent, section_views
from patentbridge.navigation.exports import ReportData, report_json, report_pdf, report_xlsx, snapshot_data
from patentbridge.navigation.freeze import ScopeError, region_code_for, resolve_scope
from patentbridge.navigation.models import NavigationFinding, NavigationProject, NavigationReport
from patentbridge.navigation.pdf_charts import chart_drawing
from patentbridge.patents.choices import ApplicantKindChoices, LegalStatusChoices
from patentbridge_engine.navigation import Snapshot, build_sections, chart_options
from web.factories import make_member, make_org
from web.licensing.test_statements import pdf_text
from web.navigation.world import World

# Labels as ``freeze`` records them (kinds and legal states by their Chinese names).
_SNAP = snapshot()
SECTIONS = build_sections(
    Snapshot(
        meta=_SNAP.meta,
        rows=_SNAP.rows,
        baseline=_SNAP.baseline,
        labels={
            **LABELS,
            "applicant_kind": {str(v): str(n) for v, n in ApplicantKindChoices.choices},
            "legal": {str(v): str(n) for v, n in LegalStatusChoices.choices},
        },
    )
)


def test_percent_and_key_number_rows() -> None:
    assert percent(0.1393) == "13.9%" and percent(None) == "—" and percent(1) == "100.0%"
    rows = dict(key_number_rows(SECTIONS["key_numbers"]))
    assert rows["占全库份额"] == "13.0%" and rows["专利总数"] == 13 and rows["生命周期阶段"] == "成长期"


def test_section_views_show_labels_percentages_and_notes() -> None:
    views = {v.key: v for v in section_views(SECTIONS)}
    assert next(iter(views)) == "trend" and len(views) == 11
    geo = views["geography"].table
    assert geo.columns == ["地区", "代码", "专利数", "占比"] and geo.rows[0][3].endswith("%")
    kinds = views["applicants"].extra[0]
    assert kinds.columns == ["类型", "专利数", "占比"]  # no raw kind code for people
    assert "enterprise" not in str(kinds.rows) and kinds.rows[0][0] == "企业"
    legal = views["legal_status"].table
    assert legal.columns == ["法律状态", "专利数", "占比"] and "granted" not in str(legal.rows)
    assert any("18 个月" in n for n in views["trend"].notes)
    assert views["trend"].extra[0].rows[0][:2] == ["成长期", "2019–2024"]
    assert views["positioning"].payload["option"]["series"][0]["type"] == "bar"
    assert views["gaps"].chart is None and views["gaps"].payload == {"option": {}, "links": []}


def test_whole_library_positioning_note() -> None:
    from patentbridge_engine.navigation import Baseline

    whole = build_sections(snapshot(baseline=Baseline(total=13, branches={"F24D": 8, "F25B": 4, "H01M": 1})))
    views = {v.key: v for v in section_views(whole)}
    assert any("全库" in n and "不适用" in n for n in views["positioning"].notes)


@pytest.mark.parametrize(
    "key", ["trend", "geography", "applicants", "technology", "operations", "positioning"]
)
def test_pdf_drawings_of_each_chart(key: str) -> None:
    from patentbridge.navigation.exports import _font

    drawing = chart_drawing(chart_options(SECTIONS)[key], _font())
    assert isinstance(drawing, Drawing) and drawing.width > 0 and drawing.contents


def test_pdf_drawing_of_nothing_or_unknown_kinds() -> None:
    assert chart_drawing({"series": []}, "Helvetica") is None
    fallback = chart_drawing({"series": [{"type": "funnel", "data": []}]}, "Helvetica")
    assert fallback is not None and fallback.height == 20


def test_snapshot_exports() -> None:
    snap = snapshot()
    data = snapshot_data("测试导航", dict(snap.meta), SECTIONS, snap.sha256(), len(snap.rows))
    body = report_json(data)
    assert body["snapshot_sha256"] == snap.sha256() and body["key_numbers"]["patents"] == 13
    assert "findings" not in body["sections"] and "trend" in body["sections"]
    assert all(f["automatic"] and f["action_label"] for f in body["findings"])
    book = load_workbook(io.BytesIO(report_xlsx(data)))
    assert book.sheetnames[:3] == ["概况", "关键数字", "结论与对策"]
    assert "重点专利（A 级 · 高价值）" in book.sheetnames  # "/" is not allowed in sheet names
    facts = {r[0].value: r[1].value for r in book["概况"].iter_rows(min_row=2)}
    assert facts["快照专利数"] == "13" and facts["快照摘要（SHA-256）"] == snap.sha256()
    findings = [r[0].value for r in book["结论与对策"].iter_rows(min_row=2)]
    assert findings == [f["text"] for f in SECTIONS["findings"]]
    pdf = report_pdf(data)
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF") and "测试导航" in text and "短板清单" in text and "山东大学" in text


def test_formula_like_text_is_neutralised_in_xlsx() -> None:
    data = ReportData("x", [["导航范围", '=HYPERLINK("http://x")']], SECTIONS, [])
    book = load_workbook(io.BytesIO(report_xlsx(data)))
    assert str(book["概况"]["B2"].value).startswith("'")


@pytest.mark.parametrize(
    ("province", "city", "code"),
    [
        ("山东", "泰安", "3709"),
        ("山东省", "泰安市", "3709"),
        ("山东", "", "37"),
        ("北京", "", "11"),
        ("", "", ""),
    ],
)
def test_region_code_for(province: str, city: str, code: str) -> None:
    assert region_code_for(province, city) == code


@pytest.mark.django_db
def test_resolve_scope_kinds(world: World) -> None:
    assert resolve_scope("rnd", "f25b 30/02").title == "IPC F25B30/02"
    assert resolve_scope("talent", "3709").region == "3709"
    spec = resolve_scope("chain", "all", region="3701", ipc_prefix="h01m")
    assert spec.title == "全库 · 济南市" and spec.region == "3701"
    with pytest.raises(ScopeError, match="IPC 限定"):
        resolve_scope("chain", "all", ipc_prefix="??")
    with pytest.raises(ScopeError, match="导航范围"):
        resolve_scope("chain", "  ")
    with pytest.raises(ScopeError, match="暂不支持"):
        resolve_scope("region", "4601")  # a Hainan city the region table does not name


def request(actor: Any, project: NavigationProject) -> NavigationReport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = services.request_report(actor, project)
    report.refresh_from_db()
    return report


@pytest.mark.django_db
def test_rnd_and_ipc_narrowed_projects(world: World) -> None:
    rnd = request(world.operator, services.create_project(world.operator, {"kind": "rnd", "scope": "H01M"}))
    assert rnd.row_count == 4
    narrowed = services.create_project(
        world.operator, {"kind": "chain", "scope": "all", "ipc_prefix": "F25B", "year_from": "2022"}
    )
    report = request(world.operator, narrowed)
    # F25B filed 2022 or later: 泰安 2022, 2022, 2023
    assert report.row_count == 3


@pytest.mark.django_db
def test_queryset_rules(world: World) -> None:
    own = services.create_project(world.tto, {"kind": "applicant", "scope": "山东大学"})
    other = services.create_project(world.operator, {"kind": "region", "scope": "3709"})
    projects = NavigationProject.objects.all()
    assert set(restrict(projects, world.tto)) == {own}
    assert set(restrict(projects, world.tto, "change")) == {own}
    assert set(restrict(projects, world.operator, "change")) == {own, other}
    assert not restrict(projects, world.officer).exists()  # nothing published yet
    assert not restrict(projects, world.ent_user, "change").exists()
    nowhere = make_member(make_org("无地区的市场监督管理局", "government"), "gov_officer")
    report = request(world.operator, other)
    services.publish(world.operator, report)
    assert set(restrict(projects, world.officer)) == {other}
    assert not restrict(projects, nowhere).exists()
    assert not restrict(NavigationFinding.objects.all(), world.tto, "change").filter(report=report).exists()


@pytest.mark.django_db
def test_service_refusals(world: World) -> None:
    project = services.create_project(world.operator, {"kind": "region", "scope": "3709"})
    services.request_report(world.operator, project)  # not run: still generating
    with pytest.raises(ValidationError, match="正在生成"):
        services.request_report(world.operator, project)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.request_report(world.operator, project, as_of=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="最多 200"):
        services.create_project(world.operator, {"kind": "region", "scope": "3" * 201})
    report = NavigationReport.objects.get(project=project)
    with pytest.raises(ValidationError, match="生成中"):
        services.add_finding(world.operator, report, {"text": "太早"})
    with pytest.raises(PermissionDenied):
        services.publish(world.ent_user, report)
    ready = request(world.operator, services.create_project(world.operator, {"kind": "rnd", "scope": "F25B"}))
    with pytest.raises(PermissionDenied):
        services.add_finding(world.tto, ready, {"text": "别人的项目"})
    finding = ready.findings.first()
    assert finding is not None
    with pytest.raises(PermissionDenied):
        services.delete_finding(world.tto, finding)
    with pytest.raises(ValidationError, match="对策类型无效"):
        services.add_finding(world.operator, ready, {"text": "x", "action_kind": "bribe", "action": "y"})
