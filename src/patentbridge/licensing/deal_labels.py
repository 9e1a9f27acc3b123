"""Chinese names of the offer and application audit actions (core.labels), so the audit page
never shows 「其他：操作」 for a licensing step."""

from __future__ import annotations

from patentbridge.core.labels import ACTION_LABELS

__all__ = ["DEAL_ACTION_LABELS", "register"]

DEAL_ACTION_LABELS = {
    "licensing.offer.created": "新建许可发布",
    "licensing.offer.updated": "修改许可发布",
    "licensing.offer.submitted": "许可发布提交审核",
    "licensing.offer.published": "许可发布上线",
    "licensing.offer.returned": "许可发布被退回",
    "licensing.offer.paused": "暂停许可发布",
    "licensing.offer.resumed": "恢复许可发布",
    "licensing.offer.closed": "关闭许可发布",
    "licensing.application.submitted": "提交许可申请",
    "licensing.application.region_confirmed": "确认区域外许可",
    "licensing.application.accepted": "受理许可申请",
    "licensing.application.rejected": "拒绝许可申请",
    "licensing.application.withdrawn": "撤回许可申请",
}


def register() -> None:
    for code, label in DEAL_ACTION_LABELS.items():
        ACTION_LABELS.setdefault(code, label)
