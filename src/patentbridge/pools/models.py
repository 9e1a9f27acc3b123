"""Models of 专利池 (patent pools, guide §4.d): the pool and its charter, members, applications and
their review, the pool's patents with their status history, outbound licences (licensing
contracts) and distribution statements."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from patentbridge.pools.choices import (
    ApplicationStateChoices,
    CategoryChoices,
    ChangeSourceChoices,
    LicenceRequestStateChoices,
    MemberRoleChoices,
    PatentStatusChoices,
    PoolStateChoices,
    ReviewMethodChoices,
    SharingRuleChoices,
)

GRADE_MIN_CHOICES = (("", "不限"), ("A", "A 核心"), ("B", "B 重要及以上"), ("C", "C 一般及以上"))


class Pool(models.Model):
    """A key-industry patent pool on one chain, run by a managing agency on its members' behalf.

    The charter is stored on the row: admission criteria (IPC prefixes, keywords, minimum grade,
    essentiality), the management fee, the revenue-sharing rule and the one outbound tariff (a
    licensing fee schedule, offered to every outside licensee alike — rule P4)."""

    name = models.CharField("专利池名称", max_length=200)
    chain = models.ForeignKey(
        "patents.IndustryChain",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="产业链",
    )
    region_code = models.CharField("所在地区（行政区划代码）", max_length=6, db_index=True)
    technical_field = models.CharField("技术领域", max_length=200, blank=True)
    agency_org = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="managed_pools",
        verbose_name="运营管理机构",
    )
    state = models.CharField(
        "状态", max_length=12, choices=PoolStateChoices.choices, default=PoolStateChoices.FORMING
    )
    ipc_prefixes = models.JSONField("入池 IPC 分类", default=list, blank=True)
    keywords = models.JSONField("入池关键词", default=list, blank=True)
    min_grade = models.CharField("最低分级", max_length=1, choices=GRADE_MIN_CHOICES, blank=True)
    essential_required = models.BooleanField("仅接纳必要专利", default=False)
    mgmt_fee_rate = models.DecimalField("管理费比例", max_digits=5, decimal_places=4, default=Decimal("0"))
    sharing_rule = models.CharField(
        "收益分配规则",
        max_length=16,
        choices=SharingRuleChoices.choices,
        default=SharingRuleChoices.PATENT_COUNT,
    )
    grade_weights = models.JSONField("分级权重", default=dict, blank=True)
    tariff = models.JSONField("池外统一许可费", default=dict, blank=True)
    tariff_years = models.PositiveSmallIntegerField("池外许可期限（年）", default=3)
    tariff_note = models.CharField("许可费说明", max_length=300, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    founded_on = models.DateField("设立日期")

    class Meta:
        ordering = ("-founded_on", "-pk")
        verbose_name = "专利池"
        verbose_name_plural = "专利池"
        constraints = (models.UniqueConstraint(fields=("agency_org", "name"), name="pool_name_once"),)

    def __str__(self) -> str:
        return self.name


class PoolMember(models.Model):
    """A member organisation (patent holder) of a pool; ``agreed_share`` is its fraction under the
    agreed-shares rule."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="members")
    org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="pool_memberships"
    )
    role = models.CharField(
        "成员类型", max_length=10, choices=MemberRoleChoices.choices, default=MemberRoleChoices.MEMBER
    )
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)
    agreed_share = models.DecimalField("约定分配比例", max_digits=7, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ("pool", "joined_on", "pk")
        verbose_name = "专利池成员"
        verbose_name_plural = "专利池成员"
        constraints = (models.UniqueConstraint(fields=("pool", "org"), name="pool_member_once"),)

    def __str__(self) -> str:
        return f"{self.pool_id}:{self.org_id}"


class MemberApplication(models.Model):
    """An organisation's application to put one of its patents into the pool, with the automatic
    admission check at submission and the agency's review."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="applications")
    org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="pool_applications")
    category = models.CharField(
        "类别", max_length=10, choices=CategoryChoices.choices, default=CategoryChoices.GENERAL
    )
    essential = models.BooleanField("申请人声明为必要专利", null=True, blank=True)
    coowner_consent = models.BooleanField("已取得全体共有人书面同意", default=False)
    note = models.CharField("说明", max_length=500, blank=True)
    auto_check = models.JSONField("入池自动核查", default=dict, blank=True)
    state = models.CharField(
        "状态",
        max_length=10,
        choices=ApplicationStateChoices.choices,
        default=ApplicationStateChoices.SUBMITTED,
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("申请日期")
    review_method = models.CharField(
        "审查方式", max_length=14, choices=ReviewMethodChoices.choices, blank=True
    )
    review_opinion = models.CharField("审查意见", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ("-submitted_on", "-pk")
        verbose_name = "入池申请"
        verbose_name_plural = "入池申请"

    def __str__(self) -> str:
        return f"{self.pool_id}:{self.patent_id}"


class PoolPatent(models.Model):
    """A patent in the pool: its contributor, category, current status and since when."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="patents")
    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="pool_entries")
    member = models.ForeignKey(PoolMember, on_delete=models.PROTECT, related_name="patents")
    application = models.OneToOneField(
        MemberApplication, null=True, blank=True, on_delete=models.SET_NULL, related_name="pool_patent"
    )
    category = models.CharField(
        "类别", max_length=10, choices=CategoryChoices.choices, default=CategoryChoices.GENERAL
    )
    non_exclusive_only = models.BooleanField("仅普通许可（开放许可专利）", default=False)
    status = models.CharField("状态", max_length=10, choices=PatentStatusChoices.choices)
    status_since = models.DateField("状态起始日")
    status_reason = models.CharField("状态原因", max_length=500, blank=True)
    admitted_on = models.DateField("入池日期")
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    checked_on = models.DateField("最近核查日期", null=True, blank=True)

    class Meta:
        ordering = ("pool", "admitted_on", "pk")
        verbose_name = "入池专利"
        verbose_name_plural = "入池专利"
        constraints = (models.UniqueConstraint(fields=("pool", "patent"), name="pool_patent_once"),)

    def __str__(self) -> str:
        return f"{self.pool_id}:{self.patent_id}"


