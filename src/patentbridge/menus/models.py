"""Patent menus (专利菜单) for a region and its industry chains, the county's selection, the
supplement from the provincial 资源库, pushes to the region's enterprises and each delivery's
answers (guide §5.d). The later funnel stages (trial requested, trial, licensed) are not stored
here: they are read from the licensing records (``menus.funnel``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.menus.choices import (
    ChannelChoices,
    ItemStateChoices,
    MenuSourceChoices,
    MenuStateChoices,
    NotRelevantReasonChoices,
)

GRADE_CHOICES = (("", "不限"), ("A", "A 核心"), ("B", "B 重要及以上"), ("C", "C 一般及以上"))
RESPONSE_CHOICES = (("", "待反馈"), ("interested", "有意向"), ("not_relevant", "不相关"))


class PatentMenu(models.Model):
    """A menu published in the name of a university or the operation centre for one target
    region (GB/T 2260 prefix: 371522 莘县, 3715 聊城市) and its chains."""

    publisher_org = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="patent_menus",
        verbose_name="发布单位",
    )
    title = models.CharField("菜单名称", max_length=200)
    description = models.TextField("说明", blank=True)
    source = models.CharField(
        "专利来源", max_length=16, choices=MenuSourceChoices.choices, default=MenuSourceChoices.OWN_LIBRARY
    )
    target_region = models.CharField("目标地区（行政区划代码前缀）", max_length=6, db_index=True)
    target_chains = models.ManyToManyField(
        "patents.IndustryChain", related_name="patent_menus", verbose_name="目标产业链"
    )
    grade_min = models.CharField("最低分级", max_length=1, choices=GRADE_CHOICES, blank=True)
    high_value_only = models.BooleanField("仅高价值发明专利", default=False)
    # The minimum per chain in force when the menu was composed (policy MENU_MIN_ITEMS or the
    # module default), kept so the supplement decision can be re-read later.
    min_per_chain = models.PositiveSmallIntegerField("每条产业链最少专利数", default=5)
    state = models.CharField(
        "状态", max_length=12, choices=MenuStateChoices.choices, default=MenuStateChoices.DRAFT, db_index=True
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_on = models.DateField("关闭日期", null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = "专利菜单"
        verbose_name_plural = "专利菜单"

    def __str__(self) -> str:
        return self.title


class SupplementRequest(models.Model):
    """补充推送: a chain of the target region had fewer fitting patents in the publisher's library
    than the minimum, so the shortfall was drawn from the provincial 资源库 (other organisations'
    in-library patents in the same chain). ``filled`` may stay below ``shortfall`` when the
    resource pool itself is thin; the log says so."""

    menu = models.ForeignKey(PatentMenu, on_delete=models.CASCADE, related_name="supplements")
    region_code = models.CharField("地区", max_length=6)
    chain = models.ForeignKey(
        "patents.IndustryChain", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chain_name = models.CharField("产业链", max_length=100)
    minimum = models.PositiveSmallIntegerField("最少专利数")
    found = models.PositiveSmallIntegerField("本单位符合条件的专利数")
    shortfall = models.PositiveSmallIntegerField("缺口")
    filled = models.PositiveSmallIntegerField("已从资源库补充", default=0)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = "资源库补充记录"
        verbose_name_plural = "资源库补充记录"

    def __str__(self) -> str:
        return f"{self.region_code} {self.chain_name} 缺 {self.shortfall} 件"


class MenuItem(models.Model):
    """One patent on a menu, with the reasons it was suggested (frozen when it was added), its
    grade, the licence modes on offer, the inventor team to contact, and whether it came from
    the provincial 资源库 as a supplement."""

    menu = models.ForeignKey(PatentMenu, on_delete=models.CASCADE, related_name="items")
    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="menu_items")
    chain = models.ForeignKey(
        "patents.IndustryChain", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=10, choices=ItemStateChoices.choices, default=ItemStateChoices.INCLUDED
    )
    rank = models.PositiveIntegerField("排序", default=0)
    reasons = models.JSONField("匹配依据", default=list, blank=True)
    detail = models.JSONField("匹配明细", default=dict, blank=True)
    grade = models.CharField("分级", max_length=1, blank=True)
    high_value = models.BooleanField("高价值发明专利", default=False)
    modes_offered = models.JSONField("可选许可方式", default=list, blank=True)
    offer = models.ForeignKey(
        "licensing.LicenceOffer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "matching.InventorTeam", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scenarios = models.TextField("应用场景/产品", blank=True)
    is_supplement = models.BooleanField("资源库补充", default=False)
    supplement = models.ForeignKey(
        SupplementRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    note = models.TextField("备注", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_note = models.TextField("移出理由", blank=True)

    class Meta:
        ordering = ("menu", "rank", "pk")
        constraints = (models.UniqueConstraint(fields=("menu", "patent"), name="menu_item_once"),)
        verbose_name = "菜单条目"
        verbose_name_plural = "菜单条目"

    def __str__(self) -> str:
        return f"{self.menu_id}: {self.patent_id}"


class MenuSelection(models.Model):
    """县域遴选: the officer of the target region picked these items for the county's industries.
    The menu still goes out in the publisher's name (专利法 Art. 79)."""

    menu = models.OneToOneField(PatentMenu, on_delete=models.CASCADE, related_name="selection")
    region_code = models.CharField("遴选地区", max_length=6)
    selector_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="遴选部门"
    )
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField(MenuItem, related_name="selections", verbose_name="遴选条目")
    note = models.TextField("遴选说明", blank=True)
    selected_on = models.DateField("遴选日期")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "县域遴选"
        verbose_name_plural = "县域遴选"

    def __str__(self) -> str:
        return f"{self.menu_id} 遴选 @ {self.region_code}"


