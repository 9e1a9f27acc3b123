"""The new-project form (validation of the scope itself is the service's)."""

from __future__ import annotations

from django import forms

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
