"""Matching views by role: the funnel overview, curation and push, the enterprise inbox and its
feedback, reverse matching (prospects) and the inventor teams.

Curation and push are the operators'; feedback is the posting enterprise's; prospects are for the
patent's own side. Refused roles change nothing and leave no audit event; allowed changes are
audited with the actor, the need's organisation and the before/after values.
"""

from __future__ import annotations

import pytest

from patentbridge.core.models import AuditEvent
from patentbridge.matching.models import InventorTeam, MatchItem, Push

from .conftest import make_user
from .factories import make_match_item, make_need, make_patent
from .matrix import ALL_ROLES, PLATFORM, anonymous, client_for, queries

pytestmark = pytest.mark.django_db

NOT_PLATFORM = tuple(r for r in ALL_ROLES if r not in PLATFORM)


@pytest.fixture
def need(users):
    return make_need(users["enterprise"])


@pytest.fixture
def library(orgs):
    """Three approved patents of the university."""
    return [make_patent(owner=orgs["uni"], title=f"一种余热回收热泵{n}") for n in range(3)]


def _curate(client, need, patent, action, **extra):
    return client.post(
        f"/matching/needs/{need.pk}/curate/", {"patent": patent.application_number, "action": action, **extra}
    )


# --- the funnel overview --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_funnel_overview_is_for_operators_only(users, need, role):
    """Only platform roles read the funnel of every need."""
    response = client_for(users[role]).get("/matching/")
    assert response.status_code == (200 if role in PLATFORM else 403)
    if role in PLATFORM:
        assert [n.pk for n in response.context["page"]] == [need.pk]


def test_funnel_counts_follow_curation(users, need, library):
    """The overview's counts are the need's pinned, dropped, pushed and answered items."""
    operator = users["operator"]
    make_match_item(need, library[0], operator=operator, state="pushed")
    make_match_item(need, library[1], operator=operator, state="pinned")
    make_match_item(need, library[2], operator=operator, state="dropped")
    row = client_for(operator).get("/matching/").context["page"][0]
    assert (row.pinned, row.dropped, row.pushed, row.awaiting) == (1, 1, 1, 1)


def test_funnel_overview_queries_do_not_grow_with_needs(users, library):
    """One need or six, each with curated items: the overview is a fixed number of queries."""
    client = client_for(users["operator"])
    first = make_need(users["enterprise"])
    make_match_item(first, library[0], operator=users["operator"], state="pinned")
    few = queries(client, "/matching/")
    for patent in library[1:] * 3:
        make_match_item(make_need(users["enterprise"]), patent, operator=users["operator"], state="dropped")
    assert queries(client, "/matching/") == few


# --- curation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", PLATFORM)
def test_pin_by_a_platform_role_is_saved_and_audited(users, need, library, role):
    """A pin stores the item with its curator; the event names the actor, the need's organisation and
    the state before and after."""
    response = _curate(client_for(users[role]), need, library[0], "pin", note="温区对口")
    assert response.status_code == 302 and response["Location"] == f"/needs/{need.pk}/"
    item = MatchItem.objects.get(need=need)
    assert (item.state, item.note, item.curated_by) == ("pinned", "温区对口", users[role])
    event = AuditEvent.objects.get(action="matching.item.pinned")
    assert event.actor == users[role] and event.org == need.org
    assert event.data["before"] == {"state": "", "note": ""}
    assert event.data["after"] == {"state": "pinned", "note": "温区对口"}
    assert event.data["patent"] == library[0].application_number


@pytest.mark.parametrize("role", NOT_PLATFORM)
@pytest.mark.parametrize("action", ["pin", "drop"])
def test_curation_by_other_roles_is_refused(users, need, library, role, action):
    """Every non-platform role (the posting enterprise included) gets a 403; nothing is stored."""
    response = _curate(client_for(users[role]), need, library[0], action)
    assert response.status_code == 403
    assert not MatchItem.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="matching.").exists()


