"""Inventor teams (发明人团队) derived from patents, and need → team ranking.

A team is keyed by its institution (the first applicant) and its lead: of a patent's inventors,
the one named on the most of that institution's patents (the principal investigator, who at a
Chinese university is often not the first-named student inventor); ties go to the earlier-named
inventor. Its profile says what it
works on (IPC subclasses and title topic words, with counts), how much (patent count), with whom
(co-inventors) and how recently (first/last filing year, patents in the last three years).
Teams are ranked for a need by the library hits they own: each hit adds 1 / (constant + rank),
so a team with several good patents beats one lucky match.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from patentbridge_engine.ids.orgs import normalize_org_name
from patentbridge_engine.text.tokenize import Tokenizer, default_tokenizer

__all__ = [
    "TeamMatch",
    "TeamPatent",
    "TeamProfile",
    "assign_teams",
    "build_team_profiles",
    "institution_of",
    "rank_teams",
    "team_key",
]

# Title words that describe the document, not the technology.
_GENERIC_TITLE_WORDS = frozenset(
    [
        "一种",
        "方法",
        "装置",
        "系统",
        "及其",
        "制备",
        "应用",
        "用途",
        "设备",
        "结构",
        "基于",
        "用于",
        "组件",
        "模块",
        "以及",
        "包括",
        "其",
        "所述",
        "及",
        "和",
        "与",
        "的",
    ]
)
_TOP_IPC = 5
_TOP_TOPICS = 8
_TOP_MEMBERS = 10
_RECENT_YEARS = 3
_RANK_CONSTANT = 10.0


@dataclass(frozen=True, slots=True)
class TeamPatent:
    """What the team profile needs of one patent."""

    id: str
    title: str
    inventors: Sequence[str]
    applicants: Sequence[str]
    ipc: Sequence[str] = ()
    filing_year: int | None = None


@dataclass(slots=True)
class TeamProfile:
    """One inventor team and what its patents say about it."""

    key: str
    lead: str
    institution: str
    patent_ids: list[str] = field(default_factory=list)
    members: list[tuple[str, int]] = field(default_factory=list)
    ipc: list[tuple[str, int]] = field(default_factory=list)
    topics: list[tuple[str, int]] = field(default_factory=list)
    first_year: int | None = None
    last_year: int | None = None
    recent_count: int = 0

    @property
    def patent_count(self) -> int:
        return len(self.patent_ids)


@dataclass(frozen=True, slots=True)
class TeamMatch:
    """A team for a need: its score and the matched patents (id, rank) that earned it."""

    key: str
    score: float
    patents: tuple[tuple[str, int], ...]


def institution_of(applicants: Sequence[str]) -> str:
    """The team institution of a patent: its first applicant, normalised."""
    return next((normalize_org_name(a) for a in applicants if a and a.strip()), "")


def _inventors(patent: TeamPatent) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in patent.inventors if i and i.strip()))


def team_key(institution: str, lead: str) -> str:
    """``institution|lead``."""
    return f"{institution}|{lead}"


def assign_teams(patents: Sequence[TeamPatent]) -> dict[str, str]:
    """Patent id → team key for every patent with an applicant and an inventor."""
    counts: Counter[tuple[str, str]] = Counter()
    for patent in patents:
        institution = institution_of(patent.applicants)
        counts.update((institution, name) for name in _inventors(patent))
    out: dict[str, str] = {}
    for patent in patents:
        institution, names = institution_of(patent.applicants), _inventors(patent)
        if not institution or not names:
            continue
        lead = max(names, key=lambda n: (counts[(institution, n)], -names.index(n)))
        out[patent.id] = team_key(institution, lead)
    return out


def _topic_words(title: str, tokenizer: Tokenizer) -> set[str]:
    return {w for w in tokenizer.words(title) if len(w) > 1 and w not in _GENERIC_TITLE_WORDS}


def build_team_profiles(
    patents: Iterable[TeamPatent], *, as_of_year: int, tokenizer: Tokenizer | None = None
) -> dict[str, TeamProfile]:
    """Profiles of every team in ``patents``; pass all patents of an institution together, since
    the lead of each patent depends on the institution's other patents."""
    tokenizer = tokenizer or default_tokenizer()
    patents = list(patents)
    teams = assign_teams(patents)
    members: dict[str, Counter[str]] = {}
    ipcs: dict[str, Counter[str]] = {}
    topics: dict[str, Counter[str]] = {}
    profiles: dict[str, TeamProfile] = {}
    for patent in patents:
        key = teams.get(patent.id)
        if key is None:
            continue
        institution, lead = key.split("|", 1)
        profile = profiles.setdefault(key, TeamProfile(key=key, lead=lead, institution=institution))
        profile.patent_ids.append(patent.id)
        members.setdefault(key, Counter()).update(n for n in _inventors(patent) if n != lead)
        ipcs.setdefault(key, Counter()).update({str(c)[:4] for c in patent.ipc if c})
        topics.setdefault(key, Counter()).update(_topic_words(patent.title, tokenizer))
        year = patent.filing_year
        if year is not None:
            profile.first_year = min(year, profile.first_year or year)
            profile.last_year = max(year, profile.last_year or year)
            profile.recent_count += year > as_of_year - _RECENT_YEARS
    for key, profile in profiles.items():
        profile.members = _top(members[key], _TOP_MEMBERS)
        profile.ipc = _top(ipcs[key], _TOP_IPC)
        profile.topics = _top(topics[key], _TOP_TOPICS, longer_first=True)
    return profiles


def _top(counts: Counter[str], limit: int, *, longer_first: bool = False) -> list[tuple[str, int]]:
    """Most frequent first; ties by longer word (more specific) when asked, then alphabetically."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]) if longer_first else 0, kv[0]))[:limit]


def rank_teams(hits: Sequence[str], team_of: Mapping[str, str], k: int = 5) -> list[TeamMatch]:
    """Teams ranked by the patents they own among ``hits`` (patent ids, best first)."""
    scores: dict[str, float] = {}
    owned: dict[str, list[tuple[str, int]]] = {}
    for rank, patent_id in enumerate(hits, start=1):
        key = team_of.get(patent_id)
        if key is None:
            continue
        scores[key] = scores.get(key, 0.0) + 1.0 / (_RANK_CONSTANT + rank)
        owned.setdefault(key, []).append((patent_id, rank))
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return [TeamMatch(key, round(score, 6), tuple(owned[key])) for key, score in ranked]
