"""Forms of the library: patent entry by inventors and TTO staff, review decisions."""

from __future__ import annotations

from django import forms

from patentbridge.patents.choices import PatentTypeChoices, SelfAssessmentChoices


class PatentEntryForm(forms.Form):
    """盘点录入: the fields an inventor knows; numbers and dates are validated by the engine."""

    application_number = forms.CharField(
        label="申请号", max_length=30, help_text="例如 202310123456.6，可含 CN/ZL 前缀"
    )
    patent_type = forms.ChoiceField(
        label="专利类型", choices=[("", "按申请号判断"), *PatentTypeChoices.choices], required=False
    )
    title = forms.CharField(label="专利名称", max_length=500)
    abstract = forms.CharField(label="摘要", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    main_claim = forms.CharField(label="主权项", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    ipc = forms.CharField(label="IPC分类号", required=False, help_text="多个用分号分隔；留空时系统给出建议")
    applicants = forms.CharField(label="申请人", required=False, help_text="多个用分号分隔")
    inventors = forms.CharField(label="发明人", required=False)
    filing_date = forms.CharField(label="申请日", required=False, help_text="例如 2023-05-23")
    grant_date = forms.CharField(label="授权公告日", required=False)
    legal_status = forms.CharField(label="法律状态", required=False, help_text="例如 授权、实质审查")
    college = forms.CharField(label="所属学院", required=False, max_length=100)
    fiscal_funded = forms.ChoiceField(
        label="财政资助", choices=[("", "未知"), ("是", "是"), ("否", "否")], required=False
    )
    fiscal_project = forms.CharField(label="资助项目编号", required=False, max_length=100)
    self_assessment = forms.ChoiceField(
        label="价值自评", choices=[("", "—"), *SelfAssessmentChoices.choices], required=False
    )


class ApproveForm(forms.Form):
    """学校审核：自评等级必填."""

    self_assessment = forms.ChoiceField(label="价值分级自评", choices=SelfAssessmentChoices.choices)
    note = forms.CharField(label="审核意见", required=False, max_length=1000)


class RejectForm(forms.Form):
    """退回：原因必填."""

    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
