"""The new-menu form (types and Chinese labels; the rules are in ``services.compose``)."""

from __future__ import annotations

from typing import Any

from django import forms

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices
from patentbridge.accounts.models import Organization
from patentbridge.menus.choices import MenuSourceChoices
from patentbridge.menus.models import GRADE_CHOICES
from patentbridge.patents.models import IndustryChain

__all__ = ["MenuForm"]


class MenuForm(forms.Form):
    """新建专利菜单."""

    title = forms.CharField(label="菜单名称", max_length=200)
    publisher_org = forms.ModelChoiceField(
        label="发布单位",
        queryset=Organization.objects.none(),
        help_text="菜单以高校或运营中心的名义发布（政府部门只做遴选，不发布、不推荐）",
    )
    target_region = forms.CharField(
        label="目标地区（行政区划代码）",
        max_length=12,
        help_text="区县 6 位（如 371522 莘县）、市 4 位（如 3715 聊城市）或省 2 位",
    )
    chains = forms.ModelMultipleChoiceField(
        label="目标产业链", queryset=IndustryChain.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    source = forms.ChoiceField(
        label="专利来源", choices=MenuSourceChoices.choices, initial=MenuSourceChoices.OWN_LIBRARY
    )
    grade_min = forms.ChoiceField(label="最低分级", choices=GRADE_CHOICES, required=False)
    high_value_only = forms.BooleanField(label="仅高价值发明专利", required=False)
    description = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        publishers = Organization.objects.filter(
            kind__in=(OrgKindChoices.UNIVERSITY, OrgKindChoices.OPERATION_CENTRE)
        )
        if not policies.is_platform_wide(user):
            member = policies.membership_of(user)
            publishers = publishers.filter(pk=member.org_id) if member is not None else publishers.none()
            source = self.fields["source"]
            assert isinstance(source, forms.ChoiceField)
            source.choices = [(MenuSourceChoices.OWN_LIBRARY.value, MenuSourceChoices.OWN_LIBRARY.label)]
        field = self.fields["publisher_org"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = publishers.order_by("name")
        if publishers.count() == 1:
            field.initial = publishers.first()
