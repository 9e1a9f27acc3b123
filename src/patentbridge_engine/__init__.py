"""PatentBridge engine: plain-Python patent logic that never imports Django.

Sub-packages:

- ``ids``: CN application/publication numbers, USCC codes, applicant names (kind, region);
- ``legal``: statutory terms and the legal-status state model;
- ``classify``: IPC parsing and hierarchy, concordances, industry-chain rules, IPC suggestion from text;
- ``ingest``: readers (CSV/XLSX/CNKI .xls/JSONL/JSON/CNIPA XML), header mapping, validation, A/B merge;
- ``grading``: value grades, high-value invention flags, the public implementation list, back-test;
- ``retrieval``: BM25 keyword index (tantivy), encoders (static table distilled from E5, E5 itself),
  vector store (exact scan, faiss IVF-SQ8 with exact re-ranking from 200,000 documents), doc store;
- ``search``: hybrid search over both, hit strength and explanations, inventor teams;
- ``text``: width folding, normalisation, tokenisation, need-text reduction;
- ``bench``: synthetic load-test corpora built from real seed records.

Also ``errors`` (the exception hierarchy) and ``__main__`` (the build-index/search command line).
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