def test_drop_unpin_and_note_are_each_audited(users, need, library):
    """drop → dropped; pin then unpin removes the item; a note on a kept item is audited as noted."""
    client = client_for(users["operator"])
    _curate(client, need, library[0], "drop", note="温区不符")
    _curate(client, need, library[1], "pin")
    _curate(client, need, library[1], "unpin")
    _curate(client, need, library[0], "note", note="改为备选")
    assert list(MatchItem.objects.values_list("patent_id", "state", "note")) == [
        (library[0].pk, "dropped", "改为备选")
    ]
    actions = list(
        AuditEvent.objects.filter(action__startswith="matching.item.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "matching.item.dropped",
        "matching.item.pinned",
        "matching.item.unpinned",
        "matching.item.noted",
    ]
    unpinned = AuditEvent.objects.get(action="matching.item.unpinned")
    assert unpinned.data["before"]["state"] == "pinned" and unpinned.target_id == str(need.pk)
    noted = AuditEvent.objects.get(action="matching.item.noted")
    assert noted.data["before"]["note"] == "温区不符" and noted.data["after"]["note"] == "改为备选"


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        (None, "promote", "未知操作：promote"),
        (None, "unpin", "该专利不在入选清单中"),
        (None, "note", "请先入选或剔除该专利，再添加备注"),
        ("pushed", "drop", "该专利已推送给企业，不能再改变其状态"),
    ],
)
def test_invalid_curation_is_a_chinese_message(users, need, library, setup, action, message):
    """Each refusal is explained on the need page; the item (if any) keeps its state."""
    if setup:
        make_match_item(need, library[0], operator=users["operator"], state=setup)
    before = list(MatchItem.objects.values_list("state", flat=True))
    response = client_for(users["operator"]).post(
        f"/matching/needs/{need.pk}/curate/",
        {"patent": library[0].application_number, "action": action},
        follow=True,
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert list(MatchItem.objects.values_list("state", flat=True)) == before


@pytest.mark.parametrize("status", ["draft", "pending_college", "pending_university", "rejected"])
def test_only_library_patents_can_be_recommended(users, need, orgs, status):
    """A patent outside the library is never pinned, whatever its review state."""
    patent = make_patent(owner=orgs["uni"], status=status)
    response = client_for(users["operator"]).post(
        f"/matching/needs/{need.pk}/curate/",
        {"patent": patent.application_number, "action": "pin"},
        follow=True,
    )
    assert "只能推荐已入库的专利" in response.content.decode()
    assert not MatchItem.objects.exists()


def test_curation_of_an_unknown_need_is_a_404(users, library):
    response = client_for(users["operator"]).post(
        "/matching/needs/999999/curate/", {"patent": library[0].application_number, "action": "pin"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/matching/needs/{pk}/curate/", "/matching/needs/{pk}/push/"])
def test_curation_and_push_refuse_get(users, need, url):
    assert client_for(users["operator"]).get(url.format(pk=need.pk)).status_code == 405


# --- push -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", PLATFORM)
def test_push_sends_the_pinned_items_and_is_audited(users, need, library, role):
    """Every pinned item becomes pushed under one Push; the event lists the patents."""
    for patent in library[:2]:
        make_match_item(need, patent, operator=users["operator"], state="pinned")
    response = client_for(users[role]).post(f"/matching/needs/{need.pk}/push/", {"note": "请评估"})
    assert response.status_code == 302
    push = Push.objects.get()
    assert (push.item_count, push.pushed_by, push.note) == (2, users[role], "请评估")
    assert set(MatchItem.objects.values_list("state", flat=True)) == {"pushed"}
    event = AuditEvent.objects.get(action="matching.shortlist.pushed")
    assert event.actor == users[role] and event.org == need.org
    assert event.data["patents"] == sorted(p.application_number for p in library[:2])


@pytest.mark.parametrize("role", NOT_PLATFORM)
def test_push_by_other_roles_is_refused(users, need, library, role):
    """No one but the platform pushes: 403, the items stay pinned, no Push."""
    make_match_item(need, library[0], operator=users["operator"], state="pinned")
    assert client_for(users[role]).post(f"/matching/needs/{need.pk}/push/").status_code == 403
    assert not Push.objects.exists() and MatchItem.objects.get().state == "pinned"


def test_push_of_an_empty_shortlist_is_explained(users, need):
    """Pushing with nothing pinned is a Chinese message, not an empty push."""
    response = client_for(users["operator"]).post(f"/matching/needs/{need.pk}/push/", follow=True)
    assert "入选清单为空，请先入选要推送的专利" in response.content.decode()
    assert not Push.objects.exists()


# --- the inbox and feedback --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_inbox_is_for_enterprises_only(users, role):
    """The push inbox belongs to enterprise users; every other role gets a 403."""
    assert client_for(users[role]).get("/matching/inbox/").status_code == (
        200 if role == "enterprise" else 403
    )


def test_inbox_shows_pushed_items_only_and_marks_them_seen(users, need, library):
    """Pinned and dropped picks never reach the enterprise; opening the inbox records that it saw the
    pushed ones (one audit event for the visit)."""
    operator = users["operator"]
    pushed = make_match_item(need, library[0], operator=operator, state="pushed")
    make_match_item(need, library[1], operator=operator, state="dropped")
    make_match_item(need, library[2], operator=operator, state="pinned")
    response = client_for(users["enterprise"]).get("/matching/inbox/")
    assert [i.pk for i in response.context["page"]] == [pushed.pk]
    assert response.context["new"] == {pushed.pk}
    pushed.refresh_from_db()
    assert pushed.seen_at is not None
    event = AuditEvent.objects.get(action="matching.inbox.seen")
    assert event.actor == users["enterprise"] and event.data == {"items": [pushed.pk]}
    client_for(users["enterprise"]).get("/matching/inbox/")
    assert AuditEvent.objects.filter(action="matching.inbox.seen").count() == 1


def test_another_enterprise_never_sees_the_push(users, orgs, need, library):
    """A second company's inbox is empty and it cannot answer the first company's item (404)."""
    from .factories import make_org

    rival = make_user("rival", make_org(kind="enterprise"), "enterprise")
    item = make_match_item(need, library[0], operator=users["operator"], state="pushed")
    client = client_for(rival)
    assert list(client.get("/matching/inbox/").context["page"]) == []
    assert client.post(f"/matching/items/{item.pk}/feedback/", {"verdict": "interested"}).status_code == 404
    item.refresh_from_db()
    assert item.feedback == ""


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 403),
        ("operator", 403),
        ("tto", 404),
        ("college", 404),
        ("inventor", 404),
        ("other_tto", 404),
        ("viewer", 404),
    ],
)
def test_feedback_by_anyone_but_the_enterprise_is_refused(users, need, library, role, status):
    """Operators see the item but may not answer for the company (403); everyone else does not see it (404)."""
    item = make_match_item(need, library[0], operator=users["operator"], state="pushed")
    response = client_for(users[role]).post(f"/matching/items/{item.pk}/feedback/", {"verdict": "interested"})
    assert response.status_code == status
    item.refresh_from_db()
    assert item.feedback == "" and not AuditEvent.objects.filter(action="matching.item.feedback").exists()


