"""Choice sets of technology needs."""

from django.db import models


class WantedModeChoices(models.TextChoices):
    """How the enterprise wants to obtain the technology."""

    TRANSFER = "transfer", "转让"
    LICENCE = "licence", "许可"
    TRIAL_THEN_LICENCE = "trial_then_licence", "先免费试用、再达成许可"
    CO_DEVELOPMENT = "co_development", "合作开发"


class NeedStatusChoices(models.TextChoices):
    """Open needs are visible to universities for matching; closed ones only to their owners."""

    OPEN = "open", "征集中"
    CLOSED = "closed", "已关闭"
