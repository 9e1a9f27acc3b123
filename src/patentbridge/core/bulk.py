"""Fast multi-row INSERT for rows written in bulk (imported patents, classes, links, audit events).

The ORM's bulk_create builds a model instance and prepares every value through its field per
row; for the tens of thousands of rows an import writes, that dominated the import time. These
rows need no model behaviour, so they go in with one executemany and a light conversion of
JSON, date and datetime values (the same conversions the ORM would apply).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

from patentbridge_engine.ingest.prepare import JsonText

__all__ = ["insert_rows"]


def _converter(field: Any) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda v: v if isinstance(v, JsonText) else json.dumps(v, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return lambda v: v if isinstance(v, str) else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT ``rows`` (tuples in ``columns`` order; field names, FKs by name) into ``model``'s table."""
    meta = model._meta
    fields = [meta.get_field(c) for c in columns]
    converters = [(i, conv) for i, f in enumerate(fields) if (conv := _converter(f)) is not None]
    prepared: list[Sequence[Any]] = []
    for row in rows:
        if converters:
            values = list(row)
            for i, convert in converters:
                if values[i] is not None:
                    values[i] = convert(values[i])
            prepared.append(values)
        else:
            prepared.append(row)
    if not prepared:
        return 0
    is_pg = connection.vendor == "postgresql"
    placeholders = ", ".join(
        "%s::jsonb" if is_pg and isinstance(f, models.JSONField) else "%s" for f in fields
    )
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)  # type: ignore[union-attr, arg-type]
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({quoted}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
    return len(prepared)
