"""Legal-status state model (domain-rules §11.2).

Status is computed from a dated event log and the statutory term, never stored as truth:
``status_as_of(events, ...)`` replays the events up to a date. Commercial exports give a
status text such as ``有权-审定授权`` or ``失效-未缴年费专利权终止``; ``parse_status_text``
maps those onto the same states so a record without an event log still gets one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from patentbridge_engine.legal.terms import PatentType, term_expiry

__all__ = ["LegalEvent", "LegalState", "parse_status_text", "status_as_of"]


class LegalState(StrEnum):
    """Internal legal states; ``is_valid`` and ``is_pending`` group them for filters."""

    FILED = "filed"
    PUBLISHED = "published"
    SUBSTANTIVE_EXAM = "substantive_exam"
    GRANTED = "granted"  # a valid right
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DEEMED_WITHDRAWN = "deemed_withdrawn"
    EXPIRED = "expired"
    LAPSED_NON_PAYMENT = "lapsed_non_payment"
    ABANDONED = "abandoned"
    INVALIDATED = "invalidated"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_valid(self) -> bool:
        return self is LegalState.GRANTED

    @property
    def is_pending(self) -> bool:
        return self in (LegalState.FILED, LegalState.PUBLISHED, LegalState.SUBSTANTIVE_EXAM)

    @property
    def group(self) -> str:
        """有效 / 审中 / 失效 / 未知, the grouping every Chinese portal shows."""
        if self.is_valid:
            return "valid"
        if self.is_pending:
            return "pending"
        if self is LegalState.UNKNOWN:
            return "unknown"
        return "invalid"


_LABELS = {
    LegalState.FILED: "已受理",
    LegalState.PUBLISHED: "已公开",
    LegalState.SUBSTANTIVE_EXAM: "实质审查",
    LegalState.GRANTED: "授权有效",
    LegalState.REJECTED: "驳回",
    LegalState.WITHDRAWN: "撤回",
    LegalState.DEEMED_WITHDRAWN: "视为撤回",
    LegalState.EXPIRED: "期限届满",
    LegalState.LAPSED_NON_PAYMENT: "未缴年费终止",
    LegalState.ABANDONED: "放弃",
    LegalState.INVALIDATED: "全部无效",
    LegalState.UNKNOWN: "未知",
}

# Ordered: the first keyword found in a status text decides. More specific phrases come first.
_TEXT_RULES: tuple[tuple[str, LegalState], ...] = (
    ("未缴年费", LegalState.LAPSED_NON_PAYMENT),
    ("年费", LegalState.LAPSED_NON_PAYMENT),
    ("期限届满", LegalState.EXPIRED),
    ("届满", LegalState.EXPIRED),
    ("全部无效", LegalState.INVALIDATED),
    ("宣告无效", LegalState.INVALIDATED),
    ("视为撤回", LegalState.DEEMED_WITHDRAWN),
    ("撤回", LegalState.WITHDRAWN),
    ("驳回", LegalState.REJECTED),
    ("放弃", LegalState.ABANDONED),
    # CNIPA's event category 专利权的终止 and incoPat's 权利终止 without a cause: in the register the cause
    # is almost always unpaid fees (expiry is its own event, 专利权有效期届满, matched above).
    ("终止", LegalState.LAPSED_NON_PAYMENT),
    ("实质审查", LegalState.SUBSTANTIVE_EXAM),
    ("实审", LegalState.SUBSTANTIVE_EXAM),
    ("审中", LegalState.SUBSTANTIVE_EXAM),
    ("授权", LegalState.GRANTED),
    ("有权", LegalState.GRANTED),
    ("有效", LegalState.GRANTED),
    ("公开", LegalState.PUBLISHED),
    ("受理", LegalState.FILED),
    ("失效", LegalState.ABANDONED),
)


def parse_status_text(text: str | None) -> LegalState:
    """Map a Chinese legal-status text from an export onto a :class:`LegalState`."""
    t = (text or "").strip()
    if not t:
        return LegalState.UNKNOWN
    # "有权-审定授权" and "失效-未缴年费专利权终止": the part after the dash is more specific.
    for part in reversed(t.replace("－", "-").split("-")):
        for keyword, state in _TEXT_RULES:
            if keyword in part:
                return state
    return LegalState.UNKNOWN


@dataclass(frozen=True, slots=True)
class LegalEvent:
    """A dated legal event; ``state`` is the state it moves the patent into (None for overlays)."""

    date: dt.date
    state: LegalState | None
    description: str = ""


def status_as_of(
    events: list[LegalEvent],
    as_of: dt.date,
    *,
    patent_type: PatentType | None,
    filing_date: dt.date | None,
    fallback: LegalState = LegalState.UNKNOWN,
) -> LegalState:
    """Replay ``events`` dated on or before ``as_of``; a granted right past its term is EXPIRED."""
    state = fallback
    for event in sorted(events, key=lambda e: e.date):
        if event.date > as_of:
            break
        if event.state is not None:
            state = event.state
    if (
        state is LegalState.GRANTED
        and patent_type is not None
        and filing_date is not None
        and as_of > term_expiry(patent_type, filing_date)
    ):
        return LegalState.EXPIRED
    return state
