"""Demo organisations and accounts: who is in the demo, where they are (GB/T 2260), and their
passwords, which stay the same across reruns of ``patentbridge init --demo`` unless reset.

Organisations named after real applicants (山东农业大学, 中山大学 …) only group those applicants'
public records so that each university's TTO sees its own portfolio; every demo enterprise and
body carries "（演示）" in its name and is not a real company.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.models import Membership, Organization

__all__ = [
    "CENTRE",
    "COUNTY",
    "DEMO_ORGS",
    "DEMO_USERS",
    "POOL_AGENCY",
    "STATE_RUN",
    "DemoUser",
    "create_demo_accounts",
    "credentials_path",
]

CENTRE = "山东省知识产权运营中心（演示）"
_U, _E, _C, _G, _A = (
    OrgKindChoices.UNIVERSITY,
    OrgKindChoices.ENTERPRISE,
    OrgKindChoices.OPERATION_CENTRE,
    OrgKindChoices.GOVERNMENT,
    OrgKindChoices.AGENCY,
)
COUNTY = "宁阳县市场监督管理局（演示）"
POOL_AGENCY = "泰安市专利池运营服务中心（演示）"
# name → (kind, province, city, GB/T 2260 code). Universities are the applicants of the bundled data.
DEMO_ORGS: dict[str, tuple[str, str, str, str]] = {
    CENTRE: (_C, "山东", "济南", "370100"),
    "山东省市场监督管理局（演示）": (_G, "山东", "济南", "370000"),
    # A county under 泰安 (370921 宁阳县): the county officer selects from menus for its industries.
    COUNTY: (_G, "山东", "泰安", "370921"),
    # A service agency that manages a patent pool (guide §1.4, §4).
    POOL_AGENCY: (_A, "山东", "泰安", "370900"),
    "西安交通大学": (_U, "陕西", "西安", "610100"),
    "山东农业大学": (_U, "山东", "泰安", "370900"),
    "山东科技大学": (_U, "山东", "泰安", "370900"),
    "泰山医学院": (_U, "山东", "泰安", "370900"),
    "山东省果树研究所": (_U, "山东", "泰安", "370900"),
    "中山大学": (_U, "广东", "广州", "440100"),
    "中国科学院理化技术研究所": (_U, "北京", "北京", "110100"),
    "中国科学技术大学": (_U, "安徽", "合肥", "340100"),
    "天津商业大学": (_U, "天津", "天津", "120100"),
    "中科大数据研究院": (_U, "河南", "郑州", "410100"),
    "青岛示范制造有限公司（演示）": (_E, "山东", "青岛", "370200"),
    "济南示范信息技术有限公司（演示）": (_E, "山东", "济南", "370100"),
    "淄博示范化工材料有限公司（演示）": (_E, "山东", "淄博", "370300"),
    "烟台示范生物医药有限公司（演示）": (_E, "山东", "烟台", "370600"),
    "潍坊示范农业食品有限公司（演示）": (_E, "山东", "潍坊", "370700"),
    "济宁示范矿山装备有限公司（演示）": (_E, "山东", "济宁", "370800"),
    "泰安示范输变电设备有限公司（演示）": (_E, "山东", "泰安", "370900"),
    "宁阳示范农机装备有限公司（演示）": (_E, "山东", "泰安", "370921"),
    "宁阳示范食品加工有限公司（演示）": (_E, "山东", "泰安", "370921"),
}
# 政府设立 (public) universities and institutes: rule L7 (pricing method, 公示 of an agreed price)
# and the provincial inventor-share floors apply to them. 中科大数据研究院 is left out: it is a
# 新型研发机构 co-founded by a city and an institute, and the demo does not assert its legal form.
STATE_RUN: frozenset[str] = frozenset(
    {
        "西安交通大学",
        "山东农业大学",
        "山东科技大学",
        "泰山医学院",
        "山东省果树研究所",
        "中山大学",
        "中国科学院理化技术研究所",
        "中国科学技术大学",
        "天津商业大学",
    }
)


@dataclass(frozen=True)
class DemoUser:
    """One demo account: its organisation, role and (for college reviewers) college."""

    username: str
    org: str
    role: str
    college: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", CENTRE, RoleChoices.ADMIN),
    DemoUser("operator", CENTRE, RoleChoices.OPERATOR),
    DemoUser("tto", "西安交通大学", RoleChoices.TTO),
    DemoUser("college", "西安交通大学", RoleChoices.TTO, "能源与动力工程学院"),
    DemoUser("inventor", "西安交通大学", RoleChoices.INVENTOR, "能源与动力工程学院"),
    DemoUser("tto_sdau", "山东农业大学", RoleChoices.TTO),
    DemoUser("tto_sdust", "山东科技大学", RoleChoices.TTO),
    DemoUser("tto_tsmc", "泰山医学院", RoleChoices.TTO),
    DemoUser("tto_fruit", "山东省果树研究所", RoleChoices.TTO),
    DemoUser("tto_sysu", "中山大学", RoleChoices.TTO),
    DemoUser("tto_bdri", "中科大数据研究院", RoleChoices.TTO),
    DemoUser("enterprise", "青岛示范制造有限公司（演示）", RoleChoices.ENTERPRISE),
    DemoUser("ent_jinan", "济南示范信息技术有限公司（演示）", RoleChoices.ENTERPRISE),
    DemoUser("ent_zibo", "淄博示范化工材料有限公司（演示）", RoleChoices.ENTERPRISE),
    DemoUser("ent_yantai", "烟台示范生物医药有限公司（演示）", RoleChoices.ENTERPRISE),
    DemoUser("ent_weifang", "潍坊示范农业食品有限公司（演示）", RoleChoices.ENTERPRISE),
    DemoUser("ent_jining", "济宁示范矿山装备有限公司（演示）", RoleChoices.ENTERPRISE),
    DemoUser("ent_taian", "泰安示范输变电设备有限公司（演示）", RoleChoices.ENTERPRISE),
    DemoUser("viewer", "山东省市场监督管理局（演示）", RoleChoices.VIEWER),
    DemoUser("county", COUNTY, RoleChoices.GOV_OFFICER),
    DemoUser("pool_agency", POOL_AGENCY, RoleChoices.TTO),
    DemoUser("ent_ningyang", "宁阳示范农机装备有限公司（演示）", RoleChoices.ENTERPRISE),
    DemoUser("ent_ningyang_food", "宁阳示范食品加工有限公司（演示）", RoleChoices.ENTERPRISE),
)


def credentials_path() -> Path:
    """Where the demo credentials live (owner-only file in the data directory)."""
    return Path(settings.DATA_DIR) / "demo_credentials.txt"


def _known_passwords() -> dict[str, str]:
    path = credentials_path()
    if not path.exists():
        return {}
    known = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = [p.strip() for p in line.split(" / ", 2)]
        if len(parts) == 3:
            known[parts[0]] = parts[1]
    return known


def _password() -> str:
    # 14 URL-safe characters: passes the length, similarity, common and numeric validators.
    return "Pb-" + secrets.token_urlsafe(9)


def create_demo_accounts(*, reset_passwords: bool = False) -> list[tuple[str, str, str]]:
    """Create (or update) the demo organisations and accounts; returns (username, password, role
    label) and writes them to ``credentials_path()``. Passwords are kept across reruns unless
    ``reset_passwords``."""
    orgs: dict[str, Organization] = {}
    for name, (kind, province, city, code) in DEMO_ORGS.items():
        org, _ = Organization.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "province": province,
                "city": city,
                "region_code": code,
                "state_run": name in STATE_RUN,
            },
        )
        orgs[name] = org
    known = {} if reset_passwords else _known_passwords()
    credentials = []
    user_model = get_user_model()
    for demo in DEMO_USERS:
        user, created = user_model.objects.get_or_create(username=demo.username)
        password = known.get(demo.username) or _password()
        if created or reset_passwords or demo.username not in known or not user.check_password(password):
            user.set_password(password)
        user.is_staff = demo.role in (RoleChoices.ADMIN, RoleChoices.OPERATOR)
        user.is_superuser = demo.role == RoleChoices.ADMIN
        user.save()
        Membership.objects.update_or_create(
            user=user, defaults={"org": orgs[demo.org], "role": demo.role, "college": demo.college}
        )
        label = f"{demo.org} · {RoleChoices(demo.role).label}" + (
            f" · {demo.college}" if demo.college else ""
        )
        credentials.append((demo.username, password, label))
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"  {u} / {p} / {r}\n" for u, p, r in credentials), encoding="utf-8")
    path.chmod(0o600)
    return credentials


def user(username: str) -> Any:
    """A demo account by name (after ``create_demo_accounts``)."""
    return get_user_model().objects.get(username=username)
