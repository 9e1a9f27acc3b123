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
    # Wide enough for a college name (patents.Patent.college).
    key1 = models.CharField("分组一", max_length=100, blank=True)
    key2 = models.CharField("分组二", max_length=40, blank=True)
    # "" = one organisation's row (``org_id``); "*" = the whole platform; "37" / "3709" = every
    # organisation of that province / city (``analytics.rollup_areas``). Area rows have no org.
    area = models.CharField("汇总范围", max_length=6, blank=True, default="")
    n = models.PositiveIntegerField("数量")

    class Meta:
        indexes = (
            models.Index(fields=("metric", "month", "org_id"), name="rollup_metric_month"),
            models.Index(fields=("metric", "area", "month"), name="rollup_metric_area"),
        )
        verbose_name = "统计预汇总"
        verbose_name_plural = "统计预汇总"

    def __str__(self) -> str:
        return f"{self.metric} {self.month} {self.org_id} {self.key1}/{self.key2}: {self.n}"


class RollupState(models.Model):
    """One row: the fingerprint of the records the rollup was built from (library version,
    grade marks). A different fingerprint now means the rollup is stale and is rebuilt."""

    fingerprint = models.CharField("数据指纹", max_length=200, blank=True)
    # How the last refresh ran: "full" (every row recounted) or "incremental" (changed patents).
    mode = models.CharField("汇总方式", max_length=16, blank=True)
    built_at = models.DateTimeField("汇总时间", null=True)
    seconds = models.FloatField("汇总耗时（秒）", default=0.0)
    # Organisation id (str) → region code the area rows were summed with; an owner moving region
    # makes the area rows stale (``rollup_areas.moved``).
    regions = models.JSONField("机构地区", default=dict, blank=True)

    class Meta:
        verbose_name = "统计预汇总状态"
        verbose_name_plural = "统计预汇总状态"

    def __str__(self) -> str:
        return f"rollup {self.built_at}"


class RollupLedger(models.Model):
    """What each patent contributes to the rollup, as the rollup last counted it: the facts
    (organisation, months, type, grade, chains …) the rollup keys are derived from. An
    incremental refresh subtracts a changed patent's ledger cells and adds its current ones,
    so a write costs its own patents, not a recount of the library."""

    patent_id = models.IntegerField("专利", primary_key=True)
    org_id = models.IntegerField("机构", null=True)
    inv_month = models.DateField("盘点月份")
    status = models.CharField("入库状态", max_length=32, blank=True)
    # Month the patent entered the library (null: not in it); grade month = later of it and grading.
    lib_month = models.DateField("入库月份", null=True)
    patent_type = models.CharField("专利类型", max_length=32, blank=True)
    grade_month = models.DateField("分级月份", null=True)
    final = models.CharField("分级", max_length=1, blank=True)
    high_value = models.BooleanField("高价值", default=False)
    college = models.CharField("学院", max_length=100, blank=True)
    ipc_main = models.CharField("IPC主分类号", max_length=32, blank=True)
    filing_year = models.IntegerField("申请年", default=0)
    # Chain codes of the patent, comma-separated (a patent is in a few chains at most).
    chains = models.CharField("产业链", max_length=400, blank=True)

    class Meta:
        verbose_name = "统计预汇总明细"
        verbose_name_plural = "统计预汇总明细"

    def __str__(self) -> str:
        return f"ledger {self.patent_id}"


class RollupDirty(models.Model):
    """Patents written since the rollup last caught up, recorded by database triggers on the
    patent, classification, grade and approval tables (any code path: services, bulk import,
    raw SQL). The incremental refresh reads and clears them."""

    patent_id = models.BigIntegerField("专利")

    class Meta:
        verbose_name = "统计待更新专利"
        verbose_name_plural = "统计待更新专利"

    def __str__(self) -> str:
        return f"dirty {self.patent_id}"
