"""Stored values of 一月一链路演 with their Chinese labels."""

from __future__ import annotations

from django.db import models

__all__ = ["EventStatusChoices", "IntentionModeChoices", "InviteeKindChoices", "ItemSourceChoices"]


class EventStatusChoices(models.TextChoices):
    """PLANNED → OPEN (registration) → HELD (intentions, follow-ups, outcomes) → CLOSED."""

    PLANNED = "planned", "筹备中"
    OPEN = "open", "报名中"
    HELD = "held", "已举办（跟进中）"
    CLOSED = "closed", "已结束"


class ItemSourceChoices(models.TextChoices):
    """Where a roadshow patent came from: a menu item, a patent pool, or the library directly."""

    MENU = "menu", "专利菜单"
    POOL = "pool", "专利池"
    LIBRARY = "library", "资源库"


class InviteeKindChoices(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INVESTOR = "investor", "投资/金融机构"


class IntentionModeChoices(models.TextChoices):
    """What the enterprise intends to do with the patent."""

    LICENCE = "licence", "许可"
    TRANSFER = "transfer", "转让"
    TRIAL = "trial", "先试用后付费"
