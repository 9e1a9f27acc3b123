"""A small library for navigation tests whose numbers are worked out by hand.

泰安 (3709) holds 6 heat-pump patents (F25B, chain GLC) of 泰安热泵有限公司 and 1 battery patent
(H01M); 济南 (3701) holds 3 battery patents (H01M) and 2 heat-pump patents of 山东大学 (a university),
and 1 seed drill (A01C, chain AGRI) of 济南农机公司. Library: 13 patents; F25B 8, H01M 4, A01C 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from patentbridge.patents.models import Party, PatentParty
from web.factories import make_member, make_org, make_patent
from web.menus.factories import AGRI, GLC


@dataclass
class World:
    operator: Any
    centre: Any
    uni: Any
    tto: Any
    city_gov: Any
    officer: Any
    other_officer: Any
    ent: Any
    ent_user: Any
    inventor: Any
    patents: list[Any]


def _patent(
    applicant: str, kind: str, province: str, city: str, year: int, text: dict[str, Any], **kw: Any
) -> Any:
    p = make_patent(
        applicants=[applicant],
        applicant_kind=kind,
        province=province,
        city=city,
        filing_date=dt.date(year, 3, 1),
        legal_status=kw.pop("legal_status", "granted"),
        inventors=kw.pop("inventors", ["张工"]),
        classify=True,
        **text,
        **kw,
    )
    party, _ = Party.objects.get_or_create(name=applicant, defaults={"kind": kind})
    PatentParty.objects.create(patent=p, party=party, role=PatentParty.Role.APPLICANT)
    return p


BATTERY = {
    "title": "一种锂离子电池正极材料",
    "abstract": "一种锂电池正极材料及其制备方法。",
    "ipc": ["H01M4/36"],
}


def build_world() -> World:
    centre = make_org("泰安市知识产权运营中心", "operation_centre")
    uni = make_org("山东大学", "university")
    city_gov = make_org("泰安市市场监督管理局", "government", region_code="370900")
    other_gov = make_org("济南市市场监督管理局", "government", region_code="370100")
    ent = make_org("泰安热泵有限公司", "enterprise", region_code="370902")
    patents = []
    for i, year in enumerate([2018, 2019, 2021, 2022, 2022, 2023]):
        patents.append(
            _patent(
                "泰安热泵有限公司", "enterprise", "山东", "泰安", year, dict(GLC, title=f"{GLC['title']}{i}")
            )
        )
    patents.append(_patent("泰安电池公司", "enterprise", "山东", "泰安", 2022, BATTERY))
    for i in range(3):
        patents.append(
            _patent("山东大学", "university", "山东", "济南", 2020 + i, dict(BATTERY, title=f"电池{i}"))
        )
    for i in range(2):
        patents.append(
            _patent(
                "山东大学",
                "university",
                "山东",
                "济南",
                2021,
                dict(GLC, title=f"热泵{i}"),
                inventors=["李教授"],
            )
        )
    patents.append(_patent("济南农机公司", "enterprise", "山东", "济南", 2020, AGRI))
    return World(
        operator=make_member(centre, "operator"),
        centre=centre,
        uni=uni,
        tto=make_member(uni, "tto"),
        city_gov=city_gov,
        officer=make_member(city_gov, "gov_officer"),
        other_officer=make_member(other_gov, "gov_officer"),
        ent=ent,
        ent_user=make_member(ent, "enterprise"),
        inventor=make_member(uni, "inventor"),
        patents=patents,
    )
