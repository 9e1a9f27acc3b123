"""Need forms."""

from __future__ import annotations

from django import forms

from patentbridge.accounts.models import Organization
from patentbridge.demands.choices import WantedModeChoices
from patentbridge.demands.services import MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS


class NeedForm(forms.Form):
    """发布技术需求: describe the problem in your own words; classification is suggested automatically."""

    title = forms.CharField(
        label="需求名称",
        max_length=MAX_TITLE_CHARS,
        error_messages={"max_length": f"需求名称不能超过 {MAX_TITLE_CHARS} 字"},
    )
    description = forms.CharField(
        label="需求描述",
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"用自己的话描述要解决的问题、现状和指标，例如“高温循环后容量衰减快”（不超过 {MAX_DESCRIPTION_CHARS:,} 字）",
        error_messages={
            "max_length": f"需求描述不能超过 {MAX_DESCRIPTION_CHARS:,} 字（当前 %(show_value)s 字），请概括要点"
        },
    )
    industry = forms.CharField(label="所属行业", max_length=100, required=False)
    region = forms.CharField(label="所在地区", max_length=50, required=False)
    budget_min = forms.DecimalField(label="预算下限（万元）", required=False, min_value=0)
    budget_max = forms.DecimalField(label="预算上限（万元）", required=False, min_value=0)
    wanted_mode = forms.ChoiceField(label="合作方式", choices=WantedModeChoices.choices)
    org = forms.ModelChoiceField(
        label="发布企业（运营人员代发）",
        queryset=Organization.objects.filter(kind="enterprise"),
        required=False,
    )


class IpcForm(forms.Form):
    """Operators' correction of a need's IPC."""

    ipc = forms.CharField(label="IPC分类号", help_text="多个用分号分隔，例如 H01M10/0525;H01M4")
