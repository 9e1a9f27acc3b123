"""The states and events of the licensing workflows, each member with its Chinese label
(``ContractState.ACTIVE_TRIAL.label == "试用中"``). The machines that move between them are in
``states``."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ApplicationEvent",
    "ApplicationState",
    "ContractEvent",
    "ContractState",
    "DeclarationEvent",
    "DeclarationState",
    "FilingEvent",
    "FilingState",
    "Labelled",
    "OfferEvent",
    "OfferState",
    "ReceivableEvent",
    "ReceivableState",
]


class Labelled(StrEnum):
    """A string enum whose members carry a Chinese label: ``DRAFT = "draft", "草稿"``."""

    _label: str

    def __new__(cls, value: str, label: str = "") -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return self._label


class ContractState(Labelled):
    """Licence contract states (§2.d); TRIAL_ENDED, TERMINATED, EXPIRED, ENDED_BY_PATENT are final."""

    DRAFT = "draft", "草稿"
    IN_APPROVAL = "in_approval", "审批中"
    APPROVED = "approved", "已审批待签订"
    PUBLIC_NOTICE = "public_notice", "公示中"
    SIGNED = "signed", "已签订"
    ACTIVE_TRIAL = "active_trial", "试用中"
    CONVERSION_DUE = "conversion_due", "待转化"
    ACTIVE_PAID = "active_paid", "付费实施中"
    TRIAL_ENDED = "trial_ended", "试用结束未转化"
    SUSPENDED = "suspended", "已中止"
    TERMINATED = "terminated", "已终止"
    EXPIRED = "expired", "已到期"
    ENDED_BY_PATENT = "ended_by_patent", "因专利失效终止"


class ContractEvent(Labelled):
    """What happens to a contract: a user's action or a date reached."""

    SUBMIT = "submit", "提交审批"
    APPROVE = "approve", "审批通过"
    REJECT = "reject", "退回修改"
    START_NOTICE = "start_notice", "开始公示"
    NOTICE_PASSED = "notice_passed", "公示期满无异议"
    NOTICE_OBJECTED = "notice_objected", "公示有异议"
    SIGN = "sign", "签订"
    START_TRIAL = "start_trial", "开始试用"
    START_PAID = "start_paid", "开始付费实施"
    TRIAL_ENDED = "trial_ended", "试用期满"
    CONVERT = "convert", "转为付费"
    DECLINE = "decline", "拒绝转化"
    NO_ANSWER = "no_answer", "逾期未答复"
    EXTEND = "extend", "延长试用"
    SUSPEND = "suspend", "中止履行"
    RESUME = "resume", "恢复履行"
    TERMINATE = "terminate", "终止合同"
    EXPIRE = "expire", "期限届满"
    PATENT_ENDED = "patent_ended", "专利权终止"


class DeclarationState(Labelled):
    """Open-licence declaration states (§3.d); a new declaration after withdrawal is a new row."""

    DRAFT = "draft", "草稿"
    CHECKED = "checked", "已自检"
    SUBMITTED = "submitted", "已提交"
    PUBLISHED = "published", "已公告"
    WITHDRAWAL_SUBMITTED = "withdrawal_submitted", "撤回申请中"
    WITHDRAWN = "withdrawn", "已撤回"
    RETURNED = "returned", "被退回"
    ENDED = "ended", "已终止"


class DeclarationEvent(Labelled):
    """What happens to a declaration: self-check, CNIPA's answers, withdrawal, the patent's end."""

    CHECK = "check", "自检通过"
    EDIT = "edit", "修改"
    SUBMIT = "submit", "提交国家知识产权局"
    PUBLISH = "publish", "公告"
    RETURN = "return", "退回补正"
    REQUEST_WITHDRAWAL = "request_withdrawal", "申请撤回"
    WITHDRAWAL_PUBLISHED = "withdrawal_published", "撤回已公告"
    WITHDRAWAL_REFUSED = "withdrawal_refused", "撤回未获准"
    PATENT_ENDED = "patent_ended", "专利权终止"


class FilingState(Labelled):
    """CNIPA licence-filing states (细则 Art. 15; 62号令)."""

    DUE = "due", "待备案"
    SUBMITTED = "submitted", "已提交"
    FILED = "filed", "已备案"
    REFUSED = "refused", "被拒绝"
    CHANGED = "changed", "已变更"
    CANCELLED = "cancelled", "已注销"


class FilingEvent(Labelled):
    """What happens to a filing."""

    SUBMIT = "submit", "提交备案"
    ACCEPT = "accept", "备案通过"
    REFUSE = "refuse", "不予备案"
    CHANGE = "change", "办理变更备案"
    CANCEL = "cancel", "办理注销"


class OfferState(Labelled):
    """Licence offer (定向发布) states."""

    DRAFT = "draft", "草稿"
    INTERNAL_REVIEW = "internal_review", "内部审核中"
    PUBLISHED = "published", "已发布"
    PAUSED = "paused", "已暂停"
    CLOSED = "closed", "已关闭"


class OfferEvent(Labelled):
    """What happens to an offer."""

    SUBMIT = "submit", "提交审核"
    APPROVE = "approve", "审核通过并发布"
    REJECT = "reject", "退回修改"
    PAUSE = "pause", "暂停"
    RESUME = "resume", "恢复发布"
    CLOSE = "close", "关闭"


class ApplicationState(Labelled):
    """An enterprise's application for a trial or licence."""

    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已接受"
    REJECTED = "rejected", "已拒绝"
    WITHDRAWN = "withdrawn", "已撤回"


class ApplicationEvent(Labelled):
    """What happens to an application."""

    ACCEPT = "accept", "接受"
    REJECT = "reject", "拒绝"
    WITHDRAW = "withdraw", "撤回申请"


class ReceivableState(Labelled):
    """A receivable's payment state."""

    OPEN = "open", "待收款"
    PARTIAL = "partial", "部分收款"
    PAID = "paid", "已收讫"
    OVERDUE = "overdue", "已逾期"
    WAIVED = "waived", "已减免"


class ReceivableEvent(Labelled):
    """What happens to a receivable."""

    PAY_PART = "pay_part", "登记部分收款"
    PAY_FULL = "pay_full", "登记收讫"
    FALL_OVERDUE = "fall_overdue", "逾期"
    WAIVE = "waive", "减免"
