"""The public open-licence catalogue (开放许可目录, guide §3.d Reports): every published declaration
with what the national list is criticised for lacking (S12) — industry chain, value grade, IPC,
patent type, the fee in plain Chinese and the term — for everyone, anonymous visitors included.

Only declarations in force at CNIPA are listed (published, or published with a withdrawal not yet
announced: it stays acceptable until then). Rows carry public facts only: no self-check findings,
no internal states, no reasons, no people. The HTML page, the XLSX export and the REST API share
``CatalogueFilter`` and ``public_row``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from patentbridge.licensing.choices import TermKindChoices
from patentbridge.licensing.models import OpenLicenceDeclaration
from patentbridge.licensing.services.open_lifecycle import IN_FORCE
from patentbridge.patents.choices import PatentTypeChoices
from patentbridge.patents.models import IndustryChain, PatentClass
from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError

__all__ = [
    "CATALOGUE_HEADER",
    "FEE_TYPES",
    "CatalogueFilter",
    "catalogue_rows",
    "describe_fee",
    "describe_term",
    "fee_type",
    "filter_choices",
    "get_public",
    "page_rows",
    "public_declarations",
    "public_row",
]

FEE_TYPES: dict[str, str] = {"free": "免费", "fixed": "固定费用", "royalty": "提成（含入门费+提成）"}
_GRADES = ("A", "B", "C", "D")
# Longest accepted filter text: a keyword or an IPC prefix never needs more.
_TEXT_MAX = 100


@dataclass(frozen=True)
class CatalogueFilter:
    """Filters of the public list; empty strings mean "no filter"."""

    q: str = ""
    chain: str = ""
    grade: str = ""
    ipc: str = ""
    patent_type: str = ""
    fee_type: str = ""
    university: str = ""

    @classmethod
    def from_mapping(cls, params: Mapping[str, Any]) -> tuple[CatalogueFilter, dict[str, str]]:
        """Parse request.GET: returns the filter and Chinese messages for values that were ignored."""
        values: dict[str, str] = {}
        problems: dict[str, str] = {}
        for f in fields(cls):
            raw = params.get(f.name, "")
            values[f.name] = str(raw if raw is not None else "").strip()[:_TEXT_MAX]
        checks = {
            "grade": (_GRADES, "价值分级"),
            "fee_type": (tuple(FEE_TYPES), "付费方式"),
            "patent_type": (tuple(PatentTypeChoices.values), "专利类型"),
        }
        for name, (allowed, label) in checks.items():
            if values[name] and values[name] not in allowed:
                problems[name] = f"{label}取值无效，已忽略：{values[name][:20]}"
                values[name] = ""
        if values["university"] and not values["university"].isdigit():
            problems["university"] = "许可人取值无效，已忽略"
            values["university"] = ""
        values["ipc"] = values["ipc"].replace(" ", "").upper()
        return cls(**values), problems

    def active(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def fee_type(schedule: Mapping[str, Any]) -> str:
    """free | fixed | royalty (CNIPA's payment types); "" when the stored schedule is unreadable."""
    try:
        return FeeSchedule.from_dict(dict(schedule or {})).payment_type
    except FeeScheduleError:
        return ""


def describe_fee(decl: OpenLicenceDeclaration) -> str:
    """The declared fee in one Chinese line, with the declarant's own wording after it."""
    try:
        # An open licence has no signing: an entry fee "due at signing" is due on acceptance.
        text = (
            FeeSchedule.from_dict(dict(decl.fee_schedule or {}))
            .describe()
            .replace("签约时支付", "接受许可时支付")
        )
    except FeeScheduleError:
        text = "许可使用费标准不完整"
    extra = decl.fee_text.strip()
    return f"{text}（{extra}）" if extra and extra not in text else text


def describe_term(decl: OpenLicenceDeclaration) -> str:
    """The declared licence term in Chinese."""
    expiry = decl.patent.expiry_date
    if decl.term_kind == TermKindChoices.YEARS_FROM_LICENCE:
        return f"自许可生效之日起 {decl.term_years} 年（不超过专利权期限）"
    if decl.term_kind == TermKindChoices.UNTIL_DATE and decl.term_until:
        return f"至 {decl.term_until:%Y-%m-%d}"
    return f"至专利权期限届满（{expiry:%Y-%m-%d}）" if expiry else "至专利权期限届满"


def public_declarations(flt: CatalogueFilter | None = None) -> QuerySet[OpenLicenceDeclaration]:
    """Declarations in force at CNIPA, newest publication first, filtered by ``flt``."""
    flt = flt or CatalogueFilter()
    qs = OpenLicenceDeclaration.objects.filter(state__in=IN_FORCE, published_at__isnull=False).select_related(
        "patent", "patent__grade", "declarant_org"
    )
    for term in flt.q.split():
        qs = qs.filter(
            Q(patent__title__icontains=term)
            | Q(patent__abstract__icontains=term)
            | Q(patent__application_number__icontains=term)
            | Q(declarant_org__name__icontains=term)
            | Q(announcement_no__icontains=term)
        )
    if flt.chain:
        qs = qs.filter(
            patent__in=PatentClass.objects.filter(scheme="chain", code=flt.chain).values("patent_id")
        )
    if flt.grade:
        qs = qs.filter(patent__grade__final=flt.grade)
    if flt.ipc:
        # The quote anchors the prefix at the start of one code inside the stored JSON list.
        qs = qs.filter(Q(patent__ipc_main__istartswith=flt.ipc) | Q(patent__ipc__icontains=f'"{flt.ipc}'))
    if flt.patent_type:
        qs = qs.filter(patent__patent_type=flt.patent_type)
    if flt.university:
        qs = qs.filter(declarant_org_id=int(flt.university))
    if flt.fee_type:
        # The payment type is a property of the schedule dict, read in Python: the catalogue holds
        # at most a few thousand declarations, and JSON containment differs across databases.
        ids = [
            pk for pk, schedule in qs.values_list("pk", "fee_schedule") if fee_type(schedule) == flt.fee_type
        ]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("-published_at", "-pk")


def get_public(pk: Any) -> OpenLicenceDeclaration:
    """A declaration in force, else 404 (drafts and withdrawn ones do not exist for the public)."""
    try:
        number = int(str(pk))
    except ValueError:
        raise Http404 from None
    found = public_declarations().filter(pk=number).first()
    if found is None:
        raise Http404
    return found


def _chains(patent_ids: Iterable[int]) -> dict[int, list[str]]:
    names = dict(IndustryChain.objects.values_list("code", "name"))
    out: dict[int, list[str]] = {}
    rows = PatentClass.objects.filter(scheme="chain", patent_id__in=list(patent_ids)).order_by("code")
    for patent_id, code in rows.values_list("patent_id", "code"):
        out.setdefault(patent_id, []).append(names.get(code, code))
    return out


def _grade(decl: OpenLicenceDeclaration) -> str:
    try:
        return str(decl.patent.grade.final)
    except ObjectDoesNotExist:  # not graded yet
        return ""


def public_row(decl: OpenLicenceDeclaration, chains: Mapping[int, list[str]] | None = None) -> dict[str, Any]:
    """The public facts of one declaration (what the page, the export and the API show)."""
    patent = decl.patent
    chain_names = (chains if chains is not None else _chains([patent.pk])).get(patent.pk, [])
    kind = fee_type(decl.fee_schedule)
    return {
        "id": decl.pk,
        "version": decl.version,
        "application_number": patent.application_number,
        "title": patent.title,
        "patent_type": patent.get_patent_type_display() if patent.patent_type else "",
        "patentees": list(decl.patentees or []),
        "licensor": decl.declarant_org.name,
        "fee_type": kind,
        "fee_type_label": FEE_TYPES.get(kind, "未知"),
        "fee": describe_fee(decl),
        "term": describe_term(decl),
        "chains": chain_names,
        "grade": _grade(decl),
        "ipc": patent.ipc_main or (patent.ipc[0] if patent.ipc else ""),
        "published_at": decl.published_at,
        "announcement_no": decl.announcement_no,
        "expiry_date": patent.expiry_date,
        "contact": decl.contact,
        "is_demo": decl.is_demo,
    }


def page_rows(decls: Iterable[OpenLicenceDeclaration]) -> list[dict[str, Any]]:
    """``public_row`` for a page of declarations with one chain query for all of them."""
    items = list(decls)
    chains = _chains(d.patent_id for d in items)
    return [public_row(d, chains) for d in items]


CATALOGUE_HEADER = (
    "申请号",
    "专利名称",
    "专利类型",
    "专利权人",
    "许可人",
    "付费方式",
    "许可使用费",
    "许可期限",
    "重点产业链",
    "价值分级",
    "IPC主分类号",
    "公告日",
    "公告号",
    "联系方式",
    "演示数据",
)


def catalogue_rows(qs: QuerySet[OpenLicenceDeclaration]) -> Iterable[list[Any]]:
    """Export rows in ``CATALOGUE_HEADER`` order (in chunks, so a large catalogue streams)."""
    chunk: list[OpenLicenceDeclaration] = []
    for decl in qs.iterator(chunk_size=500):
        chunk.append(decl)
        if len(chunk) == 500:
            yield from _export(chunk)
            chunk = []
    yield from _export(chunk)


def _export(chunk: list[OpenLicenceDeclaration]) -> Iterable[list[Any]]:
    for row in page_rows(chunk):
        yield [
            row["application_number"],
            row["title"],
            row["patent_type"],
            "；".join(row["patentees"]),
            row["licensor"],
            row["fee_type_label"],
            row["fee"],
            row["term"],
            "；".join(row["chains"]),
            row["grade"],
            row["ipc"],
            row["published_at"],
            row["announcement_no"],
            row["contact"],
            "是" if row["is_demo"] else "",
        ]


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Options of the list's selects: chains, universities that have declarations in force, types."""
    orgs = public_declarations().order_by().values_list("declarant_org_id", "declarant_org__name").distinct()
    return {
        "chains": list(IndustryChain.objects.order_by("position", "code").values_list("code", "name")),
        "universities": sorted(((str(pk), name) for pk, name in orgs), key=lambda x: x[1]),
        "patent_types": [(v, str(label)) for v, label in PatentTypeChoices.choices if v],
        "fee_types": list(FEE_TYPES.items()),
        "grades": [(g, g) for g in _GRADES],
    }
