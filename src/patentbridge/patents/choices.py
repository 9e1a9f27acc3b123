"""Choice sets of the patent library."""

from django.db import models


class PatentTypeChoices(models.TextChoices):
    """专利类型."""

    INVENTION = "invention", "发明"
    UTILITY_MODEL = "utility_model", "实用新型"
    DESIGN = "design", "外观设计"


class LegalStatusChoices(models.TextChoices):
    """Internal legal states (engine ``LegalState``)."""

    FILED = "filed", "已受理"
    PUBLISHED = "published", "已公开"
    SUBSTANTIVE_EXAM = "substantive_exam", "实质审查"
    GRANTED = "granted", "授权有效"
    REJECTED = "rejected", "驳回"
    WITHDRAWN = "withdrawn", "撤回"
    DEEMED_WITHDRAWN = "deemed_withdrawn", "视为撤回"
    EXPIRED = "expired", "期限届满"
    LAPSED_NON_PAYMENT = "lapsed_non_payment", "未缴年费终止"
    ABANDONED = "abandoned", "放弃"
    INVALIDATED = "invalidated", "全部无效"
    UNKNOWN = "unknown", "未知"


class LibraryStatusChoices(models.TextChoices):
    """Inventory chain (盘点入库): college review → university review → in the library."""

    DRAFT = "draft", "草稿"
    PENDING_COLLEGE = "pending_college", "待学院审核"
    PENDING_UNIVERSITY = "pending_university", "待学校审核"
    IN_LIBRARY = "in_library", "已入库"
    REJECTED = "rejected", "已退回"


class SelfAssessmentChoices(models.TextChoices):
    """专利价值分级自评 as the national inventory module asks for it."""

    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    AVERAGE = "average", "一般"


class ApplicantKindChoices(models.TextChoices):
    """Kinds of applicant (from the engine's name rules)."""

    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL = "individual", "个人"
    UNKNOWN = "unknown", "其他/未知"
