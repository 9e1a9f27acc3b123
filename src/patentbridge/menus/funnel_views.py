"""Funnels (per menu, county, chain, university) and the menu's XLSX/PDF export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core.restrict import restrict
from patentbridge.menus.exports import menu_pdf, menu_xlsx
from patentbridge.menus.funnel import GROUPS, funnel, funnel_by, progress_of, reasons_histogram
from patentbridge.menus.models import SupplementRequest
from patentbridge.menus.page_context import chart_bars
from patentbridge.menus.queries import deliveries_for, get_menu, included_items, menus_for, region_name

_GROUP_LABELS = {"menu": "按菜单", "county": "按区县", "chain": "按产业链", "university": "按高校/权利人"}
_COLUMNS = {"menu": "菜单", "county": "区县", "chain": "产业链", "university": "高校/权利人"}


@login_required
def funnel_overview(request: HttpRequest) -> HttpResponse:
    """转化漏斗: every menu the user may see, grouped by menu, county, chain or university."""
    policies.require(request.user, "menus.funnel")
    group = request.GET.get("group", "menu")
    if group not in GROUPS:
        group = "menu"
    deliveries = list(deliveries_for(request.user, menus_for(request.user)))
    rows = funnel_by(deliveries, group)
    if group == "county":
        for row in rows:
            row.label = region_name(row.key) if row.key != "-" else row.label
    total = funnel(deliveries)
    return render(
        request,
        "menus/funnel.html",
        {
            "rows": rows,
            "total": total,
            "bars": chart_bars(total),
            "group": group,
            "groups": _GROUP_LABELS,
            "column": _COLUMNS[group],
            "reasons": reasons_histogram(deliveries),
            # Which counties' chains needed the provincial 资源库 (guide §5.d supplement log).
            "supplements": restrict(SupplementRequest.objects.select_related("menu"), request.user)[:200],
        },
    )


@login_required
def menu_funnel(request: HttpRequest, pk: int) -> HttpResponse:
    """One menu's funnel per enterprise item, with each delivery's stage and licence records."""
    policies.require(request.user, "menus.funnel")
    menu = get_menu(request.user, pk)
    deliveries = list(
        deliveries_for(request.user).filter(menu=menu).order_by("enterprise__name", "item__rank")
    )
    total = funnel(deliveries, menu.title)
    stages = progress_of(deliveries)
    return render(
        request,
        "menus/menu_funnel.html",
        {
            "menu": menu,
            "total": total,
            "bars": chart_bars(total),
            "by_chain": funnel_by(deliveries, "chain"),
            "reasons": reasons_histogram(deliveries),
            "rows": [{"d": d, "progress": stages[d.pk]} for d in deliveries],
        },
    )


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The menu as a workbook: items per chain, and the supplement log."""
    policies.require(request.user, "menus.export")
    menu = get_menu(request.user, pk)
    data = menu_xlsx(menu, included_items(menu), as_of=timezone.localdate())
    return _download(
        data, f"menu-{menu.pk}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@login_required
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The menu as a printable PDF in the publisher's name."""
    policies.require(request.user, "menus.export")
    menu = get_menu(request.user, pk)
    data = menu_pdf(menu, included_items(menu), as_of=timezone.localdate())
    return _download(data, f"menu-{menu.pk}.pdf", "application/pdf")
