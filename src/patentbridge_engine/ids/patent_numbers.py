"""CN application and publication numbers (domain-rules §11.5).

Application numbers since 2003-10-01 are ``YYYY T NNNNNNN . C`` (12 digits and a check
character); older ones are ``YY T NNNNN . C`` (8 digits). Input arrives with ``CN``/``ZL``
prefixes, spaces, dots, and full-width characters from Excel exports; all are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from patentbridge_engine.errors import InvalidNumberError
from patentbridge_engine.text.width import to_halfwidth

__all__ = [
    "ApplicationNumber",
    "PublicationNumber",
    "app_check_char",
    "parse_application_number",
    "parse_publication_number",
]

# ZC 0006-2003 weights, applied left to right; the 8-digit form uses the first eight.
_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_TYPE_NAMES = {
    "1": "invention",
    "2": "utility_model",
    "3": "design",
    "8": "invention",  # PCT invention entering the national phase
    "9": "utility_model",  # PCT utility model entering the national phase
}
_SEPARATORS = re.compile(r"[\s.\-_/·]")


def app_check_char(digits: str) -> str:
    """Return the check character for 12 (or legacy 8) application-number digits."""
    if not digits.isdigit() or len(digits) not in (8, 12):
        raise InvalidNumberError(f"申请号主体应为8位或12位数字：{digits!r}")
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False)) % 11
    return "X" if remainder == 10 else str(remainder)


@dataclass(frozen=True, slots=True)
class ApplicationNumber:
    """A validated CN application number; ``canonical`` is the storage key (e.g. ``202310123456.6``)."""

    digits: str
    check: str

    @property
    def canonical(self) -> str:
        return f"{self.digits}.{self.check}"

    @property
    def patent_number(self) -> str:
        """专利号: ``ZL`` + the application number."""
        return f"ZL{self.canonical}"

    @property
    def filing_year(self) -> int:
        if len(self.digits) == 12:
            return int(self.digits[:4])
        year = int(self.digits[:2])
        return 1900 + year if year >= 85 else 2000 + year

    @property
    def type_digit(self) -> str:
        return self.digits[4] if len(self.digits) == 12 else self.digits[2]

    @property
    def patent_type(self) -> str:
        """``invention``, ``utility_model`` or ``design`` as implied by the type digit."""
        return _TYPE_NAMES.get(self.type_digit, "unknown")

    @property
    def is_pct(self) -> bool:
        return len(self.digits) == 12 and self.type_digit in ("8", "9")


def parse_application_number(raw: str, *, require_check: bool = False) -> ApplicationNumber:
    """Parse any common spelling of a CN application number and verify its check character.

    A number given without its check character gets one computed unless ``require_check``.
    Raises :class:`InvalidNumberError` with a Chinese message for anything else.
    """
    text = to_halfwidth(raw or "").strip().upper()
    if not text:
        raise InvalidNumberError("申请号为空")
    for prefix in ("CN", "ZL"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    text = _SEPARATORS.sub("", text)
    if not re.fullmatch(r"\d{8}[\dX]?|\d{12}[\dX]?", text):
        raise InvalidNumberError(f"申请号格式不正确：{raw!r}")
    if len(text) in (8, 12):
        if require_check:
            raise InvalidNumberError(f"申请号缺少校验位：{raw!r}")
        digits, given = text, None
    else:
        digits, given = text[:-1], text[-1]
        if "X" in digits:
            raise InvalidNumberError(f"申请号格式不正确：{raw!r}")
    expected = app_check_char(digits)
    if given is not None and given != expected:
        raise InvalidNumberError(f"申请号校验位错误：{raw!r}（应为 {expected}）")
    number = ApplicationNumber(digits=digits, check=expected)
    if len(digits) == 12 and number.type_digit not in _TYPE_NAMES:
        raise InvalidNumberError(f"申请号类型位无效：{raw!r}")
    return number


@dataclass(frozen=True, slots=True)
class PublicationNumber:
    """A CN publication/announcement number such as ``CN110513902B``."""

    country: str
    serial: str
    kind: str

    @property
    def canonical(self) -> str:
        return f"{self.country}{self.serial}{self.kind}"

    @property
    def is_grant(self) -> bool:
        """Kind codes of a granted right: B/C (invention), U/Y (utility model), S/D (design)."""
        return self.kind[:1] in ("B", "C", "U", "Y", "S", "D")

    @property
    def patent_type(self) -> str:
        first = self.serial[:1]
        return {"1": "invention", "2": "utility_model", "3": "design"}.get(first, "unknown")


def parse_publication_number(raw: str) -> PublicationNumber:
    """Parse ``CN 110513902 B``, ``cn110513902b``, ``CN1045390A`` and similar spellings."""
    text = _SEPARATORS.sub("", to_halfwidth(raw or "").strip().upper())
    match = re.fullmatch(r"([A-Z]{2})?(\d{6,10})([A-Z]\d?)?", text)
    if not match or not match.group(3):
        raise InvalidNumberError(f"公开（公告）号格式不正确：{raw!r}")
    return PublicationNumber(country=match.group(1) or "CN", serial=match.group(2), kind=match.group(3))
