"""Models of 一月一链路演 (monthly industry-chain roadshows, guide §6.d): one event per chain and
month organised in a university's or the operation centre's name, the patents shown (from menus,
pools or the library) with their presenters, invitations, registrations, the intentions captured
at the event with their follow-ups, and each intention's outcome — a licence application or
contract picked from the licensing records, never typed in again."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.roadshows.choices import (
    EventStatusChoices,
    IntentionModeChoices,
    InviteeKindChoices,
    ItemSourceChoices,
)


class RoadshowEvent(models.Model):
    """One 一月一链 roadshow: a chain's event of one month (``month`` is ``YYYY-MM``), held at a
    venue or online, for a region (GB/T 2260 prefix; the co-hosting government's region)."""

    chain = models.ForeignKey(
        "patents.IndustryChain", on_delete=models.PROTECT, related_name="roadshows", verbose_name="产业链"
    )
    month = models.CharField("月份", max_length=7, db_index=True)
    title = models.CharField("路演名称", max_length=200)
    event_date = models.DateField("举办日期")
    venue = models.CharField("举办地点", max_length=200, blank=True)
    online_url = models.URLField("线上链接", max_length=300, blank=True)
    description = models.TextField("说明", blank=True)
    organiser_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="roadshows", verbose_name="主办单位"
    )
    region_code = models.CharField("面向地区（行政区划代码前缀）", max_length=6, db_index=True)
    cohost_org = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohosted_roadshows",
        verbose_name="协办政府部门",
    )
    status = models.CharField(
        "状态", max_length=10, choices=EventStatusChoices.choices, default=EventStatusChoices.PLANNED
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-month", "event_date", "pk")
        constraints = (models.UniqueConstraint(fields=("chain", "month"), name="roadshow_chain_month_once"),)
        verbose_name = "一月一链路演"
        verbose_name_plural = "一月一链路演"

    def __str__(self) -> str:
        return self.title


class RoadshowItem(models.Model):
    """A patent shown at the event, with where it came from (a menu item, a patent pool it is
    admitted to, or the library) and the asking terms."""

    event = models.ForeignKey(RoadshowEvent, on_delete=models.CASCADE, related_name="items")
    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="roadshow_items")
    source = models.CharField(
        "来源", max_length=10, choices=ItemSourceChoices.choices, default=ItemSourceChoices.LIBRARY
    )
    menu_item = models.ForeignKey(
        "menus.MenuItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="roadshow_items"
    )
    pool = models.ForeignKey(
        "pools.Pool", null=True, blank=True, on_delete=models.SET_NULL, related_name="roadshow_items"
    )
    source_label = models.CharField("来源说明", max_length=200, blank=True)
    asking_mode = models.CharField(
        "拟转化方式",
        max_length=10,
        choices=IntentionModeChoices.choices,
        default=IntentionModeChoices.LICENCE,
    )
    asking_amount = models.DecimalField("报价（元）", null=True, blank=True, max_digits=14, decimal_places=2)
    rank = models.PositiveIntegerField("顺序", default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("event", "rank", "pk")
        constraints = (models.UniqueConstraint(fields=("event", "patent"), name="roadshow_item_once"),)
        verbose_name = "路演专利"
        verbose_name_plural = "路演专利"

    def __str__(self) -> str:
        # Read in the audit log and admin: the event and the patent by name, not by ids.
        return f"{self.event.title}：专利 {self.patent.application_number}"


class RoadshowPresenter(models.Model):
    """Who presents an item: a member of the patent's inventor team (picked from the teams the
    library derives, or named by the organiser)."""

    event = models.ForeignKey(RoadshowEvent, on_delete=models.CASCADE, related_name="presenters")
    item = models.ForeignKey(RoadshowItem, on_delete=models.CASCADE, related_name="presenters")
    name = models.CharField("路演人", max_length=100)
    team = models.ForeignKey(
        "matching.InventorTeam", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    affiliation = models.CharField("所属单位", max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("item__rank", "pk")
        constraints = (models.UniqueConstraint(fields=("item", "name"), name="roadshow_presenter_once"),)
        verbose_name = "路演人"
        verbose_name_plural = "路演人"

    def __str__(self) -> str:
        return self.name


class RoadshowInvitation(models.Model):
    """An enterprise or investor invited by the organiser, or by the co-hosting officer (its own
    region's enterprises only)."""

    event = models.ForeignKey(RoadshowEvent, on_delete=models.CASCADE, related_name="invitations")
    org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=InviteeKindChoices.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_by_org = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("invited_at", "pk")
        constraints = (models.UniqueConstraint(fields=("event", "org"), name="roadshow_invite_once"),)
        verbose_name = "路演邀请"
        verbose_name_plural = "路演邀请"

    def __str__(self) -> str:
        return f"{self.event.title}：邀请 {self.org.name}"


class RoadshowRegistration(models.Model):
    """An enterprise registered itself for the event; ``attended`` is marked at the event."""

    event = models.ForeignKey(RoadshowEvent, on_delete=models.CASCADE, related_name="registrations")
    org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_on = models.DateField("报名日期")
    contact = models.CharField("参会人", max_length=100, blank=True)
    attended = models.BooleanField("已到场", default=False)

    class Meta:
        ordering = ("registered_on", "pk")
        constraints = (models.UniqueConstraint(fields=("event", "org"), name="roadshow_registration_once"),)
        verbose_name = "路演报名"
        verbose_name_plural = "路演报名"

    def __str__(self) -> str:
        return f"{self.event.title}：{self.org.name} 报名"


class RoadshowIntention(models.Model):
    """An intention captured at the event: an enterprise, an item, the mode and the 意向金额; its
    outcome is a licence application or contract of that enterprise on that patent, picked."""

    event = models.ForeignKey(RoadshowEvent, on_delete=models.CASCADE, related_name="intentions")
    item = models.ForeignKey(RoadshowItem, on_delete=models.PROTECT, related_name="intentions")
    org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    mode = models.CharField("意向方式", max_length=10, choices=IntentionModeChoices.choices)
    amount = models.DecimalField("意向金额（元）", max_digits=14, decimal_places=2)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField("记录日期")
    application = models.ForeignKey(
        "licensing.LicenceApplication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contract = models.ForeignKey(
        "licensing.LicenceContract", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_on = models.DateField("成果关联日期", null=True, blank=True)

    class Meta:
        ordering = ("recorded_on", "pk")
        constraints = (models.UniqueConstraint(fields=("item", "org"), name="roadshow_intention_once"),)
        verbose_name = "路演意向"
        verbose_name_plural = "路演意向"

    def __str__(self) -> str:
        return f"{self.org.name} 对专利 {self.item.patent.application_number} 的意向（¥{self.amount:,.2f}）"


class RoadshowFollowUp(models.Model):
    """A dated follow-up note on an intention, with the next step agreed."""

    intention = models.ForeignKey(RoadshowIntention, on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField("跟进日期")
    note = models.TextField("跟进情况")
    next_step = models.CharField("下一步", max_length=300, blank=True)
    next_on = models.DateField("下一步日期", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("on", "pk")
        verbose_name = "意向跟进"
        verbose_name_plural = "意向跟进"

    def __str__(self) -> str:
        return f"{self.intention} 的跟进（{self.on.isoformat()}）"
