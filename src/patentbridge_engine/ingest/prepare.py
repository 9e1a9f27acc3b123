"""Everything about a row that does not need the database, computed ahead of the writer.

For a patent that is new to the library, the merged fields are the record's own fields, so
its derived values, stored column values and classification rows can be computed here — in a
separate process during large imports, which keeps the second core busy while the database
writer works. Rows that turn out to update a stored patent are recomputed by the writer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from patentbridge_engine.classify.classifier import Classifier
from patentbridge_engine.classify.rows import ClassRow, classification_rows
from patentbridge_engine.ingest.merge import Derived, derive, merge_fields
from patentbridge_engine.ingest.pipeline import RowOutcome

__all__ = [
    "ColumnSpec",
    "JsonText",
    "PreparedRow",
    "classification_text",
    "column_values",
    "prepare_outcomes",
]


class JsonText(str):
    """A value already serialised as JSON, so the database writer stores it as is."""

    __slots__ = ()


# (field name, kind: "json" | "text" | "value", max length, value stored for "absent")
ColumnSpec = tuple[str, str, int | None, Any]


def column_values(fields: Mapping[str, Any], spec: Sequence[ColumnSpec]) -> tuple[Any, ...]:
    """Field values in ``spec`` order, in stored form: absent → the column's empty value, texts cut
    to the column size, lists serialised as JSON."""
    out: list[Any] = []
    for name, kind, max_length, empty in spec:
        value = fields.get(name)
        if value is None:
            value = empty
        if kind == "json":
            out.append(JsonText(json.dumps(value if value is not None else [], ensure_ascii=False)))
        elif kind == "text" and max_length and isinstance(value, str) and len(value) > max_length:
            out.append(value[:max_length])
        else:
            out.append(value)
    return tuple(out)


def classification_text(fields: Mapping[str, Any]) -> str:
    """The text the keyword conditions of the classification rules look at."""
    return " ".join(str(fields.get(k) or "") for k in ("title", "abstract", "main_claim"))


@dataclass(slots=True)
class PreparedRow:
    """An outcome plus, for accepted rows, what a new patent would store."""

    outcome: RowOutcome
    derived: Derived | None = None
    values: tuple[Any, ...] = ()
    classes: Sequence[ClassRow] = ()


def prepare_outcomes(
    outcomes: Iterator[RowOutcome], classifier: Classifier, as_of: dt.date, spec: Sequence[ColumnSpec] = ()
) -> Iterator[PreparedRow]:
    """Attach merged fields, derived values, stored column values and classes to accepted outcomes."""
    for outcome in outcomes:
        if outcome.record is None:
            yield PreparedRow(outcome)
            continue
        fields = merge_fields({}, outcome.record)
        yield PreparedRow(
            outcome,
            derived=derive(fields, as_of),
            values=column_values(fields, spec) if spec else (),
            classes=classification_rows(classifier, fields.get("ipc") or [], classification_text(fields)),
        )
