"""Import batches and the per-row issues they produced."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    """One run of one file into the library.

    Counters are updated in the same transaction as each chunk of rows, so after any
    interruption ``imported + updated + unchanged + rejected == rows_read`` and ``last_row``
    says where to resume. ``sha256`` identifies the file for resuming.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        COMPLETED = "completed", "已完成"
        FAILED = "failed", "失败"

    org = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name="机构"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    file_path = models.CharField("文件路径", max_length=500)
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.BigIntegerField(default=0)
    format = models.CharField("格式", max_length=10)
    mapping = models.JSONField("表头映射", default=dict, blank=True)
    initial_status = models.CharField("入库状态", max_length=24)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    rows_estimated = models.PositiveIntegerField("预计行数", null=True, blank=True)
    rows_read = models.PositiveIntegerField("读取行数", default=0)
    imported = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    rejected = models.PositiveIntegerField("拒绝", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    last_row = models.PositiveIntegerField("已处理到行", default=0)
    unmapped_headers = models.JSONField("未识别的表头", default=list, blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def accounted(self) -> int:
        return self.imported + self.updated + self.unchanged + self.rejected

    @property
    def percent(self) -> int:
        """Progress for the bar; 100 once finished, never above 99 while running."""
        if self.is_finished:
            return 100
        if not self.rows_estimated:
            return 0
        return min(99, int(100 * self.rows_read / self.rows_estimated))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED)


class ImportIssue(models.Model):
    """A rejected row (``severity=error``) or a warning on an accepted row, for the reject report."""

    class Severity(models.TextChoices):
        ERROR = "error", "拒绝"
        WARNING = "warning", "警告"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="issues")
    row_number = models.PositiveIntegerField("行号")
    label = models.CharField("来源", max_length=255, blank=True)
    field = models.CharField("字段", max_length=50)
    value = models.CharField("值", max_length=300, blank=True)
    reason = models.CharField("原因", max_length=500)
    severity = models.CharField(max_length=8, choices=Severity.choices)

    class Meta:
        ordering = ("row_number", "id")
        indexes = (models.Index(fields=("batch", "severity", "row_number")),)

    def __str__(self) -> str:
        return f"第{self.row_number}行 {self.field}: {self.reason}"
