"""States of a patent in a need's shortlist, and the enterprise's answers."""

from django.db import models


class CurationChoices(models.TextChoices):
    """Operator curation: a candidate is pinned to the shortlist or dropped; pushed once sent."""

    PINNED = "pinned", "已入选"
    DROPPED = "dropped", "已剔除"
    PUSHED = "pushed", "已推送"


class FeedbackChoices(models.TextChoices):
    """The enterprise's answer to a pushed patent."""

    NONE = "", "待反馈"
    INTERESTED = "interested", "有意向"
    NOT_RELEVANT = "not_relevant", "不相关"
