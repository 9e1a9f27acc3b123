"""Chinese names of the menu audit actions and stored values (core.labels)."""

from __future__ import annotations

from patentbridge.core.labels import ACTION_LABELS, register_values

__all__ = ["MENU_ACTION_LABELS", "register"]

MENU_ACTION_LABELS = {
    "menus.menu.created": "新建专利菜单",
    "menus.menu.composed": "按建议组菜单",
    "menus.menu.published": "发布专利菜单",
    "menus.menu.closed": "关闭专利菜单",
    "menus.menu.pushed": "推送专利菜单",
    "menus.item.added": "菜单加入专利",
    "menus.item.removed": "菜单移出专利",
    "menus.supplement.drawn": "从资源库补充",
    "menus.selection.saved": "县域遴选",
    "menus.delivery.viewed": "企业查看专利菜单",
    "menus.delivery.answered": "企业反馈菜单条目",
    "menus.delivery.trial_requested": "从菜单申请试用/许可",
}


def register() -> None:
    from patentbridge.menus.choices import NotRelevantReasonChoices

    for code, label in MENU_ACTION_LABELS.items():
        ACTION_LABELS.setdefault(code, label)
    register_values("response", (("", "待反馈"), ("interested", "有意向"), ("not_relevant", "不相关")))
    register_values("reason", NotRelevantReasonChoices.choices)
