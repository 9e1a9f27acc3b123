"""Patent library models."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.patents.choices import (
    ApplicantKindChoices,
    LegalStatusChoices,
    LibraryStatusChoices,
    PatentTypeChoices,
    SelfAssessmentChoices,
)


class Party(models.Model):
    """A normalised applicant or patentee (organisation or person) named on patents."""

    name = models.CharField("名称", max_length=200, unique=True)
    kind = models.CharField("类型", max_length=20, choices=ApplicantKindChoices.choices)
    province = models.CharField("省份", max_length=20, blank=True)
    city = models.CharField("城市", max_length=20, blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = "申请人/权利人"
        verbose_name_plural = "申请人/权利人"

    def __str__(self) -> str:
        return self.name


class Patent(models.Model):
    """One CN patent or application, keyed by its normalised application number.

    Bibliographic fields come from imports or forms and are merged, never duplicated. The
    legal status stored here is a cache of the engine's computation for filtering; the
    events in ``legal_events`` and the dates are the source. ``library_status`` is the
    inventory chain; only ``in_library`` records are visible to enterprises.
    """

    application_number = models.CharField("申请号", max_length=20, unique=True)
    patent_type = models.CharField("专利类型", max_length=20, choices=PatentTypeChoices.choices, blank=True)
    publication_number = models.CharField("公开（公告）号", max_length=24, blank=True, db_index=True)
    grant_number = models.CharField("授权公告号", max_length=24, blank=True)
    title = models.CharField("专利名称", max_length=500, blank=True)
    abstract = models.TextField("摘要", blank=True)
    main_claim = models.TextField("主权项", blank=True)
    claims = models.TextField("权利要求书", blank=True)
    claims_count = models.PositiveIntegerField("权利要求数量", null=True, blank=True)
    ipc_main = models.CharField("IPC主分类号", max_length=32, blank=True)
    ipc = models.JSONField("IPC分类号", default=list, blank=True)
    cpc = models.JSONField("CPC分类号", default=list, blank=True)
    applicants = models.JSONField("申请人", default=list, blank=True)
    patentees = models.JSONField("当前权利人", default=list, blank=True)
    inventors = models.JSONField("发明人", default=list, blank=True)
    applicant_address = models.CharField("申请人地址", max_length=300, blank=True)
    region_code = models.CharField("国省代码", max_length=30, blank=True)
    applicant_kind_text = models.CharField("申请人类型（原文）", max_length=30, blank=True)
    applicant_kind = models.CharField(
        "申请人类型", max_length=20, choices=ApplicantKindChoices.choices, blank=True, db_index=True
    )
    province = models.CharField("省份", max_length=20, blank=True, db_index=True)
    city = models.CharField("城市", max_length=20, blank=True)
    filing_date = models.DateField("申请日", null=True, blank=True, db_index=True)
    publication_date = models.DateField("公开（公告）日", null=True, blank=True)
    grant_date = models.DateField("授权公告日", null=True, blank=True)
    expiry_date = models.DateField("期限届满日", null=True, blank=True)
    lapse_date = models.DateField("失效日", null=True, blank=True)
    legal_status = models.CharField(
        "法律状态",
        max_length=24,
        choices=LegalStatusChoices.choices,
        default=LegalStatusChoices.UNKNOWN,
        db_index=True,
    )
    legal_status_text = models.CharField("法律状态（原文）", max_length=100, blank=True)
    stated_status = models.CharField("来源所述法律状态", max_length=24, blank=True)
    legal_events = models.JSONField("法律事件", default=list, blank=True)
    fiscal_funded = models.BooleanField("财政资助", null=True, blank=True)
    fiscal_project = models.CharField("资助项目编号", max_length=100, blank=True)
    transfer_count = models.PositiveIntegerField("转让次数", null=True, blank=True)
    license_count = models.PositiveIntegerField("许可次数", null=True, blank=True)
    pledge_count = models.PositiveIntegerField("质押次数", null=True, blank=True)
    citations = models.JSONField("引证专利", default=list, blank=True)
    cited_by_count = models.PositiveIntegerField("被引证次数", null=True, blank=True)
    family = models.JSONField("同族专利", default=list, blank=True)
    family_size = models.PositiveIntegerField("同族数量", null=True, blank=True)
    priority = models.CharField("优先权", max_length=300, blank=True)
    agency = models.CharField("代理机构", max_length=300, blank=True)
    agent = models.CharField("代理人", max_length=200, blank=True)
    college = models.CharField("所属学院", max_length=100, blank=True)
    # Raw incoPat licence/pledge/transfer cells of the last import, keyed by column name (ingest
    # keeps them; the licensing app reads them into its right-event ledger).
    right_records = models.JSONField("许可/质押/转让记录（导入原文）", default=dict, blank=True)

    owner_org = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patents",
        verbose_name="盘点机构",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="提交人",
        db_index=False,  # only read for one inventor's handful of records
    )
    library_status = models.CharField(
        "入库状态",
        max_length=24,
        choices=LibraryStatusChoices.choices,
        default=LibraryStatusChoices.DRAFT,
        db_index=True,
    )
    self_assessment = models.CharField(
        "价值自评", max_length=20, choices=SelfAssessmentChoices.choices, blank=True
    )
    review_note = models.TextField("审核意见", blank=True)
    parties = models.ManyToManyField(Party, through="PatentParty", related_name="patents")

    source_batch = models.ForeignKey(
        "ingest.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="来源批次",
        db_index=False,  # provenance is read per patent, never searched by batch
    )
    source_row = models.PositiveIntegerField("来源行号", null=True, blank=True)
    source_form = models.BooleanField("表单录入", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-filing_date", "application_number")
        # The list's order within the approved library (enterprise, government and viewer requests)
        # and over everything (platform roles); see migration 0002.
        indexes = (
            models.Index(
                fields=("library_status", "-filing_date", "application_number"), name="patent_status_order"
            ),
            models.Index(fields=("-filing_date", "application_number"), name="patent_list_order"),
            # The statistics' partial month (analytics.rollups): records created since the 1st.
            models.Index(fields=("created_at",), name="patent_created_at"),
        )
        verbose_name = "专利"
        verbose_name_plural = "专利"

    def __str__(self) -> str:
        return f"{self.application_number} {self.title}"[:300]

    @property
    def keyed_by_publication(self) -> bool:
        """True when the source gave no application number and the patent is keyed by its
        publication serial (CNKI exports); see the engine's ``ingest.build`` identity rule."""
        return self.application_number[:2].isalpha()

    @property
    def patent_number(self) -> str:
        """专利号 (ZL + application number); unknown for a patent keyed by its publication."""
        return "" if self.keyed_by_publication else f"ZL{self.application_number}"


