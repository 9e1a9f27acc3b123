"""Suggesting a menu's patents (guide §5.d "how a menu is built", steps 1–3).

1. The pool: the publisher's in-library patents (or, for the operation centre's menus and for
   supplements, the provincial 资源库 — every organisation's in-library patents), valid on the
   date, not under an exclusive or sole licence, not in the public list's government-use state,
   at or above the menu's minimum grade.
2. Fit: the patent's chain classes (IPC patterns + keywords) against the menu's chains, and the
   open needs of enterprises in the target region through the same hybrid search that matches a
   need to the library (``matching.needs``); the reasons are kept.
3. Rank by chain fit, local demand, grade, an offer already published and remaining life.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from patentbridge.accounts.regions import region_q
from patentbridge.demands.choices import NeedStatusChoices
from patentbridge.demands.models import TechNeed
from patentbridge.grading.models import PatentGrade, PublicListEntry
from patentbridge.licensing.choices import ModeChoices, OfferStateChoices, RightKindChoices
from patentbridge.licensing.models import LicenceOffer, RightEvent
from patentbridge.matching.models import TeamPatentLink
from patentbridge.matching.needs import need_text
from patentbridge.menus.models import PatentMenu
from patentbridge.patents.choices import LegalStatusChoices, LibraryStatusChoices
from patentbridge.patents.models import IndustryChain, Patent, PatentClass
from patentbridge.search.index import get_index

__all__ = ["Candidate", "availability", "candidates_for", "grade_allows", "pool"]

_GRADE_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}
_GRADE_POINTS = {"A": 3.0, "B": 2.0, "C": 1.0, "D": 0.0}
# Open needs of the region read per suggestion run, and library hits kept per need.
_MAX_NEEDS = 50
_HITS_PER_NEED = 10


@dataclass
class Candidate:
    """A patent that fits the menu, with the reasons in Chinese and the evidence behind them."""

    patent: Patent
    chain: IndustryChain | None
    reasons: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)
    grade: str = ""
    high_value: bool = False
    modes: list[str] = field(default_factory=list)
    offer: LicenceOffer | None = None
    team: Any = None
    score: float = 0.0
    supplement: bool = False

    @property
    def modes_label(self) -> str:
        return "、".join(ModeChoices(m).label for m in self.modes if m in ModeChoices.values) or "待协商"


def grade_allows(grade: str, grade_min: str) -> bool:
    """A patent graded ``grade`` meets a minimum of ``grade_min`` ("" = no minimum; ungraded
    patents never meet a minimum)."""
    if not grade_min:
        return True
    return grade in _GRADE_ORDER and _GRADE_ORDER[grade] <= _GRADE_ORDER[grade_min]


def pool(menu: PatentMenu, *, supplement: bool = False) -> QuerySet[Patent]:
    """The patents a menu may draw on: the publisher's library, or (resource pool / supplement)
    the provincial library; a supplement takes other organisations' patents only."""
    library = Patent.objects.filter(library_status=LibraryStatusChoices.IN_LIBRARY)
    if supplement:
        return library.exclude(owner_org_id=menu.publisher_org_id)
    if menu.source == "own_library":
        return library.filter(owner_org_id=menu.publisher_org_id)
    return library


def availability(patents: Iterable[Patent], as_of: dt.date) -> dict[int, str]:
    """Why each unavailable patent may not be offered on ``as_of`` (patent pk → Chinese reason);
    patents missing from the answer are available."""
    patents = list(patents)
    out: dict[int, str] = {}
    for p in patents:
        if p.legal_status != LegalStatusChoices.GRANTED:
            out[p.pk] = f"专利权不在有效状态（{p.get_legal_status_display()}）"
        elif p.expiry_date is not None and p.expiry_date <= as_of:
            out[p.pk] = f"专利权已于 {p.expiry_date.isoformat()} 期限届满"
        elif p.lapse_date is not None and p.lapse_date <= as_of:
            out[p.pk] = f"专利权已于 {p.lapse_date.isoformat()} 终止"
    pks = [p.pk for p in patents if p.pk not in out]
    exclusive = RightEvent.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=as_of),
        patent_id__in=pks,
        kind=RightKindChoices.LICENCE,
        sub_kind__in=("exclusive", "sole"),
        start_date__lte=as_of,
    ).values_list("patent_id", "sub_kind")
    for pk, sub_kind in exclusive:
        out[pk] = "已有独占许可在履行中" if sub_kind == "exclusive" else "已有排他许可在履行中"
    government = PublicListEntry.objects.filter(
        patent_id__in=pks, government_use=True, left_on__isnull=True, since__lte=as_of
    ).values_list("patent_id", flat=True)
    for pk in government:
        out.setdefault(pk, "列入公开实施清单且处于政府可实施状态")
    return out


