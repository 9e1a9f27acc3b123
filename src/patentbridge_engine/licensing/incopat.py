"""incoPat export columns → right-ledger events (licences, pledges, transfers; §1.1, source S35).

An incoPat row lists every licence, pledge or transfer of a patent in one cell per column, several
records separated by ``;``/``；``/``|`` or by line breaks, aligned by position across the columns of
one group (the 2nd 许可合同备案号 goes with the 2nd 许可合同备案日期 and the 2nd 被许可人). Bad cells never
raise: each becomes a Chinese problem line the importer shows for the row.

What the columns cannot say, and how it is read:
- A licence's start is its 备案日期 (the contract's effective date is not exported); no end is
  exported, so a licence is open-ended unless 当前被许可人 (non-empty) no longer names its licensee,
  in which case it has ended on an unknown date and is recorded as ending on its filing day.
- A pledge runs over its 质押期限; a pledge whose pledgee 当前质权人 (non-empty) no longer names was
  released on an unknown date and likewise ends on its start day.
- An empty 当前被许可人/当前质权人 proves nothing (many exports leave it blank), so nothing is ended
  on it: a wrongly open burden blocks a check and can be corrected; a wrongly ended one would not.
- A transfer takes effect on registration (专利法 Art. 10), so 转让登记日 is its date; 转让执行日 is
  used only when the registration date is missing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from patentbridge_engine.ingest.values import parse_date
from patentbridge_engine.licensing.ledger import LicenceKind, RightEvent, RightKind
from patentbridge_engine.text.width import to_halfwidth

__all__ = ["INCOPAT_RIGHT_COLUMNS", "events_from_incopat", "licence_kind_from_text", "parse_term"]

INCOPAT_RIGHT_COLUMNS: tuple[str, ...] = (
    "许可合同备案号",
    "许可合同备案日期",
    "许可人",
    "被许可人",
    "当前被许可人",
    "许可类型",
    "质押号",
    "质押期限",
    "质权人",
    "当前质权人",
    "转让登记号",
    "转让登记日",
    "转让执行日",
    "转让人",
    "受让人",
)

_EMPTY = {"", "-", "--", "—", "——", "无", "none", "null", "nan", "n/a"}
_BY_LINE = re.compile(r"[ \t]*(?:\r\n|\r|\n)\s*")
_BY_MARK = re.compile(r"\s*[;；|]\s*")
_ANY_SEP = re.compile(r"\s*(?:[;；|、]|\r\n|\r|\n)\s*")
_DATE_IN_TEXT = re.compile(
    r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"
)
_KIND_WORDS = (("独占", LicenceKind.EXCLUSIVE), ("排他", LicenceKind.SOLE), ("普通", LicenceKind.ORDINARY))
# Other incoPat licence types that say nothing about exclusivity: recorded as ordinary, silently.
_NEUTRAL_KINDS = ("分许可", "交叉许可", "其他")


def _cell(row: Mapping[str, str], column: str) -> str:
    raw = row.get(column)
    text = "" if raw is None else str(raw).strip()
    return "" if text.lower() in _EMPTY else text


def _items(text: str, by_line: bool) -> list[str]:
    """Split a cell into positional items (empty items kept, trailing empties dropped)."""
    if not text:
        return []
    items = [t.strip() for t in (_BY_LINE if by_line else _BY_MARK).split(text)]
    while items and not items[-1]:
        items.pop()
    return ["" if t.lower() in _EMPTY else t for t in items]


def _names(text: str) -> set[str]:
    return {n for n in _ANY_SEP.split(text) if n}


def licence_kind_from_text(text: str) -> LicenceKind | None:
    """独占/排他/普通 (or the English names) → kind; empty or neutral types (分许可, 交叉许可) →
    ordinary; None when the text is no licence type at all."""
    t = text.strip().lower()
    if not t or any(w in t for w in _NEUTRAL_KINDS):
        return LicenceKind.ORDINARY
    for word, kind in _KIND_WORDS:
        if word in t or t == kind.value:
            return kind
    return None


def parse_term(text: str) -> tuple[dt.date | None, dt.date | None, str]:
    """A 质押期限 such as ``2021-03-01至2024-02-28``, ``2021.03.01-2024.02.28``, ``20210301~20240228``
    or ``2021年3月1日至2024年2月28日`` → (start, end, problem); problem is "" when both dates read."""
    found: list[dt.date] = []
    for m in _DATE_IN_TEXT.finditer(to_halfwidth(text)):
        y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        try:
            found.append(dt.date(y, mo, d))
        except ValueError:
            return None, None, f"期限中的日期不存在：{text}"
    if len(found) == 2:
        start, end = found
        if end < start:
            return start, None, f"期限终止日早于起始日，按无终止日记录：{text}"
        return start, end, ""
    if len(found) == 1:
        return found[0], None, f"期限只有一个日期，按起始日记录、终止日期不详：{text}"
    return None, None, f"期限无法识别：{text}"


class _Group:
    """One column group of a row split into aligned records."""

    def __init__(
        self,
        row: Mapping[str, str],
        label: str,
        keys: tuple[str, str],
        columns: tuple[str, ...],
        problems: list[str],
    ) -> None:
        self.row, self.label, self.problems = row, label, problems
        # Line breaks separate records when present anywhere in the group; otherwise the marks do.
        self.by_line = any(_BY_LINE.search(_cell(row, c)) for c in (*keys, *columns))
        a, b = (_items(_cell(row, k), self.by_line) for k in keys)
        self.count = max(len(a), len(b))
        if a and b and len(a) != len(b):
            problems.append(f"{keys[0]}（{len(a)} 项）与{keys[1]}（{len(b)} 项）项数不一致，按顺序对应")
        self.keys = (a, b)

    def key(self, which: int, i: int) -> str:
        values = self.keys[which]
        return values[i] if i < len(values) else ""

    def parties(self, column: str) -> list[str]:
        """The column's value for each record: aligned, broadcast when it names one party, joined
        with ``；`` when there is one record; ``""`` for all when it cannot be aligned."""
        text = _cell(self.row, column)
        if self.count == 0 or not text:
            return [""] * self.count
        items = _items(text, self.by_line)
        if self.count == 1:
            return ["；".join(n for n in _ANY_SEP.split(text) if n)]
        if len(items) == self.count:
            return items
        if len(items) == 1:
            return items * self.count
        self.problems.append(
            f"{column}有 {len(items)} 项，与 {self.count} 项{self.label}无法对应，未记录{column}"
        )
        return [""] * self.count

    def ended_now(self, column: str, party: str) -> bool:
        """True when the non-empty 当前… column no longer names any of ``party``'s names."""
        current = _names(_cell(self.row, column))
        return bool(current and party) and not (_names(party) & current)


