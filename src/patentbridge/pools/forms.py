"""Forms of the pool pages (the services re-check everything)."""

from __future__ import annotations

from typing import Any

from django import forms

from patentbridge.accounts.choices import OrgKindChoices
from patentbridge.accounts.models import Organization
from patentbridge.patents.models import IndustryChain
from patentbridge.pools.choices import CategoryChoices, ReviewMethodChoices, SharingRuleChoices
from patentbridge.pools.models import GRADE_MIN_CHOICES

__all__ = ["ApplyForm", "PoolForm", "ReviewForm"]


class PoolForm(forms.Form):
    """设立专利池: name, chain, agency (operators only), criteria, fee, rule and tariff."""

    name = forms.CharField(label="专利池名称", max_length=200)
    chain = forms.ModelChoiceField(label="产业链", queryset=IndustryChain.objects.all(), required=False)
    agency_org = forms.ModelChoiceField(
        label="运营管理机构", queryset=Organization.objects.filter(kind=OrgKindChoices.AGENCY), required=False
    )
    technical_field = forms.CharField(label="技术领域", max_length=200, required=False)
    ipc_prefixes = forms.CharField(
        label="入池 IPC 分类（逗号分隔，留空则取产业链的）", max_length=1000, required=False
    )
    keywords = forms.CharField(
        label="入池关键词（逗号分隔，留空则取产业链的）", max_length=1000, required=False
    )
    min_grade = forms.ChoiceField(label="最低价值分级", choices=GRADE_MIN_CHOICES, required=False)
    mgmt_fee_rate = forms.CharField(label="管理费比例（如 10%）", max_length=10, initial="10%")
    sharing_rule = forms.ChoiceField(label="收益分配规则", choices=SharingRuleChoices.choices)
    tariff_amount = forms.DecimalField(
        label="池外统一许可费（元，签约一次性支付）",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    tariff_years = forms.IntegerField(label="池外许可期限（年）", min_value=1, max_value=20, initial=3)

    def __init__(self, *args: Any, operator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not operator:
            del self.fields["agency_org"]


class ApplyForm(forms.Form):
    """入池申请: one of the organisation's own patents."""

    patent = forms.TypedChoiceField(label="专利", coerce=int, choices=())
    category = forms.ChoiceField(
        label="类别", choices=CategoryChoices.choices, initial=CategoryChoices.GENERAL
    )
    essential = forms.BooleanField(label="声明为必要专利", required=False)
    coowner_consent = forms.BooleanField(label="已取得全体共有人书面同意（共有专利须勾选）", required=False)
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, patents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patent"].choices = [(p.pk, f"{p.application_number} {p.title[:40]}") for p in patents]  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    method = forms.ChoiceField(label="审查方式", choices=ReviewMethodChoices.choices)
    opinion = forms.CharField(label="审查意见", max_length=500, required=False)
