"""Need views by role: the list, posting a need (page and form errors), the need page and the
operators' IPC correction.

Enterprises post and see their own needs; universities and viewers see open needs; platform roles
see and correct everything. Refused posts and corrections store nothing and write no audit event;
invalid input comes back as a Chinese message with a 200 (never a 500).
"""

from __future__ import annotations

import pytest

from patentbridge.core.models import AuditEvent
from patentbridge.demands.models import TechNeed

from .conftest import make_user
from .factories import make_need, make_org
from .matrix import ALL_ROLES, PLATFORM, anonymous, client_for, queries, stripped_user

pytestmark = pytest.mark.django_db

POSTERS = ("admin", "operator", "enterprise")
NEED = {
    "title": "动力电池高温循环寿命提升",
    "description": "我们的锂离子电池在高温循环后容量衰减快，希望找到正极材料改性技术。",
    "wanted_mode": "licence",
}


@pytest.fixture
def needs(users):
    """An open and a closed need of the enterprise, and an open need of another company."""
    rival = make_user("rival", make_org("另一家企业", kind="enterprise"), "enterprise")
    open_need = make_need(users["enterprise"], title="开放的需求")
    closed = make_need(users["enterprise"], title="已关闭的需求")
    TechNeed.objects.filter(pk=closed.pk).update(status="closed")
    other = make_need(rival, title="别家企业的需求")
    return {"open": open_need, "closed": closed, "other": other, "rival": rival}


# --- the list ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"开放的需求", "已关闭的需求", "别家企业的需求"}),
        ("operator", {"开放的需求", "已关闭的需求", "别家企业的需求"}),
        ("enterprise", {"开放的需求", "已关闭的需求"}),
        ("tto", {"开放的需求", "别家企业的需求"}),
        ("college", {"开放的需求", "别家企业的需求"}),
        ("inventor", {"开放的需求", "别家企业的需求"}),
        ("other_tto", {"开放的需求", "别家企业的需求"}),
        ("viewer", {"开放的需求", "别家企业的需求"}),
    ],
)
def test_need_list_shows_what_each_role_may_see(users, needs, role, expected):
    """Platform roles see all; an enterprise its own (closed included); everyone else the open needs."""
    response = client_for(users[role]).get("/needs/")
    assert response.status_code == 200
    assert {n.title for n in response.context["page"]} == expected


def test_need_list_keyword_filter_stays_inside_the_visible_set(users, needs):
    """?q= matches title or description but never widens what the role may see."""
    client = client_for(users["tto"])
    assert {n.title for n in client.get("/needs/", {"q": "关闭"}).context["page"]} == set()
    assert {n.title for n in client.get("/needs/", {"q": "别家"}).context["page"]} == {"别家企业的需求"}
    assert client.get("/needs/", {"q": "低温余热"}).context["page"].paginator.count == 2  # description


def test_need_list_refuses_anonymous_and_members_of_nothing(db):
    response = anonymous().get("/needs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(stripped_user()).get("/needs/").status_code == 403


def test_need_list_queries_do_not_grow_with_needs(users):
    """The list shows each need's organisation without a query per row."""
    client = client_for(users["operator"])
    make_need(users["enterprise"])
    few = queries(client, "/needs/")
    for n in range(6):
        rival = make_user(f"company{n}", make_org(kind="enterprise"), "enterprise")
        make_need(rival)
    assert queries(client, "/needs/") == few


# --- posting -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_need_form_by_role(users, role):
    """Enterprises and platform roles open the form; everyone else gets a 403."""
    assert client_for(users[role]).get("/needs/new/").status_code == (200 if role in POSTERS else 403)


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r not in POSTERS])
def test_need_post_by_other_roles_is_refused(users, role):
    """A crafted POST from a university or a viewer is a 403 and stores nothing."""
    response = client_for(users[role]).post("/needs/new/", NEED)
    assert response.status_code == 403
    assert not TechNeed.objects.exists()
    assert not AuditEvent.objects.filter(action="demands.need.created").exists()


def test_enterprise_posts_for_its_own_organisation_only(users, orgs):
    """An enterprise's need belongs to its own company even when the POST names another one."""
    response = client_for(users["enterprise"]).post("/needs/new/", {**NEED, "org": orgs["company"].pk})
    need = TechNeed.objects.get()
    assert response.status_code == 302 and need.org == orgs["company"]
    other = make_org("冒名企业", kind="enterprise")
    client_for(users["enterprise"]).post("/needs/new/", {**NEED, "title": "冒名发布", "org": other.pk})
    assert TechNeed.objects.get(title="冒名发布").org == orgs["company"]


@pytest.mark.parametrize("role", PLATFORM)
def test_platform_roles_post_on_an_enterprises_behalf_and_it_is_audited(users, orgs, role):
    """Operators choose the company; the event names the operator as actor and the company as org."""
    response = client_for(users[role]).post("/needs/new/", {**NEED, "org": orgs["company"].pk})
    need = TechNeed.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/needs/{need.pk}/"
    assert need.org == orgs["company"] and need.created_by == users[role]
    event = AuditEvent.objects.get(action="demands.need.created")
    assert event.actor == users[role] and event.org == orgs["company"]
    assert event.target_id == str(need.pk)
    assert event.data["after"]["ipc"] == need.ipc


