"""Choice lists of the pools app. Status and rule values equal the engine's enums
(``patentbridge_engine.pools``)."""

from __future__ import annotations

from django.db import models


class PoolStateChoices(models.TextChoices):
    FORMING = "forming", "筹建中"
    OPERATING = "operating", "运营中"
    SUSPENDED = "suspended", "暂停运营"
    DISSOLVED = "dissolved", "已解散"


class MemberRoleChoices(models.TextChoices):
    FOUNDER = "founder", "发起成员"
    MEMBER = "member", "成员"


class PatentStatusChoices(models.TextChoices):
    ADMITTED = "admitted", "在池"
    SUSPENDED = "suspended", "暂停"
    REMOVED = "removed", "已移出"


class ApplicationStateChoices(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    ADMITTED = "admitted", "已入池"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


class CategoryChoices(models.TextChoices):
    CORE = "core", "核心专利"
    IMPORTANT = "important", "重要专利"
    GENERAL = "general", "一般专利"


class ReviewMethodChoices(models.TextChoices):
    INTERNAL = "internal", "运营机构内部审查"
    EXPERT_PANEL = "expert_panel", "专家组评审"
    ESSENTIALITY = "essentiality", "必要性评估"


class SharingRuleChoices(models.TextChoices):
    PATENT_COUNT = "patent_count", "按入池专利数量"
    GRADE_WEIGHT = "grade_weight", "按专利分级权重"
    AGREED = "agreed", "按约定比例"


class ChangeSourceChoices(models.TextChoices):
    REVIEW = "review", "入池审核"
    LEDGER = "ledger", "权利负担台账（每日核查）"
    WITHDRAWAL = "withdrawal", "成员撤回"


class LicenceRequestStateChoices(models.TextChoices):
    SUBMITTED = "submitted", "待运营机构处理"
    GRANTED = "granted", "已签订许可合同"
    DECLINED = "declined", "未获许可"
    WITHDRAWN = "withdrawn", "已撤回"
