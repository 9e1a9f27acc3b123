"""The REST API by role: every route with a session and with a bearer token, error envelopes, and
query counts that stay flat as the data grows.

The API applies the same rules as the pages: /api/patents and /api/search only return what the
caller may view, import routes are for importers (a university's own batches), anonymous callers
get a 401 and callers without an organisation a 403; errors are JSON, never an HTML page.
"""

from __future__ import annotations

import pytest

from patentbridge.search.index import update_index

from .factories import HEAT_PUMP, chain_patent, import_rows, make_patent, make_token, patent_row
from .matrix import ALL_ROLES, anonymous, client_for, queries, stripped_user

pytestmark = pytest.mark.django_db

IMPORTERS = ("admin", "operator", "tto", "college", "other_tto")
OWNER_SIDE = ("admin", "operator", "tto", "college", "inventor")


@pytest.fixture
def states(users):
    return {
        status: chain_patent(status, inventor=users["inventor"], reviewer=users["tto"])
        for status in ("draft", "pending_college", "in_library")
    }


@pytest.fixture
def batch(users, tmp_path):
    return import_rows(users["tto"], [patent_row(), {"application_number": "坏号", "title": "x"}], tmp_path)


def _bearer(user) -> dict[str, str]:
    _, key = make_token(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


# --- /api/patents and /api/patents/{number} ---------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("auth", ["session", "token"])
def test_patent_routes_return_what_the_role_may_see(users, states, role, auth):
    """With a session or a token, the list and each record follow the role's view: the university's
    draft and pending record only for its own side, the library record for everyone."""
    if auth == "session":
        client, extra = client_for(users[role]), {}
    else:
        client, extra = anonymous(), _bearer(users[role])
    listed = {p["application_number"] for p in client.get("/api/patents", **extra).json()["results"]}
    owner_side = role in OWNER_SIDE
    expected = set(states) if owner_side else {"in_library"}
    assert listed == {states[s].application_number for s in expected}
    for status, patent in states.items():
        response = client.get(f"/api/patents/{patent.application_number}", **extra)
        visible = owner_side or status == "in_library"
        assert response.status_code == (200 if visible else 404), status
        if not visible:
            assert response.json() == {"error": "not_found", "detail": "未找到"}


def test_patent_routes_refuse_anonymous_and_members_of_nothing(states):
    """No session and no token: 401 (JSON). An account without an organisation: 403 on the list."""
    client = anonymous()
    number = states["in_library"].application_number
    assert client.get("/api/patents").status_code == 401
    assert client.get(f"/api/patents/{number}").status_code == 401
    nobody = client_for(stripped_user())
    response = nobody.get("/api/patents")
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert nobody.get(f"/api/patents/{number}").status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("filing_year=0", "申请年份应为 1985–2100 之间的四位数字"),
        ("filing_year=99999999999999999999", "申请年份应为 1985–2100 之间的四位数字"),
        ("grade=E", "价值分级取值应为 A、B、C、D 之一"),
        ("high_value=yes", "高价值发明专利取值应为 1、0 之一"),
    ],
)
def test_invalid_filters_are_a_400_with_the_chinese_reason(users, params, message):
    """The API does not silently ignore a bad filter: 400 with the reason (the page warns instead)."""
    response = client_for(users["viewer"]).get(f"/api/patents?{params}")
    assert response.status_code == 400 and message in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "size", "page"),
    [
        ("page_size=0", 1, 1),
        ("page_size=-5", 1, 1),
        ("page_size=100000", 200, 1),
        ("page=0", 20, 1),
        ("page=99999999999", 20, 1),
    ],
)
def test_page_and_page_size_are_clamped_not_errors(users, query, size, page):
    """Out-of-range paging is clamped to 1..200 rows and existing pages (never a 500)."""
    make_patent()
    data = client_for(users["viewer"]).get(f"/api/patents?{query}").json()
    assert data["page_size"] == size and data["page"] == page and data["count"] == 1


def test_non_numeric_paging_is_a_422_envelope(users):
    response = client_for(users["viewer"]).get("/api/patents?page_size=many")
    assert response.status_code == 422 and response["Content-Type"].startswith("application/json")


