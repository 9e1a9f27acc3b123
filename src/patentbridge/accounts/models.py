"""Organisations, memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

from patentbridge.accounts.choices import OrgKindChoices, RoleChoices


class Organization(models.Model):
    """A member organisation: operation centre, university/institute, enterprise or government body."""

    name = models.CharField("名称", max_length=200, unique=True)
    kind = models.CharField("类型", max_length=32, choices=OrgKindChoices.choices)
    province = models.CharField("省份", max_length=20, blank=True)
    city = models.CharField("城市", max_length=20, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    # GB/T 2260 administrative division (370900 = 泰安市); statistics and regional menus group by it.
    region_code = models.CharField("行政区划代码", max_length=6, blank=True, db_index=True)
    # 政府设立的研究开发机构、高等院校: their licences need a pricing method and 公示 (促进科技成果转化法
    # Art. 18) and their income splits must meet the statutory floors (Art. 45 ¶2).
    state_run = models.BooleanField("政府设立（公办）", default=False)
    # Street address as registered (licence filing forms name both parties' addresses, 62号令).
    address = models.CharField("地址", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        verbose_name = "机构"
        verbose_name_plural = "机构"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in one organisation, with a role; ``college`` scopes a TTO reviewer to a college."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name="机构"
    )
    role = models.CharField("角色", max_length=20, choices=RoleChoices.choices)
    college = models.CharField("所属学院", max_length=100, blank=True)

    class Meta:
        verbose_name = "成员"
        verbose_name_plural = "成员"

    def __str__(self) -> str:
        return f"{self.user} @ {self.org} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "pb_" + secrets.token_urlsafe(32)
