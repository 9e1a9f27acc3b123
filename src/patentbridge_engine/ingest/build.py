"""Turn a mapped source row into a :class:`PatentRecord`, or into the issues that reject it.

A row is rejected when it has neither a usable application number nor a publication number
(the merge key, see :func:`publication_key`), or when a field that decides
identity or dates is unreadable; softer problems (an unparseable IPC symbol among good ones)
become warnings on an accepted record.

Identity: a patent is keyed by its application number when the source gives one. Sources without
it (CNKI exports) key the patent by its publication number without the kind code — ``CN116510786``
for both ``CN116510786A`` and ``CN116510786B`` — because a Chinese application's A publication and
its B grant share the serial. No application number is ever invented; the merge of an A and a B
row is only accepted when the applicants agree and the title or the inventors agree
(``merge.publication_conflict``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from patentbridge_engine.classify.ipc import parse_ipc, parse_ipc_list
from patentbridge_engine.errors import InvalidIpcError, InvalidNumberError
from patentbridge_engine.ids.patent_numbers import parse_application_number, parse_publication_number
from patentbridge_engine.ingest.headers import HeaderMap
from patentbridge_engine.ingest.record import PatentRecord, RowIssue, SourceRow
from patentbridge_engine.ingest.rights import right_cells, right_issues
from patentbridge_engine.ingest.values import parse_bool, parse_date, parse_int, split_list, text_value
from patentbridge_engine.legal.status import parse_status_text
from patentbridge_engine.legal.terms import PatentType

__all__ = ["build_record", "is_publication_key", "publication_key"]

_TEXT_FIELDS = (
    "title",
    "abstract",
    "main_claim",
    "claims",
    "applicant_address",
    "region_code",
    "applicant_kind_text",
    "fiscal_project",
    "priority",
    "agency",
    "agent",
    "college",
)
_LIST_FIELDS = ("applicants", "patentees", "inventors", "legal_events", "citations", "family", "cpc")
_DATE_FIELDS = ("filing_date", "publication_date", "grant_date", "lapse_date")
_INT_FIELDS = (
    "claims_count",
    "transfer_count",
    "license_count",
    "pledge_count",
    "cited_by_count",
    "family_size",
)
# Exports leave inline-image markers such as "#imgabs0#" in abstracts.
_IMAGE_PLACEHOLDER = re.compile(r"#img[a-z]*\d+#")
# Design patents carry a Locarno class (09-01, or 09-01-B0367 with the product code) instead of IPC.
_LOCARNO = re.compile(r"^\d{2}-\d{2}(-[A-Z]\d{4})?$")
# U+FFFD appears where bytes could not be decoded: the row's text cannot be trusted.
_REPLACEMENT = "\ufffd"


def _field_values(row: SourceRow, header_map: HeaderMap) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for header, field in header_map.fields.items():
        if header in row.values:
            values[field] = row.values[header]
    return values


def build_record(row: SourceRow, header_map: HeaderMap) -> tuple[PatentRecord | None, list[RowIssue]]:
    """Validate and normalise one row. Returns ``(record, [])``, ``(record, warnings)`` or ``(None, errors)``."""
    n = row.row_number
    values = _field_values(row, header_map)
    errors: list[RowIssue] = []
    warnings: list[RowIssue] = []

    def fail(field: str, raw: Any, reason: str) -> None:
        errors.append(RowIssue(n, field, text_value(raw)[:200], reason))

    for field, raw in values.items():
        if isinstance(raw, str) and _REPLACEMENT in raw:
            fail(field, raw, "含无法识别的字符，文件编码可能不一致（请另存为 UTF-8 或 GB18030）")
    raw_number = values.get("application_number")
    if not text_value(raw_number):
        key = publication_key(values)
        foreign = _foreign_publication(values)
        if foreign:
            fail("publication_number", foreign, "不是中国专利的公开号，专利资源库只收录中国专利")
            return None, errors
        if key is None:
            fail(
                "application_number",
                raw_number,
                "缺少申请号，也没有可识别的公开（公告）号，无法确定是哪一件专利",
            )
            return None, errors
        key_text, implied_type, filing_year = key, _publication_type(values), None
    else:
        try:
            number = parse_application_number(text_value(raw_number))
        except InvalidNumberError as exc:
            fail("application_number", raw_number, str(exc))
            return None, errors
        key_text, implied_type = number.canonical, number.patent_type
        filing_year = number.filing_year if len(number.digits) == 12 else None

    record = PatentRecord(application_number=key_text)
    for field in _TEXT_FIELDS:
        if field in values:
            text = text_value(values[field])
            setattr(record, field, _IMAGE_PLACEHOLDER.sub("", text) if "#img" in text else text)
    for field in _LIST_FIELDS:
        if field in values:
            setattr(record, field, split_list(values[field]))
    _parse_each(values, _DATE_FIELDS, parse_date, record, fail)
    _parse_each(
        values,
        _INT_FIELDS,
        parse_int,
        record,
        lambda f, r, m: warnings.append(RowIssue(n, f, text_value(r), m)),
    )
    if "fiscal_funded" in values:
        try:
            record.fiscal_funded = parse_bool(values["fiscal_funded"])
        except ValueError as exc:
            fail("fiscal_funded", values["fiscal_funded"], str(exc))

    _publication_numbers(values, record, fail)
    _patent_type(values, record, implied_type, fail)
    _ipc_fields(values, record, lambda f, r, m: warnings.append(RowIssue(n, f, r, m)))
    # Licence/pledge/transfer cells are kept raw; what the ledger reader cannot use is a warning
    # on the row (the patent's other data is still good).
    record.right_records, cut = right_cells(values, n)
    warnings.extend(cut)
    warnings.extend(right_issues(n, record.right_records))
    if record.grant_number and not record.grant_date and record.grant_number == record.publication_number:
        record.grant_date = record.publication_date  # a grant-kind publication is the grant announcement
    status_text = text_value(values.get("legal_status"))
    record.legal_status_text = status_text
    record.stated_status = parse_status_text(status_text).value if status_text else ""
    if record.filing_date and record.grant_date and record.grant_date < record.filing_date:
        fail("grant_date", values.get("grant_date"), "授权公告日早于申请日")
    if record.filing_date and filing_year is not None and record.filing_date.year > filing_year:
        fail("filing_date", values.get("filing_date"), f"申请日晚于申请号所示年份（{filing_year}），二者矛盾")
    elif record.filing_date and filing_year is not None and record.filing_date.year < filing_year:
        # A divisional application keeps its parent's filing date, and a PCT application entering
        # the national phase keeps its international filing date, under a later year's number.
        warnings.append(
            RowIssue(
                n,
                "filing_date",
                text_value(values.get("filing_date")),
                f"申请日早于申请号所示年份（{filing_year}）：通常为分案申请或PCT国际申请进入中国，按申请日计算期限",
            )
        )
    if errors:
        return None, errors
    record.warnings = warnings
    return record, warnings


def _parse_each(
    values: dict[str, Any],
    fields: tuple[str, ...],
    parser: Callable[[Any], Any],
    record: PatentRecord,
    report: Callable[[str, Any, str], None],
) -> None:
    for field in fields:
        if field in values and values[field] not in ("", None):
            try:
                setattr(record, field, parser(values[field]))
            except ValueError as exc:
                report(field, values[field], str(exc))


def _publication_numbers(
    values: dict[str, Any], record: PatentRecord, fail: Callable[[str, Any, str], None]
) -> None:
    for field in ("publication_number", "grant_number"):
        raw = text_value(values.get(field))
        if not raw or raw in ("0", "-"):
            continue
        try:
            parsed = parse_publication_number(raw)
        except InvalidNumberError as exc:
            bare = _kindless(raw)
            if bare is None:
                fail(field, raw, str(exc))
            else:  # older CNKI rows give the number without its kind code: keep it as given
                setattr(record, field, bare)
            continue
        if field == "publication_number" and parsed.is_grant and not text_value(values.get("grant_number")):
            record.grant_number = parsed.canonical
        setattr(record, field, parsed.canonical)


def _patent_type(
    values: dict[str, Any], record: PatentRecord, implied: str, fail: Callable[[str, Any, str], None]
) -> None:
    raw = text_value(values.get("patent_type"))
    given = PatentType.from_text(raw) if raw else None
    if raw and given is None:
        fail("patent_type", raw, "专利类型应为发明、实用新型或外观设计")
        return
    if given and implied in ("invention", "utility_model", "design") and given.value != implied:
        fail("patent_type", raw, f"专利类型与申请号类型位不一致（申请号表明为{PatentType(implied).label}）")
        return
    record.patent_type = given.value if given else (implied if implied != "unknown" else "")


def _ipc_fields(values: dict[str, Any], record: PatentRecord, warn: Callable[[str, str, str], None]) -> None:
    raw_all = values.get("ipc")
    codes, bad = parse_ipc_list(raw_all if isinstance(raw_all, list) else text_value(raw_all))
    for part in bad:
        warn("ipc", part, "IPC分类号无法识别，已跳过该分类号")
    main_raw = text_value(values.get("ipc_main"))
    main = ""
    if main_raw:
        try:
            main = parse_ipc(main_raw).code
        except InvalidIpcError:
            locarno = _LOCARNO.match(main_raw)
            warn(
                "ipc_main",
                main_raw,
                "外观设计的洛迦诺分类号，不是 IPC，未计入 IPC 分类" if locarno else "IPC主分类号无法识别",
            )
    all_codes = [c.code for c in codes]
    if not main and all_codes:
        main = all_codes[0]
    if main and main not in all_codes:
        all_codes.insert(0, main)
    record.ipc_main = main
    record.ipc = all_codes


def publication_key(values: dict[str, Any]) -> str | None:
    """The identity of a row without an application number: country + serial of its publication
    (or grant) number, the kind code dropped; None when neither number is readable."""
    for field in ("publication_number", "grant_number"):
        raw = text_value(values.get(field))
        if raw and raw not in ("0", "-"):
            try:
                parsed = parse_publication_number(raw)
            except InvalidNumberError:
                bare = _kindless(raw)
                if bare is not None:
                    return bare
                continue
            return f"{parsed.country}{parsed.serial}"
    return None


_KINDLESS = re.compile(r"(CN)?(\d{7,10})")


def _kindless(raw: str) -> str | None:
    """``CN101654692`` (a publication number whose kind code the source left out), normalised."""
    match = _KINDLESS.fullmatch(re.sub(r"[\s.]", "", raw.upper()))
    return f"CN{match.group(2)}" if match else None


def is_publication_key(key: str) -> bool:
    """Whether a stored patent key is a publication-number key (application numbers are digits)."""
    return key[:2].isalpha()


def _publication_type(values: dict[str, Any]) -> str:
    """Patent type implied by the publication's serial (1 invention, 2 utility model, 3 design)."""
    for field in ("publication_number", "grant_number"):
        try:
            return parse_publication_number(text_value(values.get(field))).patent_type
        except InvalidNumberError:
            continue
    return "unknown"


def _foreign_publication(values: dict[str, Any]) -> str:
    """The publication number when it names another office (TW…, US…), else ``""``."""
    raw = text_value(values.get("publication_number")).strip().upper()
    return raw if raw[:2].isalpha() and not raw.startswith("CN") else ""
