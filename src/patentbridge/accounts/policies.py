"""Who may do what. One vocabulary (Wagtail-style) used by views, the API and the CLI.

Actions on patents: ``view``, ``change``, ``review`` (approve/reject in the inventory chain),
``import``, ``export``. Operators and admins act platform-wide; TTO staff within their own
organisation (and, when their membership names a college, that college's review step);
inventors on their own submissions; enterprises, government and viewers see the approved
library only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from patentbridge.accounts.choices import RoleChoices

__all__ = ["can", "is_platform_wide", "membership_of", "require", "role_of"]

_PLATFORM_ROLES = (RoleChoices.ADMIN, RoleChoices.OPERATOR)
_ACTIONS: dict[str, tuple[str, ...]] = {
    "patents.view": tuple(RoleChoices.values),
    "patents.create": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO, RoleChoices.INVENTOR),
    "patents.change": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO, RoleChoices.INVENTOR),
    "patents.review": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "patents.export": tuple(RoleChoices.values),
    "ingest.import": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "audit.view": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "classify.configure": (RoleChoices.ADMIN, RoleChoices.OPERATOR),
    # Organisations, memberships and other users' API tokens: platform administrators only.
    "accounts.manage": (RoleChoices.ADMIN,),
    "demands.view": tuple(RoleChoices.values),
    # Enterprises post their own needs; operators post on an enterprise's behalf.
    "demands.post": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.ENTERPRISE),
    "demands.classify": (RoleChoices.ADMIN, RoleChoices.OPERATOR),
    "matching.curate": (RoleChoices.ADMIN, RoleChoices.OPERATOR),
    # The enterprise's inbox of pushed patents and its feedback on them (own needs only).
    "matching.inbox": (RoleChoices.ENTERPRISE,),
    "matching.feedback": (RoleChoices.ENTERPRISE,),
    # Reverse matching for the patent's owner: its TTO and inventors, and operators.
    "matching.prospects": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO, RoleChoices.INVENTOR),
    # Grade overrides and public-list actions: operators anywhere, a TTO on its own patents.
    "grading.override": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "grading.public_list.act": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    # Pre-filing assessment of a draft (confidential to the author's organisation).
    "grading.assess": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO, RoleChoices.INVENTOR),
    # Licensing (guide §2.d roles). Object-level scoping is in licensing/access.py: a TTO acts on
    # its own organisation's offers, contracts and declarations; an enterprise on its own
    # applications, licences and acceptances; operators and admins everywhere.
    "licensing.offer": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "licensing.apply": (RoleChoices.ENTERPRISE,),
    "licensing.manage": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "licensing.view": (
        RoleChoices.ADMIN,
        RoleChoices.OPERATOR,
        RoleChoices.TTO,
        RoleChoices.ENTERPRISE,
    ),
    "licensing.pipeline": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "licensing.report_usage": (RoleChoices.ENTERPRISE,),
    # Either party may record the filing (62号令 allows licensor or licensee).
    "licensing.file": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO, RoleChoices.ENTERPRISE),
    "licensing.payments": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "licensing.income": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    # Inventors see their own income lines only.
    "licensing.income_own": (RoleChoices.INVENTOR,),
    "licensing.ledger": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "licensing.declare": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "licensing.accept": (RoleChoices.ENTERPRISE,),
    "licensing.sweep": (RoleChoices.ADMIN,),
    # Patent menus (guide §5.d). A university's TTO or the operation centre composes, publishes and
    # pushes them in its own name; the county/city officer only selects items for its region's
    # industries and reads the funnel (专利法 Art. 79: no government recommending); enterprises read
    # their menu inbox and answer. Object-level scoping (own organisation, region prefix, own
    # deliveries) is in menus/access.py. gov_officer also holds the read actions open to every
    # role (patents.view, patents.export, demands.view) and nothing that offers, licenses or pushes.
    "menus.view": (
        RoleChoices.ADMIN,
        RoleChoices.OPERATOR,
        RoleChoices.TTO,
        RoleChoices.GOV_OFFICER,
        RoleChoices.ENTERPRISE,
    ),
    "menus.compose": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "menus.publish": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "menus.push": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "menus.select": (RoleChoices.GOV_OFFICER,),
    "menus.inbox": (RoleChoices.ENTERPRISE,),
    "menus.respond": (RoleChoices.ENTERPRISE,),
    "menus.funnel": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO, RoleChoices.GOV_OFFICER),
    "menus.export": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO, RoleChoices.GOV_OFFICER),
    # Patent pools (guide §4.d). The managing agency's staff (a TTO-role membership of the agency
    # organisation) run the pool; a member's TTO applies and withdraws its own organisation's
    # patents; enterprises read operating pools and the tariff; a gov_officer reads pools in its
    # region. Object-level scoping is in pools/access.py.
    "pools.view": (
        RoleChoices.ADMIN,
        RoleChoices.OPERATOR,
        RoleChoices.TTO,
        RoleChoices.GOV_OFFICER,
        RoleChoices.ENTERPRISE,
    ),
    "pools.manage": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "pools.apply": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    # An enterprise asks an operating pool for its outbound licence (the agency then signs or declines).
    "pools.request_licence": (RoleChoices.ENTERPRISE,),
    "pools.sweep": (RoleChoices.ADMIN,),
    # Patent navigation (guide §6.d): operators build and publish any project, a TTO those of its
    # own organisation; officers read published reports of their region, enterprises published
    # ones. Object-level scoping is in navigation/access.py.
    "navigation.view": (
        RoleChoices.ADMIN,
        RoleChoices.OPERATOR,
        RoleChoices.TTO,
        RoleChoices.GOV_OFFICER,
        RoleChoices.ENTERPRISE,
    ),
    "navigation.build": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "navigation.publish": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    # 一月一链 roadshows (guide §6.d). Events are organised in a university's or the operation
    # centre's name (TTO, operators); a county officer co-hosts: it reads its region's events and
    # funnels and invites its region's enterprises, never recommends (专利法 Art. 79); enterprises
    # register themselves and state their own intentions. Object scoping: roadshows/access.py.
    "roadshows.view": (
        RoleChoices.ADMIN,
        RoleChoices.OPERATOR,
        RoleChoices.TTO,
        RoleChoices.GOV_OFFICER,
        RoleChoices.ENTERPRISE,
    ),
    "roadshows.organise": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO),
    "roadshows.invite": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO, RoleChoices.GOV_OFFICER),
    "roadshows.register": (RoleChoices.ENTERPRISE,),
    "roadshows.intend": (RoleChoices.ADMIN, RoleChoices.OPERATOR, RoleChoices.TTO, RoleChoices.ENTERPRISE),
}


def membership_of(user: Any) -> Any:
    """The user's membership, or None for anonymous users and users without one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "membership", None)


