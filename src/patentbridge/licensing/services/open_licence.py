"""Open licences (专利开放许可, 专利法 Arts. 50–52; guide §3) in one import for views, the API, the
sweep and other modules. The work is split by stage:

* ``open_declare``   — drafting and editing, who may declare, the state machine step;
* ``open_check``     — the eligibility self-check (``check_declaration``) and one-step ``declare``;
* ``open_documents`` — consent and report files attached to a declaration;
* ``open_lifecycle`` — submission, CNIPA publication / return, withdrawal and its announcement;
* ``open_sweep``     — the daily sweep's ``apply_withdrawals`` and ``end_declarations_for_lapsed``;
* ``open_accept``    — an enterprise's written notice → an ordinary licence through the contract core;
* ``open_catalogue`` — the public catalogue (filters, rows, XLSX export);
* ``open_fees``      — the 15 % annual-fee reduction flag and the no-stacking fee display.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from patentbridge.core.restrict import restrict
from patentbridge.licensing.models import OpenLicenceAcceptance, OpenLicenceDeclaration
from patentbridge.licensing.services.open_accept import (
    accept_declaration,
    licence_end,
    licensor_actor,
    mark_paid,
    needs_payment_on_acceptance,
    patent_expiry,
)
from patentbridge.licensing.services.open_catalogue import (
    CATALOGUE_HEADER,
    FEE_TYPES,
    CatalogueFilter,
    catalogue_rows,
    describe_fee,
    describe_term,
    fee_type,
    filter_choices,
    get_public,
    page_rows,
    public_declarations,
    public_row,
)
from patentbridge.licensing.services.open_check import (
    check_declaration,
    declaration_facts,
    declaration_verdict,
    declare,
)
from patentbridge.licensing.services.open_declare import (
    EDITABLE_STATES,
    DeclarationInput,
    current_patentees,
    declaration_ref,
    draft_declaration,
    may_declare,
    signed_names,
    update_draft,
)
from patentbridge.licensing.services.open_fees import (
    FeeFlag,
    annual_fee_plan,
    next_fee_due,
    open_licence_fee_flag,
)
from patentbridge.licensing.services.open_lifecycle import (
    IN_FORCE,
    record_publication,
    record_return,
    record_withdrawal_published,
    record_withdrawal_refused,
    request_withdrawal,
    submit_declaration,
)
from patentbridge.licensing.services.open_sweep import apply_withdrawals, end_declarations_for_lapsed

__all__ = [
    "CATALOGUE_HEADER",
    "EDITABLE_STATES",
    "FEE_TYPES",
    "IN_FORCE",
    "CatalogueFilter",
    "DeclarationInput",
    "FeeFlag",
    "accept_declaration",
    "acceptances_for",
    "annual_fee_plan",
    "apply_withdrawals",
    "catalogue_rows",
    "check_declaration",
    "current_patentees",
    "declaration_facts",
    "declaration_ref",
    "declaration_verdict",
    "declarations_for",
    "declare",
    "describe_fee",
    "describe_term",
    "draft_declaration",
    "end_declarations_for_lapsed",
    "fee_type",
    "filter_choices",
    "get_public",
    "licence_end",
    "licensor_actor",
    "mark_paid",
    "may_declare",
    "needs_payment_on_acceptance",
    "next_fee_due",
    "open_licence_fee_flag",
    "page_rows",
    "patent_expiry",
    "public_declarations",
    "public_row",
    "record_publication",
    "record_return",
    "record_withdrawal_published",
    "record_withdrawal_refused",
    "request_withdrawal",
    "signed_names",
    "submit_declaration",
    "update_draft",
]


def declarations_for(user: Any, action: str = "view") -> QuerySet[OpenLicenceDeclaration]:
    """Declarations ``user`` may see (``view``) or act on (``change``): a TTO its organisation's,
    an enterprise published ones, operators all (rules in ``licensing/access.py``)."""
    qs = OpenLicenceDeclaration.objects.select_related("patent", "declarant_org")
    return restrict(qs, user, action).order_by("-created_at", "-pk")


def acceptances_for(user: Any) -> QuerySet[OpenLicenceAcceptance]:
    """Acceptances ``user`` may see: an enterprise its own, a TTO those of its declarations."""
    qs = OpenLicenceAcceptance.objects.select_related(
        "declaration", "declaration__patent", "licensee_org", "contract"
    )
    return restrict(qs, user).order_by("-notified_at", "-pk")
