"""The normalised patent record every reader produces, and the per-row problems it reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FIELD_LABELS", "PatentRecord", "RowIssue", "SourceRow"]

# Chinese labels of the canonical fields, used in reject reports and mapping screens.
FIELD_LABELS = {
    "application_number": "申请号",
    "publication_number": "公开（公告）号",
    "grant_number": "授权公告号",
    "patent_type": "专利类型",
    "title": "专利名称",
    "abstract": "摘要",
    "main_claim": "主权项",
    "claims": "权利要求书",
    "claims_count": "权利要求数量",
    "ipc_main": "IPC主分类号",
    "ipc": "IPC分类号",
    "cpc": "CPC分类号",
    "applicants": "申请人",
    "patentees": "当前权利人",
    "inventors": "发明人",
    "applicant_address": "申请人地址",
    "region_code": "国省代码",
    "applicant_kind_text": "申请人类型",
    "filing_date": "申请日",
    "publication_date": "公开（公告）日",
    "grant_date": "授权公告日",
    "stated_status": "法律状态（标准化）",
    "legal_status": "法律状态",
    "legal_events": "法律事件",
    "lapse_date": "失效日",
    "fiscal_funded": "财政资助",
    "fiscal_project": "资助项目编号",
    "transfer_count": "转让次数",
    "license_count": "许可次数",
    "pledge_count": "质押次数",
    "citations": "引证专利",
    "cited_by_count": "被引证次数",
    "family": "同族专利",
    "family_size": "同族数量",
    "priority": "优先权",
    "agency": "代理机构",
    "agent": "代理人",
    "college": "所属学院",
    # incoPat licence / pledge / transfer columns (kept raw in ``right_records``, see ingest.rights).
    "license_record_no": "许可合同备案号",
    "license_filing_date": "许可合同备案日期",
    "licensor": "许可人",
    "licensee": "被许可人",
    "licensee_current": "当前被许可人",
    "license_type": "许可类型",
    "pledge_no": "质押号",
    "pledge_term": "质押期限",
    "pledgee": "质权人",
    "pledgee_current": "当前质权人",
    "assignment_record_no": "转让登记号",
    "assignment_record_date": "转让登记日",
    "assignment_execution_date": "转让执行日",
    "assignor": "转让人",
    "assignee": "受让人",
}


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One input row as read: its 1-based row number in the source and raw values by header."""

    row_number: int
    values: dict[str, Any]
    label: str = ""  # e.g. the file name inside a directory import


@dataclass(frozen=True, slots=True)
class RowIssue:
    """Why a row (or one of its fields) could not be used; ``reason`` is Chinese."""

    row_number: int
    field: str
    value: str
    reason: str

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass(slots=True)
class PatentRecord:
    """A normalised patent. Empty strings, empty lists and ``None`` mean "not given"."""

    application_number: str
    patent_type: str = ""
    publication_number: str = ""
    grant_number: str = ""
    title: str = ""
    abstract: str = ""
    main_claim: str = ""
    claims: str = ""
    claims_count: int | None = None
    ipc_main: str = ""
    ipc: list[str] = field(default_factory=list)
    cpc: list[str] = field(default_factory=list)
    applicants: list[str] = field(default_factory=list)
    patentees: list[str] = field(default_factory=list)
    inventors: list[str] = field(default_factory=list)
    applicant_address: str = ""
    region_code: str = ""
    applicant_kind_text: str = ""
    filing_date: dt.date | None = None
    publication_date: dt.date | None = None
    grant_date: dt.date | None = None
    stated_status: str = ""
    legal_status_text: str = ""
    legal_events: list[str] = field(default_factory=list)
    lapse_date: dt.date | None = None
    fiscal_funded: bool | None = None
    fiscal_project: str = ""
    transfer_count: int | None = None
    license_count: int | None = None
    pledge_count: int | None = None
    citations: list[str] = field(default_factory=list)
    cited_by_count: int | None = None
    family: list[str] = field(default_factory=list)
    family_size: int | None = None
    priority: str = ""
    agency: str = ""
    agent: str = ""
    college: str = ""
    # Raw licence/pledge/transfer cells keyed by incoPat column name (ingest.rights); read into
    # ledger events by the licensing app. Stays just before ``warnings``: the import helper
    # processes rebuild records positionally (producer._from_wire).
    right_records: dict[str, str] = field(default_factory=dict)
    warnings: list[RowIssue] = field(default_factory=list)

    def given_fields(self) -> dict[str, Any]:
        """Fields that carry a value (for merging into an existing record)."""
        out: dict[str, Any] = {}
        for key in _VALUE_SLOTS:
            value = getattr(self, key)
            if value is None or value == "" or value == [] or value == {}:
                continue
            if value.__class__ is list:
                value = list(value)
            elif value.__class__ is dict:
                value = dict(value)
            out[key] = value
        return out


_VALUE_SLOTS = tuple(s for s in PatentRecord.__slots__ if s != "warnings")