def _date(problems: list[str], i: int, column: str, text: str) -> dt.date | None:
    if not text:
        problems.append(f"第{i}项{column}缺失，未导入")
        return None
    try:
        return parse_date(text)
    except ValueError:
        problems.append(f"第{i}项{column}无法识别：{text}")
        return None


def _licences(row: Mapping[str, str], problems: list[str]) -> list[RightEvent]:
    g = _Group(
        row, "许可", ("许可合同备案号", "许可合同备案日期"), ("许可人", "被许可人", "许可类型"), problems
    )
    licensees, kinds = g.parties("被许可人"), g.parties("许可类型")
    out: list[RightEvent] = []
    for i in range(g.count):
        n = i + 1
        start = _date(problems, n, "许可合同备案日期", g.key(1, i))
        if start is None:
            continue
        kind = licence_kind_from_text(kinds[i])
        if kind is None:
            problems.append(f"第{n}项许可类型无法识别，按普通许可记录：{kinds[i]}")
            kind = LicenceKind.ORDINARY
        end = None
        if g.ended_now("当前被许可人", licensees[i]):
            end = start
            problems.append(
                f"第{n}项许可的被许可人不在当前被许可人中，视为已终止（终止日期不详，按备案日记录）"
            )
        record_no = g.key(0, i)
        out.append(
            RightEvent(
                kind=RightKind.LICENCE,
                start=start,
                end=end,
                sub_kind=kind.value,
                counterparty=licensees[i],
                record_no=record_no,
                source="import",
                ref=record_no,
            )
        )
    return out


def _pledges(row: Mapping[str, str], problems: list[str]) -> list[RightEvent]:
    g = _Group(row, "质押", ("质押号", "质押期限"), ("质权人",), problems)
    pledgees = g.parties("质权人")
    out: list[RightEvent] = []
    for i in range(g.count):
        n = i + 1
        term = g.key(1, i)
        if not term:
            problems.append(f"第{n}项质押期限缺失，未导入")
            continue
        start, end, problem = parse_term(term)
        if problem:
            problems.append(f"第{n}项质押{problem}")
        if start is None:
            continue
        if g.ended_now("当前质权人", pledgees[i]):
            end = start
            problems.append(f"第{n}项质押的质权人不在当前质权人中，视为已解除（解除日期不详，按起始日记录）")
        record_no = g.key(0, i)
        out.append(
            RightEvent(
                kind=RightKind.PLEDGE,
                start=start,
                end=end,
                sub_kind="registered",
                counterparty=pledgees[i],
                record_no=record_no,
                source="import",
                ref=record_no,
            )
        )
    return out


def _transfers(row: Mapping[str, str], problems: list[str]) -> list[RightEvent]:
    date_column = "转让登记日"
    if not _cell(row, date_column) and _cell(row, "转让执行日"):
        date_column = "转让执行日"
        problems.append("转让登记日缺失，按转让执行日记录转让日期")
    g = _Group(row, "转让", ("转让登记号", date_column), ("转让人", "受让人"), problems)
    assignees = g.parties("受让人")
    out: list[RightEvent] = []
    for i in range(g.count):
        start = _date(problems, i + 1, date_column, g.key(1, i))
        if start is None:
            continue
        record_no = g.key(0, i)
        out.append(
            RightEvent(
                kind=RightKind.TRANSFER,
                start=start,
                counterparty=assignees[i],
                record_no=record_no,
                source="import",
                ref=record_no,
            )
        )
    return out


def _orphans(row: Mapping[str, str], problems: list[str]) -> None:
    """Parties without any record number or date cannot become events: say so."""
    groups = (
        ("被许可人", ("许可合同备案号", "许可合同备案日期"), "许可"),
        ("质权人", ("质押号", "质押期限"), "质押"),
        ("受让人", ("转让登记号", "转让登记日", "转让执行日"), "转让"),
    )
    for party, keys, label in groups:
        if _cell(row, party) and not any(_cell(row, k) for k in keys):
            problems.append(f"有{party}但缺少{label}登记号和日期，{label}未导入")


def events_from_incopat(row: Mapping[str, str]) -> tuple[list[RightEvent], list[str]]:
    """The licence, pledge and transfer events one incoPat row records, and the Chinese problems
    found in its cells (never raises on bad cells). Events carry ``source="import"`` and the
    record number as ``ref``."""
    problems: list[str] = []
    events = _licences(row, problems) + _pledges(row, problems) + _transfers(row, problems)
    _orphans(row, problems)
    return events, problems
