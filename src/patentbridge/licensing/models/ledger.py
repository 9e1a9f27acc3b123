"""The right-event ledger and documents attached to licensing records."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.licensing.choices import RightKindChoices, RightSourceChoices


class RightEvent(models.Model):
    """One dated fact about a patent's rights (权利负担台账, guide §1.1).

    Imports, the platform's own contracts and declarations write these; every licensing check
    reads them through the engine's ``encumbrances()``. ``source_ref`` names the record that
    created the event (contract number, declaration id, import batch and row), so a re-import or
    a repeated sweep updates instead of duplicating."""

    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="right_events")
    kind = models.CharField("事件类型", max_length=24, choices=RightKindChoices.choices)
    sub_kind = models.CharField("细分类型", max_length=24, blank=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    counterparty = models.CharField("相对方", max_length=300, blank=True)
    counterparty_uscc = models.CharField("相对方统一社会信用代码", max_length=18, blank=True)
    record_no = models.CharField("备案/登记号", max_length=64, blank=True)
    source = models.CharField("来源", max_length=16, choices=RightSourceChoices.choices)
    source_ref = models.CharField("来源记录", max_length=120)
    consents = models.JSONField("已取得的同意", default=list, blank=True)
    territory = models.CharField("地域范围", max_length=60, default="CN")
    field_of_use = models.CharField("实施领域", max_length=200, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("patent", "start_date", "pk")
        verbose_name = "权利事件"
        verbose_name_plural = "权利负担台账"
        constraints = (
            models.UniqueConstraint(
                fields=("patent", "kind", "source", "source_ref"), name="right_event_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.patent_id} {self.get_kind_display()} {self.start_date}"


class Document(models.Model):
    """An uploaded document (contract scan, consent, filing notice, payment proof), stored under
    the data directory and identified by its SHA-256; exactly one owner record is set."""

    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("文件类型", max_length=40)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveIntegerField("大小（字节）")
    path = models.CharField("存储路径", max_length=300)
    contract = models.ForeignKey(
        "licensing.LicenceContract", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    declaration = models.ForeignKey(
        "licensing.OpenLicenceDeclaration",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-uploaded_at",)
        verbose_name = "文件"
        verbose_name_plural = "文件"

    def __str__(self) -> str:
        return self.name
