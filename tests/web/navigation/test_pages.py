"""The navigation pages: list, new project, report page with charts and findings editor, progress,
diff, exports, and who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from patentbridge.navigation import services
from patentbridge.navigation.models import NavigationReport
from web.licensing.test_statements import pdf_text
from web.navigation.world import World

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def make_report(world: World, **data: str) -> NavigationReport:
    project = services.create_project(world.operator, {"kind": "region", "scope": "3709", **data})
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = services.request_report(world.operator, project)
    report.refresh_from_db()
    return report


def test_new_project_form_generates_the_first_version(world: World) -> None:
    c = client_for(world.operator)
    assert c.get(reverse("navigation:new")).status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = c.post(
            reverse("navigation:new"), {"kind": "chain", "scope": "GLC", "title": "绿色低碳导航"}
        )
    assert response.status_code == 302
    report = NavigationReport.objects.get(project__title="绿色低碳导航")
    assert response["Location"] == reverse("navigation:report", args=[report.pk])
    assert report.state == "draft" and report.row_count == 8


def test_new_project_bad_scope_is_a_chinese_form_error(world: World) -> None:
    c = client_for(world.operator)
    response = c.post(reverse("navigation:new"), {"kind": "region", "scope": "<script>"})
    assert response.status_code == 200
    assert "地区代码无效" in response.content.decode()
    assert not NavigationReport.objects.exists()


def test_report_page_shows_sections_charts_and_findings(world: World) -> None:
    report = make_report(world)
    page = client_for(world.operator).get(reverse("navigation:report", args=[report.pk])).content.decode()
    for key in ("trend", "geography", "applicants", "technology", "positioning", "gaps", "collaboration"):
        assert f'data-testid="section-{key}"' in page
    assert 'data-chart="nav-chart-trend"' in page and 'id="nav-chart-trend"' in page
    assert "泰安热泵有限公司" in page and "山东大学" in page
    assert report.snapshot_sha256 in page
    assert 'data-testid="publish"' in page and 'data-testid="finding-form"' in page


def test_findings_editor_and_publish_through_the_page(world: World) -> None:
    report = make_report(world)
    c = client_for(world.operator)
    for f in report.findings.all():
        c.post(reverse("navigation:finding_delete", args=[f.pk]))
    assert not report.findings.exists()
    response = c.post(reverse("navigation:publish", args=[report.pk]), follow=True)
    assert "至少需要一条附有对策的结论" in response.content.decode()
    c.post(
        reverse("navigation:finding_add", args=[report.pk]),
        {"text": "电池分支薄弱", "action_kind": "collaborate", "action": "对接山东大学电池团队"},
    )
    c.post(reverse("navigation:publish", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == "published"
    page = c.get(reverse("navigation:report", args=[report.pk])).content.decode()
    assert "对接山东大学电池团队" in page and 'data-testid="publish"' not in page


def test_progress_block_polls_while_generating(world: World) -> None:
    project = services.create_project(world.operator, {"kind": "region", "scope": "3709"})
    report = services.request_report(world.operator, project)  # hooks not run: still generating
    c = client_for(world.operator)
    page = c.get(reverse("navigation:report", args=[report.pk])).content.decode()
    assert 'data-state="generating"' in page and 'hx-trigger="every 2s"' in page
    NavigationReport.objects.filter(pk=report.pk).update(state="draft")
    done = c.get(reverse("navigation:progress", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_exports(world: World) -> None:
    report = make_report(world)
    c = client_for(world.operator)
    pdf = c.get(reverse("navigation:export_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "泰安市专利导航" in text and "定位分析" in text and "短板清单" in text
    xlsx = c.get(reverse("navigation:export_xlsx", args=[report.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_diff_page(world: World) -> None:
    from web.factories import make_patent

    first = make_report(world)
    make_patent(province="山东", city="泰安", applicants=["新公司"], legal_status="granted")
    with TestCase.captureOnCommitCallbacks(execute=True):
        second = services.request_report(world.operator, first.project)
    page = client_for(world.operator).get(reverse("navigation:diff", args=[second.pk])).content.decode()
    assert 'data-testid="diff-patents"' in page and "+1" in page
    # 7 of 13 → 8 of 14 patents: 53.8 % → 57.1 %, +3.3 percentage points
    assert "53.8%" in page and "57.1%" in page and "+3.3 个百分点" in page
    first_page = client_for(world.operator).get(reverse("navigation:diff", args=[first.pk])).content.decode()
    assert 'data-testid="no-previous"' in first_page


def test_visibility_by_role(world: World) -> None:
    report = make_report(world)
    url = reverse("navigation:report", args=[report.pk])
    # Drafts: only the builder side.
    assert client_for(world.officer).get(url).status_code == 404
    assert client_for(world.ent_user).get(url).status_code == 404
    assert client_for(world.tto).get(url).status_code == 404
    services.publish(world.operator, report)
    assert client_for(world.officer).get(url).status_code == 200  # 泰安 officer, 泰安 report
    assert client_for(world.other_officer).get(url).status_code == 404  # 济南 officer
    assert client_for(world.ent_user).get(url).status_code == 200
    assert client_for(world.inventor).get(url).status_code == 403
    listing = client_for(world.ent_user).get(reverse("navigation:list")).content.decode()
    assert report.project.title in listing and 'data-testid="new-project"' not in listing
    # Readers cannot write.
    denied = client_for(world.ent_user).post(reverse("navigation:generate", args=[report.project_id]))
    assert denied.status_code == 404
    assert (
        client_for(world.officer)
        .post(reverse("navigation:new"), {"kind": "region", "scope": "3709"})
        .status_code
        == 403
    )


def test_hostile_input_on_the_pages(world: World) -> None:
    report = make_report(world)
    c = client_for(world.operator)
    c.post(
        reverse("navigation:finding_add", args=[report.pk]),
        {"text": "<script>alert(1)</script>", "action_kind": "push", "action": "<b>推送</b>"},
    )
    page = c.get(reverse("navigation:report", args=[report.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    long = c.post(reverse("navigation:finding_add", args=[report.pk]), {"text": "长" * 5000}, follow=True)
    assert long.status_code == 200 and "结论最多 1000 个字符" in long.content.decode()
    huge = "9" * 30
    assert c.get(f"/navigation/report/{huge}/").status_code == 404
    assert c.get(f"/navigation/{huge}/").status_code == 404
    assert c.post(f"/navigation/finding/{huge}/delete/").status_code == 404
    assert c.get(reverse("navigation:report", args=[report.pk + 1000])).status_code == 404
    bad = c.post(reverse("navigation:new"), {"kind": "region", "scope": "3709", "year_from": "二〇二〇"})
    assert bad.status_code == 200 and "年份" in bad.content.decode()


def test_failed_version_shows_its_reason(world: World) -> None:
    from patentbridge.patents.models import IndustryChain

    project = services.create_project(world.operator, {"kind": "chain", "scope": "AGRI"})
    IndustryChain.objects.filter(code="AGRI").delete()
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = services.request_report(world.operator, project)
    page = client_for(world.operator).get(reverse("navigation:report", args=[report.pk])).content.decode()
    assert 'data-state="failed"' in page and "未找到产业链" in page and "hx-trigger" not in page
    assert (
        client_for(world.operator).get(reverse("navigation:export_pdf", args=[report.pk])).status_code == 403
    )


def test_a_tto_is_offered_only_its_own_applicant_navigation(world: World) -> None:
    """The form offers a TTO 企业经营类 with its organisation prefilled; another kind posted anyway
    is a form error on the page (what was typed is kept), not a bare 403."""
    c = client_for(world.tto)
    page = c.get(reverse("navigation:new")).content.decode()
    assert page.count('<option value="') == 1 and 'value="applicant"' in page
    assert f'value="{world.uni.name}"' in page
    response = c.post(reverse("navigation:new"), {"kind": "rd", "scope": "A01N"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "A01N" in text  # the input is kept
    assert "errorlist" in text
    assert not NavigationReport.objects.exists()
    response = c.post(reverse("navigation:new"), {"kind": "applicant", "scope": "别的大学"})
    assert response.status_code == 200
    assert "只能对本单位" in response.content.decode()
    assert not NavigationReport.objects.exists()
