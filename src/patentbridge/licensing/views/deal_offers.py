"""Offer pages: the list, the form (with the fee builder), the offer with its applications and the
apply form, and the offer's workflow buttons (submit, publish, return, pause, resume, close)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices
from patentbridge.accounts.models import Organization
from patentbridge.core.restrict import restrict
from patentbridge.licensing.choices import ModeChoices, OfferStateChoices
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceApplication, LicenceOffer
from patentbridge.licensing.services import applications as app_services
from patentbridge.licensing.services import offers as services
from patentbridge.licensing.services.deal_regions import region_label, within
from patentbridge.licensing.views.deal_common import form_errors, refused_text, run, visible_or_404
from patentbridge.licensing.views.forms_deals import ApplicationForm, OfferForm, parse_numbers
from patentbridge.licensing.views.forms_fee import FeeScheduleForm, fee_initial
from patentbridge_engine.licensing.fees import FeeSchedule
from patentbridge_engine.licensing.states import OfferEvent, OfferState, allowed_events

__all__ = ["offer_detail", "offer_edit", "offer_list", "offer_new", "offer_step"]


# The offer form in sections (title, field names); fields a form lacks are skipped.
_OFFER_SECTIONS = (
    (
        "基本信息",
        ("publisher_org", "title", "patent_numbers", "description", "modes", "licence_kind", "price_method"),
    ),
    ("地域、领域与定向", ("territory", "field_of_use", "target_regions", "region_only", "target_chains")),
    (
        "免费试用条件（选择“先免费试用、再达成许可”时适用）",
        (
            "trial_months",
            "trial_conversion_mode",
            "trial_extensions_allowed",
            "max_trials_per_patent",
            "trial_usage_report_required",
        ),
    ),
)
_FEE_SECTIONS = (
    ("付费方式", ("fee_type",)),
    ("一次性总付", ("lump_sum_amount", "lump_sum_instalments")),
    (
        "入门费 + 提成",
        (
            "entry_fee_amount",
            "entry_fee_due",
            "royalty_base",
            "royalty_rate",
            "royalty_min_annual",
            "royalty_cap_annual",
            "royalty_cap_total",
            "royalty_report_period",
            "royalty_pay_within_days",
        ),
    ),
    ("高级", ("fee_json",)),
)


def _sections(form: Any, layout: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[str, list[Any]]]:
    """(title, bound fields) per section of ``layout``."""
    return [(title, [form[name] for name in names if name in form.fields]) for title, names in layout]


def _own_region(user: Any) -> str:
    member = policies.membership_of(user)
    return member.org.region_code if member is not None else ""


def _org_choices(user: Any) -> list[tuple[int, str]] | None:
    """Operators pick the owner organisation they act for; a TTO always publishes for its own."""
    if not policies.is_platform_wide(user):
        return None
    orgs = Organization.objects.filter(
        kind__in=(OrgKindChoices.UNIVERSITY, OrgKindChoices.OPERATION_CENTRE)
    ).order_by("name")
    return [(o.pk, o.name) for o in orgs]


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    """定向许可项目: a TTO's own offers, every offer for operators, published ones for enterprises."""
    policies.require(request.user, "licensing.view")
    qs = restrict(LicenceOffer.objects.select_related("publisher_org"), request.user).prefetch_related(
        "patents"
    )
    state = request.GET.get("state", "")
    if state in OfferStateChoices.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-created_at", "-pk"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "licensing/deals/offer_list.html",
        {
            "page": page,
            "state": state,
            "states": OfferStateChoices.choices,
            "may_offer": policies.can(request.user, "licensing.offer"),
            "querystring": f"state={state}" if state else "",
        },
    )


def _save_offer(
    request: HttpRequest, form: OfferForm, fee: FeeScheduleForm, offer: LicenceOffer | None
) -> Any:
    values = form.service_values()
    values["paid_terms"] = fee.schedule
    today = timezone.localdate()
    org: Any
    if offer is not None:
        org = offer.publisher_org
    elif "publisher_org" in form.fields:
        org = Organization.objects.filter(pk=form.cleaned_data["publisher_org"]).first()
        if org is None:
            raise ValidationError({"publisher_org": "请选择发布单位"})
    else:
        member = policies.membership_of(request.user)
        org = member.org if member is not None else None
        if org is None:
            raise PermissionDenied("账号未加入任何机构")
    patents = services.resolve_patents(org, parse_numbers(form.cleaned_data["patent_numbers"]))
    chains = list(form.cleaned_data.get("target_chains") or [])
    if offer is None:
        return services.create_offer(
            request.user, publisher_org=org, patents=patents, target_chains=chains, on=today, **values
        )
    return services.update_offer(
        request.user, offer, patents=patents, target_chains=chains, on=today, **values
    )