class PatentParty(models.Model):
    """Link of a patent to an applicant or current patentee, in the order the record gives."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", "申请人"
        PATENTEE = "patentee", "权利人"

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="party_links", db_index=False)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="patent_links")
    role = models.CharField(max_length=12, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("role", "position")
        constraints = (
            models.UniqueConstraint(fields=("patent", "party", "role"), name="unique_patent_party_role"),
        )

    def __str__(self) -> str:
        return f"{self.patent_id} {self.role} {self.party_id}"


class PatentClass(models.Model):
    """A classification assigned to a patent under one scheme, with the reason that produced it."""

    # The unique (patent, scheme, code) constraint already serves look-ups by patent.
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="classes", db_index=False)
    scheme = models.CharField("体系", max_length=20)
    code = models.CharField("代码", max_length=40)
    name = models.CharField("名称", max_length=300)
    method = models.CharField("方式", max_length=10)
    reason = models.CharField("依据", max_length=500)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ("scheme", "code")
        indexes = (models.Index(fields=("scheme", "code")),)
        constraints = (
            models.UniqueConstraint(fields=("patent", "scheme", "code"), name="unique_patent_class"),
        )

    def __str__(self) -> str:
        return f"{self.scheme}:{self.code} {self.name}"


class IndustryChain(models.Model):
    """An operator-editable regional key industry chain: IPC patterns and keywords."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    region = models.CharField("地区", max_length=50, default="山东")
    ipc_patterns = models.JSONField("IPC 条目", default=list, blank=True)
    keywords = models.JSONField("关键词", default=list, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "code")
        verbose_name = "重点产业链"
        verbose_name_plural = "重点产业链"

    def __str__(self) -> str:
        return self.name
