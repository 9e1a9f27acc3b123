"""Role dashboards (home pages): which indicators each role sees as tiles and charts, computed
for the user's scope as of a date. Reads the same catalogue definitions as the CLI and the API.

- operator / admin: the whole platform;
- TTO: its portfolio, grades, deals and income;
- inventor: own patents and income lines;
- enterprise: its needs, pushes, trials and licences;
- gov_officer / viewer: its region, with a map of its cities or counties (Shandong boundaries are
  vendored, see ``regionmap``) and counts by city or county as bar charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.models import Organization
from patentbridge.analytics.charts import Chart, chart_from_value, query
from patentbridge.analytics.indicators import Context, compute
from patentbridge.analytics.indicators.library import region_breakdown
from patentbridge.analytics.regionmap import map_chart, map_prefix, place_name
from patentbridge.analytics.series import monthly_chart
from patentbridge_engine.analytics import Scope, Value

__all__ = ["INVENTOR_NOTE", "Dashboard", "build_dashboard", "layout_for"]


# (chart key, title, indicator, chart kind, drill kind, drill label, skip zero rows)
ChartDef = tuple[str, str, str, str, str, str, bool]
_GRADES: ChartDef = ("grades", "价值分级分布", "LIB-GRADED", "pie", "library", "查看该分级专利", True)
_CHAINS: ChartDef = ("chains", "重点产业链专利", "LIB-BY-CHAIN", "hbar", "chain", "下钻到技术分支", True)
_COLLEGES: ChartDef = ("colleges", "各学院入库专利", "LIB-BY-COLLEGE", "hbar", "", "", True)
_REGIONS: ChartDef = (
    "regions",
    "入库专利地区分布",
    "LIB-BY-REGION",
    "bar",
    "region",
    "下钻到下一级地区",
    True,
)
_ORIGIN: ChartDef = ("origin", "许可合同来源", "LIC-BY-ORIGIN", "bar", "", "", True)
_KINDS: ChartDef = ("kinds", "许可类型", "LIC-LICENCES", "pie", "", "", True)
_UNIV: ChartDef = (
    "universities",
    "各高校/机构许可转化率",
    "CONV-BY-UNIVERSITY",
    "hbar",
    "org",
    "查看该机构专利",
    False,
)
_COUNTY: ChartDef = (
    "counties",
    "被许可企业所在地区（许可合同数）",
    "CONV-BY-COUNTY",
    "bar",
    "region",
    "下钻到该地区",
    True,
)
_FUNNEL: ChartDef = ("funnel", "专利菜单送达漏斗", "MENU-FUNNEL", "funnel", "", "", False)
_POOLS: ChartDef = ("pools", "专利池入池与许可漏斗", "POOL-FUNNEL", "funnel", "", "", False)
_ROADSHOWS: ChartDef = ("roadshows", "一月一链路演漏斗", "RS-FUNNEL", "funnel", "", "", False)
_PUSHED: ChartDef = ("pushed", "推送专利的反馈", "MAT-PUSHED", "pie", "inbox", "查看推送记录", True)
_TRIALS: ChartDef = ("trials", "先试用许可的当前状态", "LIC-TRIALS", "pie", "", "", True)
_RECEIVED: ChartDef = ("received", "许可费到账（按费用类型）", "MON-RECEIVED", "bar", "", "", True)
_INCOME: ChartDef = ("income", "发明人收益分配", "MON-INVENTOR", "hbar", "", "", True)
_OWNERS: ChartDef = ("owners", "各盘点机构入库专利", "LIB-BY-OWNER", "hbar", "org", "查看该机构专利", True)

# role → (tile indicators, charts, with the monthly series)
_LAYOUTS: dict[str, tuple[tuple[str, ...], tuple[ChartDef, ...], bool]] = {
    "platform": (
        (
            "LIB-APPROVED",
            "LIB-HIGH-VALUE",
            "LIC-OFFERS",
            "LIC-LICENCES",
            "LIC-CONVERSION",
            "MON-RECEIVED",
            "OL-PUBLISHED",
            "PL-ACTIVE",
        ),
        (_REGIONS, _CHAINS, _GRADES, _ORIGIN, _UNIV, _COUNTY, _FUNNEL, _POOLS, _ROADSHOWS, _OWNERS),
        True,
    ),
    "tto": (
        (
            "LIB-APPROVED",
            "LIB-HIGH-VALUE",
            "LIC-LICENCES",
            "LIC-CONVERSION",
            "MON-RECEIVED",
            "MON-OUTSTANDING",
            "MON-INVENTOR",
            "OL-PUBLISHED",
        ),
        (_GRADES, _CHAINS, _COLLEGES, _ORIGIN, _COUNTY, _RECEIVED, _FUNNEL, _POOLS, _ROADSHOWS),
        True,
    ),
    "inventor": (
        ("LIB-APPROVED", "LIB-HIGH-VALUE", "LIC-LICENCES", "MON-INVENTOR"),
        (_GRADES, _CHAINS, _INCOME),
        False,
    ),
    "enterprise": (
        ("MAT-NEEDS", "MAT-PUSHED", "MAT-INTEREST", "LIC-TRIALS", "LIC-LICENCES", "OL-ACCEPTED"),
        (_PUSHED, _TRIALS, _KINDS, _FUNNEL, _ROADSHOWS),
        True,
    ),
    "region": (
        ("LIB-APPROVED", "LIB-HIGH-VALUE", "LIC-REACH", "LIC-LICENCES", "LIC-CONVERSION", "MON-RECEIVED"),
        (_REGIONS, _COUNTY, _CHAINS, _GRADES, _FUNNEL, _POOLS, _ROADSHOWS),
        True,
    ),
}
# Drill-downs each layout may follow: region pages need a platform or regional role; the
# library list is the whole library, so inventors (own patents only) get no link there.
_DRILLS: dict[str, frozenset[str]] = {
    "platform": frozenset({"region", "library", "org", "chain"}),
    "region": frozenset({"region", "library", "org", "chain"}),
    "tto": frozenset({"library", "chain"}),
    # The enterprise's own push records; the inventor's chain page counts only own patents.
    "enterprise": frozenset({"inbox"}),
    "inventor": frozenset({"chain"}),
}
INVENTOR_NOTE = "“本人专利”按账号姓名与专利发明人姓名匹配；账号未填写姓名时只统计本人提交的专利（姓名由平台管理员在账号资料中填写）。"
_TITLES = {
    "platform": "全平台统计",
    "tto": "本单位专利转化统计",
    "inventor": "我的专利与收益",
    "enterprise": "本企业需求与许可",
    "region": "辖区统计",
}


def _scope_name(scope: Scope) -> str:
    if scope.inventor_id is not None:
        return "本人专利"
    if scope.org_id is not None:
        org = Organization.objects.filter(pk=scope.org_id).values_list("name", flat=True).first()
        return str(org) if org else "本单位"
    return place_name(scope.region) if scope.region else "全平台"


def _region_map(ctx: Context, by_region: Value, *, drill: bool) -> Chart | None:
    """The map of the scope's region (None outside Shandong). The whole platform is drawn as
    Shandong's cities, which needs the library broken down one level below the province."""
    scope = ctx.scope
    prefix = map_prefix(scope.region)
    if not prefix:
        return None
    if scope.region != prefix and len(scope.region) <= len(prefix):
        # Rows of the whole platform are provinces: the province's own breakdown, from the
        # owner counts this dashboard already read.
        by_region = region_breakdown(ctx, prefix)
    return map_chart(by_region, scope, prefix, drill=drill, title="入库专利地区分布")


