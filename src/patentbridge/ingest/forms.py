"""Upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from patentbridge.accounts.choices import OrgKindChoices
from patentbridge.accounts.models import Organization
from patentbridge.ingest.uploads import too_large_message, upload_limit_bytes
from patentbridge.patents.choices import LibraryStatusChoices


class UploadForm(forms.Form):
    """A patent export plus optional header mapping; operators choose the owning organisation."""

    file = forms.FileField(
        label="数据文件", help_text="CSV（UTF-8 或 GBK）、XLSX、CNKI 导出的 XLS、JSONL、JSON、CNIPA XML"
    )
    format = forms.ChoiceField(
        label="格式",
        required=False,
        choices=[
            ("", "按扩展名识别"),
            ("csv", "CSV"),
            ("xlsx", "XLSX"),
            ("xls", "XLS（CNKI 导出的网页表格）"),
            ("jsonl", "JSONL"),
            ("json", "JSON"),
            ("xml", "XML"),
        ],
    )
    mapping = forms.FileField(
        label="表头映射文件（可选）", required=False, help_text='JSON：{"原表头": "字段名"}'
    )
    # Stock patents are inventoried for universities and institutes (盘点): other kinds never own them.
    org = forms.ModelChoiceField(
        label="盘点机构",
        queryset=Organization.objects.filter(kind=OrgKindChoices.UNIVERSITY),
        required=False,
        empty_label="（按第一申请人自动匹配）",
        help_text="留空时按第一申请人匹配已登记的高校/科研院所",
    )
    initial_status = forms.ChoiceField(
        label="新记录入库状态", required=False, choices=[("", "默认"), *LibraryStatusChoices.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.PATENTBRIDGE_UPLOAD_MAX_MB
        self.fields[
            "file"
        ].help_text = f"CSV（UTF-8 或 GBK）、XLSX、CNKI 导出的 XLS、JSONL、JSON、CNIPA XML；不超过 {limit} MB"

    def clean_file(self) -> UploadedFile[bytes]:
        """#c: refuse a file above PATENTBRIDGE_UPLOAD_MAX_MB (the upload handler usually drops it earlier)."""
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if upload.size is not None and upload.size > upload_limit_bytes():
            raise forms.ValidationError(too_large_message(upload.name or "", upload.size))
        return upload
