"""Library speed paths: cached allowed sets, counts and facets stay exact; bad filter values never 500."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from patentbridge.accounts.models import ApiToken
from patentbridge.patents import services, versioned_cache
from patentbridge.patents.filters import PatentFilter, cached_count, cached_facets, facet_counts
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import allowed_numbers, restrict, view_scope
from patentbridge.patents.versioned_cache import cached, library_version

from .conftest import demo_file, run_import
from .test_permissions import client_for
from .test_workflow import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(users, chains, tmp_path):
    run_import(users["operator"], demo_file(tmp_path, "hthp_patents.json.gz"))


def _visible(user) -> set[str]:
    return set(restrict(Patent.objects.all(), user).values_list("application_number", flat=True))


def _token(user) -> str:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="t", key_hash=ApiToken.hash_key(key))
    return key


def _approved_by_chain(users) -> Patent:
    patent = services.create_patent(actor=users["inventor"], data=FORM, submit=True)
    services.approve_college(actor=users["college"], patent=patent, note="同意")
    return patent


def test_allowed_set_equals_restrict_for_every_role(users, library):
    """The cached allowed set is exactly ``restrict`` (None only for roles that see everything)."""
    _approved_by_chain(users)  # a record that only the university side sees
    for name, user in users.items():
        allowed = allowed_numbers(user)
        if name in ("admin", "operator"):
            assert allowed is None
        else:
            assert allowed == _visible(user), name


def test_allowed_set_follows_an_approval(users, library):
    """Approving a patent into the library shows it to enterprises on the very next request."""
    patent = _approved_by_chain(users)
    before = allowed_numbers(users["enterprise"])
    assert before is not None and patent.application_number not in before
    services.approve_university(actor=users["tto"], patent=patent, self_assessment="good")
    after = allowed_numbers(users["enterprise"])
    assert after is not None and after == before | {patent.application_number}


def test_allowed_set_follows_an_import(users, library, tmp_path):
    """An operator import (straight into the library) is visible to enterprises right after it."""
    before = allowed_numbers(users["viewer"])
    assert before is not None
    run_import(users["operator"], demo_file(tmp_path, "schema_sample_10.csv.gz"))
    after = allowed_numbers(users["viewer"])
    assert after == _visible(users["viewer"]) and len(after) > len(before)


def test_allowed_set_follows_an_owner_change_by_any_write_path(users, library):
    """A change of owner is seen at once even when written past the services (the database bumps
    the library version itself, so no code path can leave a cached permission set behind)."""
    patent = services.create_patent(actor=users["inventor"], data=FORM)
    assert patent.application_number in allowed_numbers(users["tto"])
    assert patent.application_number not in allowed_numbers(users["other_tto"])
    version = library_version()
    Patent.objects.filter(pk=patent.pk).update(owner_org=users["other_tto"].membership.org)
    assert library_version() != version
    assert patent.application_number not in allowed_numbers(users["tto"])
    assert patent.application_number in allowed_numbers(users["other_tto"])


def test_search_api_sees_an_approval_at_once(users, library, django_capture_on_commit_callbacks):
    """/api/search (which ranks inside the cached allowed set) finds a patent once it is approved."""
    with django_capture_on_commit_callbacks(execute=True):
        patent = _approved_by_chain(users)  # indexed on commit
    client = client_for(users["enterprise"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(users['enterprise'])}"}
    query = "/api/search?q=锂离子电池正极材料&mode=keyword"

    def found() -> bool:
        ids = [r["patent"]["application_number"] for r in client.get(query, **auth).json()["results"]]
        return patent.application_number in ids

    assert not found()
    services.approve_university(actor=users["tto"], patent=patent, self_assessment="good")
    assert found()


def test_facet_counts_equal_plain_orm_counts(users, library):
    """Cached facets and counts equal a plain ORM count over the same restricted, filtered set."""
    user = users["enterprise"]
    flt = PatentFilter.from_mapping({"patent_type": "invention"})
    qs = flt.apply(restrict(Patent.objects.all(), user))
    facets = cached_facets(view_scope(user), flt, qs)
    assert cached_count(view_scope(user), flt, qs) == qs.count() > 0
    for name in ("province", "legal_status", "applicant_kind", "patent_type", "library_status"):
        plain = Counter(v for v in qs.values_list(name, flat=True) if v)
        shown = {f["value"]: f["count"] for f in facets[name]}
        # Top 15 by count (the blank value may take one of the 15 places; ties at the cut may pick
        # either value): each shown count is exact.
        assert len(shown) >= min(15, len(plain)) - 1 and all(plain[v] == n for v, n in shown.items()), name
        assert min(shown.values()) >= max([n for v, n in plain.items() if v not in shown] or [0])
    years = Counter(d.year for d in qs.values_list("filing_date", flat=True) if d)
    assert {int(f["value"]): f["count"] for f in facets["filing_year"]} == dict(years)
    for name in ("chain", "sei", "ipc_section", "ipc_subclass", "wipo35"):
        assert facets[name], name
        for entry in facets[name]:
            narrowed = PatentFilter.from_mapping({"patent_type": "invention", name: entry["value"]})
            assert entry["count"] == narrowed.apply(restrict(Patent.objects.all(), user)).count(), name
    assert all(len(e["value"]) == 1 for e in facets["ipc_section"])
    assert all(len(e["value"]) == 4 for e in facets["ipc_subclass"])


def test_cached_count_and_facets_move_with_the_library(users, library):
    """After a write the list shows new counts and facets (the cache never outlives the data)."""
    user = users["enterprise"]
    client = client_for(user)
    patent = _approved_by_chain(users)
    first = client.get("/patents/").context
    services.approve_university(actor=users["tto"], patent=patent, self_assessment="good")
    second = client.get("/patents/").context
    assert second["page"].paginator.count == first["page"].paginator.count + 1
    qs = restrict(Patent.objects.all(), user)
    assert second["facets"] == facet_counts(qs)


@pytest.mark.parametrize(
    "query",
    [
        "filing_year=0",
        "filing_year=99999999999999999999",
        "filing_year=-1",
        "filing_year=abc",
        "grade=Z",
        "page=1e400",
        "page=99999999999999999999",
        "page=-5",
    ],
)
def test_bad_numeric_filters_are_ignored_with_a_message_on_the_list(users, library, query):
    """The HTML list and search page never answer 500 to a malformed filter: they ignore the
    value and say why."""
    client = client_for(users["viewer"])
    assert client.get(f"/search/?q=热泵&{query}").status_code == 200
    response = client.get(f"/patents/?{query}")
    assert response.status_code == 200
    if not query.startswith("page"):
        shown = [str(m) for m in response.context["messages"]]
        assert any("已忽略" in m for m in shown)
        assert response.context["page"].paginator.count == len(_visible(users["viewer"]))


@pytest.mark.parametrize("path", ["/api/patents", "/api/search?q=热泵"])
@pytest.mark.parametrize("value", ["0", "99999999999999999999", "19x5"])
def test_bad_filing_year_is_a_400_with_a_chinese_reason_on_the_api(users, library, path, value):
    """The API rejects an invalid filing year with 400 and a Chinese message, never a 500."""
    client = client_for(users["viewer"])
    sep = "&" if "?" in path else "?"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(users['viewer'])}"}
    response = client.get(f"{path}{sep}filing_year={value}", **auth)
    assert response.status_code == 400
    assert "申请年份" in response.json()["detail"]


def test_api_huge_page_is_clamped(users, library):
    """A page number far past the end returns the last page instead of an error."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(users['viewer'])}"}
    body = client_for(users["viewer"]).get("/api/patents?page=99999999999999999999", **auth).json()
    assert body["page"] >= 1 and body["results"]


