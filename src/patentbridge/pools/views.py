"""Pool pages: the list, setting up a pool, the pool page (charter, catalogue with status history,
members, review queue, outbound licences, distributions), the application form and a distribution
statement. Views read through ``queries`` and change state only through ``services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.accounts.models import Organization
from patentbridge.core.actions import error_text
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.patents.models import Patent
from patentbridge.pools import queries
from patentbridge.pools.access import is_agency_staff
from patentbridge.pools.exports import statement_xlsx
from patentbridge.pools.forms import ApplyForm, PoolForm
from patentbridge.pools.models import MemberApplication, PoolLicenceRequest, PoolPatent
from patentbridge.pools.services import applications, distributions, licences, pools, requests
from patentbridge.pools.services.common import get_visible
from patentbridge.pools.services.ledger import refresh_patent

T = TypeVar("T")


def _run(request: HttpRequest, call: Callable[[], T], success: str) -> tuple[bool, T | None]:
    """A service call whose refusal becomes a Chinese message (services are atomic: a refusal
    changed nothing); PermissionDenied goes to the 403 page."""
    try:
        result = call()
    except LicensingRefused as exc:
        messages.error(request, exc.display())
        return False, None
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False, None
    messages.success(request, success)
    return True, result


def _date(raw: object, default: dt.date) -> dt.date:
    text = str(raw or "").strip()[:10]
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"date": f"日期格式应为 年-月-日（如 {default.isoformat()}）"}) from None


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    """专利池: the pools this user may see."""
    policies.require(request.user, "pools.view")
    return render(
        request,
        "pools/list.html",
        {
            "pools": list(queries.pools_for(request.user)[:200]),
            "may_create": policies.can(request.user, "pools.manage")
            and (
                policies.is_platform_wide(request.user)
                or getattr(queries.own_org(request.user), "kind", "") == "agency"
            ),
        },
    )


@login_required
def pool_new(request: HttpRequest) -> HttpResponse:
    """设立专利池 (FORMING; members apply afterwards)."""
    policies.require(request.user, "pools.manage")
    operator = policies.is_platform_wide(request.user)
    form = PoolForm(request.POST or None, operator=operator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        charter: dict[str, Any] = {
            "min_grade": data["min_grade"] or "",
            "mgmt_fee_rate": data["mgmt_fee_rate"],
            "sharing_rule": data["sharing_rule"],
            "tariff_years": data["tariff_years"],
        }
        for key in ("ipc_prefixes", "keywords"):
            if data[key].strip():
                charter[key] = data[key]
        if data["tariff_amount"]:
            charter["tariff"] = pools.lump_sum_tariff(data["tariff_amount"])
        try:
            pool = pools.create_pool(
                request.user,
                name=data["name"],
                chain=data["chain"],
                agency_org=data.get("agency_org"),
                technical_field=data["technical_field"],
                founded_on=timezone.localdate(),
                **charter,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "专利池已设立（筹建中）：公布池外许可费后即可开始运营")
            return redirect("pools:detail", pk=pool.pk)
    return render(request, "pools/new.html", {"form": form})


@login_required
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policies.require(request.user, "pools.view")
    pool = queries.get_pool(request.user, pk)
    return render(
        request, "pools/detail.html", queries.pool_context(request.user, pool, timezone.localdate())
    )


@login_required
def pool_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """入池申请 by a member's (or prospective member's) TTO for its own patents."""
    policies.require(request.user, "pools.apply")
    pool = queries.get_pool(request.user, pk)
    candidates = queries.applicable_patents(request.user, pool)
    form = ApplyForm(request.POST or None, patents=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patent = get_visible(Patent.objects.select_related("owner_org"), request.user, data["patent"], "view")
        ok, _app = _run(
            request,
            lambda: applications.submit_application(
                request.user,
                pool,
                patent,
                on=timezone.localdate(),
                category=data["category"],
                essential=True if data["essential"] else None,
                coowner_consent=data["coowner_consent"],
                note=data["note"],
            ),
            "入池申请已提交，等待运营管理机构审核",
        )
        if ok:
            return redirect("pools:detail", pk=pool.pk)
    return render(request, "pools/apply.html", {"pool": pool, "form": form, "empty": not candidates})


@login_required
@require_POST
def pool_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The pool page's buttons: open, admit/reject/withdraw applications, withdraw a patent,
    refresh statuses, grant an outbound licence, compute a distribution."""
    user, today, post = request.user, timezone.localdate(), request.POST
    pool = queries.get_pool(user, pk)
    handlers: dict[str, Callable[[], tuple[Callable[[], Any], str]]] = {
        "open": lambda: (lambda: pools.open_pool(user, pool, on=today), "专利池已开始运营"),
        "admit": lambda: (
            lambda: applications.admit(
                user,
                _application(request, pool),
                on=today,
                method=post.get("method", "internal"),
                opinion=post.get("opinion", ""),
            ),
            "已批准入池，池内交叉许可已记入权利负担台账",
        ),
        "reject": lambda: (
            lambda: applications.reject(
                user, _application(request, pool), on=today, opinion=post.get("opinion", "")
            ),
            "已退回该入池申请",
        ),
        "withdraw_application": lambda: (
            lambda: applications.withdraw_application(
                user, _application(request, pool, "withdraw"), on=today
            ),
            "入池申请已撤回",
        ),
        "withdraw_patent": lambda: (
            lambda: applications.withdraw_patent(
                user, _entry(request, pool, "withdraw"), on=today, reason=post.get("reason", "")
            ),
            "该专利已撤出专利池",
        ),
        "refresh": lambda: (lambda: _refresh(user, pool, today), "已按权利负担台账核查入池专利状态"),
        "charter": lambda: (lambda: _charter(user, pool, post), "章程与池外许可费已更新"),
        "shares": lambda: (
            lambda: pools.set_agreed_shares(
                user,
                pool,
                {int(k[6:]): v for k, v in post.items() if k.startswith("share-") and k[6:].isdigit()},
            ),
            "约定分配比例已更新",
        ),
        "licence": lambda: (
            lambda: licences.grant_outbound(
                user, pool, _licensee(post.get("licensee")), start=_date(post.get("start"), today), on=today
            ),
            "池外统一许可合同已签订",
        ),
        "request_licence": lambda: (
            lambda: requests.request_licence(
                user,
                pool,
                on=today,
                intended_use=post.get("intended_use", ""),
                start=_date(post.get("start"), today),
            ),
            "池外许可申请已提交，等待运营管理机构处理",
        ),
        "grant_request": lambda: (
            lambda: requests.grant_request(
                user,
                _licence_request(request, pool, "change"),
                on=today,
                start=_optional_date(post.get("start")),
            ),
            "已同意该申请，池外统一许可合同已签订",
        ),
        "decline_request": lambda: (
            lambda: requests.decline_request(
                user, _licence_request(request, pool, "change"), on=today, reason=post.get("reason", "")
            ),
            "已答复该企业：不予许可",
        ),
        "withdraw_request": lambda: (
            lambda: requests.withdraw_request(user, _licence_request(request, pool, "withdraw"), on=today),
            "池外许可申请已撤回",
        ),
        "distribute": lambda: (
            lambda: distributions.compute_distribution(
                user,
                pool,
                start=_date(post.get("start"), dt.date(today.year, 1, 1)),
                end=_date(post.get("end"), today),
                on=today,
            ),
            "收益分配单已生成",
        ),
    }
    if action not in handlers:
        raise Http404("没有这项操作")
    call, success = handlers[action]()
    _run(request, call, success)
    return redirect("pools:detail", pk=pool.pk)