def test_patent_routes_are_read_only(users, states):
    """The API has no write routes for patents: POST and DELETE are 405."""
    client = client_for(users["operator"])
    number = states["draft"].application_number
    assert client.post("/api/patents").status_code == 405
    assert client.delete(f"/api/patents/{number}").status_code == 405


# --- /api/imports ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_import_list_by_role(users, batch, role):
    """Importers list batches (a university only its own); everyone else gets a 403 envelope."""
    response = client_for(users[role]).get("/api/imports")
    if role not in IMPORTERS:
        assert response.status_code == 403 and response.json()["error"] == "forbidden"
        return
    ids = [b["id"] for b in response.json()]
    assert ids == ([] if role == "other_tto" else [batch.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("operator", 200),
        ("tto", 200),
        ("college", 200),
        ("other_tto", 404),
        ("inventor", 403),
        ("enterprise", 403),
        ("viewer", 403),
    ],
)
@pytest.mark.parametrize("suffix", ["", "/issues", "/rejects.csv"])
def test_batch_routes_by_role(users, batch, role, status, suffix):
    """A batch, its issues and its reject report: own university and platform 200, another
    university 404, roles without imports 403."""
    response = client_for(users[role]).get(f"/api/imports/{batch.pk}{suffix}")
    assert response.status_code == status


def test_batch_route_reports_counts_and_issues(users, batch):
    """The batch says how many rows were read, imported and rejected; the issues name the field."""
    client = client_for(users["tto"])
    data = client.get(f"/api/imports/{batch.pk}").json()
    assert (data["rows_read"], data["imported"], data["rejected"], data["percent"]) == (2, 1, 1, 100)
    issues = client.get(f"/api/imports/{batch.pk}/issues").json()
    assert [(i["row_number"], i["field"]) for i in issues] == [(3, "application_number")]


def test_batch_routes_for_missing_batches_are_404_envelopes(users):
    response = client_for(users["operator"]).get("/api/imports/999999")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize("role", ["inventor", "enterprise", "viewer"])
def test_import_routes_refuse_tokens_of_roles_without_imports(users, batch, role):
    """A token carries its user's role: no import data for these roles either way."""
    extra = _bearer(users[role])
    assert anonymous().get("/api/imports", **extra).status_code == 403
    assert anonymous().get(f"/api/imports/{batch.pk}", **extra).status_code == 403


# --- /api/search ---------------------------------------------------------------------------------------


@pytest.fixture
def indexed(orgs):
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
def test_api_search_returns_only_what_the_role_may_see(users, indexed, role, sees_pending):
    """Ranked hits with their evidence, among the caller's view only."""
    data = client_for(users[role]).get("/api/search", {"q": "余热 热泵 蒸汽"}).json()
    found = {r["patent"]["application_number"] for r in data["results"]}
    assert indexed["library"].application_number in found
    assert (indexed["pending"].application_number in found) is sees_pending
    assert data["count"] == len(data["results"]) and data["mode"] == "hybrid"
    top = data["results"][0]
    assert top["score"] > 0 and isinstance(top["terms"], list)


def test_api_search_with_a_token_acts_as_its_user(users, indexed):
    """An enterprise's token never finds the university's pending record."""
    data = anonymous().get("/api/search", {"q": "余热 热泵"}, **_bearer(users["enterprise"])).json()
    assert indexed["pending"].application_number not in {
        r["patent"]["application_number"] for r in data["results"]
    }


def test_api_search_refuses_anonymous_and_members_of_nothing(indexed):
    assert anonymous().get("/api/search", {"q": "热泵"}).status_code == 401
    response = client_for(stripped_user()).get("/api/search", {"q": "热泵"})
    assert response.status_code == 403 and response.json()["error"] == "forbidden"


def test_api_search_validates_its_parameters(users, indexed):
    """q is required (422); an unknown mode falls back to hybrid; limit is clamped to 1..200; a bad
    filter is a 400 with the Chinese reason."""
    client = client_for(users["operator"])
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", {"q": "热泵", "mode": "magic"}).json()["mode"] == "hybrid"
    assert client.get("/api/search", {"q": "热泵", "mode": "keyword"}).json()["mode"] == "keyword"
    assert client.get("/api/search", {"q": "热泵", "limit": 0}).json()["count"] == 1
    assert client.get("/api/search", {"q": "热泵", "limit": 10_000}).status_code == 200
    bad = client.get("/api/search", {"q": "热泵", "grade": "Z"})
    assert bad.status_code == 400 and "价值分级" in bad.json()["detail"]
    assert client.get("/api/search", {"q": "   "}).json() == {"count": 0, "mode": "hybrid", "results": []}


