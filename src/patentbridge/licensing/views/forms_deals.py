"""Django forms of the deal screens: offers, applications and their decisions, and the business
date every contract action carries. Forms only parse and bound input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from patentbridge.licensing.choices import LicenceKindChoices, ModeChoices, PriceMethodChoices
from patentbridge.patents.models import IndustryChain

__all__ = [
    "AcceptForm",
    "ApplicationForm",
    "BusinessDateForm",
    "OfferForm",
    "RejectForm",
    "parse_numbers",
]

# Business dates a user may enter: nothing before the platform's legal basis (细则 2010) and
# nothing in the future — an action records what happened, it is not scheduled.
EARLIEST = dt.date(2010, 1, 1)


def parse_numbers(text: str) -> list[str]:
    """Application numbers typed one per line or separated by commas/spaces (at most 200)."""
    import re

    return [n for n in re.split(r"[\s,，、;；]+", text or "") if n][:201]


class BusinessDateForm(forms.Form):
    """The business date of an action (defaults to today, never in the future)."""

    on = forms.DateField(
        label="业务日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # An unbound form shows today's date, which is also what an empty field means.
        self.initial.setdefault("on", today)

    def clean_on(self) -> dt.date:
        value: dt.date | None = self.cleaned_data.get("on")
        if value is None:
            return self.today
        if value > self.today:
            raise forms.ValidationError("业务日期不能晚于今天")
        if value < EARLIEST:
            raise forms.ValidationError(f"业务日期不能早于 {EARLIEST}")
        return value


class OfferForm(forms.Form):
    """发布/修改许可项目 (without the fee builder, which is its own prefixed form)."""

    publisher_org = forms.IntegerField(label="发布单位（专利所属机构）", required=False, widget=forms.Select)
    title = forms.CharField(label="项目名称", max_length=200)
    description = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    patent_numbers = forms.CharField(
        label="专利申请号（每行一个；须为本单位已入库专利）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )
    modes = forms.MultipleChoiceField(
        label="许可方式",
        choices=[(m.value, m.label) for m in (ModeChoices.TRIAL_THEN_PAID, ModeChoices.PAID)],
        widget=forms.CheckboxSelectMultiple,
    )
    licence_kind = forms.ChoiceField(label="许可类型", choices=LicenceKindChoices.choices, initial="ordinary")
    territory = forms.CharField(label="地域范围", max_length=60, required=False, initial="中国境内")
    field_of_use = forms.CharField(label="实施领域", max_length=200, required=False)
    target_regions = forms.CharField(
        label="定向地区（GB/T 2260 代码，如 370900 泰安市、371522 莘县；多个用逗号分隔）",
        max_length=1000,
        required=False,
    )
    target_chains = forms.ModelMultipleChoiceField(
        label="定向产业链",
        queryset=IndustryChain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region_only = forms.BooleanField(label="仅面向定向地区（区域外申请须确认，不是法定限制）", required=False)
    trial_months = forms.IntegerField(
        label="免费试用期（月，留空取政策默认值）", min_value=1, max_value=36, required=False
    )
    trial_usage_report_required = forms.BooleanField(
        label="试用结束须提交使用报告", required=False, initial=True
    )
    trial_conversion_mode = forms.ChoiceField(
        label="试用后转化方式",
        choices=(("pre_agreed", "按预先约定的付费条件"), ("negotiate", "试用结束后协商")),
        initial="pre_agreed",
    )
    trial_extensions_allowed = forms.IntegerField(label="可延长试用次数", min_value=0, max_value=5, initial=0)
    max_trials_per_patent = forms.IntegerField(
        label="每件专利最多试用企业数（留空不限）", min_value=1, max_value=1000, required=False
    )
    price_method = forms.ChoiceField(label="定价方式", choices=PriceMethodChoices.choices, required=False)

    def __init__(self, *args: Any, org_choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if org_choices is None:
            del self.fields["publisher_org"]
        else:
            self.fields["publisher_org"].required = True
            self.fields["publisher_org"].widget = forms.Select(choices=[("", "请选择"), *org_choices])

    def service_values(self) -> dict[str, Any]:
        """The cleaned values as ``create_offer`` / ``update_offer`` keywords (without patents,
        chains and the publisher, which the view resolves)."""
        data = self.cleaned_data
        names = (
            "title",
            "description",
            "modes",
            "licence_kind",
            "territory",
            "field_of_use",
            "target_regions",
            "region_only",
            "trial_months",
            "trial_usage_report_required",
            "trial_conversion_mode",
            "trial_extensions_allowed",
            "max_trials_per_patent",
            "price_method",
        )
        return {name: data.get(name) for name in names}


class ApplicationForm(forms.Form):
    """申请试用/许可 under one offer: which patents of the package, which mode, what for."""

    requested_mode = forms.ChoiceField(label="申请方式", choices=())
    patents = forms.MultipleChoiceField(label="申请的专利", choices=(), widget=forms.CheckboxSelectMultiple)
    intended_use = forms.CharField(
        label="拟实施产品/用途", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, offer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modes = [m for m in offer.modes if m in (ModeChoices.TRIAL_THEN_PAID, ModeChoices.PAID)]
        cast(forms.ChoiceField, self.fields["requested_mode"]).choices = [
            (m, ModeChoices(m).label) for m in modes
        ]
        cast(forms.ChoiceField, self.fields["patents"]).choices = [
            (p.application_number, f"{p.application_number} {p.title}") for p in offer.patents.all()
        ]


class AcceptForm(BusinessDateForm):
    """Accept an application: the licence starts on the business date; the end may be changed."""

    on = forms.DateField(
        label="许可（及免费试用）开始日",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="许可结束日（留空：三年，且不晚于专利届满）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label="拒绝理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
