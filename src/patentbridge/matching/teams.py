"""Inventor team profiles kept in step with the library, and need → team matching (人才定向服务)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from patentbridge.demands.models import TechNeed
from patentbridge.matching.models import InventorTeam, TeamPatentLink
from patentbridge.matching.needs import library_numbers, need_text
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.models import Patent
from patentbridge.search.index import get_index
from patentbridge_engine.ids.orgs import applicant_kind
from patentbridge_engine.search.hybrid import Hit
from patentbridge_engine.search.teams import (
    TeamPatent,
    TeamProfile,
    build_team_profiles,
    institution_of,
    rank_teams,
)

__all__ = ["TeamResult", "match_teams", "rebuild_teams", "refresh_teams"]

# Library hits a need's team ranking looks at.
_TEAM_HITS = 100
# Above this many changed patents a full rebuild is cheaper than per-team refreshes.
_FULL_REBUILD_AT = 500
_FIELDS = ("pk", "application_number", "title", "inventors", "applicants", "ipc", "filing_date")


def _team_patent(row: dict[str, Any]) -> TeamPatent:
    filed = row["filing_date"]
    return TeamPatent(
        id=row["application_number"],
        title=row["title"] or "",
        inventors=list(row["inventors"] or []),
        applicants=list(row["applicants"] or []),
        ipc=list(row["ipc"] or []),
        filing_year=filed.year if filed else None,
    )


def _library() -> Any:
    return Patent.objects.filter(library_status=LibraryStatusChoices.IN_LIBRARY)


def _row(profile: TeamProfile) -> dict[str, Any]:
    return {
        "lead": profile.lead[:100],
        "institution": profile.institution[:300],
        "institution_kind": applicant_kind(profile.institution),
        "members": [list(m) for m in profile.members],
        "patent_numbers": profile.patent_ids,
        "patent_count": profile.patent_count,
        "ipc": [list(i) for i in profile.ipc],
        "topics": [list(t) for t in profile.topics],
        "first_year": profile.first_year,
        "last_year": profile.last_year,
        "recent_count": profile.recent_count,
    }


def _store(rows: list[dict[str, Any]]) -> int:
    """Write the teams of ``rows`` (all library patents of the institutions concerned)."""
    profiles = build_team_profiles([_team_patent(r) for r in rows], as_of_year=timezone.localdate().year)
    teams = InventorTeam.objects.bulk_create(
        [InventorTeam(key=k[:400], **_row(p)) for k, p in profiles.items()], batch_size=1000
    )
    if teams and teams[0].pk is None:  # backends that do not return keys from bulk inserts
        teams = list(InventorTeam.objects.filter(key__in=[t.key for t in teams]))
    team_ids = {t.key: t.pk for t in teams}
    pk_of = {r["application_number"]: r["pk"] for r in rows}
    TeamPatentLink.objects.bulk_create(
        [
            TeamPatentLink(team_id=team_ids[key[:400]], patent_id=pk_of[number])
            for key, profile in profiles.items()
            for number in profile.patent_ids
        ],
        batch_size=2000,
    )
    return len(profiles)


@transaction.atomic
def rebuild_teams() -> int:
    """Recompute every team from the library (after large imports and by ``reindex``)."""
    InventorTeam.objects.all().delete()
    return _store(list(_library().order_by("pk").values(*_FIELDS)))


@transaction.atomic
def refresh_teams(numbers: Iterable[str]) -> int:
    """Recompute the teams of the institutions these patents belong (or belonged) to; returns
    the number of institutions recomputed."""
    numbers = list(dict.fromkeys(numbers))
    if len(numbers) >= _FULL_REBUILD_AT:
        rebuild_teams()
        return -1
    institutions = {
        institution_of(applicants or [])
        for applicants in Patent.objects.filter(application_number__in=numbers).values_list(
            "applicants", flat=True
        )
    }
    institutions.update(
        TeamPatentLink.objects.filter(patent__application_number__in=numbers).values_list(
            "team__institution", flat=True
        )
    )
    institutions.discard("")
    # One pass over the library's applicant lists: JSON text search is not portable (SQLite may
    # store escaped Unicode), and the first applicant must match exactly anyway.
    wanted = [
        pk
        for pk, applicants in _library().values_list("pk", "applicants").iterator(chunk_size=5000)
        if institution_of(applicants or []) in institutions
    ]
    InventorTeam.objects.filter(institution__in=institutions).delete()
    _store(list(Patent.objects.filter(pk__in=wanted).values(*_FIELDS)))
    return len(institutions)


@dataclass(frozen=True)
class TeamResult:
    """A team for a need, with the matched patents (and their explanations) that put it there."""

    team: InventorTeam
    score: float
    hits: tuple[tuple[Patent, Hit], ...]


def match_teams(need: TechNeed, k: int = 5) -> list[TeamResult]:
    """The inventor teams whose library patents best answer ``need``."""
    allowed = library_numbers()
    if not allowed:
        return []
    hits = get_index().search(need_text(need), _TEAM_HITS, allowed=allowed, query_ipc=need.ipc)
    by_id = {h.id: h for h in hits}
    patents = Patent.objects.in_bulk(list(by_id), field_name="application_number")
    team_of = dict(
        TeamPatentLink.objects.filter(patent__application_number__in=list(by_id)).values_list(
            "patent__application_number", "team__key"
        )
    )
    ranked = rank_teams([h.id for h in hits], team_of, k)
    teams = InventorTeam.objects.in_bulk([m.key for m in ranked], field_name="key")
    return [
        TeamResult(
            teams[m.key], m.score, tuple((patents[number], by_id[number]) for number, _ in m.patents[:3])
        )
        for m in ranked
        if m.key in teams
    ]