def test_feedback_by_the_enterprise_is_saved_and_audited(users, need, library):
    """The company's answer is stored with who and when; the event has before and after."""
    item = make_match_item(need, library[0], operator=users["operator"], state="pushed")
    response = client_for(users["enterprise"]).post(
        f"/matching/items/{item.pk}/feedback/", {"verdict": "not_relevant", "reason": "我们只做空气源"}
    )
    assert response.status_code == 302 and response["Location"] == "/matching/inbox/"
    item.refresh_from_db()
    assert (item.feedback, item.feedback_reason, item.feedback_by) == (
        "not_relevant",
        "我们只做空气源",
        users["enterprise"],
    )
    event = AuditEvent.objects.get(action="matching.item.feedback")
    assert event.actor == users["enterprise"] and event.org == need.org
    assert event.data == {
        "before": {"feedback": "", "reason": ""},
        "after": {"feedback": "not_relevant", "reason": "我们只做空气源"},
    }


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"verdict": "maybe"}, "请选择“有意向”或“不相关”"),
        ({"verdict": "not_relevant", "reason": " "}, "请说明不相关的理由"),
    ],
)
def test_invalid_feedback_is_a_chinese_message(users, need, library, form, message):
    item = make_match_item(need, library[0], operator=users["operator"], state="pushed")
    response = client_for(users["enterprise"]).post(f"/matching/items/{item.pk}/feedback/", form, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    item.refresh_from_db()
    assert item.feedback == ""


def test_feedback_on_an_item_not_pushed_is_invisible(users, need, library):
    """A pinned (not yet pushed) item does not exist for the enterprise: 404."""
    item = make_match_item(need, library[0], operator=users["operator"], state="pinned")
    assert (
        client_for(users["enterprise"])
        .post(f"/matching/items/{item.pk}/feedback/", {"verdict": "interested"})
        .status_code
        == 404
    )


def test_inbox_queries_do_not_grow_with_items(users, library, orgs):
    """One pushed item or six: the inbox costs the same number of queries (on a visit with nothing new)."""
    client = client_for(users["enterprise"])
    need = make_need(users["enterprise"])
    make_match_item(need, library[0], operator=users["operator"], state="pushed")
    client.get("/matching/inbox/")  # marks the item seen
    few = queries(client, "/matching/inbox/")
    for n in range(5):
        other = make_need(users["enterprise"])
        make_match_item(
            other,
            make_patent(owner=orgs["uni"], title=f"一种热泵{n}"),
            operator=users["operator"],
            state="pushed",
        )
    client.get("/matching/inbox/")
    assert queries(client, "/matching/inbox/") == few


# --- prospects (reverse matching) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("operator", 200),
        ("tto", 200),
        ("college", 200),
        ("inventor", 403),
        ("other_tto", 403),
        ("enterprise", 403),
        ("viewer", 403),
    ],
)
def test_prospects_of_a_university_library_patent_by_role(users, library, need, role, status):
    """Operators and the owning university look for buyers; the page is refused to everyone else."""
    assert (
        client_for(users[role]).get(f"/matching/patents/{library[0].application_number}/").status_code
        == status
    )