class PoolPatentStatusChange(models.Model):
    """One status change of a pool patent, dated on the day it took effect (the ledger's date, not
    the day the sweep noticed it)."""

    pool_patent = models.ForeignKey(PoolPatent, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField("原状态", max_length=10, choices=PatentStatusChoices.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=PatentStatusChoices.choices)
    on_date = models.DateField("生效日期")
    reason = models.CharField("原因", max_length=500, blank=True)
    source = models.CharField("依据", max_length=12, choices=ChangeSourceChoices.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pool_patent", "on_date", "pk")
        verbose_name = "入池专利状态变化"
        verbose_name_plural = "入池专利状态变化"

    def __str__(self) -> str:
        return f"{self.pool_patent_id} {self.to_status} {self.on_date}"


class PoolLicence(models.Model):
    """An outbound (池外统一许可) licence of the pool: a licensing contract granted by the agency
    on behalf of the contributors under the pool's tariff."""

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="licences")
    contract = models.OneToOneField(
        "licensing.LicenceContract", on_delete=models.PROTECT, related_name="pool_licence"
    )
    created_on = models.DateField("创建日期")

    class Meta:
        ordering = ("-created_on", "-pk")
        verbose_name = "池外统一许可"
        verbose_name_plural = "池外统一许可"

    def __str__(self) -> str:
        return f"{self.pool_id}:{self.contract_id}"


class PoolLicenceRequest(models.Model):
    """An enterprise's request for the pool's outbound licence (池外统一许可申请): the managing
    agency signs it under the published tariff (the request then points at the licence) or
    declines it with a reason; the enterprise may withdraw it while it waits. One waiting request
    per enterprise and pool."""

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="licence_requests")
    org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="pool_licence_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField("申请日期")
    start_date = models.DateField("希望许可开始日")
    intended_use = models.CharField("拟实施用途", max_length=300)
    state = models.CharField(
        "状态",
        max_length=10,
        choices=LicenceRequestStateChoices.choices,
        default=LicenceRequestStateChoices.SUBMITTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("处理日期", null=True, blank=True)
    decline_reason = models.CharField("未予许可的理由", max_length=500, blank=True)
    licence = models.OneToOneField(
        PoolLicence, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ("-requested_on", "-pk")
        verbose_name = "池外许可申请"
        verbose_name_plural = "池外许可申请"
        constraints = (
            models.UniqueConstraint(
                fields=("pool", "org"),
                condition=models.Q(state="submitted"),
                name="pool_licence_request_one_waiting",
            ),
        )

    def __str__(self) -> str:
        return f"{self.pool_id}:{self.org_id} {self.state}"


class PoolDistribution(models.Model):
    """A distribution statement for one period: the income received on the pool's outbound
    contracts, the agency's fee, the distributable amount and the rule's inputs."""

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="distributions")
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    gross = models.DecimalField("本期收入", max_digits=14, decimal_places=2)
    mgmt_fee_rate = models.DecimalField("管理费比例", max_digits=5, decimal_places=4)
    mgmt_fee = models.DecimalField("管理费", max_digits=14, decimal_places=2)
    distributable = models.DecimalField("可分配收入", max_digits=14, decimal_places=2)
    sharing_rule = models.CharField("分配规则", max_length=16, choices=SharingRuleChoices.choices)
    inputs = models.JSONField("计算依据", default=dict)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-period_end", "-pk")
        verbose_name = "收益分配单"
        verbose_name_plural = "收益分配单"
        constraints = (
            models.UniqueConstraint(fields=("pool", "period_start", "period_end"), name="pool_period_once"),
        )

    def __str__(self) -> str:
        return f"{self.pool_id} {self.period_start}–{self.period_end}"


class PoolDistributionLine(models.Model):
    """One member's line of a distribution statement."""

    distribution = models.ForeignKey(PoolDistribution, on_delete=models.CASCADE, related_name="lines")
    org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    patents = models.PositiveIntegerField("计入专利数")
    weight = models.DecimalField("权重（权重×在池天数）", max_digits=20, decimal_places=6)
    share = models.DecimalField("分配比例", max_digits=9, decimal_places=8)
    amount = models.DecimalField("分配金额", max_digits=14, decimal_places=2)

    class Meta:
        ordering = ("distribution", "-amount", "pk")
        verbose_name = "收益分配明细"
        verbose_name_plural = "收益分配明细"

    def __str__(self) -> str:
        return f"{self.distribution_id}:{self.org_id} {self.amount}"