def _chain_classes(pks: list[int], chains: list[IndustryChain]) -> dict[int, list[tuple[IndustryChain, str]]]:
    by_code = {c.code: c for c in chains}
    out: dict[int, list[tuple[IndustryChain, str]]] = defaultdict(list)
    rows = PatentClass.objects.filter(patent_id__in=pks, scheme="chain", code__in=list(by_code)).values_list(
        "patent_id", "code", "reason"
    )
    for pk, code, reason in rows:
        out[pk].append((by_code[code], reason))
    for pk in out:
        out[pk].sort(key=lambda pair: (pair[0].position, pair[0].code))
    return out


def _local_needs(menu: PatentMenu) -> list[TechNeed]:
    return list(
        TechNeed.objects.filter(
            region_q("org__region_code", menu.target_region), status=NeedStatusChoices.OPEN
        )
        .select_related("org")
        .order_by("-created_at", "-pk")[:_MAX_NEEDS]
    )


def _need_hits(needs: list[TechNeed], allowed: set[str]) -> dict[str, list[tuple[TechNeed, Any]]]:
    """application number → [(need, hit)] for the region's needs answered (not weakly) by the pool."""
    out: dict[str, list[tuple[TechNeed, Any]]] = defaultdict(list)
    if not allowed or not needs:
        return out
    index = get_index()
    for need in needs:
        for hit in index.search(need_text(need), _HITS_PER_NEED, allowed=allowed, query_ipc=need.ipc):
            if not hit.weak:
                out[hit.id].append((need, hit))
    return out


def _need_chain(need: TechNeed, chains: list[IndustryChain]) -> IndustryChain | None:
    codes = [c.get("code") for c in need.chains or [] if isinstance(c, dict)]
    return next((c for c in chains if c.code in codes), None)


def _offers(pks: list[int]) -> dict[int, LicenceOffer]:
    """The newest published offer of each patent."""
    out: dict[int, LicenceOffer] = {}
    offers = LicenceOffer.objects.filter(patents__in=pks, state=OfferStateChoices.PUBLISHED).order_by(
        "-published_at", "-pk"
    )
    for offer in offers.prefetch_related("patents"):
        for p in offer.patents.all():
            if p.pk in pks:
                out.setdefault(p.pk, offer)
    return out