class MenuPush(models.Model):
    """One bulk push of a published menu (its selection, when the county made one) to chosen
    enterprises of the region, sent in the publisher's name."""

    menu = models.ForeignKey(PatentMenu, on_delete=models.CASCADE, related_name="pushes")
    channel = models.CharField(
        "渠道", max_length=10, choices=ChannelChoices.choices, default=ChannelChoices.INBOX
    )
    used_selection = models.BooleanField("按县域遴选推送", default=False)
    note = models.TextField("推送说明", blank=True)
    item_count = models.PositiveIntegerField("推送专利数", default=0)
    recipient_count = models.PositiveIntegerField("企业数", default=0)
    delivery_count = models.PositiveIntegerField("送达条数", default=0)
    skipped = models.JSONField("未重复推送", default=list, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField("推送日期")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-sent_at", "-pk")
        verbose_name = "菜单推送"
        verbose_name_plural = "菜单推送"

    def __str__(self) -> str:
        return f"{self.menu_id} → {self.recipient_count} 家企业"


class MenuDelivery(models.Model):
    """One menu item delivered to one enterprise, with what the enterprise did on the platform
    (opened it, marked interest or not-relevant with a reason) and, when it asked for a trial
    from the menu, the licence application that request created."""

    push = models.ForeignKey(MenuPush, on_delete=models.CASCADE, related_name="deliveries")
    menu = models.ForeignKey(PatentMenu, on_delete=models.CASCADE, related_name="deliveries")
    item = models.ForeignKey(MenuItem, on_delete=models.CASCADE, related_name="deliveries")
    enterprise = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="menu_deliveries", verbose_name="企业"
    )
    delivered_on = models.DateField("送达日期")
    delivered_at = models.DateTimeField("送达时间")
    viewed_on = models.DateField("查看日期", null=True, blank=True)
    response = models.CharField("企业反馈", max_length=12, choices=RESPONSE_CHOICES, blank=True)
    reason = models.CharField(
        "不相关原因", max_length=16, choices=NotRelevantReasonChoices.choices, blank=True
    )
    response_note = models.TextField("反馈说明", blank=True)
    responded_on = models.DateField("反馈日期", null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    application = models.ForeignKey(
        "licensing.LicenceApplication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-delivered_at", "pk")
        constraints = (models.UniqueConstraint(fields=("item", "enterprise"), name="menu_delivery_once"),)
        indexes = (models.Index(fields=("enterprise", "menu")),)
        verbose_name = "菜单送达"
        verbose_name_plural = "菜单送达"

    def __str__(self) -> str:
        return f"{self.item_id} → {self.enterprise_id}"
