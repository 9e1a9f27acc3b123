"""Header vocabularies of the export formats we know, mapped onto canonical record fields.

Headers are compared after folding width, case, spaces and bracket style, so
``公开（公告）号``, ``公开(公告)号`` and ``公开 （公告） 号`` are one header. A mapping file
(``{"原表头": "canonical_field"}``) overrides or extends the vocabulary; ``""`` ignores a column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from patentbridge_engine.ingest.record import FIELD_LABELS
from patentbridge_engine.text.width import to_halfwidth

__all__ = ["HeaderMap", "fold_header", "map_headers"]

_VOCABULARY: dict[str, tuple[str, ...]] = {
    "application_number": (
        "申请号",
        "application_number",
        "apn",
        "appno",
        "申请号码",
        "专利号",
        "application no",
    ),
    "publication_number": ("公开号", "公开(公告)号", "公开公告号", "publication_number", "pn", "首次公开号"),
    "grant_number": ("授权公告号", "授权号", "grant_number"),
    "patent_type": ("专利类型", "patent_type", "类型", "ptype", "公开类型"),
    # 题名 is CNKI's column name for the title.
    "title": (
        "专利名称",
        "标题",
        "标题(中文)",
        "发明名称",
        "名称",
        "title",
        "patent_title",
        "授权名称",
        "题名",
    ),
    "abstract": ("摘要", "申请摘要", "摘要(中文)", "abstract"),
    "main_claim": ("主权项", "首项权利要求", "独立权利要求", "claim_first", "main_claim"),
    "claims": ("权利要求", "权利要求书", "claims"),
    "claims_count": ("权利要求数量", "权利要求数", "claim_number", "claims_count"),
    "ipc_main": ("主分类号", "ipc主分类", "ipc主分类号", "ipc_main", "主ipc"),
    # CNKI's 中国专利 export fills its 中图分类号 column with the patent's IPC codes.
    "ipc": ("分类号", "ipc", "ipc分类号", "ipcr", "ipc分类", "ipc_all", "中图分类号"),
    "cpc": ("cpc分类号", "cpc"),
    "applicants": ("申请人", "申请(专利权)人", "申请人(专利权人)", "applicant", "applicants", "ancs"),
    "patentees": ("当前权利人", "专利权人", "当前专利权人", "current_patentee", "patentees"),
    # 作者 is CNKI's column name for the inventors.
    "inventors": ("发明人", "发明(设计)人", "当前发明人", "inventor", "inventors", "in", "作者"),
    "applicant_address": ("申请人地址", "地址", "applicant_address", "当前著录项联系人通讯地址"),
    "region_code": ("国省代码", "申请人省市代码", "applicant_province_code", "省市代码"),
    "applicant_kind_text": ("申请人类型", "applicant_type", "applicant_kind"),
    "filing_date": ("申请日", "application_date", "apd", "filing_date", "申请日期"),
    "publication_date": ("公开日", "公开(公告)日", "publication_date", "pbd", "公开公告日", "公开日期"),
    "grant_date": ("授权公告日", "授权日", "grant_date"),
    "legal_status": (
        "法律状态",
        "当前法律状态",
        "legal_status",
        "legal_status_current",
        "专利有效性",
        "patent_status",
    ),
    "legal_events": ("法律事件", "legal_event", "legal_events", "legal"),
    "lapse_date": ("失效日期", "失效日", "expiry_date"),
    "fiscal_funded": ("财政资助", "是否财政资助", "fiscal_funded"),
    "fiscal_project": ("资助项目", "资助项目编号", "项目编号", "fiscal_project"),
    "transfer_count": ("专利转移次数", "转让次数", "assign_times", "transfer_count"),
    "license_count": ("许可次数", "license_times", "license_count"),
    "pledge_count": ("质押次数", "pledge_times", "pledge_count"),
    "citations": ("引证专利", "citation", "citations"),
    "cited_by_count": ("被引证次数", "citation_forward_times", "cited_by_count"),
    "family": ("同族专利", "简单同族", "family_main", "family", "fam"),
    "family_size": ("简单同族数量", "简单同族个数", "family_main_number", "family_size"),
    "priority": ("优先权", "优先权信息", "priority"),
    "agency": ("专利代理机构", "代理机构", "agency"),
    "agent": ("专利代理人", "代理人", "attorney", "agent"),
    "college": ("所属学院", "学院", "院系", "college"),
    # incoPat licence / pledge / transfer columns (guide §1.1); canonical names are incoPat's English
    # export names where it has one. Kept raw per patent (ingest.rights).
    "license_record_no": ("许可合同备案号", "许可备案号"),
    "license_filing_date": ("许可合同备案日期", "许可备案日", "许可备案日期"),
    "licensor": ("许可人",),
    "licensee": ("被许可人",),
    "licensee_current": ("当前被许可人",),
    "license_type": ("许可类型",),
    "pledge_no": ("质押号", "质押登记号"),
    "pledge_term": ("质押期限",),
    "pledgee": ("质权人",),
    "pledgee_current": ("当前质权人",),
    "assignment_record_no": ("转让登记号",),
    "assignment_record_date": ("转让登记日", "转让登记日期"),
    "assignment_execution_date": ("转让执行日",),
    "assignor": ("转让人",),
    "assignee": ("受让人",),
}
# Columns we read on purpose and do not store, so they are not reported as unmapped.
_KNOWN_IGNORED = frozenset(
    fold_h
    for fold_h in (
        "序号",
        "index",
        "全文链接",
        "链接到incopat",
        "link_incopat",
        "pid",
        "pdf",
        "direction",
        "directions",
        # First-named columns repeat the head of a full list (发明人, 申请人, 当前权利人); claiming them
        # would let a single name win over the complete list that comes later in the 61-column export.
        "第一发明人",
        "第一申请人",
        "第一权利人",
        "变更前代理机构",
        "审查员",
        "审查时长",
        "颁证日",
        # CNKI export columns: the source database and the applicant's province name.
        "来源库",
        "国省名称",
    )
)

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "：": "", ":": ""})


def fold_header(header: str) -> str:
    """Canonical comparison form of a header."""
    text = to_halfwidth(str(header)).translate(_BRACKETS).lower()
    return re.sub(r"[\s\ufeff]+", "", text)


_INDEX = {fold_header(alias): field for field, aliases in _VOCABULARY.items() for alias in aliases}
_INDEX.update({fold_header(field): field for field in FIELD_LABELS})


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """Which source header feeds which field, and the headers nobody claimed."""

    fields: dict[str, str]  # source header → canonical field
    unmapped: tuple[str, ...]

    def missing_required(self) -> list[str]:
        """The identity column is missing: neither an application number nor a publication number
        (sources such as CNKI give only the latter; see ``build.publication_key``)."""
        mapped = set(self.fields.values())
        return [] if mapped & {"application_number", "publication_number"} else ["application_number"]


def map_headers(headers: Iterable[str], overrides: Mapping[str, str] | None = None) -> HeaderMap:
    """Map source headers to fields; the first header claiming a field wins (``专利号`` before ``申请号``)."""
    folded_overrides = {fold_header(k): v for k, v in (overrides or {}).items()}
    for target in folded_overrides.values():
        if target and target not in FIELD_LABELS:
            raise ValueError(f"映射文件中的字段名无效：{target}")
    fields: dict[str, str] = {}
    taken: set[str] = set()
    unmapped: list[str] = []
    for header in headers:
        key = fold_header(header)
        if not key:
            continue
        target = folded_overrides[key] if key in folded_overrides else _INDEX.get(key, "")
        if target and target not in taken:
            fields[header] = target
            taken.add(target)
        elif not target and key not in _KNOWN_IGNORED and key not in folded_overrides:
            unmapped.append(str(header))
    return HeaderMap(fields=fields, unmapped=tuple(unmapped))
