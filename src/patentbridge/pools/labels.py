"""Chinese names of the pool audit actions and stored values (core.labels)."""

from __future__ import annotations

from patentbridge.core.labels import ACTION_LABELS, register_values

__all__ = ["POOL_ACTION_LABELS", "register"]

POOL_ACTION_LABELS = {
    "pools.pool.created": "设立专利池",
    "pools.pool.opened": "专利池开始运营",
    "pools.pool.charter_changed": "修改专利池章程/许可费",
    "pools.application.submitted": "提交入池申请",
    "pools.application.admitted": "入池审核通过",
    "pools.application.rejected": "入池审核不通过",
    "pools.application.withdrawn": "撤回入池申请",
    "pools.member.joined": "加入专利池",
    "pools.patent.status_changed": "入池专利状态变化",
    "pools.patent.withdrawn": "成员撤回入池专利",
    "pools.licence.granted": "池外统一许可",
    "pools.licence_request.submitted": "企业申请池外统一许可",
    "pools.licence_request.granted": "同意池外许可申请并签订合同",
    "pools.licence_request.declined": "不同意池外许可申请",
    "pools.licence_request.withdrawn": "企业撤回池外许可申请",
    "pools.distribution.computed": "生成收益分配单",
    "pools.sweep.ran": "专利池每日核查",
}


def register() -> None:
    from patentbridge.pools.choices import (
        ApplicationStateChoices,
        LicenceRequestStateChoices,
        PatentStatusChoices,
        PoolStateChoices,
        SharingRuleChoices,
    )

    for code, label in POOL_ACTION_LABELS.items():
        ACTION_LABELS.setdefault(code, label)
    register_values("pool_state", PoolStateChoices.choices)
    register_values("pool_status", PatentStatusChoices.choices)
    register_values("application_state", ApplicationStateChoices.choices)
    register_values("licence_request_state", LicenceRequestStateChoices.choices)
    register_values("sharing_rule", SharingRuleChoices.choices)
