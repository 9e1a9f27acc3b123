"""Pre-aggregated counts behind the statistics pages (see ``analytics.rollups``)."""

from __future__ import annotations

from django.db import models


class IndicatorRollup(models.Model):
    """Records counted per calendar month of the date that makes them count, per organisation
    and per one or two keys (e.g. ``metric="library"``, ``key1=patent_type``). A figure as of a
    day sums the whole months before that day's month and reads the partial month from the
    records themselves, so every as-of date stays exact."""

    metric = models.CharField("指标", max_length=16)
    # First day of the local month; None for figures that only exist for today (navigation).
    month = models.DateField("月份", null=True)
    org_id = models.IntegerField("机构", null=True)
    key1 = models.CharField("分组一", max_length=40, blank=True)
    key2 = models.CharField("分组二", max_length=40, blank=True)
    n = models.PositiveIntegerField("数量")

    class Meta:
        indexes = (models.Index(fields=("metric", "month", "org_id"), name="rollup_metric_month"),)
        verbose_name = "统计预汇总"
        verbose_name_plural = "统计预汇总"

    def __str__(self) -> str:
        return f"{self.metric} {self.month} {self.org_id} {self.key1}/{self.key2}: {self.n}"


class RollupState(models.Model):
    """One row: the fingerprint of the records the rollup was built from (library version,
    grade marks). A different fingerprint now means the rollup is stale and is rebuilt."""

    fingerprint = models.CharField("数据指纹", max_length=200, blank=True)
    built_at = models.DateTimeField("汇总时间", null=True)
    seconds = models.FloatField("汇总耗时（秒）", default=0.0)

    class Meta:
        verbose_name = "统计预汇总状态"
        verbose_name_plural = "统计预汇总状态"

    def __str__(self) -> str:
        return f"rollup {self.built_at}"
