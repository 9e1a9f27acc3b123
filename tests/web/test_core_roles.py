"""Core and library views by role: home, the search page, notifications, the profile and its API
tokens, the audit log, the library list/detail/export, the entry form, the review queue and its
actions, and the chain configuration.

Every role is tried on every view; a refusal is a 403 (or a 404 where a record must not be
revealed) and changes nothing. State changes are audited with actor, organisation and before/after.
"""

from __future__ import annotations

import json

import pytest

from patentbridge.accounts.models import ApiToken
from patentbridge.core.models import AuditEvent, Notification
from patentbridge.patents.models import IndustryChain, Patent
from patentbridge.search.index import update_index

from .factories import HEAT_PUMP, chain_patent, make_notification, make_patent, make_token, patent_row
from .matrix import ALL_ROLES, PLATFORM, anonymous, client_for, queries, stripped_user

pytestmark = pytest.mark.django_db

REVIEWERS = ("admin", "operator", "tto", "college", "other_tto")
CREATORS = ("admin", "operator", "tto", "college", "inventor", "other_tto")
AUDITORS = ("admin", "operator", "tto", "college", "other_tto")


@pytest.fixture
def states(users):
    """The university's patents in every state of the chain, entered by its inventor."""
    return {
        status: chain_patent(status, inventor=users["inventor"], reviewer=users["tto"])
        for status in ("draft", "pending_college", "pending_university", "in_library", "rejected")
    }


# --- home ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "total"),
    [
        ("admin", 5),
        ("operator", 5),
        ("tto", 5),
        ("college", 5),
        ("inventor", 5),
        ("other_tto", 1),
        ("enterprise", 1),
        ("viewer", 1),
    ],
)
def test_home_counts_only_what_the_role_may_see(users, states, role, total):
    """The overview counts the university's unapproved records only for the university and the platform."""
    response = client_for(users[role]).get("/")
    assert response.status_code == 200 and response.context["total"] == total


def test_home_needs_a_login(db):
    response = anonymous().get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_shows_only_the_own_organisations_notices(users, orgs):
    make_notification(orgs["uni"], "西安交通大学的通知")
    make_notification(orgs["other_uni"], "山东大学的通知")
    notices = [n.message for n in client_for(users["tto"]).get("/").context["notices"]]
    assert notices == ["西安交通大学的通知"]
    assert list(client_for(stripped_user()).get("/").context["notices"]) == []


# --- the search page -------------------------------------------------------------------------------------


@pytest.fixture
def indexed(users, orgs):
    """A library heat-pump patent and the university's pending one, both in the search index."""
    library = make_patent(owner=orgs["centre"], **HEAT_PUMP)
    pending = make_patent(
        owner=orgs["uni"], status="pending_college", **{**HEAT_PUMP, "title": "一种余热制蒸汽热泵（待审）"}
    )
    update_index([library.application_number, pending.application_number])
    return {"library": library, "pending": pending}


@pytest.mark.parametrize(
    ("role", "sees_pending"),
    [
        ("admin", True),
        ("operator", True),
        ("tto", True),
        ("college", True),
        ("inventor", False),
        ("other_tto", False),
        ("enterprise", False),
        ("viewer", False),
    ],
)
def test_search_page_ranks_only_what_the_role_may_see(users, indexed, role, sees_pending):
    """Every role searches; the university's pending record is found only by its own side."""
    response = client_for(users[role]).get("/search/", {"q": "余热 热泵 蒸汽"})
    assert response.status_code == 200
    found = {r.patent.application_number for r in response.context["page"]}
    assert indexed["library"].application_number in found
    assert (indexed["pending"].application_number in found) is sees_pending


