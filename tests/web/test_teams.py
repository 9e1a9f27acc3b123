"""Inventor teams: derived from the library after imports and approvals, matched to needs."""

from __future__ import annotations

import pytest

from patentbridge.demands.services import create_need
from patentbridge.matching.models import InventorTeam, TeamPatentLink
from patentbridge.matching.teams import match_teams, rebuild_teams, refresh_teams
from patentbridge.patents import services as patent_services
from patentbridge.patents.models import Patent
from patentbridge.search.index import get_index

from .conftest import demo_file, run_import
from .test_permissions import client_for

pytestmark = pytest.mark.django_db

DRONE_NEED = {
    "title": "用无人机巡查化工园区的空气污染",
    "description": "园区想用无人机定期巡检，监测大气污染物并追查排放源头，需要成套的机载监测方案。",
}


@pytest.fixture
def imported(users, chains, tmp_path, django_capture_on_commit_callbacks):
    """The heat-pump records imported by an operator, with the after-commit indexing run."""
    with django_capture_on_commit_callbacks(execute=True):
        run_import(users["operator"], demo_file(tmp_path, "hthp_patents.json.gz"))
        # The real 61-column export carries inventors (the heat-pump export does not).
        batch = run_import(users["operator"], demo_file(tmp_path, "schema_sample_10.csv.gz"))
    return batch


def test_an_import_reaches_search_and_teams_after_commit(imported):
    """No manual reindex: the batch's patents are searchable and grouped into teams."""
    numbers = set(Patent.objects.values_list("application_number", flat=True))
    assert numbers and set(get_index().docs) == numbers
    teams = list(InventorTeam.objects.all())
    with_inventors = [p for p in Patent.objects.all() if p.inventors and p.applicants]
    assert teams and sum(t.patent_count for t in teams) == len(with_inventors) == 10
    assert TeamPatentLink.objects.count() == 10
    assert rebuild_teams() == len(teams)


def test_team_profiles_describe_their_patents(imported):
    """The largest team's numbers, IPC and topics agree with its patents."""
    team = InventorTeam.objects.order_by("-patent_count").first()
    patents = Patent.objects.filter(application_number__in=team.patent_numbers)
    assert patents.count() == team.patent_count
    # The institute's principal investigator is on every patent, though rarely named first.
    assert all(team.lead in p.inventors for p in patents)
    assert any(p.inventors[0] != team.lead for p in patents)
    years = [p.filing_date.year for p in patents if p.filing_date]
    assert (team.first_year, team.last_year) == (min(years), max(years))
    top_ipc, count = team.ipc[0]
    assert count == sum(top_ipc in {c[:4] for c in p.ipc} for p in patents)
    assert team.topics and all(len(word) > 1 for word, _ in team.topics)


def test_need_is_matched_to_teams_through_their_patents(users, imported):
    """The drone need reaches the institute's team through its drone patents, shown on the need page."""
    need = create_need(actor=users["enterprise"], data=DRONE_NEED)
    results = match_teams(need)
    assert results
    assert results[0].score >= results[-1].score
    top = results[0]
    assert all(p.application_number in top.team.patent_numbers for p, _ in top.hits)
    assert any("无人机" in p.title for p, _ in top.hits)
    page = client_for(users["enterprise"]).get(f"/needs/{need.pk}/").content.decode()
    assert f'data-testid="team-{top.team.pk}"' in page


def test_unapproved_patents_join_a_team_only_once_in_the_library(
    users, imported, django_capture_on_commit_callbacks
):
    """A pending university record changes no profile; approval into the library adds it."""
    lead = "测试发明人甲"
    with django_capture_on_commit_callbacks(execute=True):
        patent = patent_services.create_patent(
            actor=users["inventor"],
            data={
                "application_number": "202310123456.6",
                "title": "一种余热驱动的高温热泵",
                "abstract": "回收低温余热制取蒸汽。",
                "ipc": "F25B30/02",
                "inventors": f"{lead};测试发明人乙",
                "applicants": "西安交通大学",
            },
            submit=True,
        )
    assert not InventorTeam.objects.filter(lead=lead).exists()
    Patent.objects.filter(pk=patent.pk).update(library_status="in_library")
    assert refresh_teams([patent.application_number]) == 1
    team = InventorTeam.objects.get(lead=lead)
    assert team.patent_numbers == [patent.application_number]
    assert team.members == [["测试发明人乙", 1]]
    Patent.objects.filter(pk=patent.pk).update(library_status="rejected")
    refresh_teams([patent.application_number])
    assert not InventorTeam.objects.filter(lead=lead).exists()


def test_team_pages(users, imported):
    """Every role can browse teams; a team page lists only patents the user may see."""
    team = InventorTeam.objects.order_by("-patent_count").first()
    listing = client_for(users["enterprise"]).get("/matching/teams/", {"q": team.lead})
    assert team in listing.context["page"]
    detail = client_for(users["viewer"]).get(f"/matching/teams/{team.pk}/")
    assert detail.status_code == 200
    assert {p.application_number for p in detail.context["patents"]} == set(team.patent_numbers)
    assert client_for(users["viewer"]).get("/matching/teams/999999/").status_code == 404