def candidates_for(
    menu: PatentMenu,
    *,
    as_of: dt.date,
    chains: list[IndustryChain] | None = None,
    supplement: bool = False,
    exclude: Iterable[int] = (),
    only: Iterable[int] | None = None,
    keep_unfitted: bool = False,
) -> list[Candidate]:
    """Every fitting patent of the menu's pool (or the provincial library when ``supplement``)
    for the menu's chains (or ``chains``), best first; ``exclude`` are patent pks already on it,
    ``only`` limits the run to some patents, ``keep_unfitted`` keeps patents that fit no chain
    (chain None: a composer adding one by hand picks the chain)."""
    chains = chains if chains is not None else list(menu.target_chains.order_by("position", "code"))
    if not chains:
        return []
    qs = pool(menu, supplement=supplement).exclude(pk__in=list(exclude))
    if only is not None:
        qs = qs.filter(pk__in=list(only))
    patents = list(qs.select_related("owner_org"))
    blocked = availability(patents, as_of)
    patents = [p for p in patents if p.pk not in blocked]
    grades = {g.patent_id: g for g in PatentGrade.objects.filter(patent_id__in=[p.pk for p in patents])}
    if only is None:  # the grade floor filters suggestions; a composer may add a patent below it
        patents = [
            p
            for p in patents
            if grade_allows(getattr(grades.get(p.pk), "final", ""), menu.grade_min)
            and (not menu.high_value_only or getattr(grades.get(p.pk), "high_value", False))
        ]
    pks = [p.pk for p in patents]
    classes = _chain_classes(pks, chains)
    hits = _need_hits(_local_needs(menu), {p.application_number for p in patents})
    offers = _offers(pks)
    teams = dict(TeamPatentLink.objects.filter(patent_id__in=pks).values_list("patent_id", "team_id"))
    team_objs = {t.pk: t for t in _teams(set(teams.values()))}
    out: list[Candidate] = []
    for p in patents:
        needs = hits.get(p.application_number, [])
        fitted = classes.get(p.pk, [])
        chain = fitted[0][0] if fitted else next((c for n, _ in needs if (c := _need_chain(n, chains))), None)
        if chain is None and not keep_unfitted:
            continue
        grade = grades.get(p.pk)
        cand = Candidate(
            patent=p,
            chain=chain,
            grade=getattr(grade, "final", ""),
            high_value=bool(getattr(grade, "high_value", False)),
            offer=offers.get(p.pk),
            team=team_objs.get(teams.get(p.pk, 0)),
            supplement=supplement,
        )
        cand.modes = list(cand.offer.modes) if cand.offer else []
        _explain(cand, fitted, needs, as_of)
        out.append(cand)
    out.sort(key=lambda c: (-c.score, c.patent.application_number))
    return out


def _teams(pks: set[int]) -> list[Any]:
    from patentbridge.matching.models import InventorTeam

    return list(InventorTeam.objects.filter(pk__in=pks))


def _explain(
    cand: Candidate, fitted: list[tuple[IndustryChain, str]], needs: list[Any], as_of: dt.date
) -> None:
    """Fill ``reasons`` (what the composer and the county read), ``detail`` and ``score``."""
    p, score = cand.patent, 0.0
    reasons: list[str] = []
    detail: dict[str, Any] = {"chains": [], "needs": [], "grade": cand.grade, "high_value": cand.high_value}
    for chain, why in fitted:
        detail["chains"].append({"code": chain.code, "name": chain.name, "reason": why})
    if fitted:
        score += 3.0
        reasons.append(f"属于产业链「{fitted[0][0].name}」（{fitted[0][1]}）")
    for need, hit in needs[:3]:
        terms = "、".join(hit.terms[:5])
        reasons.append(
            f"回应本地企业需求「{need.title}」（{need.org.name}；{hit.strength_label}"
            + (f"：{terms}）" if terms else "）")
        )
        detail["needs"].append(
            {"need": need.pk, "title": need.title, "org": need.org.name, "terms": list(hit.terms[:8])}
        )
        score += 2.0 if str(hit.strength) == "strong" else 1.0
    if cand.grade:
        reasons.append(f"价值分级 {cand.grade}" + ("，高价值发明专利" if cand.high_value else ""))
        score += _GRADE_POINTS.get(cand.grade, 0.0)
    if cand.offer is not None:
        reasons.append(f"权利人已发布许可项目「{cand.offer.title}」：{cand.modes_label}")
        score += 1.0
    if p.expiry_date is not None:
        whole = p.expiry_date.year - as_of.year
        years = max(0, whole - ((p.expiry_date.month, p.expiry_date.day) < (as_of.month, as_of.day)))
        reasons.append(f"剩余保护期约 {years} 年")
        score += min(years, 20) / 10
    if cand.supplement:
        owner = p.owner_org.name if p.owner_org else "其他单位"
        reasons.append(f"资源库补充：{owner}的专利")
    cand.reasons, cand.detail, cand.score = reasons, detail, round(score, 3)
