"""Organisation kinds and membership roles."""

from django.db import models


class OrgKindChoices(models.TextChoices):
    """What kind of organisation a member belongs to."""

    OPERATION_CENTRE = "operation_centre", "知识产权运营中心"
    UNIVERSITY = "university", "高校/科研院所"
    ENTERPRISE = "enterprise", "企业"
    GOVERNMENT = "government", "政府部门"


class RoleChoices(models.TextChoices):
    """What a member may do inside their organisation (policies.py has the rules)."""

    ADMIN = "admin", "平台管理员"
    OPERATOR = "operator", "运营人员"
    TTO = "tto", "技术转移办公室"
    INVENTOR = "inventor", "发明人"
    ENTERPRISE = "enterprise", "企业用户"
    VIEWER = "viewer", "只读用户"
