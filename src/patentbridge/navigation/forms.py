"""The new-project form (validation of the scope itself is the service's)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.navigation.choices import KindChoices


class ProjectForm(forms.Form):
    """新建导航项目."""

    title = forms.CharField(
        label="项目名称", max_length=200, required=False, help_text="留空时按范围自动命名"
    )
    kind = forms.ChoiceField(label="导航类型", choices=KindChoices.choices)
    scope = forms.CharField(
        label="导航范围",
        max_length=200,
        help_text="产业链代码或名称、行政区划代码（如 3709）、申请人名称或 IPC 分类号；all 表示全库",
    )
    region = forms.CharField(label="限定地区", max_length=6, required=False, help_text="可选，行政区划代码")
    ipc_prefix = forms.CharField(label="限定 IPC", max_length=16, required=False, help_text="可选，如 F25B")
    year_from = forms.CharField(label="起始申请年", max_length=4, required=False)
    year_to = forms.CharField(label="截止申请年", max_length=4, required=False)
    need = forms.CharField(
        label="导航需求",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="本次导航要支撑的决策，如招商引资、招才引智、研发立项",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        membership = policies.membership_of(user) if user is not None else None
        if membership is not None and policies.role_of(user) == RoleChoices.TTO:
            # A TTO navigates its own organisation as applicant only: offer just that.
            kind = cast(forms.ChoiceField, self.fields["kind"])
            kind.choices = [(KindChoices.APPLICANT.value, KindChoices.APPLICANT.label)]
            self.fields["scope"].initial = membership.org.name
            self.fields["scope"].help_text = "技术转移机构只能对本单位（作为申请人）开展导航"
