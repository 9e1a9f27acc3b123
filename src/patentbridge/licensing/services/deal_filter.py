"""The one filter definition of the deal pipeline: the HTML board (``/licensing/``) and the REST
list (``GET /api/licences``) read the same parameters through ``DealFilter`` (house rule: one
filter for a list and its API, as ``patents/filters.py``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Q, QuerySet

from patentbridge.licensing.choices import ContractStateChoices
from patentbridge.licensing.models import LicenceApplication, LicenceContract
from patentbridge.licensing.services.deal_regions import REGION_CODE, region_prefix
from patentbridge.patents.models import PatentClass

__all__ = ["DEAL_FILTER_PARAMS", "DealFilter", "deal_filter_problems"]

# Query parameter → Chinese label (board filter bar, API docs).
DEAL_FILTER_PARAMS: dict[str, str] = {
    "university": "许可方（高校/院所，机构编号）",
    "county": "被许可方所在地区（GB/T 2260 代码前缀）",
    "chain": "重点产业链（代码）",
    "state": "合同状态",
    "q": "关键词（合同编号、专利名称或申请号、企业名称）",
}
_CHAIN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
_MAX_ID = 10**12


def deal_filter_problems(params: Mapping[str, Any]) -> dict[str, str]:
    """Invalid values → a Chinese message per parameter; the board ignores them with a notice,
    the API answers 400."""
    problems: dict[str, str] = {}
    university = str(params.get("university") or "").strip()
    if university and not (university.isdigit() and 0 < int(university[:15]) < _MAX_ID):
        problems["university"] = f"许可方应为机构编号（正整数），已忽略：{university[:20]}"
    county = str(params.get("county") or "").strip()
    if county and not REGION_CODE.match(county):
        problems["county"] = f"地区应为 2、4 或 6 位 GB/T 2260 代码，已忽略：{county[:20]}"
    chain = str(params.get("chain") or "").strip()
    if chain and not _CHAIN.match(chain):
        problems["chain"] = f"产业链代码无效，已忽略：{chain[:20]}"
    state = str(params.get("state") or "").strip()
    if state and state not in ContractStateChoices.values:
        problems["state"] = f"合同状态无效，已忽略：{state[:20]}"
    q = str(params.get("q") or "")
    if len(q) > 100:
        problems["q"] = "关键词最多 100 个字符，已截断"
    return problems


@dataclass(frozen=True)
class DealFilter:
    """Parsed filter values; "" means no filter."""

    university: str = ""
    county: str = ""
    chain: str = ""
    state: str = ""
    q: str = ""

    @classmethod
    def from_mapping(cls, params: Mapping[str, Any]) -> DealFilter:
        """Read request.GET (or any mapping); invalid values filter nothing (callers report them)."""
        values = {f.name: str(params.get(f.name) or "").strip()[:100] for f in fields(cls)}
        for name in deal_filter_problems(params):
            if name != "q":
                values[name] = ""
        if values["county"]:
            values["county"] = region_prefix(values["county"])
        return cls(**values)

    def active(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def _chain_patents(self) -> QuerySet[Any]:
        return PatentClass.objects.filter(scheme="chain", code=self.chain).values("patent_id")

    def contracts(self, queryset: QuerySet[LicenceContract]) -> QuerySet[LicenceContract]:
        """Filter an already restricted contract queryset."""
        qs = queryset
        if self.university:
            qs = qs.filter(licensor_org_id=int(self.university))
        if self.county:
            qs = qs.filter(licensee_org__region_code__startswith=self.county)
        if self.chain:
            qs = qs.filter(
                pk__in=LicenceContract.objects.filter(patents__in=self._chain_patents()).values("pk")
            )
        if self.state:
            qs = qs.filter(state=self.state)
        for term in self.q.split()[:5]:
            qs = qs.filter(_q_contract(term))
        return qs.distinct() if self.q else qs

    def applications(self, queryset: QuerySet[LicenceApplication]) -> QuerySet[LicenceApplication]:
        """The same filter on applications (the board's 申请中 column); ``state`` does not apply."""
        qs = queryset
        if self.university:
            qs = qs.filter(offer__publisher_org_id=int(self.university))
        if self.county:
            qs = qs.filter(applicant_org__region_code__startswith=self.county)
        if self.chain:
            qs = qs.filter(
                pk__in=LicenceApplication.objects.filter(patents__in=self._chain_patents()).values("pk")
            )
        for term in self.q.split()[:5]:
            qs = qs.filter(_q_application(term))
        return qs.distinct() if self.q else qs


def _q_contract(term: str) -> Q:
    return (
        Q(contract_no__icontains=term)
        | Q(licensee_org__name__icontains=term)
        | Q(patents__title__icontains=term)
        | Q(patents__application_number__icontains=term)
    )


def _q_application(term: str) -> Q:
    return (
        Q(applicant_org__name__icontains=term)
        | Q(patents__title__icontains=term)
        | Q(patents__application_number__icontains=term)
    )