def layout_for(user: Any) -> str:
    """The dashboard layout of the user's role."""
    role = policies.role_of(user)
    if policies.is_platform_wide(user):
        return "platform"
    if role in (RoleChoices.GOV_OFFICER, RoleChoices.VIEWER):
        return "region"
    layouts: dict[str, str] = {
        RoleChoices.TTO.value: "tto",
        RoleChoices.INVENTOR.value: "inventor",
        RoleChoices.ENTERPRISE.value: "enterprise",
    }
    return layouts.get(role, "region")


@dataclass
class Dashboard:
    """What the home page and the region page render."""

    layout: str
    title: str
    scope: Scope
    scope_name: str
    tiles: list[Value]
    charts: list[Chart]
    notes: list[str] = field(default_factory=list)
    report_url: str = ""
    export_url: str = ""
    art21_url: str = ""

    @property
    def empty(self) -> bool:
        """Nothing at all to count (every tile zero or unknown, no chart drawn)."""
        return all(not t.value for t in self.tiles) and all(c.empty for c in self.charts)


def build_dashboard(user: Any, scope: Scope, *, layout: str | None = None, scope_name: str = "") -> Dashboard:
    """The dashboard of ``layout`` (default: the user's role) for ``scope``."""
    name = layout or layout_for(user)
    tile_ids, chart_defs, monthly = _LAYOUTS[name]
    ids = list(dict.fromkeys([*tile_ids, *(c[2] for c in chart_defs)]))
    ctx = Context(scope)
    values = {v.id: v for v in compute(scope, ids, ctx)}
    allowed = _DRILLS[name]
    charts = [
        chart_from_value(
            key,
            title,
            values[ind],
            kind,
            scope,
            drill=drill if drill in allowed else "",
            drill_label=label if drill in allowed else "",
            skip_zero=skip,
        )
        for key, title, ind, kind, drill, label, skip in chart_defs
    ]
    if monthly:
        charts.insert(min(3, len(charts)), monthly_chart(ctx))
    notes: list[str] = []
    if name in ("region", "platform"):
        region_map = _region_map(ctx, values["LIB-BY-REGION"], drill="region" in allowed)
        if region_map is not None:
            charts.insert(0, region_map)
    if scope.inventor_id is not None and not ctx.inventor_names:
        notes.append(INVENTOR_NOTE)
    where = scope_name or _scope_name(scope)
    return Dashboard(
        layout=name,
        # A drill-down page names the region it shows; the officer's home names its own area.
        title="地区统计" if scope_name and name == "region" else _TITLES[name],
        scope=scope,
        scope_name=where,
        tiles=[values[i] for i in tile_ids],
        charts=charts,
        notes=notes,
        report_url=f"{reverse('analytics:report')}?{query(scope)}",
        export_url=f"{reverse('analytics:export', args=['report'])}?{query(scope)}",
        # The Art. 21 annual data: a TTO's own university, or an operator's pick.
        art21_url=reverse("analytics:art21") if name in ("platform", "tto") else "",
    )