def test_search_page_refuses_anonymous_and_members_of_nothing(db):
    response = anonymous().get("/search/", {"q": "热泵"})
    assert response.status_code == 302
    assert client_for(stripped_user()).get("/search/", {"q": "热泵"}).status_code == 403


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "热泵", "filing_year": "0"}, "申请年份应为 1985–2100 之间的四位数字，已忽略：0"),
        ({"q": "热泵", "grade": "E"}, "价值分级取值应为 A、B、C、D 之一，已忽略：E"),
        ({"q": "热泵", "high_value": "yes"}, "高价值发明专利取值应为 1、0 之一，已忽略：yes"),
    ],
)
def test_search_page_explains_invalid_filters_instead_of_failing(users, indexed, params, message):
    """A bad filter value is ignored with a Chinese warning; the search still answers."""
    response = client_for(users["viewer"]).get("/search/", params)
    assert response.status_code == 200 and message in response.content.decode()
    assert response.context["page"].paginator.count >= 1


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999"])
def test_search_page_survives_junk_page_numbers(users, indexed, page):
    assert client_for(users["viewer"]).get("/search/", {"q": "热泵", "page": page}).status_code == 200


def test_search_page_queries_do_not_grow_with_hits(users, orgs):
    """One hit or seven: the results page is the same number of queries."""
    client = client_for(users["operator"])
    first = make_patent(owner=orgs["centre"], **HEAT_PUMP)
    update_index([first.application_number])
    client.get("/search/", {"q": "余热 热泵"})
    few = queries(client, "/search/?q=余热+热泵")
    more = [make_patent(owner=orgs["centre"], **{**HEAT_PUMP, "title": f"一种余热热泵{n}"}) for n in range(6)]
    update_index([p.application_number for p in more])
    client.get("/search/", {"q": "余热 热泵"})
    response_count = len(client.get("/search/", {"q": "余热 热泵"}).context["page"])
    assert response_count == 7
    assert queries(client, "/search/?q=余热+热泵") == few


# --- notifications ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_notifications_page_shows_the_own_organisations_only(users, orgs, role):
    """Every member opens the page and sees only its organisation's notifications."""
    mine = make_notification(users[role].membership.org, "本单位通知")
    make_notification(orgs["gov"] if role != "viewer" else orgs["company"], "别的单位的通知")
    response = client_for(users[role]).get("/notifications/")
    assert response.status_code == 200
    assert [n.pk for n in response.context["page"]] == [mine.pk]


def test_opening_notifications_marks_them_read_once_and_audits_it(users, orgs):
    """The unread ones are highlighted on this visit and marked read; one audit event lists them."""
    first = make_notification(orgs["uni"], "第一条")
    second = make_notification(orgs["uni"], "第二条")
    already = make_notification(orgs["uni"], "已读", read=True)
    response = client_for(users["tto"]).get("/notifications/")
    assert response.context["unread"] == {first.pk, second.pk}
    assert not Notification.objects.filter(org=orgs["uni"], read_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="core.notifications.read")
    assert event.actor == users["tto"] and event.org == orgs["uni"]
    assert sorted(event.data["ids"]) == sorted([first.pk, second.pk]) and already.pk not in event.data["ids"]
    client_for(users["inventor"]).get("/notifications/")  # a colleague: nothing new, no event
    assert AuditEvent.objects.filter(action="core.notifications.read").count() == 1


def test_notifications_of_a_member_of_nothing_are_empty(db):
    response = client_for(stripped_user()).get("/notifications/")
    assert response.status_code == 200 and list(response.context["page"]) == []


def test_notifications_queries_do_not_grow_with_notifications(users, orgs):
    client = client_for(users["tto"])
    make_notification(orgs["uni"], read=True)
    few = queries(client, "/notifications/")
    for n in range(9):
        make_notification(orgs["uni"], f"通知{n}", read=True)
    assert queries(client, "/notifications/") == few


# --- profile and tokens -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_manages_its_own_tokens(users, role):
    """Creating a token is open to every member; the creation is audited with the user as actor."""
    client = client_for(users[role])
    assert client.get("/accounts/profile/").status_code == 200
    response = client.post("/accounts/profile/tokens/", {"name": "同步脚本"})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    token = ApiToken.objects.get(user=users[role])
    event = AuditEvent.objects.get(action="accounts.token.created")
    assert event.actor == users[role] and event.data == {"name": "同步脚本", "user": users[role].username}
    assert event.target_id == str(token.pk)


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != "tto"])
def test_nobody_revokes_someone_elses_token(users, role):
    """Another user's token is a 404 on the revoke URL (administrators included: the page is self-service)."""
    token, _ = make_token(users["tto"])
    response = client_for(users[role]).post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert not AuditEvent.objects.filter(action="accounts.token.revoked").exists()


