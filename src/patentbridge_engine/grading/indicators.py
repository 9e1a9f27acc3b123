"""Value indicators computable from a patent record, each a 0–100 score with a reason.

Data proxies for the legal / technical / economic dimensions of the CNIPA 2012 value-analysis
manual (domain-rules §2.1, §2.3) — project defaults, not the manual's own rubric. An indicator
whose data is absent scores ``None`` and says so; it is left out of the weighted mean rather
than counted as zero.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from patentbridge_engine.legal.status import LegalState
from patentbridge_engine.legal.terms import PatentType, add_years, term_years

__all__ = ["DIMENSIONS", "OUTCOME_INDICATORS", "GradingInput", "IndicatorScore", "compute_indicators"]

DIMENSIONS = {"legal": "法律价值", "technical": "技术价值", "economic": "经济价值"}
# Indicators that are themselves the outcomes a back-test predicts; left out of back-test scores.
OUTCOME_INDICATORS = frozenset({"transactions"})
_CHARACTERISING = re.compile(r"其特征在于|其特征是|特征在于")
_OFFICE = re.compile(r"^([A-Z]{2})")


@dataclass(frozen=True)
class GradingInput:
    """What grading reads of a patent (None = not known, as opposed to zero)."""

    patent_type: str | None = None
    legal_status: str | None = None
    filing_date: dt.date | None = None
    grant_date: dt.date | None = None
    expiry_date: dt.date | None = None
    claims_count: int | None = None
    main_claim: str = ""
    family: Sequence[str] = ()
    family_size: int | None = None
    cited_by_count: int | None = None
    citations: Sequence[str] | None = None
    ipc: Sequence[str] = ()
    sei_codes: Sequence[str] | None = None
    transfer_count: int | None = None
    license_count: int | None = None
    pledge_count: int | None = None
    applicant_kind: str | None = None
    applicants: Sequence[str] = ()
    demand_needs: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator: its 0–100 score (None when the data is missing) and why."""

    key: str
    label: str
    dimension: str
    score: float | None
    reason: str

    @property
    def missing(self) -> bool:
        return self.score is None

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "label": self.label,
            "dimension": self.dimension,
            "score": self.score,
            "reason": self.reason,
        }


def _clamp(value: float) -> float:
    return round(max(0.0, min(100.0, value)), 1)


def _years_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 365.25


