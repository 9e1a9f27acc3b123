"""Choice lists of patent menus (guide §5.d)."""

from __future__ import annotations

from django.db import models


class MenuStateChoices(models.TextChoices):
    """DRAFT (being composed) → PUBLISHED (released to the target region: the county selects, the
    publisher pushes) → CLOSED (no further pushes; deliveries and their funnel remain)."""

    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已关闭"


class MenuSourceChoices(models.TextChoices):
    """Where the menu's patents come from: the publisher's own library, or the provincial
    资源库 (every organisation's in-library patents; the operation centre's menus)."""

    OWN_LIBRARY = "own_library", "本单位专利"
    RESOURCE_POOL = "resource_pool", "省级专利转化资源库"


class ItemStateChoices(models.TextChoices):
    """A removed item stays on the menu's record (with the note) and is not suggested again."""

    INCLUDED = "included", "已列入"
    REMOVED = "removed", "已移出"


class StageChoices(models.TextChoices):
    """The funnel of one delivered item. The first four are what the enterprise does on the
    platform; the last three are read from the licence records (applications and contracts of
    that enterprise on that patent), never typed in."""

    DELIVERED = "delivered", "已送达"
    VIEWED = "viewed", "已查看"
    INTERESTED = "interested", "有意向"
    NOT_RELEVANT = "not_relevant", "不相关"
    TRIAL_REQUESTED = "trial_requested", "已申请试用/许可"
    TRIAL = "trial", "试用中"
    LICENSED = "licensed", "已许可"


class NotRelevantReasonChoices(models.TextChoices):
    """Why an item does not fit (a fixed list, so the next menu can learn from the histogram)."""

    TECH_MISMATCH = "tech_mismatch", "技术不匹配"
    IMMATURE = "immature", "成熟度不够"
    PRICE = "price", "价格因素"
    HAVE_SOLUTION = "have_solution", "已有方案"
    OTHER = "other", "其他"


class ChannelChoices(models.TextChoices):
    """How a push reaches the enterprises (only the platform inbox is sent by the platform)."""

    INBOX = "inbox", "平台收件箱"