def test_revoking_the_own_token_is_audited_with_name_and_owner(users):
    token, key = make_token(users["tto"], "旧令牌")
    response = client_for(users["tto"]).post(f"/accounts/profile/tokens/{token.pk}/revoke/", follow=True)
    assert "已吊销令牌“旧令牌”" in response.content.decode()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    event = AuditEvent.objects.get(action="accounts.token.revoked")
    assert event.actor == users["tto"] and event.data == {"name": "旧令牌", "user": "tto"}
    assert anonymous().get("/api/patents", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.parametrize(("name", "message"), [("", "令牌用途不能为空"), ("长" * 101, "不超过 100 字")])
def test_invalid_token_name_is_a_chinese_message(users, name, message):
    response = client_for(users["tto"]).post("/accounts/profile/tokens/", {"name": name}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("url", ["/accounts/profile/tokens/", "/accounts/profile/tokens/1/revoke/"])
def test_token_views_refuse_get_and_anonymous_posts(users, url):
    assert client_for(users["tto"]).get(url).status_code == 405
    response = anonymous().post(url, {"name": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ApiToken.objects.exists()


def test_profile_queries_do_not_grow_with_tokens(users):
    client = client_for(users["tto"])
    make_token(users["tto"], "令牌0")
    few = queries(client, "/accounts/profile/")
    for n in range(1, 8):
        make_token(users["tto"], f"令牌{n}")
    assert queries(client, "/accounts/profile/") == few


# --- audit log -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_audit_log_by_role(users, states, role):
    """Platform roles see every event; TTO staff their organisation's; everyone else a 403."""
    response = client_for(users[role]).get("/audit/")
    if role not in AUDITORS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    orgs_seen = {e.org_id for e in response.context["page"]}
    if role in PLATFORM:
        assert users["tto"].membership.org_id in orgs_seen
    else:
        assert orgs_seen <= {users[role].membership.org_id}
        assert (users["tto"].membership.org_id in orgs_seen) is (role != "other_tto")


def test_audit_log_action_filter(users, states):
    """?action= narrows to events whose action starts with it."""
    page = client_for(users["operator"]).get("/audit/", {"action": "patents.patent.rejected"}).context["page"]
    assert [e.action for e in page] == ["patents.patent.rejected"]


def test_audit_log_queries_do_not_grow_with_events(users):
    """Fifty events or five: the log page costs the same (organisation read with the events)."""
    client = client_for(users["operator"])
    chain_patent("draft", inventor=users["inventor"], reviewer=users["tto"])
    few = queries(client, "/audit/")
    for _ in range(6):
        chain_patent("in_library", inventor=users["inventor"], reviewer=users["tto"])
    assert AuditEvent.objects.count() > 20
    assert queries(client, "/audit/") == few


# --- the library: list, detail, export -------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("admin", {"draft", "pending_college", "pending_university", "in_library", "rejected"}),
        ("operator", {"draft", "pending_college", "pending_university", "in_library", "rejected"}),
        ("tto", {"draft", "pending_college", "pending_university", "in_library", "rejected"}),
        ("college", {"draft", "pending_college", "pending_university", "in_library", "rejected"}),
        ("inventor", {"draft", "pending_college", "pending_university", "in_library", "rejected"}),
        ("other_tto", {"in_library"}),
        ("enterprise", {"in_library"}),
        ("viewer", {"in_library"}),
    ],
)
def test_library_list_detail_export_and_api_agree_by_role(users, states, role, visible):
    """The list, each detail page, the CSV export and the API show exactly the same records."""
    client = client_for(users[role])
    expected = {states[s].application_number for s in visible}
    listed = {p.application_number for p in client.get("/patents/").context["page"]}
    exported = {
        line.split(",", 1)[0]
        for line in client.get("/patents/export/", {"format": "csv"})
        .content.decode("utf-8-sig")
        .splitlines()[1:]
    }
    api = {p["application_number"] for p in client.get("/api/patents").json()["results"]}
    assert listed == exported == api == expected
    for status, patent in states.items():
        code = client.get(f"/patents/{patent.application_number}/").status_code
        assert code == (200 if status in visible else 404), status


# --- the entry form ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_entry_form_by_role(users, role):
    """Inventors, TTO staff and operators enter patents; enterprises and viewers get a 403."""
    assert client_for(users[role]).get("/patents/new/").status_code == (200 if role in CREATORS else 403)


@pytest.mark.parametrize("role", ["enterprise", "viewer"])
def test_entry_post_by_roles_without_it_is_refused(users, role):
    response = client_for(users[role]).post("/patents/new/", patent_row())
    assert response.status_code == 403 and not Patent.objects.exists()


@pytest.mark.parametrize("role", CREATORS)
def test_entry_is_saved_owned_and_audited(users, role):
    """The record belongs to the actor's organisation; the event names actor, org and the new status."""
    data = patent_row()
    response = client_for(users[role]).post("/patents/new/", {**data, "submit": "1"})
    patent = Patent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/patents/{patent.application_number}/"
    assert patent.owner_org == users[role].membership.org and patent.submitted_by == users[role]
    assert patent.library_status == "pending_college"
    event = AuditEvent.objects.get(action="patents.patent.created")
    assert event.actor == users[role] and event.org == users[role].membership.org
    assert event.data == {"after": {"library_status": "pending_college"}, "source": "form"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"application_number": ""}, "这个字段是必填项"),
        ({"title": ""}, "这个字段是必填项"),
        ({"application_number": "202310123456.1"}, "申请号校验位错误"),
        ({"application_number": "不是申请号"}, "申请号格式不正确"),
        ({"title": "长" * 501}, "确保该变量包含不超过 500 字符"),
        ({"self_assessment": "excellent"}, "选择一个有效的选项"),
    ],
)
def test_invalid_entry_is_a_chinese_form_error(users, changes, message):
    """The form comes back (200) with the reason in Chinese; nothing is stored."""
    response = client_for(users["inventor"]).post("/patents/new/", {**patent_row(), **changes})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Patent.objects.exists()


