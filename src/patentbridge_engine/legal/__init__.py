"""Statutory terms and the legal-status state model (domain-rules §11.1–11.2)."""

from patentbridge_engine.legal.status import (
    LegalEvent,
    LegalState,
    parse_status_text,
    status_as_of,
)
from patentbridge_engine.legal.terms import PatentType, add_years, term_expiry

__all__ = [
    "LegalEvent",
    "LegalState",
    "PatentType",
    "add_years",
    "parse_status_text",
    "status_as_of",
    "term_expiry",
]