def _offer_form(request: HttpRequest, offer: LicenceOffer | None) -> HttpResponse:
    policies.require(request.user, "licensing.offer")
    choices = _org_choices(request.user) if offer is None else None
    initial: dict[str, Any] = {}
    if offer is not None:
        initial = {
            "title": offer.title,
            "description": offer.description,
            "patent_numbers": "\n".join(offer.patents.values_list("application_number", flat=True)),
            "modes": offer.modes,
            "licence_kind": offer.licence_kind,
            "territory": offer.territory,
            "field_of_use": offer.field_of_use,
            "target_regions": ", ".join(offer.target_regions),
            "target_chains": list(offer.target_chains.all()),
            "region_only": offer.region_only,
            "trial_months": offer.trial_months,
            "trial_usage_report_required": offer.trial_usage_report_required,
            "trial_conversion_mode": offer.trial_conversion_mode,
            "trial_extensions_allowed": offer.trial_extensions_allowed,
            "max_trials_per_patent": offer.max_trials_per_patent,
            "price_method": offer.price_method,
        }
    elif request.GET.get("patent"):
        initial["patent_numbers"] = request.GET["patent"][:40]
    data = request.POST if request.method == "POST" else None
    form = OfferForm(data, initial=initial, org_choices=choices)
    fee = FeeScheduleForm(data, prefix="fee", initial=fee_initial(offer.paid_terms if offer else None))
    if request.method == "POST" and form.is_valid() & fee.is_valid():
        try:
            saved = _save_offer(request, form, fee, offer)
        except ValidationError as exc:
            fee_keys = {k for k in getattr(exc, "error_dict", {}) if k == "paid_terms"}
            form_errors(form, exc)
            if fee_keys:
                fee.add_error("fee_type", exc.message_dict["paid_terms"])
        except LicensingRefused as exc:
            form.add_error(None, refused_text(exc))
        else:
            messages.success(request, "许可项目已保存为草稿" if offer is None else "许可项目已修改")
            return redirect("licensing:offer", pk=saved.pk)
    return render(
        request,
        "licensing/deals/offer_form.html",
        {
            "form": form,
            "fee": fee,
            "offer": offer,
            "sections": _sections(form, _OFFER_SECTIONS),
            "fee_sections": _sections(fee, _FEE_SECTIONS),
            "fee_preview": fee.describe() if fee.is_bound and fee.is_valid() else "",
        },
    )


@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    """发布许可项目 (a DRAFT until submitted and approved)."""
    return _offer_form(request, None)


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft offer of one's own organisation."""
    offer = visible_or_404(LicenceOffer.objects.all(), request.user, pk, "change")
    if offer.state != OfferStateChoices.DRAFT:
        messages.error(request, "只有草稿状态的许可项目可以修改；请先退回修改或新建项目")
        return redirect("licensing:offer", pk=offer.pk)
    return _offer_form(request, offer)


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer: terms, patents, its workflow buttons (publisher) or the apply form (enterprise),
    and the applications made under it (publisher and operators)."""
    policies.require(request.user, "licensing.view")
    offer = visible_or_404(LicenceOffer.objects.select_related("publisher_org"), request.user, pk)
    manage = services.may_manage_offer(request.user, offer)
    events = [(e.value, e.label) for e in allowed_events(OfferState(offer.state))] if manage else []
    apps = None
    if manage:
        apps = (
            restrict(LicenceApplication.objects.filter(offer=offer), request.user)
            .select_related("applicant_org")
            .prefetch_related("patents")
            .order_by("-created_at")
        )
    may_apply = policies.can(request.user, "licensing.apply") and offer.state == OfferStateChoices.PUBLISHED
    patents = list(offer.patents.all())
    places = {p.pk: app_services.trial_places_left(offer, p) for p in patents}
    return render(
        request,
        "licensing/deals/offer_detail.html",
        {
            "offer": offer,
            "patents": [(p, places[p.pk]) for p in patents],
            "mode_labels": [ModeChoices(m).label for m in offer.modes if m in ModeChoices.values],
            "regions": [(code, region_label(code)) for code in offer.target_regions],
            "chains": list(offer.target_chains.all()),
            "fee_text": FeeSchedule.from_dict(offer.paid_terms).describe() if offer.paid_terms else "",
            "warnings": services.offer_warnings(offer) if manage else [],
            "may_manage": manage,
            "events": events,
            "applications": apps,
            "apply_form": ApplicationForm(
                offer=offer, initial={"patents": [p.application_number for p in patents]}
            )
            if may_apply
            else None,
            "outside_region": may_apply and not within(_own_region(request.user), offer.target_regions),
        },
    )


@login_required
@require_POST
def offer_step(request: HttpRequest, pk: int, event: str) -> HttpResponse:
    """One workflow step of an offer (the engine's offer machine decides)."""
    offer = visible_or_404(LicenceOffer.objects.all(), request.user, pk, "change")
    if event not in services.OFFER_EVENTS:
        raise PermissionDenied("未知操作")
    label = OfferEvent(event).label
    run(
        request,
        lambda: services.offer_step(
            request.user, offer, event, on=timezone.localdate(), note=request.POST.get("note", "")
        ),
        f"已{label}",
    )
    return redirect("licensing:offer", pk=offer.pk)