@pytest.mark.django_db(transaction=True)  # the background thread reads committed data only
def test_facet_lag_serves_previous_counts_and_refreshes_in_the_background(users, monkeypatch):
    """With PATENTBRIDGE_FACET_MAX_LAG set, a stale facet entry is served once while a background
    thread recomputes it; without it (the default, tested above) every change recomputes at once."""
    monkeypatch.setenv("PATENTBRIDGE_FACET_MAX_LAG", "60")
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    key = ("test-lag", time.monotonic())
    assert cached(key, compute, stale_ok=True) == 1
    services.create_patent(actor=users["inventor"], data=FORM)  # moves the library version
    assert cached(key, compute, stale_ok=True) == 1
    deadline = time.monotonic() + 10
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(calls) == 2
    assert cached(key, compute) >= 2  # permission-style callers (no stale_ok) never get the old value


@pytest.mark.django_db(transaction=True)  # the waiting thread reads committed data only
def test_allowed_set_trails_inserts_but_never_an_update_while_rebuilt(users):
    """While another thread rebuilds an allowed set, the previous set is served only if patents
    were merely inserted since (a subset: nothing withdrawn can show); after an update of a
    patent row the caller waits for the rebuilt set."""
    enterprise = users["enterprise"]
    Patent.objects.create(application_number="202310000001.X", library_status="in_library")
    before = allowed_numbers(enterprise)
    builder = versioned_cache._building[("allowed", view_scope(enterprise))]
    builder.acquire()  # as if another thread were rebuilding the set
    try:
        Patent.objects.create(application_number="202310000002.8", library_status="in_library")
        assert allowed_numbers(enterprise) is before
        Patent.objects.filter(application_number="202310000001.X").update(library_status="draft")
        got: list[frozenset[str] | None] = []

        def wait() -> None:
            try:
                got.append(allowed_numbers(enterprise))
            finally:
                connection.close()  # the thread's own connection

        waiter = threading.Thread(target=wait)
        waiter.start()
        waiter.join(timeout=0.5)
        assert waiter.is_alive() and not got  # blocked on the rebuild, not served the old set
    finally:
        builder.release()
    waiter.join(timeout=10)
    assert got == [frozenset({"202310000002.8"})]


@pytest.mark.django_db(transaction=True)  # the background refresh reads committed data only
def test_with_a_lag_new_imports_may_trail_but_an_update_is_exact(users, monkeypatch):
    """With PATENTBRIDGE_FACET_MAX_LAG, an allowed set may miss patents inserted in the last
    seconds (refreshed in the background), but any update of a patent row — approval, rejection,
    change of owner — makes the next request rebuild it."""
    monkeypatch.setenv("PATENTBRIDGE_FACET_MAX_LAG", "60")
    enterprise = users["enterprise"]
    Patent.objects.create(application_number="202310000001.X", library_status="in_library")
    before = allowed_numbers(enterprise)
    Patent.objects.create(application_number="202310000002.8", library_status="in_library")
    assert allowed_numbers(enterprise) is before  # inserted only: served, refreshed behind
    deadline = time.monotonic() + 10
    while "202310000002.8" not in (allowed_numbers(enterprise) or ()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert allowed_numbers(enterprise) == {"202310000001.X", "202310000002.8"}
    Patent.objects.filter(application_number="202310000001.X").update(library_status="draft")
    assert allowed_numbers(enterprise) == {"202310000002.8"}


def test_search_page_facets_from_hit_ids_equal_the_generic_count(users, library):
    """The search page's facets over its hits (read by id) equal the generic facet count."""
    pks = list(Patent.objects.order_by("pk").values_list("pk", flat=True)[:60])
    hits = Patent.objects.filter(pk__in=pks)
    assert facet_counts(hits, pks=pks) == facet_counts(hits)
