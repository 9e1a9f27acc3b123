"""Admission of a patent to a pool (guide §4.d rules P1, P2).

A pool admits patents "符合产业发展需求" — relevant to its chain by IPC prefix or keyword, at or
above a minimum grade, essential only when the pool asks for it — and only patents it can license:
valid, not exclusively licensed elsewhere, not pledged without the pledgee's consent, not under a
suspension or preservation. An open-licensed patent enters only as a non-exclusive contributor
(专利法 Art. 51 ¶3): a pool that needs exclusive rights cannot take it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from patentbridge_engine.licensing.ledger import Encumbrances

__all__ = [
    "GRADE_ORDER",
    "AdmissionCheck",
    "Candidate",
    "Criteria",
    "blocking_burdens",
    "check_admission",
    "grade_meets",
    "normalise_ipc",
]

# Best first: A 核心, B 重要, C 一般, D 可放弃/待处置.
GRADE_ORDER = ("A", "B", "C", "D")
_GRADE_WORDS = {"A": "A 核心", "B": "B 重要", "C": "C 一般", "D": "D 可放弃/待处置"}


@dataclass(frozen=True)
class Criteria:
    """A pool's admission criteria (its charter). Empty ``ipc_prefixes`` and ``keywords`` mean no
    topical restriction; when either is given, a patent must match one IPC prefix or one keyword.
    ``min_grade`` "" = any grade. ``exclusive_needed``: the pool licenses exclusively (rare; an
    open-licensed patent can then never enter)."""

    ipc_prefixes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    min_grade: str = ""
    essential_required: bool = False
    exclusive_needed: bool = False


@dataclass(frozen=True)
class Candidate:
    """What the check needs to know about the proposed patent itself."""

    application_number: str
    title: str = ""
    text: str = ""  # abstract and claims, for the keyword test
    ipc: tuple[str, ...] = ()
    grade: str = ""  # "" when the patent has no grade yet
    essential: bool | None = None  # the contributor's (or expert panel's) essentiality statement
    valid: bool = False  # granted and in force on the checked date


@dataclass(frozen=True)
class AdmissionCheck:
    """The verdict: ``blocks`` are Chinese reasons that refuse admission; ``notes`` are facts the
    reviewer should see (matched terms, the non-exclusive-only condition)."""

    blocks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    non_exclusive_only: bool = False
    reasons_by_kind: dict[str, str] = field(default_factory=dict)

    @property
    def admissible(self) -> bool:
        return not self.blocks


def normalise_ipc(code: str) -> str:
    """``H01M 10/052`` → ``H01M10/052``: upper case without spaces, so prefixes compare plainly."""
    return "".join(code.split()).upper()


def grade_meets(grade: str, minimum: str) -> bool:
    """True when ``grade`` is at least ``minimum`` (A best); no minimum admits any grade, an
    ungraded patent meets no minimum."""
    if not minimum:
        return True
    if grade not in GRADE_ORDER or minimum not in GRADE_ORDER:
        return False
    return GRADE_ORDER.index(grade) <= GRADE_ORDER.index(minimum)


def _topical(candidate: Candidate, criteria: Criteria) -> tuple[list[str], str]:
    """(matched IPC prefixes and keywords, Chinese block reason or "")."""
    prefixes = [normalise_ipc(p) for p in criteria.ipc_prefixes if p.strip()]
    keywords = [k.strip() for k in criteria.keywords if k.strip()]
    if not prefixes and not keywords:
        return [], ""
    codes = [normalise_ipc(c) for c in candidate.ipc if c.strip()]
    matched = [p for p in prefixes if any(c.startswith(p) for c in codes)]
    text = f"{candidate.title}\n{candidate.text}"
    matched += [k for k in keywords if k.lower() in text.lower()]
    if matched:
        return matched, ""
    wanted = "、".join([*prefixes[:5], *keywords[:5]])
    return [], f"技术领域不符合本池的入池条件（IPC 分类或关键词须符合：{wanted}）"


def blocking_burdens(enc: Encumbrances, *, valid: bool) -> dict[str, str]:
    """The ledger facts that keep a patent out of (or suspend it in) a pool, keyed by kind, each
    with its Chinese reason. ``lapsed`` and ``invalid`` mean removal; the rest suspension."""
    out: dict[str, str] = {}
    if enc.lapsed:
        out["lapsed"] = "专利权已终止（期限届满、未缴年费或被宣告无效）"
    elif not valid:
        out["invalid"] = "专利尚未授权或不处于有效状态"
    if enc.exclusive_or_sole:
        first = enc.exclusive_or_sole[0]
        kind = "独占许可" if first.sub_kind == "exclusive" else "排他许可"
        party = f"（被许可人：{first.counterparty}）" if first.counterparty else ""
        out["exclusive"] = f"存在有效的{kind}{party}，池内外许可会与之冲突"
    if enc.pledged_without_consent:
        out["pledge"] = "专利权已质押且未取得质权人同意"
    if enc.suspended:
        out["suspension"] = "专利权相关程序已中止（专利法实施细则第一百零三条）"
    if enc.preserved:
        out["preservation"] = "专利权已被采取财产保全措施"
    if enc.invalidation_pending:
        out["invalidation"] = "专利权正处于无效宣告程序中"
    return out


def check_admission(candidate: Candidate, criteria: Criteria, enc: Encumbrances) -> AdmissionCheck:
    """Rules P1 and P2 for one proposed patent on the ledger date of ``enc``."""
    blocks: list[str] = []
    notes: list[str] = []
    burdens = blocking_burdens(enc, valid=candidate.valid)
    blocks.extend(burdens.values())
    matched, topical = _topical(candidate, criteria)
    if topical:
        blocks.append(topical)
    elif matched:
        notes.append(f"符合入池条件：{'、'.join(matched)}")
    if criteria.min_grade and not grade_meets(candidate.grade, criteria.min_grade):
        have = _GRADE_WORDS.get(candidate.grade, "尚未分级")
        blocks.append(f"价值分级为 {have}，低于本池要求的 {_GRADE_WORDS[criteria.min_grade]}")
    if criteria.essential_required and candidate.essential is not True:
        blocks.append("本池只接纳必要专利，该专利未经确认为必要专利")
    open_licensed = enc.open_licence is not None
    if open_licensed and criteria.exclusive_needed:
        blocks.append(
            "该专利已作开放许可声明，只能以普通许可方式入池，本池需要独占性授权（专利法第五十一条第三款）"
        )
    elif open_licensed:
        notes.append("该专利已作开放许可声明，仅以普通许可方式入池（专利法第五十一条第三款）")
    return AdmissionCheck(
        blocks=tuple(blocks),
        notes=tuple(notes),
        matched=tuple(matched),
        non_exclusive_only=open_licensed,
        reasons_by_kind=burdens,
    )


def grades_at_least(minimum: str) -> Sequence[str]:
    """The grades that meet ``minimum`` (all for no minimum)."""
    if minimum not in GRADE_ORDER:
        return GRADE_ORDER
    return GRADE_ORDER[: GRADE_ORDER.index(minimum) + 1]
