"""Organisation kinds and membership roles."""

from django.db import models


class OrgKindChoices(models.TextChoices):
    """What kind of organisation a member belongs to."""

    OPERATION_CENTRE = "operation_centre", "知识产权运营中心"
    UNIVERSITY = "university", "高校/科研院所"
    ENTERPRISE = "enterprise", "企业"
    GOVERNMENT = "government", "政府部门"
    # Pool operators, 收储/托管 agencies, navigation service bases (guide §1.4).
    AGENCY = "agency", "服务机构"


class RoleChoices(models.TextChoices):
    """What a member may do inside their organisation (policies.py has the rules)."""

    ADMIN = "admin", "平台管理员"
    OPERATOR = "operator", "运营人员"
    TTO = "tto", "技术转移办公室"
    INVENTOR = "inventor", "发明人"
    ENTERPRISE = "enterprise", "企业用户"
    VIEWER = "viewer", "只读用户"
    # A county/city government officer: selects from menus and reads statistics inside the
    # organisation's region_code prefix only; never recommends patents (专利法 Art. 79).
    GOV_OFFICER = "gov_officer", "政府部门（区县）"
