"""Choice sets of 专利导航."""

from django.db import models


class KindChoices(models.TextChoices):
    """Navigation types of GB/T 39551 (part 2–6); the scope value's meaning depends on the type."""

    CHAIN = "chain", "产业规划类（产业链）"
    REGION = "region", "区域规划类"
    APPLICANT = "applicant", "企业经营类（申请人）"
    RND = "rnd", "研发活动类（技术领域）"
    TALENT = "talent", "人才管理类（地区人才）"


class ReportStateChoices(models.TextChoices):
    """A report version: generated in the background, then draft → published; a failed run keeps
    its error. A published version is never edited: a refresh makes a new version."""

    GENERATING = "generating", "生成中"
    FAILED = "failed", "生成失败"
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class ActionKindChoices(models.TextChoices):
    """What a finding leads to (the engine's ``ACTION_KINDS``)."""

    PUSH = "push", "专利推送（专利菜单）"
    COLLABORATE = "collaborate", "产学研合作对接"
    TALENT = "talent", "人才引育"
    RND = "rnd", "研发布局"
    INVEST = "invest", "招商引资"
    DATA = "data", "数据补充"
