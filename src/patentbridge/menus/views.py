"""Menu pages for composers (TTO, operation centre) and the county officer: list, new, the menu
page with its actions, the push form. Views read and call services; they never write models."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.regions import officer_prefix
from patentbridge.menus.forms import MenuForm
from patentbridge.menus.models import MenuDelivery
from patentbridge.menus.page_context import menu_page, run
from patentbridge.menus.queries import clean_ids, get_menu, menus_for, region_name, safe_pk
from patentbridge.menus.services import compose, release
from patentbridge.patents.models import IndustryChain, Patent


@login_required
def menu_list(request: HttpRequest) -> HttpResponse:
    """专利菜单: the publisher's menus, or the officer's region's released menus."""
    if policies.role_of(request.user) == RoleChoices.ENTERPRISE:
        return redirect("menus:inbox")
    policies.require(request.user, "menus.view")
    prefix = officer_prefix(request.user)
    return render(
        request,
        "menus/list.html",
        {
            "menus": menus_for(request.user)[:200],
            "may_compose": policies.can(request.user, "menus.compose"),
            "officer_region": region_name(prefix) if prefix else "",
            "is_officer": prefix is not None,
        },
    )


@login_required
def menu_new(request: HttpRequest) -> HttpResponse:
    """新建专利菜单 (then compose it on its page)."""
    policies.require(request.user, "menus.compose")
    form = MenuForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            menu = compose.create_menu(
                request.user,
                publisher_org=data["publisher_org"],
                title=data["title"],
                target_region=data["target_region"],
                chains=list(data["chains"]),
                on=timezone.localdate(),
                description=data["description"],
                source=data["source"],
                grade_min=data["grade_min"] or "",
                high_value_only=data["high_value_only"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("menus:detail", pk=menu.pk)
    return render(request, "menus/new.html", {"form": form})


@login_required
def menu_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The menu: items with reasons, grade, modes and contact team; the composer's suggestions and
    coverage; the officer's selection; pushes and the funnel."""
    if policies.role_of(request.user) == RoleChoices.ENTERPRISE:
        return redirect("menus:inbox_menu", pk=pk)
    menu = get_menu(request.user, pk)
    return render(request, "menus/detail.html", menu_page(request, menu, timezone.localdate()))


def _chain(menu_pk: int, value: str) -> IndustryChain | None:
    pk = safe_pk(value)
    return IndustryChain.objects.filter(pk=pk, patent_menus__pk=menu_pk).first() if pk else None


@login_required
@require_POST
def menu_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One composer action: compose, supplement, add, remove, publish, close."""
    menu = get_menu(request.user, pk, "change")
    today, post = timezone.localdate(), request.POST
    if action == "compose":
        run(
            request,
            lambda: compose.compose(request.user, menu, on=today),
            lambda r: (
                f"已按建议加入 {len(r.added)} 件专利"
                + (f"；{_supplemented(r.supplements)}" if r.supplements else "")
            ),
        )
    elif action == "supplement":
        run(
            request,
            lambda: compose.supplement(request.user, menu, on=today),
            _supplemented,
        )
    elif action == "add":
        number = str(post.get("patent", ""))[:40].strip()
        patent = Patent.objects.filter(application_number=number).first()
        if patent is None:
            run(request, lambda: _missing(number))
        else:
            run(
                request,
                lambda: compose.add_item(
                    request.user,
                    menu,
                    patent,
                    on=today,
                    chain=_chain(menu.pk, post.get("chain", "")),
                    note=post.get("note", ""),
                ),
                f"已加入 {number}",
            )
    elif action == "remove":
        item = menu.items.filter(pk=safe_pk(post.get("item")) or 0).first()
        if item is None:
            run(request, lambda: _missing("条目"))
        else:
            run(
                request,
                lambda: compose.remove_item(request.user, item, note=post.get("note", "")),
                "已移出该专利",
            )
    elif action == "publish":
        run(
            request,
            lambda: release.publish(request.user, menu, on=today),
            "菜单已发布，目标地区的政府部门现在可以遴选",
        )
    elif action == "close":
        run(request, lambda: release.close_menu(request.user, menu, on=today), "菜单已关闭")
    else:
        raise PermissionDenied("未知操作")
    return redirect("menus:detail", pk=menu.pk)


def _supplemented(drawn: list[compose.Drawn]) -> str:
    added = sum(len(d.added) for d in drawn)
    if added:
        return f"已从资源库补充 {added} 件"
    if drawn:
        return "资源库中暂无符合条件的专利，已记录缺口"
    return "各产业链专利数已达到最少数量（或资源库已无可补充的专利），无需补充"


def _missing(what: str) -> None:
    raise ValidationError({"patent": f"未找到：{what[:40]}"})


@login_required
@require_POST
def menu_select(request: HttpRequest, pk: int) -> HttpResponse:
    """县域遴选 (the officer of the target region)."""
    policies.require(request.user, "menus.select")
    menu = get_menu(request.user, pk, "select")
    run(
        request,
        lambda: release.select_items(
            request.user,
            menu,
            items=clean_ids(request.POST.getlist("items")),
            on=timezone.localdate(),
            note=request.POST.get("note", ""),
        ),
        lambda s: f"已遴选 {s.items.count()} 件专利；发布单位将以其名义推送给本地企业",
    )
    return redirect("menus:detail", pk=menu.pk)


@login_required
def menu_push(request: HttpRequest, pk: int) -> HttpResponse:
    """批量推送: pick enterprises of the target region (GET), send (POST)."""
    policies.require(request.user, "menus.push")
    menu = get_menu(request.user, pk, "change")
    if request.method == "POST":
        ok, _ = run(
            request,
            lambda: release.push(
                request.user,
                menu,
                enterprises=clean_ids(request.POST.getlist("enterprises")),
                on=timezone.localdate(),
                note=request.POST.get("note", ""),
            ),
            lambda p: (
                f"已推送给 {p.recipient_count} 家企业，共 {p.delivery_count} 条"
                + (f"；{len(p.skipped)} 条近期已推送过，未重复推送" if p.skipped else "")
            ),
        )
        if ok:
            return redirect("menus:detail", pk=menu.pk)
    enterprises = release.region_enterprises(menu)
    reached = dict(
        MenuDelivery.objects.filter(menu=menu).values_list("enterprise_id", "enterprise__name").distinct()
    )
    return render(
        request,
        "menus/push.html",
        {
            "menu": menu,
            "enterprises": enterprises,
            "reached": reached,
            "region": region_name(menu.target_region),
        },
    )
