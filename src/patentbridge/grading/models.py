"""Grades (computed and overridden), the public implementation list, and the routes chosen."""

from __future__ import annotations

from django.conf import settings
from django.db import models

GRADE_CHOICES = (("A", "A 核心"), ("B", "B 重要"), ("C", "C 一般"), ("D", "D 可放弃/待处置"))


class PatentGrade(models.Model):
    """The grade of one patent under a dated policy, with the per-indicator breakdown.

    ``grade`` is the computed one; a TTO may override it with a written reason (``override``);
    ``final`` is what lists and facets use (the override when there is one). Both stay visible.
    """

    patent = models.OneToOneField("patents.Patent", on_delete=models.CASCADE, related_name="grade")
    grade = models.CharField("计算分级", max_length=1, choices=GRADE_CHOICES)
    score = models.FloatField("价值得分")
    coverage = models.FloatField("数据覆盖率")
    policy_version = models.CharField("策略版本", max_length=40)
    detail = models.JSONField("指标明细", default=dict)
    high_value = models.BooleanField("高价值发明专利", default=False, db_index=True)
    graded_at = models.DateTimeField("分级时间")
    override = models.CharField("人工分级", max_length=1, choices=GRADE_CHOICES, blank=True)
    override_reason = models.TextField("人工分级理由", blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    final = models.CharField("分级", max_length=1, choices=GRADE_CHOICES, db_index=True)

    class Meta:
        # The statistics read the newest grade marks (rollup freshness) and the grades of the
        # partial month by date (analytics.rollups).
        indexes = (
            models.Index(fields=("graded_at",), name="grade_graded_at"),
            models.Index(fields=("override_at",), name="grade_override_at"),
        )
        verbose_name = "专利分级"
        verbose_name_plural = "专利分级"

    def __str__(self) -> str:
        return f"{self.patent_id}: {self.final}"


class PublicListEntry(models.Model):
    """A fiscally funded patent on a jurisdiction's public implementation list (专利公开实施清单).

    Created by the daily recomputation with the reason and the date it became due; it leaves
    (``left_on``) when an implementation, transfer or licence is recorded. The patentee's chosen
    route (exchange listing or open-licence declaration) is recorded here.
    """

    class Route(models.TextChoices):
        NONE = "", "未选择"
        EXCHANGE = "exchange", "在交易平台挂牌"
        OPEN_LICENCE = "open_licence", "开放许可声明"

    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="public_list_entries")
    jurisdiction = models.CharField("地区", max_length=20)
    jurisdiction_label = models.CharField("地区名称", max_length=40)
    policy_version = models.CharField("策略版本", max_length=40)
    reason = models.TextField("列入理由")
    since = models.DateField("应列入日期")
    government_use = models.BooleanField("政府可实施或许可", default=False)
    listed_at = models.DateTimeField("列入时间", auto_now_add=True)
    left_on = models.DateField("移出日期", null=True, blank=True, db_index=True)
    left_reason = models.TextField("移出理由", blank=True)
    route = models.CharField("实施途径", max_length=20, choices=Route.choices, blank=True)
    route_note = models.TextField("途径说明", blank=True)
    route_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    route_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("since", "patent_id")
        constraints = (
            models.UniqueConstraint(
                fields=("patent", "jurisdiction"), name="one_entry_per_patent_jurisdiction"
            ),
        )
        verbose_name = "公开实施清单条目"
        verbose_name_plural = "公开实施清单"

    def __str__(self) -> str:
        return f"{self.jurisdiction_label}: {self.patent_id}"

    @property
    def active(self) -> bool:
        return self.left_on is None


class Implementation(models.Model):
    """A recorded implementation (self-use with evidence, assignment, licence, equity contribution)."""

    class Kind(models.TextChoices):
        SELF = "self", "自行实施"
        LICENCE = "licence", "许可实施"
        TRANSFER = "transfer", "转让实施"
        EQUITY = "equity", "作价投资"

    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="implementations")
    kind = models.CharField("实施方式", max_length=10, choices=Kind.choices)
    date = models.DateField("实施日期")
    evidence = models.TextField("证明材料说明")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")
        verbose_name = "实施记录"
        verbose_name_plural = "实施记录"

    def __str__(self) -> str:
        return f"{self.patent_id} {self.kind} {self.date}"


class Assessment(models.Model):
    """A pre-filing assessment (申请前评估) of a draft disclosure, with its saved report.

    Drafts are confidential: they are never indexed, and only members of the organisation that
    wrote them can open them.
    """

    org = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="assessments")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField("发明名称", max_length=300)
    abstract = models.TextField("技术方案摘要")
    claims = models.TextField("权利要求（草稿）", blank=True)
    report = models.JSONField("评估报告", default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "申请前评估"
        verbose_name_plural = "申请前评估"

    def __str__(self) -> str:
        return self.title
