"""Need → library patents through the search index that follows the database."""

from __future__ import annotations

import pytest

from patentbridge.demands.services import create_need
from patentbridge.matching.needs import match_need
from patentbridge.patents import services as patent_services
from patentbridge.search.index import get_index, rebuild_index, update_index

from .conftest import demo_file, run_import
from .test_permissions import client_for

pytestmark = pytest.mark.django_db

HEAT_NEED = {
    "title": "工厂余热回收制蒸汽",
    "description": "车间有大量低温余热，希望用热泵把它提升成工业用高温蒸汽，降低燃气消耗。",
}


@pytest.fixture
def library(users, chains, tmp_path):
    run_import(users["operator"], demo_file(tmp_path, "hthp_patents.json.gz"))
    run_import(users["operator"], demo_file(tmp_path, "schema_sample_10.csv.gz"))
    assert rebuild_index() == 132


def test_need_matches_relevant_library_patents_with_reasons(users, library):
    """A plant-floor heat need gets heat-pump patents, each with matched terms and a sentence."""
    need = create_need(actor=users["enterprise"], data=HEAT_NEED)
    matches = match_need(need, 5)
    assert len(matches) == 5
    assert sum("热泵" in m.patent.title or "热泵" in m.patent.abstract for m in matches) >= 4
    assert matches[0].terms and matches[0].sentence
    assert matches[0].score >= matches[-1].score


def test_unapproved_patents_never_reach_enterprises(users, library):
    """A pending patent with a perfect text match is indexed but not offered to the need."""
    pending = patent_services.create_patent(
        actor=users["inventor"],
        data={
            "application_number": "202310123456.6",
            "title": "一种利用低温余热制取工业蒸汽的热泵",
            "abstract": "回收车间低温余热，用热泵提升为工业用高温蒸汽，降低燃气消耗。",
            "ipc": "F25B30/02",
        },
        submit=True,
    )
    update_index([pending.application_number])
    assert len(get_index().docs) == 133
    need = create_need(actor=users["enterprise"], data=HEAT_NEED)
    assert pending.application_number not in {m.patent.application_number for m in match_need(need, 20)}


def test_index_follows_changes_and_deletions(users, library):
    """An updated title is searchable after update_index; a deleted patent leaves the index."""
    from patentbridge.patents.models import Patent

    patent = Patent.objects.get(application_number="202223220665.2")
    Patent.objects.filter(pk=patent.pk).update(title="一种用于洗衣机的减振降噪底座")
    update_index([patent.application_number])
    assert get_index().search("洗衣机减振", 1)[0].id == patent.application_number
    Patent.objects.filter(pk=patent.pk).delete()
    update_index([patent.application_number])
    assert patent.application_number not in get_index().docs


def test_need_page_lists_matches(users, library):
    """The need page shows the matched patents with their terms."""
    need = create_need(actor=users["enterprise"], data=HEAT_NEED)
    response = client_for(users["enterprise"]).get(f"/needs/{need.pk}/")
    matches = response.context["matches"]
    assert len(matches) == 10
    page = response.content.decode()
    assert all(m.patent.application_number in page for m in matches)
    assert "资源库中暂无匹配专利" not in page


def test_an_index_in_an_older_format_is_rebuilt_from_the_database(users, library):
    """After an upgrade that changes the index format, the first search rebuilds it."""
    import json

    from patentbridge.search import index as search_index

    meta_file = search_index.index_path() / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["format_version"] = 0
    meta_file.write_text(json.dumps(meta))
    search_index._cached.clear()
    assert len(get_index().docs) == 132
    assert json.loads(meta_file.read_text())["format_version"] != 0
