"""Licensing models: the right-event ledger, offers, applications, contracts, filings, money and
open licences (transactions-and-analytics.md §1–§3)."""

from patentbridge.licensing.models.contracts import (
    ContractPatent,
    ContractStep,
    LicenceContract,
    LicenceFiling,
    PublicNotice,
)
from patentbridge.licensing.models.ledger import Document, RightEvent
from patentbridge.licensing.models.money import (
    IncomeDistribution,
    IncomeLine,
    Payment,
    Receivable,
    UsageReport,
)
from patentbridge.licensing.models.offers import LicenceApplication, LicenceOffer
from patentbridge.licensing.models.open_licence import (
    LIVE_DECLARATION_STATES,
    OpenLicenceAcceptance,
    OpenLicenceDeclaration,
)

__all__ = [
    "LIVE_DECLARATION_STATES",
    "ContractPatent",
    "ContractStep",
    "Document",
    "IncomeDistribution",
    "IncomeLine",
    "LicenceApplication",
    "LicenceContract",
    "LicenceFiling",
    "LicenceOffer",
    "OpenLicenceAcceptance",
    "OpenLicenceDeclaration",
    "Payment",
    "PublicNotice",
    "Receivable",
    "RightEvent",
    "UsageReport",
]
