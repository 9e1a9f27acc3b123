"""Who and what the demo licences use: the demo accounts acting for each organisation, and the
patents chosen by query — granted, valid on every date the record needs, in the library, with a
known expiry, and not yet burdened or offered (so the demo never stacks on an imported licence or
on another demo record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.models import Organization
from patentbridge.licensing.services.ledger import patent_facts
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.models import Patent
from patentbridge.site.demo_orgs import DEMO_USERS

__all__ = [
    "LICENSOR_PREFERENCE",
    "PREFERRED",
    "Cast",
    "Need",
    "candidates",
    "owner",
    "package",
    "patentee_names",
]

# The regional story is Shandong's: its universities first. 西安交通大学 is left out on purpose —
# its two granted patents stay unencumbered for the walkthrough account ``tto`` to declare an open
# licence or publish an offer itself.
PREFERRED = ("山东农业大学", "山东科技大学")
LICENSOR_PREFERENCE = (
    *PREFERRED,
    "泰山医学院",
    "山东省果树研究所",
    "中科大数据研究院",
    "中国科学院理化技术研究所",
    "天津商业大学",
    "中国科学技术大学",
    "中山大学",
)
_RANK = {name: i for i, name in enumerate(LICENSOR_PREFERENCE)}


def owner(patent: Patent) -> Organization:
    """The owner organisation of a chosen patent (candidates always have one)."""
    org = patent.owner_org
    assert org is not None, patent.application_number
    return org


def patentee_names(patent: Patent, as_of: dt.date) -> list[str]:
    """The patentees on ``as_of`` as the ledger reads them (the applicants when none are recorded)."""
    return list(patent_facts(patent, as_of).patentees)


@dataclass(frozen=True)
class Need:
    """What a record needs of a patent: granted and valid from ``start`` (the first business date)
    to the day the demo is loaded, its term running past ``until``; optionally co-owned (None =
    either), an invention (a utility model would need an evaluation report), or with inventor names
    (an income distribution splits among them)."""

    start: dt.date
    until: dt.date
    coowned: bool | None = False
    invention: bool = False
    inventors: bool = False


@dataclass
class Cast:
    """The demo accounts by username and the anchor date every demo date is relative to."""

    today: dt.date
    users: dict[str, Any]

    @classmethod
    def load(cls, today: dt.date) -> Cast:
        names = [d.username for d in DEMO_USERS]
        found = get_user_model().objects.filter(username__in=names)
        return cls(today=today, users={u.get_username(): u for u in found})

    def user(self, username: str) -> Any:
        return self.users[username]

    def org(self, username: str) -> Organization:
        member = policies.membership_of(self.user(username))
        assert member is not None, username  # every demo account has its membership
        org: Organization = member.org
        return org

    def manager(self, org: Organization) -> Any:
        """The organisation's own demo TTO account (not a college reviewer), else the operator
        acting on the owner's mandate."""
        for demo in DEMO_USERS:
            own_tto = demo.org == org.name and demo.role == RoleChoices.TTO and not demo.college
            if own_tto and demo.username in self.users:
                return self.user(demo.username)
        return self.user("operator")

    def second(self, first: Any) -> Any:
        """A second person for a two-person step (approving what ``first`` computed)."""
        return self.user("admin" if first.pk == self.user("operator").pk else "operator")

    def licensor_note(self) -> str:
        """Why the preferred Shandong universities license nothing, when they have no usable patent."""
        usable = _base(self.today).filter(owner_org__name__in=PREFERRED).exists()
        if usable:
            return ""
        return (
            f"{'、'.join(PREFERRED)}在演示库中没有已授权且有效的专利（泰安申请数据不含法律状态，见 "
            "demo_data/README.md），演示许可改用其他演示高校、院所的已授权专利"
        )


def _base(today: dt.date) -> Any:
    return Patent.objects.filter(
        owner_org__name__in=LICENSOR_PREFERENCE,
        library_status=LibraryStatusChoices.IN_LIBRARY,
        legal_status="granted",
        grant_date__lte=today,
        expiry_date__isnull=False,
        lapse_date__isnull=True,
    )


def candidates(cast: Cast, need: Need, *, taken: frozenset[int] = frozenset()) -> list[Patent]:
    """Patents that fit ``need``, by licensor preference then application number."""
    qs = (
        _base(cast.today)
        .filter(
            grant_date__lte=need.start,
            expiry_date__gt=need.until,
            right_events__isnull=True,
            licence_offers__isnull=True,
            licence_contracts__isnull=True,
            open_licences__isnull=True,
        )
        .exclude(pk__in=taken)
        .select_related("owner_org")
    )
    if need.invention:
        qs = qs.filter(patent_type="invention")
    out = []
    for patent in qs.distinct():
        owners = patentee_names(patent, need.start)
        if need.coowned is not None and (len(owners) > 1) != need.coowned:
            continue
        if need.inventors and not patent.inventors:
            continue
        if patent_facts(patent, need.start).valid and patent_facts(patent, cast.today).valid:
            out.append(patent)
    out.sort(key=lambda p: (_RANK[owner(p).name], p.application_number))
    return out


def package(cast: Cast, need: Need, size: int) -> list[Patent]:
    """``size`` fitting patents of the first licensor that has that many ([] when none has)."""
    by_org: dict[int, list[Patent]] = {}
    for patent in candidates(cast, need):
        group = by_org.setdefault(owner(patent).pk, [])
        group.append(patent)
        if len(group) == size:
            return group
    return []
