"""Patent terms (专利法 Art. 42 [V]) and calendar arithmetic (细则 Art. 5)."""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum

__all__ = ["PatentType", "add_months", "add_years", "term_expiry", "term_years"]

# 2020 amendment: designs filed from this date get 15 years (transition rule, domain-rules §11.1).
_DESIGN_15_YEARS_FROM = dt.date(2021, 6, 1)


class PatentType(StrEnum):
    """The three CN patent types."""

    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"

    @property
    def label(self) -> str:
        return {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}[self.value]

    @classmethod
    def from_text(cls, text: str) -> PatentType | None:
        """Map 发明/发明专利/发明申请/发明授权/实用新型/外观设计 and English names to a type."""
        t = (text or "").strip().lower()
        if not t:
            return None
        if "实用" in t or t in ("utility_model", "utility model", "um", "u"):
            return cls.UTILITY_MODEL
        if "外观" in t or t in ("design", "s", "d"):
            return cls.DESIGN
        if "发明" in t or t in ("invention", "a", "b"):
            return cls.INVENTION
        return None


def add_years(start: dt.date, years: int) -> dt.date:
    """Add calendar years; 29 February falls back to 28 February (细则 Art. 5)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def add_months(start: dt.date, months: int) -> dt.date:
    """Add calendar months (negative counts back). 细则 Art. 5: a period in months ends on the
    corresponding day of the last month; without one (31 → 30-day month, 29–31 → February) it
    ends on that month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(start.day, last))


def term_years(patent_type: PatentType, filing_date: dt.date) -> int:
    """The statutory term in years: invention 20, utility model 10, design 10 or 15 by filing date."""
    if patent_type is PatentType.INVENTION:
        return 20
    if patent_type is PatentType.UTILITY_MODEL:
        return 10
    return 15 if filing_date >= _DESIGN_15_YEARS_FROM else 10


def term_expiry(patent_type: PatentType, filing_date: dt.date) -> dt.date:
    """Last day of the statutory term, counted from the actual filing date.

    The term ends the day before the anniversary (CNIPA practice, [U] in domain-rules §11.1).
    """
    return add_years(filing_date, term_years(patent_type, filing_date)) - dt.timedelta(days=1)
