"""Chinese names of the roadshow audit actions and stored values (core.labels)."""

from __future__ import annotations

from patentbridge.core.labels import ACTION_LABELS, register_values

__all__ = ["ROADSHOW_ACTION_LABELS", "register"]

ROADSHOW_ACTION_LABELS = {
    "roadshows.event.created": "新建路演",
    "roadshows.event.updated": "修改路演信息",
    "roadshows.event.status": "路演状态变更",
    "roadshows.item.added": "路演加入专利",
    "roadshows.item.removed": "路演移出专利",
    "roadshows.presenter.added": "添加路演人",
    "roadshows.invitation.sent": "邀请参会",
    "roadshows.registration.created": "企业报名路演",
    "roadshows.registration.attended": "登记到场",
    "roadshows.intention.recorded": "记录路演意向",
    "roadshows.follow_up.recorded": "记录意向跟进",
    "roadshows.outcome.linked": "关联许可成果",
}


def register() -> None:
    from patentbridge.roadshows.choices import EventStatusChoices, IntentionModeChoices

    for code, label in ROADSHOW_ACTION_LABELS.items():
        ACTION_LABELS.setdefault(code, label)
    register_values("roadshow_status", EventStatusChoices.choices)
    register_values("intention_mode", IntentionModeChoices.choices)
