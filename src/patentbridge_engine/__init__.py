"""PatentBridge engine: plain-Python patent logic that never imports Django.

Sub-packages: ``ids`` (application/publication numbers, USCC), ``legal`` (terms and status),
``classify`` (IPC, concordances, industry chains, IPC suggestion), ``ingest`` (readers and
validation of patent exports), ``text`` (normalisation).
"""

from patentbridge_engine import _threads  # noqa: F401  (first: sets BLAS threading)
from patentbridge_engine.classify import Assignment, Classifier, IpcCode, parse_ipc, parse_ipc_list
from patentbridge_engine.errors import (
    InputFormatError,
    InvalidIpcError,
    InvalidNumberError,
    PatentBridgeEngineError,
)
from patentbridge_engine.ids import parse_application_number, parse_publication_number
from patentbridge_engine.ingest import PatentRecord, RowIssue, RowOutcome, iter_outcomes, read_rows
from patentbridge_engine.legal import LegalState, PatentType, status_as_of, term_expiry

__all__ = [
    "Assignment",
    "Classifier",
    "InputFormatError",
    "InvalidIpcError",
    "InvalidNumberError",
    "IpcCode",
    "LegalState",
    "PatentBridgeEngineError",
    "PatentRecord",
    "PatentType",
    "RowIssue",
    "RowOutcome",
    "iter_outcomes",
    "parse_application_number",
    "parse_ipc",
    "parse_ipc_list",
    "parse_publication_number",
    "read_rows",
    "status_as_of",
    "term_expiry",
]
__version__ = "0.1.0"
