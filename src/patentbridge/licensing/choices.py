"""Choice lists of the licensing app. Values equal the engine's enum values
(``patentbridge_engine.licensing.states`` / ``ledger``); a test keeps them in step."""

from __future__ import annotations

from django.db import models


class RightKindChoices(models.TextChoices):
    LICENCE = "licence", "实施许可"
    OPEN_LICENCE = "open_licence", "开放许可"
    PLEDGE = "pledge", "质押"
    PRESERVATION = "preservation", "财产保全"
    SUSPENSION = "suspension", "程序中止"
    TRANSFER = "transfer", "转让"
    INVALIDATION_REQUEST = "invalidation_request", "无效宣告请求"
    INVALIDATION_DECISION = "invalidation_decision", "无效宣告决定"
    FEE_DUE = "fee_due", "年费应缴"
    FEE_PAID = "fee_paid", "年费已缴"
    FEE_LATE_PERIOD = "fee_late_period", "年费滞纳期"
    LAPSE = "lapse", "权利终止"
    RESTORATION = "restoration", "权利恢复"
    EVALUATION_REPORT = "evaluation_report", "专利权评价报告"


class RightSourceChoices(models.TextChoices):
    IMPORT = "import", "导入"
    CONTRACT = "contract", "平台许可合同"
    DECLARATION = "declaration", "开放许可声明"
    POOL = "pool", "专利池"
    PLEDGE = "pledge", "质押登记"
    MANUAL = "manual", "人工录入"


class LicenceKindChoices(models.TextChoices):
    ORDINARY = "ordinary", "普通许可"
    SOLE = "sole", "排他许可"
    EXCLUSIVE = "exclusive", "独占许可"


class ModeChoices(models.TextChoices):
    TRIAL_THEN_PAID = "trial_then_paid", "先免费试用、再达成许可"
    PAID = "paid", "付费许可"
    OPEN_LICENCE = "open_licence", "开放许可"
    TRANSFER = "transfer", "转让"
    EQUITY = "equity", "作价入股"


class PriceMethodChoices(models.TextChoices):
    NONE = "", "未定"
    AGREEMENT = "agreement", "协议定价"
    LISTING = "listing", "挂牌交易"
    AUCTION = "auction", "拍卖"
    OPEN_LICENCE = "open_licence", "开放许可声明定价"


class OriginChoices(models.TextChoices):
    NEGOTIATED = "negotiated", "协商许可"
    DIRECTED_TRIAL = "directed_trial", "定向许可（先试用）"
    DIRECTED = "directed", "定向许可"
    OPEN_LICENCE = "open_licence", "开放许可"
    PUBLIC_LIST = "public_list", "公开实施清单"


class OfferStateChoices(models.TextChoices):
    DRAFT = "draft", "草稿"
    INTERNAL_REVIEW = "internal_review", "内部审核中"
    PUBLISHED = "published", "已发布"
    PAUSED = "paused", "已暂停"
    CLOSED = "closed", "已关闭"


class ApplicationStateChoices(models.TextChoices):
    SUBMITTED = "submitted", "已申请"
    ACCEPTED = "accepted", "已接受"
    REJECTED = "rejected", "已拒绝"
    WITHDRAWN = "withdrawn", "已撤回"


class ContractStateChoices(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_APPROVAL = "in_approval", "审批中"
    PUBLIC_NOTICE = "public_notice", "公示中"
    APPROVED = "approved", "已审批待签订"
    SIGNED = "signed", "已签订"
    ACTIVE_TRIAL = "active_trial", "试用中"
    CONVERSION_DUE = "conversion_due", "待转化"
    ACTIVE_PAID = "active_paid", "付费实施中"
    TRIAL_ENDED = "trial_ended", "试用结束未转化"
    SUSPENDED = "suspended", "已中止"
    TERMINATED = "terminated", "已终止"
    EXPIRED = "expired", "已到期"
    ENDED_BY_PATENT = "ended_by_patent", "因专利失效终止"


class FilingStateChoices(models.TextChoices):
    DUE = "due", "待备案"
    SUBMITTED = "submitted", "已提交"
    FILED = "filed", "已备案"
    REFUSED = "refused", "被拒绝"
    CHANGED = "changed", "已变更"
    CANCELLED = "cancelled", "已注销"


class ReceivableStateChoices(models.TextChoices):
    OPEN = "open", "待收"
    PARTIAL = "partial", "部分收款"
    PAID = "paid", "已收清"
    OVERDUE = "overdue", "逾期"
    WAIVED = "waived", "已免除"


class DeclarationStateChoices(models.TextChoices):
    DRAFT = "draft", "草稿"
    CHECKED = "checked", "已自检"
    SUBMITTED = "submitted", "已提交"
    PUBLISHED = "published", "已公告"
    WITHDRAWAL_SUBMITTED = "withdrawal_submitted", "撤回申请中"
    WITHDRAWN = "withdrawn", "已撤回"
    RETURNED = "returned", "被退回"
    ENDED = "ended", "已终止"


class TermKindChoices(models.TextChoices):
    YEARS_FROM_LICENCE = "years_from_licence", "自许可生效之日起若干年"
    UNTIL_DATE = "until_date", "至指定日期"
    UNTIL_PATENT_EXPIRY = "until_patent_expiry", "至专利权期限届满"