def test_operator_must_choose_the_company(users):
    """Without a company the operator's form comes back with a Chinese reason."""
    response = client_for(users["operator"]).post("/needs/new/", NEED)
    assert response.status_code == 200 and "请选择发布企业" in response.content.decode()
    assert not TechNeed.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "这个字段是必填项"),
        ({"description": ""}, "这个字段是必填项"),
        ({"title": "长" * 301}, "需求名称不能超过 300 字"),
        ({"description": "长" * 20_001}, "需求描述不能超过 20,000 字"),
        ({"budget_min": "50", "budget_max": "10"}, "预算上限不能低于下限"),
        ({"budget_min": "-1"}, "大于或等于0"),
        ({"budget_min": "很多"}, "输入一个数字"),
        ({"wanted_mode": "steal"}, "选择一个有效的选项"),
    ],
)
def test_invalid_need_form_is_a_chinese_message(users, changes, message):
    """Each invalid field comes back on the form (200) in Chinese; no need and no audit event."""
    response = client_for(users["enterprise"]).post("/needs/new/", {**NEED, **changes})
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert not TechNeed.objects.exists()


# --- the need page ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "open_status", "closed_status", "other_status"),
    [
        ("admin", 200, 200, 200),
        ("operator", 200, 200, 200),
        ("enterprise", 200, 200, 404),
        ("tto", 200, 404, 200),
        ("college", 200, 404, 200),
        ("inventor", 200, 404, 200),
        ("other_tto", 200, 404, 200),
        ("viewer", 200, 404, 200),
    ],
)
def test_need_page_by_role(users, needs, role, open_status, closed_status, other_status):
    """Closed needs only for their owner and the platform; another company's need is a 404 for an
    enterprise (no hint that it exists)."""
    client = client_for(users[role])
    assert client.get(f"/needs/{needs['open'].pk}/").status_code == open_status
    assert client.get(f"/needs/{needs['closed'].pk}/").status_code == closed_status
    assert client.get(f"/needs/{needs['other'].pk}/").status_code == other_status


@pytest.mark.parametrize("role", ALL_ROLES)
def test_curation_controls_only_for_platform_roles(users, needs, role):
    """The funnel and the correction form are rendered for operators only."""
    response = client_for(users[role]).get(f"/needs/{needs['open'].pk}/")
    assert response.context["may_curate"] is (role in PLATFORM)
    assert (response.context["funnel"] is not None) is (role in PLATFORM)


def test_missing_need_is_a_404(users):
    assert client_for(users["operator"]).get("/needs/999999/").status_code == 404


# --- IPC correction ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", PLATFORM)
def test_ipc_correction_by_platform_roles_is_saved_and_audited(users, needs, role):
    """The corrected IPC replaces the suggestion; the event has the IPC and chains before and after."""
    need = needs["open"]
    before = list(need.ipc)
    response = client_for(users[role]).post(f"/needs/{need.pk}/", {"ipc": "F25B30/02"})
    assert response.status_code == 302 and response["Location"] == f"/needs/{need.pk}/"
    need.refresh_from_db()
    assert need.ipc == ["F25B30/02"] and need.ipc_edited
    event = AuditEvent.objects.get(action="demands.need.classified")
    assert event.actor == users[role] and event.org == need.org
    assert event.data["before"]["ipc"] == before and event.data["after"]["ipc"] == ["F25B30/02"]


@pytest.mark.parametrize("role", ["enterprise", "tto", "college", "inventor", "other_tto", "viewer"])
def test_ipc_correction_by_other_roles_is_refused(users, needs, role):
    """Even the posting enterprise may not reclassify: 403, the IPC is unchanged, no event."""
    need = needs["open"]
    before = list(need.ipc)
    response = client_for(users[role]).post(f"/needs/{need.pk}/", {"ipc": "F25B30/02"})
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.ipc == before and not need.ipc_edited
    assert not AuditEvent.objects.filter(action="demands.need.classified").exists()


def test_ipc_correction_of_an_invisible_need_is_a_404(users, needs):
    """A university cannot even reach another company's closed need to reclassify it."""
    assert client_for(users["tto"]).post(f"/needs/{needs['closed'].pk}/", {"ipc": "H01M"}).status_code == 404


@pytest.mark.parametrize(
    ("ipc", "message"), [("坏号", "IPC分类号无法识别：坏号"), ("", "IPC分类号无法识别：（空）")]
)
def test_invalid_ipc_is_a_chinese_message(users, needs, ipc, message):
    """An unreadable code is named in the message; the need keeps its classification."""
    need = needs["open"]
    before = list(need.ipc)
    response = client_for(users["operator"]).post(f"/needs/{need.pk}/", {"ipc": ipc}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    need.refresh_from_db()
    assert need.ipc == before and not need.ipc_edited
