"""Grading views by role: the policy page, the public implementation list (page, export, route),
grade overrides, recorded implementations and pre-filing assessments.

Each state-changing view is tried by every role: the allowed ones change the record and leave an
audit event naming the actor, the organisation and the before/after values; the others get a 403
(or a 404 where the record must not be revealed) and change nothing. Invalid input is a Chinese
message on the next page, never a 500.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from patentbridge.core.models import AuditEvent
from patentbridge.grading.models import Assessment, Implementation, PatentGrade, PublicListEntry
from patentbridge.grading.public_list import recompute_public_list

from .factories import make_grade, make_patent
from .matrix import ALL_ROLES, anonymous, client_for, queries, stripped_user

pytestmark = pytest.mark.django_db

# Who may act for a university's patent (may_act_for): platform roles and that university's TTO staff
# (the college reviewer is a TTO of the same university).
ACTORS = ("admin", "operator", "tto", "college")
OUTSIDERS = ("inventor", "other_tto", "enterprise", "viewer")
ASSESSORS = ("admin", "operator", "tto", "college", "inventor", "other_tto")


def _funded(orgs, **fields):
    """A granted, fiscally funded Jinan patent of the university, in the library."""
    values = dict(
        owner=orgs["uni"],
        title="一种财政资助的余热回收装置",
        legal_status="granted",
        fiscal_funded=True,
        fiscal_project="鲁科字2018-001",
        filing_date=dt.date(2016, 1, 5),
        grant_date=dt.date(2018, 3, 1),
        province="山东省",
        city="济南市",
    )
    values.update(fields)
    return make_patent(**values)


@pytest.fixture
def listed(orgs):
    """A funded patent on the Shandong and Jinan lists (granted more than five years ago)."""
    patent = _funded(orgs)
    recompute_public_list()
    assert PublicListEntry.objects.filter(patent=patent, left_on=None).count() == 2
    return patent


@pytest.fixture
def graded(orgs):
    patent = make_patent(owner=orgs["uni"], title="一种可调分级的传感器")
    make_grade(patent)
    return patent


# --- the policy page -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_policy_page_is_open_to_every_role(users, role):
    """The grading policy is public to members: every role reads the versions and the weights."""
    response = client_for(users[role]).get("/grading/policy/")
    assert response.status_code == 200
    assert "PB-GRADE-2024.1" in response.content.decode()


def test_policy_page_needs_a_login_and_a_membership(db):
    """Anonymous visitors are sent to the login; an account without an organisation gets a 403."""
    response = anonymous().get("/grading/policy/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(stripped_user()).get("/grading/policy/").status_code == 403


# --- the public list page and its export --------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_public_list_page_shows_library_entries_to_every_role(users, listed, role):
    """The list is of library patents, so every role sees both entries of the listed patent."""
    response = client_for(users[role]).get("/grading/public-list/")
    assert response.status_code == 200
    numbers = [e.patent.application_number for e in response.context["page"]]
    assert numbers.count(listed.application_number) == 2


@pytest.mark.parametrize("role", ALL_ROLES)
def test_route_buttons_only_for_those_who_may_act(users, listed, role):
    """The route form is rendered for the patentee's side and the operators only."""
    page = client_for(users[role]).get("/grading/public-list/").content.decode()
    assert ('data-testid="route-save"' in page) == (role in ACTORS)


def test_public_list_hides_entries_of_patents_a_role_may_not_see(users, orgs):
    """An entry of a patent still in review is listed for its own university, never for outsiders."""
    pending = _funded(orgs, status="pending_university")
    recompute_public_list()
    assert PublicListEntry.objects.filter(patent=pending).exists()
    for role, seen in (("tto", True), ("operator", True), ("other_tto", False), ("enterprise", False)):
        page = client_for(users[role]).get("/grading/public-list/").context["page"]
        assert any(e.patent_id == pending.pk for e in page) is seen, role


