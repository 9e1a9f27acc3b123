"""Where an organisation is (GB/T 2260), and scoping by region prefix (guide §1.3).

``Organization.region_code`` is the code in force (kept by administrators; every change is an
audited ``accounts.organization.updated`` event — the evidence of a manual override). When it is
empty, the region is read from the 统一社会信用代码: characters 3–8 are the registering
authority's administrative division (GB 32100-2015, domain-rules §11.6), used only when the check
character is right. Codes are compared by prefix: 37 (山东) ⊃ 3715 (聊城市) ⊃ 371522 (莘县);
``370000`` and ``371500`` are the province and city written with zeros, i.e. prefixes 37 and 3715.

A ``gov_officer`` acts only inside its organisation's prefix; an officer whose organisation has
no region sees nothing rather than everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge_engine.ids import is_valid_uscc

__all__ = [
    "REGION_CODE",
    "Region",
    "is_region_prefix",
    "officer_prefix",
    "org_of",
    "orgs_within",
    "region_code_of",
    "region_of",
    "region_prefix",
    "region_q",
    "within",
]

# A GB/T 2260 prefix: province (2 digits), city (4) or county (6).
REGION_CODE = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")
# First two digits of the provinces, autonomous regions, municipalities and SARs (GB/T 2260).
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


@dataclass(frozen=True)
class Region:
    """An organisation's region: the six-digit ``code`` ("" when unknown), where it came from
    (``region_code`` kept on the record, ``uscc`` derived, or "") and the evidence in Chinese."""

    code: str
    source: str
    evidence: str

    @property
    def prefix(self) -> str:
        return region_prefix(self.code)


def region_prefix(code: str) -> str:
    """``370000`` → ``37``, ``371500`` → ``3715``, ``371522`` stays; anything not 2/4/6 digits → ""."""
    text = (code or "").strip()
    if not REGION_CODE.match(text):
        return ""
    while len(text) > 2 and text.endswith("00"):
        text = text[:-2]
    return text


def is_region_prefix(text: str) -> bool:
    """A 2-, 4- or 6-digit code whose first two digits name a province."""
    prefix = region_prefix(text)
    return bool(prefix) and prefix[:2] in _PROVINCES


def within(code: str, prefix: str) -> bool:
    """True when region ``code`` lies inside ``prefix`` (both must be known)."""
    own, outer = region_prefix(code), region_prefix(prefix)
    return bool(own) and bool(outer) and own.startswith(outer)


def org_of(subject: Any) -> Any:
    """The organisation of a user (through the membership) or the organisation itself."""
    if subject is None:
        return None
    if hasattr(subject, "region_code") and hasattr(subject, "uscc"):
        return subject
    member = policies.membership_of(subject)
    return None if member is None else member.org


def region_of(subject: Any) -> Region:
    """The region of an organisation (or of a user's organisation) with its evidence."""
    org = org_of(subject)
    if org is None:
        return Region("", "", "无所属机构")
    kept = (org.region_code or "").strip()
    if kept:
        return Region(kept, "region_code", f"机构登记的行政区划代码 {kept}（管理员维护，修改记入审计日志）")
    uscc = (org.uscc or "").strip().upper()
    if not uscc:
        return Region("", "", "未登记行政区划代码，也没有统一社会信用代码")
    if not is_valid_uscc(uscc):
        return Region("", "", f"统一社会信用代码 {uscc[:18]} 校验位不正确，未据此推算地区")
    part = uscc[2:8]
    if not part.isdigit() or part[:2] not in _PROVINCES:
        return Region("", "", f"统一社会信用代码 {uscc} 第3–8位 {part} 不是行政区划代码")
    return Region(part, "uscc", f"由统一社会信用代码 {uscc} 第3–8位（登记管理机关行政区划码）推得：{part}")


def region_code_of(subject: Any) -> str:
    """Just the six-digit code ("" when unknown)."""
    return region_of(subject).code


def officer_prefix(user: Any) -> str | None:
    """The prefix a ``gov_officer`` is confined to ("" when its organisation has no region, so
    it sees nothing); None for every other role."""
    if policies.role_of(user) != RoleChoices.GOV_OFFICER:
        return None
    return region_of(user).prefix


def region_q(field: str, prefix: str) -> Q:
    """A filter on a stored GB/T 2260 field for codes inside ``prefix`` (an impossible filter when
    the prefix is empty, never "everything")."""
    clean = region_prefix(prefix)
    if not clean:
        return Q(pk__in=[])
    return Q(**{f"{field}__startswith": clean})


def orgs_within(orgs: Iterable[Any], prefix: str) -> list[Any]:
    """The organisations whose region (kept or derived from the USCC) lies inside ``prefix``."""
    return [org for org in orgs if within(region_of(org).code, prefix)]
