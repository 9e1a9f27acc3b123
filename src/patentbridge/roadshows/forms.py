"""The new-event form (types and Chinese labels; the rules are in ``services.events``)."""

from __future__ import annotations

from typing import Any

from django import forms

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices
from patentbridge.accounts.models import Organization
from patentbridge.patents.models import IndustryChain
from patentbridge.roadshows.services.events import ORGANISER_KINDS

__all__ = ["EventForm"]


class EventForm(forms.Form):
    """新建一月一链路演."""

    title = forms.CharField(label="路演名称", max_length=200)
    organiser_org = forms.ModelChoiceField(
        label="主办单位",
        queryset=Organization.objects.none(),
        help_text="路演以运营中心、服务机构或高校的名义主办；政府部门可协办、邀请本地企业，不推荐专利",
    )
    chain = forms.ModelChoiceField(
        label="产业链", queryset=IndustryChain.objects.order_by("position", "code")
    )
    month = forms.CharField(label="月份", max_length=7, help_text="YYYY-MM；每条产业链每月一场")
    event_date = forms.DateField(label="举办日期", widget=forms.DateInput(attrs={"type": "date"}))
    region_code = forms.CharField(
        label="面向地区（行政区划代码）",
        max_length=12,
        help_text="区县 6 位（如 370921 宁阳县）或市 4 位（如 3709 泰安市）",
    )
    cohost_org = forms.ModelChoiceField(
        label="协办政府部门",
        required=False,
        queryset=Organization.objects.filter(kind=OrgKindChoices.GOVERNMENT).order_by("name"),
    )
    venue = forms.CharField(label="举办地点", max_length=200, required=False)
    online_url = forms.CharField(label="线上链接", max_length=300, required=False)
    description = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisers = Organization.objects.filter(kind__in=ORGANISER_KINDS)
        if not policies.is_platform_wide(user):
            member = policies.membership_of(user)
            organisers = organisers.filter(pk=member.org_id) if member is not None else organisers.none()
        field = self.fields["organiser_org"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisers.order_by("name")
        if organisers.count() == 1:
            field.initial = organisers.first()
