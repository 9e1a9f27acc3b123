"""Prepared rows in chunks, produced inline or by a helper process on a second core.

The helper process reads and parses the file, validates rows, and computes each row's
merged fields, derived values and classification; the caller only writes to the database.
A bounded queue keeps memory flat: the producer waits when the writer falls behind.
The helper exits by itself when its parent dies (kill -9), so nothing is left running.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import astuple
from pathlib import Path
from typing import Any

from patentbridge_engine.classify.chains import parse_chain_config
from patentbridge_engine.classify.classifier import Classifier
from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest.merge import Derived
from patentbridge_engine.ingest.pipeline import RowOutcome, iter_outcomes, read_rows
from patentbridge_engine.ingest.prepare import ColumnSpec, PreparedRow, prepare_outcomes
from patentbridge_engine.ingest.record import PatentRecord, RowIssue
from patentbridge_engine.ingest.safety import describe_read_error

__all__ = ["prepared_chunks"]

# Chunks allowed in flight between the helper and the writer.
_QUEUE_CHUNKS = 4
# Seconds between checks that the other side is still alive.
_POLL_SECONDS = 1.0


def _chunks(
    path: Path,
    fmt: str,
    mapping: Mapping[str, str],
    start_after: int,
    size: int,
    chain_config: dict[str, Any],
    as_of: dt.date,
    spec: Sequence[ColumnSpec],
    share: tuple[int, int] = (0, 1),
) -> Iterator[list[PreparedRow]]:
    """Prepared chunks number ``share[0]``, ``share[0] + share[1]``, … of the file.

    Every helper reads the whole file (cheap) but validates and classifies only its share
    (the expensive part), so several helpers can split the work chunk by chunk.
    """
    mine, helpers = share
    classifier = Classifier.default(parse_chain_config(chain_config))
    rows = (r for r in read_rows(path, fmt) if r.row_number > start_after)
    for number in itertools.count():
        raw = list(itertools.islice(rows, size))
        if not raw:
            return
        if number % helpers == mine:
            yield list(prepare_outcomes(iter_outcomes(iter(raw), mapping), classifier, as_of, spec))


_RECORD_FIELDS = tuple(f for f in PatentRecord.__slots__ if f != "warnings")


def _to_wire(row: PreparedRow) -> tuple[Any, ...]:
    """Plain tuples pickle several times faster than slotted dataclasses."""
    o = row.outcome
    record = tuple(getattr(o.record, f) for f in _RECORD_FIELDS) if o.record is not None else None
    issues = tuple((i.row_number, i.field, i.value, i.reason) for i in o.issues)
    derived = astuple(row.derived) if row.derived is not None else None
    return (o.row_number, o.label, record, issues, derived, row.values, tuple(row.classes))


def _from_wire(item: tuple[Any, ...]) -> PreparedRow:
    row_number, label, record_values, issues, derived, values, classes = item
    record = PatentRecord(*record_values) if record_values is not None else None
    outcome = RowOutcome(row_number, label, record, [RowIssue(*i) for i in issues])
    return PreparedRow(outcome, Derived(*derived) if derived is not None else None, values, classes)


def _watch_parent(parent: int) -> None:
    """Exit the helper as soon as the writer is gone (kill -9 included), whatever it is blocked on."""
    while os.getppid() == parent:
        time.sleep(_POLL_SECONDS)
    os._exit(0)


def _produce(out: Any, parent: int, args: tuple[Any, ...]) -> None:
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        for prepared in _chunks(*args):
            chunk = [_to_wire(row) for row in prepared]
            while True:
                if os.getppid() != parent:
                    return  # the writer is gone; stop instead of filling a queue nobody reads
                try:
                    out.put(("chunk", chunk), timeout=_POLL_SECONDS)
                    break
                except queue.Full:
                    continue
        out.put(("done", None))
    except InputFormatError as exc:
        out.put(("format_error", str(exc)))
    except Exception as exc:  # reported to the writer, which fails the batch with the message
        out.put(("error", describe_read_error(exc)))


def prepared_chunks(
    path: Path,
    fmt: str,
    mapping: Mapping[str, str],
    *,
    start_after: int,
    size: int,
    chain_config: dict[str, Any],
    as_of: dt.date,
    parallel: bool,
    spec: Sequence[ColumnSpec] = (),
    helpers: int = 2,
) -> Iterator[list[PreparedRow]]:
    """Chunks of prepared rows after ``start_after``; ``parallel`` uses helper processes
    (``helpers`` of them, at most one per CPU), dealt chunks in turn so order is kept.

    ``spec`` describes the writer's columns so that rows arrive in stored form.
    """
    args = (path, fmt, dict(mapping), start_after, size, chain_config, as_of, list(spec))
    if not parallel:
        yield from _chunks(*args)
        return
    # spawn, not fork: a forked helper would inherit the writer's database sockets and keep a
    # killed writer's transaction (and its locks) alive.
    context = multiprocessing.get_context("spawn")
    count = max(1, min(helpers, os.cpu_count() or 1))
    channels = [context.Queue(maxsize=_QUEUE_CHUNKS) for _ in range(count)]
    workers = [
        context.Process(target=_produce, args=(channels[k], os.getpid(), (*args, (k, count))), daemon=True)
        for k in range(count)
    ]
    for worker in workers:
        worker.start()
    try:
        for number in itertools.count():
            channel, worker = channels[number % count], workers[number % count]
            while True:
                try:
                    kind, payload = channel.get(timeout=_POLL_SECONDS)
                    break
                except queue.Empty:
                    if not worker.is_alive():
                        raise InputFormatError(f"读取进程意外退出（exit code {worker.exitcode}）") from None
            if kind == "chunk":
                yield [_from_wire(item) for item in payload]
            elif kind == "done":
                return  # chunks are dealt out in order, so no later chunk exists either
            elif kind == "format_error":
                raise InputFormatError(payload)
            else:
                raise RuntimeError(payload)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join(timeout=5)
        for channel in channels:
            channel.close()
