"""The search page and API: hybrid ranking among what each role may view, facets, highlights."""

from __future__ import annotations

import pytest

from patentbridge.patents import services as patent_services
from patentbridge.patents.filters import PatentFilter
from patentbridge.search.index import update_index
from patentbridge.search.services import search_patents

from .test_matching import library  # noqa: F401  (fixture)
from .test_permissions import client_for

pytestmark = pytest.mark.django_db

QUERY = "利用低温余热制取工业蒸汽"


@pytest.fixture
def pending(users, library):  # noqa: F811
    """An unapproved university record that matches QUERY better than anything in the library."""
    patent = patent_services.create_patent(
        actor=users["inventor"],
        data={
            "application_number": "202310123456.6",
            "title": "一种利用低温余热制取工业蒸汽的热泵机组",
            "abstract": "回收车间低温余热，用热泵提升为工业用高温蒸汽，降低燃气消耗。",
            "ipc": "F25B30/02",
        },
        submit=True,
    )
    update_index([patent.application_number])
    return patent


def _ids(results):
    return [r.patent.application_number for r in results]


def test_results_respect_what_each_role_may_view(users, pending):
    """The pending record ranks first for its own university, and never reaches others."""
    assert _ids(search_patents(users["operator"], QUERY))[0] == pending.application_number
    assert _ids(search_patents(users["tto"], QUERY))[0] == pending.application_number
    assert _ids(search_patents(users["inventor"], QUERY))[0] == pending.application_number
    for outsider in ("enterprise", "other_tto", "viewer"):
        found = _ids(search_patents(users[outsider], QUERY))
        assert found and pending.application_number not in found


def test_structured_filters_narrow_before_ranking(users, library):  # noqa: F811
    """A filter applies inside the search: every hit satisfies it, and the ranking is still by text."""
    everything = search_patents(users["operator"], "热泵", PatentFilter(), mode="keyword")
    utility = search_patents(
        users["operator"], "热泵", PatentFilter(patent_type="utility_model"), mode="keyword"
    )
    assert utility and len(utility) < len(everything)
    assert all(r.patent.patent_type == "utility_model" for r in utility)
    shared = set(_ids(utility)) & set(_ids(everything))
    assert [n for n in _ids(utility) if n in shared] == [n for n in _ids(everything) if n in shared]
    # Filtering inside the index reaches utility models beyond the unfiltered candidate list.
    assert set(_ids(utility)) - shared


def test_modes_differ_and_keyword_hits_are_explained(users, library):  # noqa: F811
    """Keyword mode only returns documents sharing words; every keyword hit names its terms."""
    keyword = search_patents(users["operator"], "高温热泵 蒸汽", mode="keyword")
    semantic = search_patents(users["operator"], "高温热泵 蒸汽", mode="semantic")
    assert keyword and semantic
    assert all(r.hit.keyword_rank is not None and r.hit.terms for r in keyword)
    assert all(r.hit.keyword_rank is None for r in semantic)
    assert search_patents(users["operator"], "   ") == []


def test_search_page_shows_facets_and_highlighted_snippets(users, pending):
    """Snippets mark the matched words (escaped), facets count the hits, and outsiders miss the pending record."""
    response = client_for(users["tto"]).get("/search/", {"q": QUERY})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="hit-{pending.application_number}"' in page
    assert "<mark>余热</mark>" in page or "<mark>低温余热</mark>" in page
    facets = response.context["facets"]
    assert sum(f["count"] for f in facets["patent_type"]) == response.context["page"].paginator.count
    outsider = client_for(users["enterprise"]).get("/search/", {"q": QUERY}).content.decode()
    assert pending.application_number not in outsider
    filtered = client_for(users["operator"]).get("/search/", {"q": QUERY, "patent_type": "utility_model"})
    assert all(r.patent.patent_type == "utility_model" for r in filtered.context["page"])


def test_search_api_matches_the_page(users, pending):
    """GET /api/search returns the same ranking with reasons, under the same permissions."""
    body = client_for(users["tto"]).get("/api/search", {"q": QUERY, "limit": 5}).json()
    assert body["results"][0]["patent"]["application_number"] == pending.application_number
    assert body["results"][0]["terms"] and body["results"][0]["sentence"]
    other = client_for(users["enterprise"]).get("/api/search", {"q": QUERY, "limit": 50}).json()
    assert pending.application_number not in {r["patent"]["application_number"] for r in other["results"]}
    assert client_for(users["enterprise"]).get("/api/search").status_code == 422


def test_ipc_prefix_filter_reaches_group_level(users, library):  # noqa: F811
    """ipc_prefix matches codes by their start (F25B30 → F25B30/02, not F25B31), in search and list."""
    from patentbridge.patents.models import Patent

    hits = search_patents(users["operator"], "热泵", PatentFilter(ipc_prefix="f25b 30"), mode="keyword")
    assert hits and all(any(c.startswith("F25B30") for c in r.patent.ipc) for r in hits)
    listed = (
        client_for(users["operator"])
        .get("/patents/", {"ipc_prefix": "F25B30"})
        .context["page"]
        .paginator.count
    )
    expected = sum(1 for p in Patent.objects.all() if any(c.startswith("F25B30") for c in p.ipc or []))
    assert listed == expected > 0