def test_api_search_filters_narrow_before_ranking(users, orgs, indexed):
    """A structured filter restricts the set that is ranked (the other patent is not returned)."""
    other = make_patent(owner=orgs["centre"], **{**HEAT_PUMP, "province": "山东"})
    update_index([other.application_number])
    data = client_for(users["operator"]).get("/api/search", {"q": "余热 热泵", "province": "山东"}).json()
    assert [r["patent"]["application_number"] for r in data["results"]] == [other.application_number]


# --- tokens ------------------------------------------------------------------------------------------------


def test_token_of_a_deactivated_user_stops_working(users):
    """Deactivating an account stops its tokens at once."""
    extra = _bearer(users["tto"])
    assert anonymous().get("/api/patents", **extra).status_code == 200
    users["tto"].is_active = False
    users["tto"].save(update_fields=["is_active"])
    assert anonymous().get("/api/patents", **extra).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer pb_nope", "Basic dXNlcjpwdw==", "pb_x"])
def test_malformed_or_unknown_tokens_are_401(db, header):
    assert anonymous().get("/api/patents", HTTP_AUTHORIZATION=header).status_code == 401


def test_token_of_a_member_of_nothing_is_refused(db):
    """A valid token of an account without an organisation authenticates but may see nothing (403)."""
    extra = _bearer(stripped_user())
    assert anonymous().get("/api/patents", **extra).status_code == 403


# --- query counts ------------------------------------------------------------------------------------------


def test_import_list_queries_do_not_grow_with_batches(users, tmp_path):
    client = client_for(users["operator"])
    import_rows(users["tto"], [patent_row()], tmp_path)
    few = queries(client, "/api/imports")
    for _ in range(5):
        import_rows(users["tto"], [patent_row()], tmp_path)
    assert len(client.get("/api/imports").json()) == 6
    assert queries(client, "/api/imports") == few


def test_issue_list_queries_do_not_grow_with_issues(users, tmp_path):
    client = client_for(users["tto"])
    small = import_rows(users["tto"], [{"application_number": "坏号", "title": "x"}], tmp_path)
    large = import_rows(
        users["tto"], [{"application_number": f"坏号{n}", "title": "x"} for n in range(15)], tmp_path
    )
    assert queries(client, f"/api/imports/{small.pk}/issues") == queries(
        client, f"/api/imports/{large.pk}/issues"
    )


def test_search_queries_do_not_grow_with_hits(users, orgs):
    client = client_for(users["viewer"])
    first = make_patent(owner=orgs["centre"], **HEAT_PUMP)
    update_index([first.application_number])
    client.get("/api/search?q=余热+热泵")
    few = queries(client, "/api/search?q=余热+热泵")
    more = [make_patent(owner=orgs["centre"], **{**HEAT_PUMP, "title": f"一种余热热泵{n}"}) for n in range(6)]
    update_index([p.application_number for p in more])
    client.get("/api/search?q=余热+热泵")
    assert client.get("/api/search?q=余热+热泵").json()["count"] == 7
    assert queries(client, "/api/search?q=余热+热泵") == few


def test_patent_detail_queries_do_not_grow_with_classes(users, chains):
    """A record with many classes is read in a fixed number of queries."""
    client = client_for(users["viewer"])
    plain = make_patent(ipc=["G01N33/00"], classify=True)
    rich = make_patent(**HEAT_PUMP, classify=True)
    rich.ipc = ["F25B30/02", "F25B1/10", "F24D3/18", "F28D20/00"]
    rich.save(update_fields=["ipc"])
    from patentbridge.patents.classification import replace_classes

    replace_classes([rich])
    assert rich.classes.count() > plain.classes.count()
    assert queries(client, f"/api/patents/{plain.application_number}") == queries(
        client, f"/api/patents/{rich.application_number}"
    )
