"""Chinese labels for what the platform records: audit actions and changed fields.

Users read the audit log and a record's history in Chinese; the namespaced action codes
(``patents.patent.approved``) stay in the database and the API. An action without an entry is
shown by its object and verb labels, never as the raw code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from patentbridge_engine.ingest.record import FIELD_LABELS

__all__ = ["ACTION_LABELS", "action_label", "field_label", "register_values", "value_label"]

ACTION_LABELS: dict[str, str] = {
    "accounts.login.failed": "登录失败",
    "accounts.login.locked_out": "登录被锁定",
    "accounts.user.logged_in": "登录",
    "accounts.user.logged_out": "退出登录",
    "accounts.organization.created": "新建机构",
    "accounts.organization.updated": "修改机构",
    "accounts.membership.created": "新增成员",
    "accounts.membership.updated": "修改成员角色",
    "accounts.token.created": "创建 API 令牌",
    "accounts.token.revoked": "撤销 API 令牌",
    "core.notifications.read": "阅读站内通知",
    "demands.need.created": "发布技术需求",
    "demands.need.classified": "修正需求分类",
    "grading.assessment.created": "申请前评估",
    "grading.grade.overridden": "人工调整分级",
    "grading.grade.override_removed": "取消人工分级",
    "grading.grades.computed": "计算价值分级",
    "grading.implementation.recorded": "登记实施",
    "grading.public_list.entered": "列入公开实施清单",
    "grading.public_list.left": "移出公开实施清单",
    "grading.public_list.route_chosen": "选择实施途径",
    "ingest.batch.created": "上传导入文件",
    "ingest.batch.started": "开始导入",
    "ingest.batch.completed": "导入完成",
    "ingest.batch.failed": "导入失败",
    "ingest.batch.requeued": "导入重新排队",
    "matching.inbox.seen": "查看推送收件箱",
    "matching.item.pinned": "入选匹配专利",
    "matching.item.dropped": "剔除匹配专利",
    "matching.item.noted": "备注匹配专利",
    "matching.item.unpinned": "取消入选",
    "matching.item.feedback": "企业反馈",
    "matching.shortlist.pushed": "推送入选清单",
    "patents.chains.saved": "保存产业链配置",
    "patents.patent.created": "录入专利",
    "patents.patent.imported": "导入专利",
    "patents.patent.updated": "修改专利",
    "patents.patent.submitted": "提交审核",
    "patents.patent.college_approved": "学院审核通过",
    "patents.patent.approved": "审核通过入库",
    "patents.patent.rejected": "退回",
}
_OBJECTS = {
    "accounts": "账号",
    "core": "系统",
    "demands": "技术需求",
    "grading": "价值分级",
    "ingest": "数据导入",
    "matching": "供需匹配",
    "patents": "专利",
}
_VERBS = {
    "created": "新建",
    "updated": "修改",
    "deleted": "删除",
    "approved": "通过",
    "rejected": "退回",
    "saved": "保存",
    "computed": "计算",
    "recorded": "登记",
}
_FIELDS: dict[str, str] | None = None


def action_label(action: str) -> str:
    """The Chinese name of an audit action code."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    app, _, verb = action.partition(".")
    verb = verb.rsplit(".", 1)[-1]
    return f"{_OBJECTS.get(app, '其他')}：{_VERBS.get(verb, '操作')}"


def field_label(field: str) -> str:
    """The Chinese name of a patent record field (as in import reports), else the field itself."""
    global _FIELDS
    if _FIELDS is None:
        _FIELDS = {
            **FIELD_LABELS,
            "library_status": "入库状态",
            "self_assessment": "价值自评",
            "review_note": "审核意见",
            "owner_org": "所属机构",
            "state": "状态",
            "note": "备注",
            "feedback": "反馈",
            "reason": "理由",
            "grade": "分级",
            "ipc_edited": "IPC（人工确认）",
            "chains": "产业链",
        }
    return _FIELDS.get(field, field)


# field name → {stored value: Chinese label}; apps register their choices in AppConfig.ready()
# so that core never imports a feature app.
_VALUES: dict[str, dict[str, str]] = {}


def register_values(field: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Make ``value_label(field, value)`` show the Chinese label of a stored choice value."""
    _VALUES.setdefault(field, {}).update({str(v): str(label) for v, label in choices})


def value_label(field: str, value: Any) -> Any:
    """A stored value as users read it: a choice's Chinese label, a list joined with "；"."""
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return _VALUES.get(field, {}).get(str(value), value)
