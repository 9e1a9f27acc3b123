"""Forms of the contract page: the inputs of each contract action, the filing steps and document
uploads. Each carries the business date (``on``), never later than today."""

from __future__ import annotations

from typing import Any

from django import forms

from patentbridge.licensing.services.contract_states import DECLINE_REASONS
from patentbridge.licensing.services.documents import DOCUMENT_KINDS
from patentbridge.licensing.views.forms_deals import BusinessDateForm

__all__ = [
    "ACTION_FORMS",
    "DeclineForm",
    "DocumentForm",
    "ExtendForm",
    "FiledForm",
    "FilingSubmitForm",
    "NoteForm",
    "NoticeForm",
    "ObjectionForm",
    "ReasonForm",
    "RefusedForm",
    "RequiredNoteForm",
    "action_form",
]


def _note(label: str, *, required: bool = True) -> forms.CharField:
    """A short free text (reason, opinion) of at most 2,000 characters."""
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=required
    )


class NoteForm(BusinessDateForm):
    note = _note("意见", required=False)


class RequiredNoteForm(BusinessDateForm):
    note = _note("退回理由")


class NoticeForm(BusinessDateForm):
    result_name = forms.CharField(label="成果名称", max_length=300)
    proposed_price = forms.CharField(label="拟交易价格", max_length=200)


class ObjectionForm(BusinessDateForm):
    objections = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class DeclineForm(BusinessDateForm):
    reason_code = forms.ChoiceField(
        label="不转化的原因", choices=[(k, v) for k, v in DECLINE_REASONS.items() if k != "no_answer"]
    )
    note = _note("说明（选“其他原因”时必填）", required=False)


class ExtendForm(BusinessDateForm):
    months = forms.IntegerField(label="延长月数", min_value=1, max_value=24)


class ReasonForm(BusinessDateForm):
    reason = _note("原因")


# event → form class (events not listed take only the business date).
ACTION_FORMS: dict[str, type[BusinessDateForm]] = {
    "approve": NoteForm,
    "reject": RequiredNoteForm,
    "start_notice": NoticeForm,
    "notice_objected": ObjectionForm,
    "decline": DeclineForm,
    "extend": ExtendForm,
    "suspend": ReasonForm,
    "resume": ReasonForm,
    "terminate": ReasonForm,
}


def action_form(event: str, data: Any = None, **kwargs: Any) -> BusinessDateForm:
    """The (bound or blank) form of ``event``."""
    return ACTION_FORMS.get(event, BusinessDateForm)(data, prefix=event, **kwargs)


class FilingSubmitForm(BusinessDateForm):
    side = forms.ChoiceField(
        label="备案方", choices=(("licensor", "许可方"), ("licensee", "被许可方"), ("agency", "代理机构"))
    )


class FiledForm(BusinessDateForm):
    record_no = forms.CharField(label="备案号", max_length=64)


class RefusedForm(BusinessDateForm):
    reason = _note("不予备案的理由")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="文件类型", choices=list(DOCUMENT_KINDS.items()))
    file = forms.FileField(label="文件")