def _legal_status(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    if not p.legal_status or p.legal_status == LegalState.UNKNOWN:
        return None, "缺少法律状态"
    state = LegalState(p.legal_status)
    if state.is_valid:
        return 100.0, "有效（已授权）"
    if state.is_pending:
        return 50.0, f"审中（{state.label}），权利尚未确定"
    return 0.0, f"失效（{state.label}）"


def _remaining_life(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    if p.legal_status and LegalState(p.legal_status).group == "invalid":
        return 0.0, "权利已失效，无剩余保护期"
    if p.expiry_date is None or p.patent_type is None:
        return None, "缺少申请日或专利类型，无法计算剩余保护期"
    term = _term_years(PatentType(p.patent_type), p.filing_date, p.expiry_date)
    left = _years_between(as_of, p.expiry_date)
    return _clamp(100 * left / term), f"剩余保护期约 {max(left, 0):.1f} 年（法定 {term} 年）"


def _term_years(patent_type: PatentType, filing_date: dt.date | None, expiry_date: dt.date) -> int:
    """The statutory term (legal.terms). Without a filing date it is read off the expiry date: count back
    the longest term the expiry allows and take the term of the filing date that gives (a 10-year design
    term ends by 2031-05-30, a 15-year one from 2036-05-31, so the two cannot be confused)."""
    if filing_date is None:
        filing_date = add_years(expiry_date + dt.timedelta(days=1), -term_years(patent_type, expiry_date))
    return term_years(patent_type, filing_date)


def _foreign_family(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    offices = sorted({m.group(1) for f in p.family if (m := _OFFICE.match(f.strip().upper()))} - {"CN", "WO"})
    if p.family:
        if not offices:
            return 0.0, "同族仅在中国"
        return _clamp(25 * len(offices)), f"海外同族 {len(offices)} 个局：{'、'.join(offices)}"
    if p.family_size is not None:
        extra = max(p.family_size - 1, 0)
        return _clamp(20 * extra), f"同族数量 {p.family_size}（未列出成员，按数量估计）"
    return None, "缺少同族数据"


def _patent_type(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    if p.patent_type is None:
        return None, "缺少专利类型"
    score = {"invention": 100.0, "utility_model": 50.0, "design": 30.0}[p.patent_type]
    return score, f"{PatentType(p.patent_type).label}（发明经实质审查，稳定性较高）"


def _claims_count(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    if not p.claims_count:
        return None, "缺少权利要求数量"
    return _clamp(10 * p.claims_count), f"权利要求 {p.claims_count} 项（10 项及以上为满分）"


def _claim_breadth(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    claim = (p.main_claim or "").strip()
    if len(claim) < 10:
        return None, "缺少主权项"
    found = _CHARACTERISING.search(claim)
    if found:
        part = len(claim) - found.end()
        return _clamp(
            100 * (1 - part / len(claim))
        ), f"主权项 {len(claim)} 字，特征部分 {part} 字（特征越短保护越宽）"
    return _clamp(
        100 * (1 - (len(claim) - 150) / 850)
    ), f"主权项 {len(claim)} 字（150 字以内为满分，1000 字为零）"


def _forward_citations(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    if p.cited_by_count is None:
        return None, "缺少被引证数据"
    return _clamp(20 * p.cited_by_count), f"被引证 {p.cited_by_count} 次"


def _backward_citations(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    if not p.citations:
        return None, "缺少引证数据"
    return _clamp(10 * len(p.citations)), f"引证 {len(p.citations)} 件在先文献"


def _ipc_breadth(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    subclasses = sorted({c.strip()[:4] for c in p.ipc if c.strip()})
    if not subclasses:
        return None, "缺少IPC分类"
    return _clamp(25 * len(subclasses)), f"涉及 {len(subclasses)} 个IPC小类：{'、'.join(subclasses[:6])}"


def _strategic_industry(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    if p.sei_codes is None:
        return None, "尚未做战略性新兴产业分类"
    if p.sei_codes:
        return 100.0, f"属于战略性新兴产业：{'、'.join(p.sei_codes[:3])}"
    return 0.0, "不属于战略性新兴产业"


def _transactions(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    counts = (p.transfer_count, p.license_count, p.pledge_count)
    if all(c is None for c in counts):
        return None, "缺少转让/许可/质押记录"
    transfer, licence, pledge = (c or 0 for c in counts)
    if licence:
        return 100.0, f"已许可 {licence} 次（市场已验证）"
    if transfer:
        return 80.0, f"已转让 {transfer} 次"
    if pledge:
        return 70.0, f"已质押 {pledge} 次"
    return 20.0, "无转让、许可、质押记录"


def _applicant_kind(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    labels = {
        "enterprise": ("企业", 80.0),
        "university": ("高校", 50.0),
        "institute": ("科研院所", 55.0),
        "individual": ("个人", 30.0),
    }
    if p.applicant_kind not in labels:
        return None, "申请人类型未知"
    label, score = labels[p.applicant_kind]
    return score, f"第一申请人为{label}"


def _co_applicants(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    named = [a for a in p.applicants if a.strip()]
    if not named:
        return None, "缺少申请人"
    if len(named) > 1:
        return 80.0, f"{len(named)} 个共同申请人（联合研发）"
    return 40.0, "单一申请人"


def _age(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    if p.filing_date is None:
        return None, "缺少申请日"
    years = _years_between(p.filing_date, as_of)
    return _clamp(100 - 100 * max(years - 3, 0) / 17), f"申请已 {years:.1f} 年（3 年内技术最新）"


def _demand_signal(p: GradingInput, as_of: dt.date) -> tuple[float | None, str]:
    if p.demand_needs is None:
        return None, "尚无需求数据"
    if not p.demand_needs:
        return 0.0, "平台上暂无同领域技术需求"
    return _clamp(20 * p.demand_needs), f"平台上有 {p.demand_needs} 条同领域技术需求"


_Rule = Callable[[GradingInput, dt.date], tuple[float | None, str]]
_INDICATORS: tuple[tuple[str, str, str, _Rule], ...] = (
    ("legal_status", "法律状态", "legal", _legal_status),
    ("remaining_life", "剩余保护期", "legal", _remaining_life),
    ("foreign_family", "海外同族", "legal", _foreign_family),
    ("patent_type", "专利类型", "technical", _patent_type),
    ("claims_count", "权利要求数量", "technical", _claims_count),
    ("claim_breadth", "主权项宽度", "technical", _claim_breadth),
    ("forward_citations", "被引证", "technical", _forward_citations),
    ("backward_citations", "引证", "technical", _backward_citations),
    ("ipc_breadth", "IPC覆盖面", "technical", _ipc_breadth),
    ("strategic_industry", "战略性新兴产业", "economic", _strategic_industry),
    ("transactions", "转让/许可/质押", "economic", _transactions),
    ("applicant_kind", "申请人类型", "economic", _applicant_kind),
    ("co_applicants", "共同申请", "economic", _co_applicants),
    ("age", "技术新颖度（申请年龄）", "technical", _age),
    ("demand_signal", "产业需求信号", "economic", _demand_signal),
)
INDICATOR_KEYS = tuple(k for k, *_ in _INDICATORS)


def compute_indicators(patent: GradingInput, as_of: dt.date) -> list[IndicatorScore]:
    """Every indicator of ``patent`` on ``as_of``, in a fixed order."""
    out = []
    for key, label, dimension, rule in _INDICATORS:
        score, reason = rule(patent, as_of)
        out.append(IndicatorScore(key, label, dimension, score, reason))
    return out