def role_of(user: Any) -> str:
    """The user's role; superusers without a membership act as admins."""
    membership = membership_of(user)
    if membership is not None:
        return str(membership.role)
    if getattr(user, "is_superuser", False):
        return RoleChoices.ADMIN.value
    return ""


def is_platform_wide(user: Any) -> bool:
    """Admins and operators see and act on every organisation's records."""
    return role_of(user) in _PLATFORM_ROLES


def can(user: Any, action: str) -> bool:
    """Whether the user's role allows ``action`` at all (object-level checks come on top)."""
    if action not in _ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    return role_of(user) in _ACTIONS[action]


def require(user: Any, action: str) -> None:
    """Raise PermissionDenied unless ``can(user, action)``."""
    if not can(user, action):
        # The action id (pools.manage …) is for the code and the logs, not for the person.
        raise PermissionDenied(f"无权执行此操作：当前账号的角色（{_role_label(user)}）不能{_verb(action)}")


# How a refused action reads: the area, from the action's prefix.
_AREAS = {
    "patents": "管理专利",
    "ingest": "导入数据",
    "audit": "查看操作日志",
    "classify": "配置分类",
    "demands": "处理技术需求",
    "matching": "进行匹配",
    "grading": "进行分级",
    "licensing": "办理许可业务",
    "menus": "办理专利菜单业务",
    "pools": "办理专利池业务",
    "roadshows": "办理路演业务",
    "navigation": "办理专利导航业务",
    "analytics": "查看统计",
    "accounts": "管理账号",
}


def _verb(action: str) -> str:
    return _AREAS.get(action.split(".", 1)[0], "执行该操作")


def _role_label(user: Any) -> str:
    role = role_of(user)
    return str(RoleChoices(role).label) if role in RoleChoices.values else "未加入机构"
