"""Forms of the open-licence pages: the declaration (with a checkbox and an optional consent file
per patentee), the CNIPA dates, the withdrawal, and an enterprise's written notice. Forms only read
and shape input; the services validate the substance and refuse in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from patentbridge.licensing.choices import TermKindChoices
from patentbridge.licensing.views.forms_fee import FeeScheduleForm

__all__ = [
    "AcceptForm",
    "DeclarationForm",
    "OpenFeeForm",
    "PublishForm",
    "ReturnForm",
    "SubmitForm",
    "WithdrawForm",
    "WithdrawalPublishedForm",
]


def _date_input() -> forms.DateInput:
    """An HTML date picker showing ISO dates (the browser's own calendar)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


OPEN_FEE_TYPES = (
    ("free", "免费许可"),
    ("lump_sum", "固定费用（接受许可时一次付清）"),
    ("royalty", "提成（可加入门费，即“入门费+提成”）"),
)


class OpenFeeForm(FeeScheduleForm):
    """The fee builder for an open licence: a standard every licensee can compute alone — free, a
    fixed fee paid on acceptance, or a royalty on a measurable base (optionally with an entry fee
    paid on acceptance). No "to be agreed", no trial conversion, no dated instalments (the same
    terms must fit a licensee who accepts in any year)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fee_type = self.fields["fee_type"]
        due = self.fields["entry_fee_due"]
        assert isinstance(fee_type, forms.ChoiceField) and isinstance(due, forms.ChoiceField)
        # No "to be agreed" choice; an empty type is allowed only when the JSON box is used, and
        # ``clean`` refuses a form that yields no schedule at all.
        fee_type.choices = [("", "请选择"), *OPEN_FEE_TYPES]
        due.choices = (("signing", "接受许可时"),)
        self.fields["entry_fee_amount"].label = "入门费（元，接受许可时支付）"
        self.fields["lump_sum_amount"].label = "固定费用（元）"
        del self.fields["lump_sum_instalments"]

    def _instalments(self, text: str) -> list[dict[str, str]]:
        return []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not getattr(self, "schedule", {}):
            self.add_error("fee_type", "开放许可须公布许可使用费支付方式和标准（可以是免费）")
        return data


class DeclarationForm(forms.Form):
    """The declaration's fields besides the fee. ``patentees`` builds one checkbox and one optional
    consent file per patentee; the declarant's own organisation is ticked by default."""

    fee_text = forms.CharField(
        label="许可使用费补充说明",
        required=False,
        max_length=300,
        help_text="可选；须能由被许可人直接计算，不得写“面议”“协商”等",
    )
    term_kind = forms.ChoiceField(label="许可期限", choices=TermKindChoices.choices)
    term_years = forms.IntegerField(label="许可年限（年）", min_value=1, max_value=20, required=False)
    term_until = forms.DateField(label="许可期限至", required=False, widget=_date_input())
    other_terms = forms.CharField(
        label="其他事项",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不得限定实施地域（须为中国境内）或被许可人范围，不得含商业宣传用语",
    )
    evaluation_report_no = forms.CharField(label="专利权评价报告编号", required=False, max_length=40)
    evaluation_issued_at = forms.DateField(label="评价报告出具日", required=False, widget=_date_input())
    evaluation_conclusion = forms.ChoiceField(
        label="评价报告结论",
        required=False,
        choices=(
            ("", "（发明专利无需填写）"),
            ("meets_conditions", "符合授予专利权条件"),
            ("not_meets", "不符合授予专利权条件"),
        ),
    )
    pledgee_consent = forms.BooleanField(label="已取得质权人同意开放许可的书面文件", required=False)
    pledgee_doc = forms.FileField(label="质权人同意书（可选上传）", required=False)
    contact = forms.CharField(label="联系人及联系方式（接收书面通知）", max_length=200)
    origin = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, patentees: Sequence[str] = (), own_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patentees = list(patentees)
        for i, name in enumerate(self.patentees):
            self.fields[f"signed_{i}"] = forms.BooleanField(
                label=f"{name} 已签署", required=False, initial=name == own_name
            )
            self.fields[f"consent_doc_{i}"] = forms.FileField(
                label=f"{name} 的同意书（可选上传）", required=False
            )

    def signer_rows(self) -> list[tuple[str, Any, Any]]:
        """(patentee, its checkbox, its file field) for the template."""
        return [(n, self[f"signed_{i}"], self[f"consent_doc_{i}"]) for i, n in enumerate(self.patentees)]

    def signed_by(self) -> list[str]:
        return [n for i, n in enumerate(self.patentees) if self.cleaned_data.get(f"signed_{i}")]

    def consent_files(self) -> list[tuple[str, Any]]:
        """(patentee, uploaded file) for every consent document given."""
        out = []
        for i, name in enumerate(self.patentees):
            upload = self.cleaned_data.get(f"consent_doc_{i}")
            if upload:
                out.append((name, upload))
        return out


class SubmitForm(forms.Form):
    on = forms.DateField(label="提交国家知识产权局日期", widget=_date_input())


class PublishForm(forms.Form):
    published_at = forms.DateField(label="公告日期", widget=_date_input())
    announcement_no = forms.CharField(label="公告号", max_length=40)


class ReturnForm(forms.Form):
    on = forms.DateField(label="退回日期", widget=_date_input())
    reason = forms.CharField(label="退回理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    on = forms.DateField(label="撤回申请提交日期", widget=_date_input())
    reason = forms.CharField(
        label="撤回的正当理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    coowners_consent = forms.BooleanField(label="已取得全体专利权人撤回的书面同意", required=False)
    consent_doc = forms.FileField(label="同意书（可选上传）", required=False)


class WithdrawalPublishedForm(forms.Form):
    published_at = forms.DateField(label="撤回公告日期", widget=_date_input())


class AcceptForm(forms.Form):
    """The enterprise's written notice (专利法 Art. 51): its date and the intended use."""

    notified_at = forms.DateField(label="书面通知日期", widget=_date_input())
    intended_use = forms.CharField(
        label="拟实施的产品或用途",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_notified_at(self) -> dt.date:
        value: dt.date = self.cleaned_data["notified_at"]
        if value > self.today:
            raise forms.ValidationError(f"书面通知日期不能晚于今天（{self.today}）")
        return value
