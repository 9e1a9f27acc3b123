"""Identifier parsing: CN application/publication numbers and USCC codes."""

from patentbridge_engine.ids.patent_numbers import (
    ApplicationNumber,
    PublicationNumber,
    app_check_char,
    parse_application_number,
    parse_publication_number,
)
from patentbridge_engine.ids.uscc import is_valid_uscc, uscc_check_char

__all__ = [
    "ApplicationNumber",
    "PublicationNumber",
    "app_check_char",
    "is_valid_uscc",
    "parse_application_number",
    "parse_publication_number",
    "uscc_check_char",
]
