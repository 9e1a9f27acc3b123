"""Import parsing: readers for CSV/XLSX/JSONL/JSON/CNIPA XML, header mapping and validation."""

from patentbridge_engine.ingest.cnipa_xml import parse_cnipa_xml
from patentbridge_engine.ingest.encoding import detect_encoding
from patentbridge_engine.ingest.headers import HeaderMap, fold_header, map_headers
from patentbridge_engine.ingest.pipeline import FORMATS, RowOutcome, detect_format, iter_outcomes, read_rows
from patentbridge_engine.ingest.record import FIELD_LABELS, PatentRecord, RowIssue, SourceRow

__all__ = [
    "FIELD_LABELS",
    "FORMATS",
    "HeaderMap",
    "PatentRecord",
    "RowIssue",
    "RowOutcome",
    "SourceRow",
    "detect_encoding",
    "detect_format",
    "fold_header",
    "iter_outcomes",
    "map_headers",
    "parse_cnipa_xml",
    "read_rows",
]