def test_inventor_may_market_their_own_submission(users, orgs):
    """The inventor who submitted the patent may see its prospects; another inventor's is refused."""
    own = make_patent(owner=orgs["uni"], submitted_by=users["inventor"])
    other = make_patent(owner=orgs["uni"], submitted_by=users["tto"])
    client = client_for(users["inventor"])
    assert client.get(f"/matching/patents/{own.application_number}/").status_code == 200
    assert client.get(f"/matching/patents/{other.application_number}/").status_code == 403


def test_prospects_of_an_invisible_patent_are_a_404(users, orgs):
    """Another university's draft is not revealed by the prospects URL."""
    draft = make_patent(owner=orgs["other_uni"], status="draft")
    assert client_for(users["tto"]).get(f"/matching/patents/{draft.application_number}/").status_code == 404


# --- inventor teams -----------------------------------------------------------------------------------------


def _team(n: int, numbers: list[str]) -> InventorTeam:
    return InventorTeam.objects.create(
        key=f"西安交通大学|张{n}",
        lead=f"张{n}",
        institution="西安交通大学",
        members=[[f"张{n}", len(numbers)]],
        patent_numbers=numbers,
        patent_count=len(numbers),
        topics=["热泵"],
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_team_pages_are_open_to_every_role(users, library, role):
    """Team profiles come from the approved library, so every member may read them."""
    team = _team(1, [p.application_number for p in library])
    client = client_for(users[role])
    assert client.get("/matching/teams/").status_code == 200
    detail = client.get(f"/matching/teams/{team.pk}/")
    assert detail.status_code == 200
    assert {p.application_number for p in detail.context["patents"]} == {
        p.application_number for p in library
    }


def test_team_page_lists_only_patents_the_role_may_see(users, orgs, library):
    """A team that (after a status change) names a draft still hides it from outsiders."""
    draft = make_patent(owner=orgs["uni"], status="draft")
    team = _team(2, [library[0].application_number, draft.application_number])
    outsider = client_for(users["enterprise"]).get(f"/matching/teams/{team.pk}/").context["patents"]
    owner = client_for(users["tto"]).get(f"/matching/teams/{team.pk}/").context["patents"]
    assert [p.application_number for p in outsider] == [library[0].application_number]
    assert len(owner) == 2


def test_team_search_and_missing_team(users):
    """?q= filters by lead, institution or topic; an unknown team is a 404."""
    _team(3, [])
    client = client_for(users["viewer"])
    assert client.get("/matching/teams/", {"q": "张3"}).context["page"].paginator.count == 1
    assert client.get("/matching/teams/", {"q": "不存在的人"}).context["page"].paginator.count == 0
    assert client.get("/matching/teams/999999/").status_code == 404


def test_team_list_queries_do_not_grow_with_teams(users):
    client = client_for(users["viewer"])
    _team(10, [])
    few = queries(client, "/matching/teams/")
    for n in range(11, 20):
        _team(n, [])
    assert queries(client, "/matching/teams/") == few


def test_matching_pages_send_anonymous_visitors_to_login(db):
    """No matching page answers an anonymous visitor with content."""
    client = anonymous()
    for url in ("/matching/", "/matching/inbox/", "/matching/teams/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