@pytest.mark.parametrize("role", ALL_ROLES)
def test_public_list_export_is_an_xlsx_of_what_the_role_sees(users, listed, role):
    """Every role may export; the sheet has the Chinese header and one row per visible entry."""
    response = client_for(users[role]).get("/grading/public-list/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "地区" and sheet.cell(1, 2).value == "申请号"
    assert sheet.max_row == 3


def test_public_list_jurisdiction_filter_and_show_all(users, listed):
    """?jurisdiction= narrows to one list; entries that left are shown only with ?show=all."""
    client = client_for(users["viewer"])
    jinan = client.get("/grading/public-list/", {"jurisdiction": "jinan"}).context["page"]
    assert [e.jurisdiction for e in jinan] == ["jinan"]
    PublicListEntry.objects.filter(jurisdiction="jinan").update(left_on=dt.date(2024, 1, 1))
    assert client.get("/grading/public-list/").context["page"].paginator.count == 1
    assert client.get("/grading/public-list/", {"show": "all"}).context["page"].paginator.count == 2


# --- choosing a route ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ACTORS)
def test_route_choice_by_the_patentees_side_is_saved_and_audited(users, listed, role):
    """Operators and the university's TTO staff choose the route; the audit event names the actor,
    the owning organisation and the route before and after."""
    entry = PublicListEntry.objects.get(patent=listed, jurisdiction="shandong")
    response = client_for(users[role]).post(
        f"/grading/public-list/{entry.pk}/route/", {"route": "exchange", "note": "拟在齐鲁技术产权交易所挂牌"}
    )
    assert response.status_code == 302 and response["Location"] == "/grading/public-list/"
    entry.refresh_from_db()
    assert (entry.route, entry.route_by) == ("exchange", users[role])
    event = AuditEvent.objects.get(action="grading.public_list.route_chosen")
    assert event.actor == users[role] and event.org == listed.owner_org
    assert event.target_id == str(listed.pk)
    assert event.data["before"] == {"route": "", "note": ""}
    assert event.data["after"] == {"route": "exchange", "note": "拟在齐鲁技术产权交易所挂牌"}


@pytest.mark.parametrize("role", OUTSIDERS)
def test_route_choice_by_anyone_else_is_refused(users, listed, role):
    """Inventors, other universities, enterprises and viewers get a 403 and the entry is unchanged."""
    entry = PublicListEntry.objects.get(patent=listed, jurisdiction="shandong")
    response = client_for(users[role]).post(f"/grading/public-list/{entry.pk}/route/", {"route": "exchange"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.route == "" and entry.route_by is None
    assert not AuditEvent.objects.filter(action="grading.public_list.route_chosen").exists()


def test_route_choice_for_an_invisible_patent_is_a_404(users, orgs):
    """An entry of another university's unapproved patent does not exist for an outsider."""
    pending = _funded(orgs, status="pending_university")
    recompute_public_list()
    entry = PublicListEntry.objects.filter(patent=pending).first()
    response = client_for(users["other_tto"]).post(
        f"/grading/public-list/{entry.pk}/route/", {"route": "exchange"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("route", "message"),
    [("sell", "请选择“在交易平台挂牌”或“开放许可声明”"), ("", "请选择“在交易平台挂牌”或“开放许可声明”")],
)
def test_invalid_route_is_a_chinese_message_not_an_error(users, listed, route, message):
    """An unknown route redirects back with the reason shown on the list page."""
    entry = PublicListEntry.objects.get(patent=listed, jurisdiction="shandong")
    client = client_for(users["tto"])
    response = client.post(f"/grading/public-list/{entry.pk}/route/", {"route": route}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    entry.refresh_from_db()
    assert entry.route == ""


def test_route_on_an_entry_that_left_the_list_is_refused(users, listed):
    """Once a patent left the list its route cannot be chosen any more."""
    entry = PublicListEntry.objects.get(patent=listed, jurisdiction="shandong")
    PublicListEntry.objects.filter(pk=entry.pk).update(left_on=dt.date(2024, 1, 1))
    response = client_for(users["operator"]).post(
        f"/grading/public-list/{entry.pk}/route/", {"route": "exchange"}, follow=True
    )
    assert "该专利已移出清单" in response.content.decode()
    entry.refresh_from_db()
    assert entry.route == ""


def test_route_view_refuses_get(users, listed):
    """A state change is never made by GET: 405."""
    entry = PublicListEntry.objects.first()
    assert client_for(users["operator"]).get(f"/grading/public-list/{entry.pk}/route/").status_code == 405


def test_route_for_a_missing_entry_is_a_404(users):
    assert (
        client_for(users["operator"])
        .post("/grading/public-list/999999/route/", {"route": "exchange"})
        .status_code
        == 404
    )


# --- grade overrides ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ACTORS)
def test_override_by_the_owners_side_is_saved_and_audited(users, graded, role):
    """The override keeps the computed grade beside it; the event has before/after and the computed grade."""
    row = PatentGrade.objects.get(patent=graded)
    target = "A" if row.grade != "A" else "D"
    response = client_for(users[role]).post(
        f"/grading/patents/{graded.application_number}/override/",
        {"grade": target, "reason": "已与企业达成许可意向"},
    )
    assert response.status_code == 302 and response["Location"] == f"/patents/{graded.application_number}/"
    row.refresh_from_db()
    assert (row.override, row.final, row.override_by) == (target, target, users[role])
    event = AuditEvent.objects.get(action="grading.grade.overridden")
    assert event.actor == users[role] and event.org == graded.owner_org
    assert event.data["before"] == {"override": "", "reason": "", "final": row.grade}
    assert event.data["after"] == {"override": target, "reason": "已与企业达成许可意向", "final": target}
    assert event.data["computed"]["grade"] == row.grade


@pytest.mark.parametrize("role", OUTSIDERS)
def test_override_by_anyone_else_is_refused(users, graded, role):
    """Everyone outside the owner's side gets a 403; the grade and the audit log are unchanged."""
    before = PatentGrade.objects.values().get(patent=graded)
    response = client_for(users[role]).post(
        f"/grading/patents/{graded.application_number}/override/", {"grade": "A", "reason": "越权调整尝试"}
    )
    assert response.status_code == 403
    assert PatentGrade.objects.values().get(patent=graded) == before
    assert not AuditEvent.objects.filter(action__startswith="grading.grade.override").exists()


def test_override_of_an_invisible_patent_is_a_404(users, orgs):
    """Another university's draft is not revealed by the override URL."""
    draft = make_patent(owner=orgs["uni"], status="draft")
    make_grade(draft)
    response = client_for(users["other_tto"]).post(
        f"/grading/patents/{draft.application_number}/override/", {"grade": "A", "reason": "越权调整尝试"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("grade", "reason", "message"),
    [
        ("E", "理由充分的说明", "分级只能是 A、B、C、D"),
        ("A", "好", "请写明调整分级的理由（至少 4 个字）"),
        ("A", "   ", "请写明调整分级的理由（至少 4 个字）"),
    ],
)
def test_invalid_override_is_a_chinese_message(users, graded, grade, reason, message):
    """A wrong letter or a missing reason is explained on the patent page; nothing is saved."""
    response = client_for(users["tto"]).post(
        f"/grading/patents/{graded.application_number}/override/",
        {"grade": grade, "reason": reason},
        follow=True,
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert PatentGrade.objects.get(patent=graded).override == ""


def test_override_before_grading_is_explained(users, orgs):
    """A patent without a computed grade cannot be overridden yet; the user is told to wait."""
    patent = make_patent(owner=orgs["uni"])
    response = client_for(users["tto"]).post(
        f"/grading/patents/{patent.application_number}/override/",
        {"grade": "A", "reason": "已有许可意向"},
        follow=True,
    )
    assert "该专利尚未完成系统分级，请稍后再调整" in response.content.decode()
    assert not PatentGrade.objects.filter(patent=patent).exists()


def test_removing_an_override_is_audited_with_its_own_action(users, graded):
    """An empty grade removes the override: final is the computed grade again, audited as removed."""
    client = client_for(users["tto"])
    url = f"/grading/patents/{graded.application_number}/override/"
    client.post(url, {"grade": "A", "reason": "已有许可意向书"})
    client.post(url, {"grade": "", "reason": ""})
    row = PatentGrade.objects.get(patent=graded)
    assert row.override == "" and row.final == row.grade and row.override_by is None
    event = AuditEvent.objects.get(action="grading.grade.override_removed")
    assert event.data["before"]["override"] == "A" and event.data["after"]["override"] == ""


def test_override_refuses_get(users, graded):
    assert (
        client_for(users["tto"]).get(f"/grading/patents/{graded.application_number}/override/").status_code
        == 405
    )


# --- recorded implementations -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ACTORS)
def test_implementation_by_the_owners_side_takes_the_patent_off_the_list(users, listed, role):
    """Recording a licence removes the patent from every list at once; the record and both the
    recording and the leaving are audited."""
    response = client_for(users[role]).post(
        f"/grading/patents/{listed.application_number}/implementation/",
        {"kind": "licence", "date": "2024-03-01", "evidence": "许可合同 2024-017"},
    )
    assert response.status_code == 302
    record = Implementation.objects.get(patent=listed)
    assert (record.kind, record.date, record.recorded_by) == ("licence", dt.date(2024, 3, 1), users[role])
    assert not PublicListEntry.objects.filter(patent=listed, left_on=None).exists()
    event = AuditEvent.objects.get(action="grading.implementation.recorded")
    assert event.actor == users[role] and event.org == listed.owner_org
    assert event.data == {"kind": "licence", "date": "2024-03-01", "evidence": "许可合同 2024-017"}
    assert AuditEvent.objects.filter(action="grading.public_list.left", target_id=str(listed.pk)).count() == 2


@pytest.mark.parametrize("role", OUTSIDERS)
def test_implementation_by_anyone_else_is_refused(users, listed, role):
    """Outsiders get a 403; nothing is recorded and the patent stays listed."""
    response = client_for(users[role]).post(
        f"/grading/patents/{listed.application_number}/implementation/",
        {"kind": "self", "date": "2024-03-01", "evidence": "销售发票"},
    )
    assert response.status_code == 403
    assert not Implementation.objects.exists()
    assert PublicListEntry.objects.filter(patent=listed, left_on=None).count() == 2


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "self", "date": "", "evidence": "销售发票"}, "请填写实施日期（YYYY-MM-DD）"),
        ({"kind": "self", "date": "2024-13-40", "evidence": "销售发票"}, "请填写实施日期（YYYY-MM-DD）"),
        ({"kind": "sold", "date": "2024-03-01", "evidence": "销售发票"}, "请选择实施方式"),
        ({"kind": "self", "date": "2024-03-01", "evidence": "  "}, "请说明证明材料"),
        ({"kind": "self", "date": "2999-01-01", "evidence": "销售发票"}, "实施日期不能晚于今天"),
    ],
)
def test_invalid_implementation_is_a_chinese_message(users, listed, form, message):
    """Each invalid field is named in Chinese on the next page; nothing is recorded."""
    response = client_for(users["tto"]).post(
        f"/grading/patents/{listed.application_number}/implementation/", form, follow=True
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Implementation.objects.exists()


def test_implementation_redirect_follows_a_local_next_only(users, listed):
    """The form may send the user back to the patent page, never to another site."""
    client = client_for(users["tto"])
    url = f"/grading/patents/{listed.application_number}/implementation/"
    form = {"kind": "self", "date": "2024-03-01", "evidence": "销售发票"}
    local = client.post(url, {**form, "next": f"/patents/{listed.application_number}/"})
    assert local["Location"] == f"/patents/{listed.application_number}/"
    foreign = client.post(url, {**form, "next": "https://evil.example/"})
    assert foreign["Location"] == "/grading/public-list/"


# --- pre-filing assessment ------------------------------------------------------------------------

DRAFT = {
    "title": "一种用于工业蒸汽制取的高温热泵系统",
    "abstract": "本发明公开一种高温热泵系统，回收工业低温余热，经两级压缩把热量提升到120℃以上，直接产生工业用蒸汽。",
    "claims": "1. 一种高温热泵系统，包括压缩机、冷凝器和闪蒸罐。\n2. 根据权利要求1所述的系统，采用两级压缩。",
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_assessment_page_by_role(users, role):
    """Universities' staff, inventors and operators assess drafts; enterprises and viewers get a 403."""
    status = client_for(users[role]).get("/grading/assess/").status_code
    assert status == (200 if role in ASSESSORS else 403)


@pytest.mark.parametrize("role", ["enterprise", "viewer"])
def test_assessment_post_refused_for_roles_without_it(users, role):
    """A POST from a role without the right saves nothing."""
    response = client_for(users[role]).post("/grading/assess/", DRAFT)
    assert response.status_code == 403 and not Assessment.objects.exists()


def test_assessment_is_saved_for_the_authors_organisation_and_audited(users, chains):
    """The report is saved under the author's organisation; the event has the actor, the org and the
    predicted grade; the author is redirected to the printable report."""
    response = client_for(users["inventor"]).post("/grading/assess/", DRAFT)
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/grading/assess/{assessment.pk}/"
    assert assessment.org == users["inventor"].membership.org and assessment.created_by == users["inventor"]
    event = AuditEvent.objects.get(action="grading.assessment.created")
    assert event.actor == users["inventor"] and event.org == assessment.org
    assert event.data["predicted_grade"] == assessment.report["predicted"]["grade"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("inventor", 200),
        ("tto", 200),
        ("college", 200),
        ("operator", 404),
        ("admin", 404),
        ("other_tto", 404),
        ("enterprise", 404),
        ("viewer", 404),
    ],
)
def test_assessment_report_only_for_the_authors_organisation(users, chains, role, status):
    """Drafts are confidential: only members of the author's organisation open the report (not even
    operators); everyone else gets a 404 that does not reveal it exists."""
    client_for(users["inventor"]).post("/grading/assess/", DRAFT)
    assessment = Assessment.objects.get()
    assert client_for(users[role]).get(f"/grading/assess/{assessment.pk}/").status_code == status


def test_assessment_list_shows_only_the_own_organisations_reports(users, chains):
    """The assess page lists the organisation's own saved reports and no one else's."""
    client_for(users["inventor"]).post("/grading/assess/", DRAFT)
    client_for(users["other_tto"]).post("/grading/assess/", {**DRAFT, "title": "另一所大学的草稿"})
    mine = client_for(users["tto"]).get("/grading/assess/").context["page"]
    theirs = client_for(users["other_tto"]).get("/grading/assess/").context["page"]
    assert [a.title for a in mine] == [DRAFT["title"]]
    assert [a.title for a in theirs] == ["另一所大学的草稿"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"title": "", "abstract": DRAFT["abstract"]}, "请填写发明名称和不少于 20 字的技术方案摘要"),
        ({"title": "热泵", "abstract": "太短的摘要"}, "请填写发明名称和不少于 20 字的技术方案摘要"),
        ({"title": "长" * 301, "abstract": DRAFT["abstract"]}, "发明名称不能超过 300 字"),
        ({"title": "热泵", "abstract": "长" * 50_001}, "技术方案摘要与权利要求合计不能超过 50,000 字"),
    ],
)
def test_invalid_draft_is_a_chinese_message_and_saves_nothing(users, form, message):
    """The form comes back (200) with the reason in Chinese; no report and no audit event."""
    response = client_for(users["inventor"]).post("/grading/assess/", form, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(action="grading.assessment.created").exists()


def test_missing_assessment_is_a_404(users):
    assert client_for(users["tto"]).get("/grading/assess/999999/").status_code == 404


# --- query counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["operator", "viewer"])
def test_public_list_page_queries_do_not_grow_with_entries(users, orgs, role):
    """One listed patent or six: the page costs the same number of queries for these roles."""
    client = client_for(users[role])
    _funded(orgs)
    recompute_public_list()
    client.get("/grading/public-list/")
    few = queries(client, "/grading/public-list/")
    for _ in range(5):
        _funded(orgs)
    recompute_public_list()
    client.get("/grading/public-list/")
    assert PublicListEntry.objects.count() == 12
    assert queries(client, "/grading/public-list/") == few


def test_public_list_page_queries_do_not_grow_with_entries_for_a_tto(users, orgs):
    """A TTO's list page (route buttons decided per row) must not cost a query per listed entry."""
    client = client_for(users["tto"])
    _funded(orgs)
    recompute_public_list()
    client.get("/grading/public-list/")
    few = queries(client, "/grading/public-list/")
    for _ in range(5):
        _funded(orgs)
    recompute_public_list()
    client.get("/grading/public-list/")
    assert queries(client, "/grading/public-list/") == few


def test_public_list_export_queries_do_not_grow_with_entries(users, orgs):
    """The XLSX export reads the entries with their patents in a fixed number of queries."""
    client = client_for(users["operator"])
    _funded(orgs)
    recompute_public_list()
    few = queries(client, "/grading/public-list/export/")
    for _ in range(5):
        _funded(orgs)
    recompute_public_list()
    assert queries(client, "/grading/public-list/export/") == few


def test_assessment_list_queries_do_not_grow_with_reports(users):
    """The saved-reports list is a fixed number of queries however many reports there are."""
    org = users["tto"].membership.org
    Assessment.objects.create(org=org, created_by=users["tto"], title="草稿0", abstract="摘要" * 20)
    client = client_for(users["tto"])
    few = queries(client, "/grading/assess/")
    for n in range(1, 8):
        Assessment.objects.create(org=org, created_by=users["tto"], title=f"草稿{n}", abstract="摘要" * 20)
    assert queries(client, "/grading/assess/") == few