def _charter(user: Any, pool: Any, post: Any) -> Any:
    values: dict[str, Any] = {
        key: post.get(key, "")
        for key in ("min_grade", "mgmt_fee_rate", "sharing_rule", "tariff_years", "tariff_note")
    }
    if str(post.get("tariff_amount", "")).strip():
        values["tariff"] = pools.lump_sum_tariff(post.get("tariff_amount"))
    return pools.set_charter(user, pool, **values)


def _refresh(user: Any, pool: Any, today: dt.date) -> int:
    if not is_agency_staff(user, pool):
        raise PermissionDenied("只有专利池的运营管理机构可以核查状态")
    changed = 0
    for pp in PoolPatent.objects.filter(pool=pool).exclude(status="removed"):
        changed += len(refresh_patent(pp, today, actor=user))
    return changed


def _application(request: HttpRequest, pool: Any, action: str = "view") -> MemberApplication:
    app: MemberApplication = get_visible(
        MemberApplication.objects.filter(pool=pool).select_related("pool"),
        request.user,
        request.POST.get("application"),
        action,
    )
    return app


def _optional_date(raw: object) -> dt.date | None:
    # The default only names the expected format in the refusal (an empty value is None here).
    return _date(raw, timezone.localdate()) if str(raw or "").strip() else None


def _licence_request(request: HttpRequest, pool: Any, action: str) -> PoolLicenceRequest:
    req: PoolLicenceRequest = get_visible(
        PoolLicenceRequest.objects.filter(pool=pool).select_related("pool", "org"),
        request.user,
        request.POST.get("request"),
        action,
    )
    return req


def _entry(request: HttpRequest, pool: Any, action: str) -> PoolPatent:
    entry: PoolPatent = get_visible(
        PoolPatent.objects.filter(pool=pool), request.user, request.POST.get("entry"), action
    )
    return entry


def _licensee(raw: object) -> Organization:
    try:
        key = int(str(raw or "")[:18])
    except ValueError:
        raise ValidationError({"licensee": "请选择被许可企业"}) from None
    org = Organization.objects.filter(pk=key, kind="enterprise").first()
    if org is None:
        raise ValidationError({"licensee": "请选择被许可企业"})
    return org


@login_required
def distribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """收益分配单: period, income, fee, rule and one line per member with the inputs."""
    policies.require(request.user, "pools.view")
    dist = queries.get_distribution(request.user, pk)
    return render(
        request,
        "pools/distribution.html",
        {"dist": dist, "lines": list(dist.lines.select_related("org")), "inputs": dist.inputs},
    )


@login_required
def distribution_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The statement as XLSX (same visibility as its page)."""
    policies.require(request.user, "pools.view")
    dist = queries.get_distribution(request.user, pk)
    response = HttpResponse(
        statement_xlsx(dist), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="pool-statement-{dist.pk}.xlsx"'
    return response