# --- review queue and actions --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_review_queue_by_role(users, states, role):
    """Reviewers reach the queue and see only what they may review; others get a 403."""
    response = client_for(users[role]).get("/patents/review/")
    if role not in REVIEWERS:
        assert response.status_code == 403
        return
    numbers = {p.application_number for p in response.context["patents"]}
    pending = {states[s].application_number for s in ("pending_college", "pending_university")}
    if role in PLATFORM:
        assert numbers == pending
    elif role == "other_tto":
        assert numbers == set()
    elif role == "college":
        # The college reviewer acts on the college step of their college only; patent_row names none.
        assert numbers == set()
    else:
        assert numbers == pending


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", "pending_university"),
        ("operator", "pending_university"),
        ("tto", "pending_university"),
        ("other_tto", "pending_college"),
        ("college", "pending_college"),
        ("inventor", "pending_college"),
    ],
)
def test_college_step_by_role(users, states, role, status):
    """Only reviewers of the owning side move a patent past the college step (other universities
    and a college reviewer of another college cannot); refusals leave the status unchanged."""
    patent = states["pending_college"]
    response = client_for(users[role]).post(
        f"/patents/{patent.application_number}/college/", {"note": "同意"}
    )
    assert response.status_code in (302, 403, 404)
    patent.refresh_from_db()
    assert patent.library_status == status


@pytest.mark.parametrize("role", ["enterprise", "viewer", "other_tto"])
def test_actions_on_an_invisible_patent_are_a_404(users, states, role):
    """Outsiders cannot even address another university's pending record."""
    number = states["pending_university"].application_number
    assert (
        client_for(users[role]).post(f"/patents/{number}/approve/", {"self_assessment": "good"}).status_code
        == 404
    )


