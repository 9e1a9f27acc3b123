"""IPC symbols: parsing, normalisation and the concordance pattern syntax (domain-rules §8.2).

Accepted inputs: ``H01M10/0525``, ``H01M 10/0525``, ``H01M 10/0525 (2010.01)``, CNIPA's printed
``H01M10/0525（2010.01）I`` (version plus the inventive-information marker I/N), the 14-character
PATSTAT form ``H01M0010052500`` and bare ``H01M`` / ``H01`` / ``H``. Patterns in the concordance
tables end in ``*`` for "this symbol and everything below it", compared field by field:
``H01M2*`` is main group 2 with all its subgroups (not 20–29) and ``G06F3/048*`` the subgroups
whose digits begin with 048.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from patentbridge_engine.errors import InvalidIpcError
from patentbridge_engine.text.width import to_halfwidth

__all__ = ["IpcCode", "IpcPattern", "parse_ipc", "parse_ipc_list", "parse_pattern"]

_SYMBOL = re.compile(r"^([A-H])(\d{2})?([A-Z])?(?:\s*0*(\d{1,4})(?:\s*/\s*(\d{1,6}))?)?$")
_PATSTAT = re.compile(r"^([A-H])(\d{2})([A-Z])(\d{4})(\d{6})$")
# A version stamp in round or square brackets (full-width ones are folded first), optionally followed
# by CNIPA's inventive/non-inventive information marker: ``B65D35/28（2006.01）I``.
_VERSION = re.compile(r"(?:\(\s*\d{4}\.\d{2}\s*\)|\[\s*\d{4}\.\d{2}\s*\])(?:\s*[IN]\s*$)?", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[;；,，|\n]+")


@dataclass(frozen=True, slots=True, order=True)
class IpcCode:
    """A parsed IPC symbol; finer fields are empty when the symbol stops at a coarser level."""

    section: str
    klass: str = ""  # two digits, e.g. "01"
    subclass_letter: str = ""
    main_group: str = ""  # without leading zeros, e.g. "10"
    subgroup: str = ""  # digits after the slash, e.g. "0525"; "00" for a main group

    # Derived strings, computed once because matching reads them in tight loops.
    class_code: str = field(init=False, compare=False, repr=False)
    subclass: str = field(init=False, compare=False, repr=False)
    code: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        class_code = f"{self.section}{self.klass}" if self.klass else self.section
        subclass = f"{class_code}{self.subclass_letter}" if self.subclass_letter else ""
        if self.main_group:
            code = f"{subclass}{self.main_group}/{self.subgroup or '00'}"
        else:
            code = subclass or class_code
        object.__setattr__(self, "class_code", class_code)
        object.__setattr__(self, "subclass", subclass)
        object.__setattr__(self, "code", code)

    @property
    def main_group_code(self) -> str:
        return f"{self.subclass}{self.main_group}/00" if self.main_group else ""

    @property
    def level(self) -> str:
        if self.subgroup and self.subgroup != "00":
            return "subgroup"
        if self.main_group:
            return "main_group"
        if self.subclass_letter:
            return "subclass"
        return "class" if self.klass else "section"

    def ancestors(self) -> list[str]:
        """Codes of section, class, subclass and main group above this symbol (coarsest first)."""
        out = [self.section]
        if self.klass:
            out.append(self.class_code)
        if self.subclass_letter:
            out.append(self.subclass)
        if self.main_group and self.level == "subgroup":
            out.append(self.main_group_code)
        return out


def parse_ipc(raw: str) -> IpcCode:
    """Parse one IPC symbol; raises :class:`InvalidIpcError` for anything unrecognisable."""
    return _parse_cached(raw)


# Corpora repeat the same few thousand symbols; the bound keeps memory flat on huge imports.
@lru_cache(maxsize=65_536)
def _parse_cached(raw: str) -> IpcCode:
    text = _VERSION.sub("", to_halfwidth(raw or "")).strip().upper()
    compact = text.replace(" ", "")
    patstat = _PATSTAT.match(compact)
    if patstat:
        sec, cls, letter, main, sub = patstat.groups()
        sub = sub.rstrip("0")
        sub = sub if len(sub) >= 2 else sub.ljust(2, "0")
        return IpcCode(sec, cls, letter, str(int(main)), sub)
    match = _SYMBOL.match(re.sub(r"\s+", " ", text))
    if not match or (match.group(4) and not match.group(3)):
        raise InvalidIpcError(f"IPC分类号格式不正确：{raw!r}")
    sec, cls, letter, main, sub = match.groups()
    if letter and not cls:
        raise InvalidIpcError(f"IPC分类号格式不正确：{raw!r}")
    main_group = str(int(main)) if main else ""
    subgroup = (sub or "00") if main else ""
    return IpcCode(sec, cls or "", letter or "", main_group, subgroup)


def parse_ipc_list(raw: str | list[str] | None) -> tuple[list[IpcCode], list[str]]:
    """Split a ``;``-joined (or list) IPC field; return parsed codes (deduplicated, in order) and the bad parts."""
    if raw is None:
        return [], []
    parts = raw if isinstance(raw, list) else _LIST_SPLIT.split(raw)
    codes: list[IpcCode] = []
    bad: list[str] = []
    seen: set[str] = set()
    for part in parts:
        part = part.strip()
        if not part:
            continue
        try:
            code = parse_ipc(part)
        except InvalidIpcError:
            bad.append(part)
            continue
        if code.code not in seen:
            seen.add(code.code)
            codes.append(code)
    return codes, bad


@dataclass(frozen=True, slots=True)
class IpcPattern:
    """A concordance entry such as ``H01M2*``, ``G06F3/048*``, ``B03*`` or ``H04M3/42``."""

    prefix: str  # section/class/subclass text the symbol must start with (class-level) or equal
    main_group: str = ""
    subgroup: str = ""
    star: bool = False
    source: str = ""

    def matches(self, code: IpcCode) -> bool:
        """True when ``code`` falls under this entry (field by field, not by string prefix)."""
        if not self.main_group:
            return code.code.startswith(self.prefix)
        if code.subclass != self.prefix or code.main_group != self.main_group:
            return False
        if not self.subgroup or self.subgroup == "00":
            return True  # whole main group: "H01M2*", "H01M10/00"
        if self.star:
            return code.subgroup.startswith(self.subgroup)
        return code.subgroup == self.subgroup


def parse_pattern(raw: str) -> IpcPattern:
    """Parse a concordance entry; ``*`` marks "and everything below"."""
    text = to_halfwidth(raw).strip().upper().replace(" ", "")
    star = text.endswith("*") or text.endswith("%")
    text = text.rstrip("*%").rstrip("/")
    match = re.fullmatch(r"([A-H](?:\d{2}(?:[A-Z])?)?)(?:(\d{1,4})(?:/(\d{1,6}))?)?", text)
    if not match:
        raise InvalidIpcError(f"参照表分类号格式不正确：{raw!r}")
    prefix, main, sub = match.groups()
    if main and len(prefix) != 4:
        raise InvalidIpcError(f"参照表分类号格式不正确：{raw!r}")
    return IpcPattern(
        prefix=prefix,
        main_group=str(int(main)) if main else "",
        subgroup=sub or "",
        star=star,
        source=raw.strip(),
    )
