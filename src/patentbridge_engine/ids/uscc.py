"""统一社会信用代码 (GB 32100-2015) check character (domain-rules §11.6, [V])."""

from __future__ import annotations

__all__ = ["is_valid_uscc", "uscc_check_char"]

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """Return the 18th character for the first 17 characters of a USCC."""
    code = first17.upper()
    if len(code) != 17 or any(c not in _ALPHABET for c in code):
        raise ValueError(f"统一社会信用代码前17位无效：{first17!r}")
    total = sum(_ALPHABET.index(c) * w for c, w in zip(code, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """True when ``code`` is 18 characters of the USCC alphabet with a correct check character."""
    code = code.strip().upper()
    if len(code) != 18:
        return False
    try:
        return uscc_check_char(code[:17]) == code[17]
    except ValueError:
        return False