def test_approval_and_rejection_are_audited_with_before_and_after(users, states):
    client = client_for(users["tto"])
    client.post(
        f"/patents/{states['pending_university'].application_number}/approve/",
        {"self_assessment": "average", "note": "准予入库"},
    )
    approved = AuditEvent.objects.filter(action="patents.patent.approved").latest("id")
    assert approved.actor == users["tto"] and approved.org == users["tto"].membership.org
    assert approved.data["before"] == {"library_status": "pending_university"}
    assert (
        approved.data["after"]["library_status"] == "in_library"
        and approved.data["after"]["self_assessment"] == "average"
    )
    client.post(
        f"/patents/{states['pending_college'].application_number}/reject/", {"reason": "缺少发明人签字"}
    )
    rejected = AuditEvent.objects.filter(action="patents.patent.rejected").latest("id")
    assert rejected.data["before"] == {"library_status": "pending_college"}
    assert rejected.data["after"] == {"library_status": "rejected", "review_note": "缺少发明人签字"}


@pytest.mark.parametrize(
    ("state", "action", "form", "message"),
    [
        ("pending_college", "reject", {"reason": "  "}, "退回时必须填写原因"),
        ("pending_university", "approve", {"self_assessment": ""}, "入库前须填写价值分级自评"),
        ("in_library", "college", {}, "当前状态“已入库”不能执行此操作"),
        ("draft", "approve", {"self_assessment": "good"}, "当前状态“草稿”不能执行此操作"),
    ],
)
def test_invalid_review_action_is_a_chinese_message(users, states, state, action, form, message):
    patent = states[state]
    response = client_for(users["tto"]).post(
        f"/patents/{patent.application_number}/{action}/", form, follow=True
    )
    assert response.status_code == 200 and message in response.content.decode()
    patent.refresh_from_db()
    assert patent.library_status == state


def test_unknown_review_action_is_a_403(users, states):
    number = states["pending_college"].application_number
    assert client_for(users["operator"]).post(f"/patents/{number}/delete/").status_code == 403


def test_review_actions_refuse_get(users, states):
    number = states["pending_college"].application_number
    assert client_for(users["operator"]).get(f"/patents/{number}/college/").status_code == 405


# --- chain configuration --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_chain_configuration_by_role(users, chains, role):
    """Only platform roles open or change the industry-chain configuration."""
    client = client_for(users[role])
    assert client.get("/patents/chains/").status_code == (200 if role in PLATFORM else 403)
    if role not in PLATFORM:
        response = client.post("/patents/chains/", {"config": json.dumps({"chains": []})})
        assert response.status_code == 403 and IndustryChain.objects.exists()


def test_saving_chains_is_audited_with_before_and_after(users, chains):
    config = {"chains": [{"code": "HP", "name": "热泵", "ipc": ["F25B"], "keywords": ["热泵"]}]}
    before = IndustryChain.objects.count()
    response = client_for(users["operator"]).post(
        "/patents/chains/", {"config": json.dumps(config, ensure_ascii=False)}
    )
    assert response.status_code == 302
    assert list(IndustryChain.objects.values_list("code", flat=True)) == ["HP"]
    event = AuditEvent.objects.get(action="patents.chains.saved")
    assert event.actor == users["operator"] and len(event.data["before"]) == before
    assert event.data["after"] == config["chains"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "JSON 格式错误"),
        ("[1, 2]", "配置应为 JSON 对象"),
        (json.dumps({"chains": [{"code": "X"}]}), "产业链配置无效"),
    ],
)
def test_invalid_chain_configuration_is_a_chinese_message(users, chains, text, message):
    before = list(IndustryChain.objects.values_list("code", flat=True))
    response = client_for(users["operator"]).post("/patents/chains/", {"config": text})
    assert response.status_code == 200 and message in response.content.decode()
    assert list(IndustryChain.objects.values_list("code", flat=True)) == before
