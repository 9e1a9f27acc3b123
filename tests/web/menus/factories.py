"""Menu test factories: the cast of a county menu (a state-run university and its TTO, the
operation centre, county and city officers, enterprises inside and outside the county) and
granted in-library patents classified into a chain.

Plain functions on top of ``web.licensing.factories``; names and numbers are unique per call."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from patentbridge_engine.ids import uscc_check_char
from web.factories import make_member, make_org
from web.licensing.factories import Parties, make_granted_patent, make_parties

__all__ = [
    "COUNTY",
    "ON",
    "OTHER_COUNTY",
    "Cast",
    "chain_patent",
    "chain_patents",
    "make_cast",
    "valid_uscc",
]

# 聊城市莘县 (seed-000's county) and 聊城市东昌府区, in 聊城市 3715 (山东 37).
COUNTY = "371522"
OTHER_COUNTY = "371502"
CITY = "371500"
# The business date of the menu tests (frozen; no test reads today's date).
ON = dt.date(2026, 3, 2)
_serial = itertools.count(1)

# Texts that the chain classifier puts into 绿色低碳 (GLC) and 现代高效农业 (AGRI).
GLC = {
    "title": "一种回收工业余热制取蒸汽的高温热泵机组",
    "abstract": "本发明公开一种高温热泵机组，回收车间低温余热，经两级压缩提升为工业用高温蒸汽，节能减排。",
    "ipc": ["F25B30/02"],
}
AGRI = {
    "title": "一种适用于丘陵地区的小型播种农机",
    "abstract": "本发明公开一种小型播种机，适用于丘陵地块的玉米种植，提高农机作业效率。",
    "ipc": ["A01C7/00"],
}
TEXTS = {"GLC": GLC, "AGRI": AGRI}


def valid_uscc(region: str, body: str | None = None) -> str:
    """A USCC with a correct check character whose characters 3–8 are ``region``."""
    first17 = f"91{region}{body or f'MA{next(_serial):07d}'}"[:17]
    return first17 + uscc_check_char(first17)


@dataclass
class Cast:
    """Licensing parties plus the county's government and enterprises."""

    p: Parties
    county_gov: Any
    officer: Any
    other_gov: Any
    other_officer: Any
    city_gov: Any
    city_officer: Any
    ent_a: Any
    ent_a_user: Any
    ent_b: Any
    ent_b_user: Any
    ent_far: Any
    ent_far_user: Any


def make_cast() -> Cast:
    """A university (济南, state-run) whose menu targets 莘县; officers of 莘县, 东昌府区 and
    聊城市; two 莘县 enterprises (one located only by its USCC) and one in 东昌府区."""
    n = next(_serial)
    p = make_parties()
    county_gov = make_org(f"莘县市场监督管理局{n}", "government", region_code=COUNTY)
    other_gov = make_org(f"东昌府区市场监督管理局{n}", "government", region_code=OTHER_COUNTY)
    city_gov = make_org(f"聊城市市场监督管理局{n}", "government", region_code=CITY)
    ent_a = make_org(f"莘县甲制造有限公司{n}", "enterprise", region_code=COUNTY)
    # No region kept: located by characters 3–8 of its credit code.
    ent_b = make_org(f"莘县乙能源有限公司{n}", "enterprise", uscc=valid_uscc(COUNTY))
    ent_far = make_org(f"东昌府区丙科技有限公司{n}", "enterprise", region_code=OTHER_COUNTY)
    return Cast(
        p=p,
        county_gov=county_gov,
        officer=make_member(county_gov, "gov_officer"),
        other_gov=other_gov,
        other_officer=make_member(other_gov, "gov_officer"),
        city_gov=city_gov,
        city_officer=make_member(city_gov, "gov_officer"),
        ent_a=ent_a,
        ent_a_user=make_member(ent_a, "enterprise"),
        ent_b=ent_b,
        ent_b_user=make_member(ent_b, "enterprise"),
        ent_far=ent_far,
        ent_far_user=make_member(ent_far, "enterprise"),
    )


def chain_patent(owner: Any, chain: str = "GLC", *, title: str | None = None, **fields: Any) -> Any:
    """A granted in-library patent of ``owner`` whose text puts it into ``chain`` (classified by
    the real classifier: needs the ``chains`` fixture)."""
    text = dict(TEXTS[chain])
    serial = next(_serial)
    text["title"] = title or f"{text['title']}（{serial}）"
    text.update(fields)
    return make_granted_patent(owner, classify=True, **text)


def chain_patents(owner: Any, n: int, chain: str = "GLC", **fields: Any) -> list[Any]:
    return [chain_patent(owner, chain, **fields) for _ in range(n)]


def grade(patents: Iterable[Any], final: str, *, high_value: bool = False) -> None:
    """Give patents a stored grade (ORM: the grading service's outcome is not under test here)."""
    from django.utils import timezone

    from patentbridge.grading.models import PatentGrade

    for patent in patents:
        PatentGrade.objects.update_or_create(
            patent=patent,
            defaults={
                "grade": final,
                "final": final,
                "score": 0.5,
                "coverage": 1.0,
                "policy_version": "test",
                "high_value": high_value,
                "graded_at": timezone.now(),
            },
        )
