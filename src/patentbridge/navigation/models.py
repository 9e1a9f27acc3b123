"""Models of 专利导航 (patent navigation reports, GB/T 39551 (guide §6)).

A project names the navigation type and scope; each generation freezes a snapshot of the library
into a new report version (compressed canonical JSON + its sha256) and stores the sections computed
from it, so a version is reproducible from its own snapshot and a refresh never edits an old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.navigation.choices import ActionKindChoices, KindChoices, ReportStateChoices


class NavigationProject(models.Model):
    """A navigation project: type, scope value (chain code, region prefix, applicant name, IPC
    prefix), optional narrowing (years, IPC prefix, region), the need it answers and its owner."""

    title = models.CharField("项目名称", max_length=200)
    kind = models.CharField("导航类型", max_length=20, choices=KindChoices.choices)
    scope = models.CharField("导航范围", max_length=200)
    region = models.CharField("地区代码", max_length=6, blank=True, db_index=True)
    ipc_prefix = models.CharField("IPC 限定", max_length=16, blank=True)
    year_from = models.PositiveSmallIntegerField("起始申请年", null=True, blank=True)
    year_to = models.PositiveSmallIntegerField("截止申请年", null=True, blank=True)
    need = models.TextField("导航需求", blank=True)
    owner_org = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="navigation_projects",
        verbose_name="承担单位",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "专利导航项目"
        verbose_name_plural = "专利导航项目"

    def __str__(self) -> str:
        return self.title


class NavigationReport(models.Model):
    """One version of a project's report: the frozen snapshot, the computed sections and key
    numbers, the generation progress and the publication state."""

    project = models.ForeignKey(NavigationProject, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveIntegerField("版本")
    as_of = models.DateField("数据截止日")
    state = models.CharField(
        "状态", max_length=20, choices=ReportStateChoices.choices, default=ReportStateChoices.GENERATING
    )
    progress = models.PositiveSmallIntegerField("进度", default=0)
    progress_note = models.CharField("进度说明", max_length=100, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    snapshot = models.BinaryField("数据快照", null=True, blank=True)
    snapshot_sha256 = models.CharField("快照摘要", max_length=64, blank=True)
    row_count = models.PositiveIntegerField("快照专利数", default=0)
    sections = models.JSONField("报告内容", default=dict, blank=True)
    key_numbers = models.JSONField("关键数字", default=dict, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="上一版本"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        ordering = ("project", "-version")
        constraints = (
            models.UniqueConstraint(fields=("project", "version"), name="unique_navigation_version"),
        )
        verbose_name = "专利导航报告"
        verbose_name_plural = "专利导航报告"

    def __str__(self) -> str:
        return f"{self.project.title} 第{self.version}版"


class NavigationFinding(models.Model):
    """A conclusion (结论) of a report with the action (对策) it leads to; automatic ones come from
    the engine, the rest are written by the project's operator."""

    report = models.ForeignKey(NavigationReport, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("结论")
    action_kind = models.CharField("对策类型", max_length=20, choices=ActionKindChoices.choices, blank=True)
    action = models.TextField("对策", blank=True)
    section = models.CharField("依据章节", max_length=30, blank=True)
    automatic = models.BooleanField("自动生成", default=False)

    class Meta:
        ordering = ("report", "position", "id")
        verbose_name = "导航结论"
        verbose_name_plural = "导航结论"

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def has_action(self) -> bool:
        return bool(self.action.strip() and self.action_kind)


class NavigationCube(models.Model):
    """Patents of the library per (chain, filing year, main IPC, legal state, applicant kind,
    province, city), with the operation sums and grade counts of each group — what the main count
    of a report reads instead of the patents themselves (``navigation/cube.py``). ``chain`` is ""
    for the whole library; a chain's rows repeat its patents under its code."""

    chain = models.CharField(max_length=40)
    year = models.IntegerField(null=True)
    ipc_main = models.CharField(max_length=64)
    legal_status = models.CharField(max_length=32)
    applicant_kind = models.CharField(max_length=32)
    province = models.CharField(max_length=64)
    city = models.CharField(max_length=64)
    patents = models.IntegerField()
    transfers = models.IntegerField()
    licences = models.IntegerField()
    pledges = models.IntegerField()
    operated = models.IntegerField()
    graded = models.IntegerField()
    key = models.IntegerField()
    key_operated = models.IntegerField()

    class Meta:
        indexes = (models.Index(fields=["chain"], name="nav_cube_chain"),)

    def __str__(self) -> str:
        return (
            f"{self.chain or '全库'} {self.year} {self.ipc_main} {self.province}{self.city}: {self.patents}"
        )


class NavigationApplicantCube(models.Model):
    """Patents per (chain, first applicant, applicant kind, filing year, IPC subclass as written,
    province, city), with the high-value count and the first application number of each group:
    the applicant ranking, distinct applicants per year and the ten largest applicants' kinds."""

    chain = models.CharField(max_length=40)
    applicant = models.TextField()
    applicant_kind = models.CharField(max_length=32)
    year = models.IntegerField(null=True)
    ipc4 = models.CharField(max_length=8)
    province = models.CharField(max_length=64)
    city = models.CharField(max_length=64)
    patents = models.IntegerField()
    high_value = models.IntegerField()
    first_number = models.CharField(max_length=64)

    class Meta:
        indexes = (models.Index(fields=["chain"], name="nav_app_cube_chain"),)

    def __str__(self) -> str:
        return f"{self.chain or '全库'} {self.applicant} {self.year}: {self.patents}"


class NavigationInventorCube(models.Model):
    """Patents per (chain, inventor, filing year, IPC subclass as written, province, city): each
    of a patent's first 20 named inventors once. The inventor ranking and the number of distinct
    inventors of a scope, without expanding every patent's inventor list per report."""

    chain = models.CharField(max_length=40)
    inventor = models.TextField()
    year = models.IntegerField(null=True)
    ipc4 = models.CharField(max_length=8)
    province = models.CharField(max_length=64)
    city = models.CharField(max_length=64)
    patents = models.IntegerField()

    class Meta:
        indexes = (models.Index(fields=["chain"], name="nav_inv_cube_chain"),)

    def __str__(self) -> str:
        return f"{self.chain or '全库'} {self.inventor} {self.year}: {self.patents}"


class NavigationCubeState(models.Model):
    """The one row saying what the cube was built from: the day its library was taken on, the
    fingerprint of the records then (library version and grade marks), whether that library was
    every in-library patent (so a later day with the same fingerprint sees the same library), and
    what the build cost."""

    as_of = models.DateField()
    fingerprint = models.CharField(max_length=200)
    complete = models.BooleanField(default=False)
    built_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    rows = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"导航预汇总 {self.as_of}（{self.rows} 行）"
