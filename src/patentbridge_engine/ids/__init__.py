"""Identifier parsing: CN application/publication numbers and USCC codes."""

from patentbridge_engine.ids.orgs import OrgKind, applicant_kind, normalize_org_name, region_of
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
    "OrgKind",
    "PublicationNumber",
    "app_check_char",
    "applicant_kind",
    "is_valid_uscc",
    "normalize_org_name",
    "parse_application_number",
    "parse_publication_number",
    "region_of",
    "uscc_check_char",
]
