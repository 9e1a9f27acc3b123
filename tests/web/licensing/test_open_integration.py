"""Open licences meeting the rest of licensing: co-owned and pledged patents through to the contract
and its filing, a patent that lapsed before the notice, consents recorded on the ledger, name
matching, hostile declaration input, and the catalogue's ordering, keyword and IPC matching."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import load_workbook

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.services import ledger, open_licence
from patentbridge.patents.models import Patent
from web.licensing.factories import (
    OL_DECLARED,
    fee_lump_sum,
    make_coowned_patent,
    make_declaration,
    make_granted_patent,
    open_declaration_input,
)

pytestmark = pytest.mark.django_db

NOTICE = dt.date(2026, 3, 2)


def _pledge(parties, patent, *, consents=()):
    return ledger.record_right_event(
        parties.operator,
        patent,
        kind="pledge",
        start=dt.date(2025, 10, 1),
        end=dt.date(2028, 9, 30),
        counterparty="某某银行济南分行",
        record_no="Y2025370000009",
        source="manual",
        source_ref="pledge-9",
        consents=consents,
    )


def test_a_co_owned_patent_licenses_in_every_patentees_name(parties):
    """All patentees signed the declaration, so the contract lists them all as licensors and the
    co-owner consent of rule L4 is on file."""
    patent = make_coowned_patent(parties.university, "某某研究院有限公司")
    decl = make_declaration(parties.tto, patent)
    acc = open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=NOTICE)
    contract = acc.contract
    assert [entry["name"] for entry in contract.licensors] == [parties.university.name, "某某研究院有限公司"]
    assert contract.coowner_consent is True and contract.state == "active_paid"


def test_a_pledged_patent_with_the_pledgees_consent_files_without_a_hold(parties, patent):
    """The declaration's pledgee consent travels to the contract, so the filing is not held (L5)."""
    _pledge(parties, patent)
    decl = make_declaration(parties.tto, patent, pledgee_consent=True)
    acc = open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=NOTICE)
    assert acc.contract.pledgee_consent is True
    filing = acc.contract.filings.get(kind="initial")
    assert filing.hold_reason == "" and filing.due_date == dt.date(2026, 6, 2)


def test_a_pledgee_consent_recorded_on_the_ledger_also_counts(parties, patent):
    """The consent may be on the pledge's ledger record instead of the declaration."""
    _pledge(parties, patent, consents=["pledgee"])
    decl = open_licence.draft_declaration(
        parties.tto, patent, open_declaration_input(signed_by=patent.patentees), on=OL_DECLARED
    )
    assert open_licence.check_declaration(decl, OL_DECLARED, actor=parties.tto).allowed


def test_a_patent_that_lapsed_before_the_notice_gives_no_licence(parties, patent):
    """The sweep has not ended the declaration yet, but signing re-checks the patent (rule L1)."""
    decl = make_declaration(parties.tto, patent)
    Patent.objects.filter(pk=patent.pk).update(
        legal_status="lapsed_non_payment", lapse_date=dt.date(2026, 2, 20)
    )
    with pytest.raises(LicensingRefused) as info:
        open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=NOTICE)
    assert info.value.code == "L1" and info.value.reason
    assert not decl.acceptances.exists()


def test_signer_names_match_across_full_and_half_width(parties):
    """「某某（北京）有限公司」 signed as 「某某(北京)有限公司」 is the same patentee."""
    patent = make_coowned_patent(parties.university, "某某（北京）科技有限公司")
    decl = open_licence.draft_declaration(
        parties.tto,
        patent,
        open_declaration_input(signed_by=[parties.university.name, "某某(北京)科技有限公司"]),
        on=OL_DECLARED,
    )
    assert open_licence.check_declaration(decl, OL_DECLARED, actor=parties.tto).allowed


def test_a_declaration_until_a_past_date_is_blocked_by_the_platform_check(parties, patent):
    decl = open_licence.draft_declaration(
        parties.tto,
        patent,
        open_declaration_input(
            signed_by=patent.patentees, term_kind="until_date", term_until=dt.date(2025, 12, 31)
        ),
        on=OL_DECLARED,
    )
    verdict = open_licence.check_declaration(decl, OL_DECLARED, actor=parties.tto)
    finding = next(f for f in verdict.blocks if f.code == "TERM_BEYOND_PATENT")
    assert "2025-12-31" in finding.reason and finding.source


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"contact": "电" * 201}, "contact"),
        ({"other_terms": "条" * 5001}, "other_terms"),
        ({"fee_text": "费" * 301}, "fee_text"),
        ({"evaluation_report_no": "P" * 41}, "evaluation_report_no"),
        ({"evaluation_conclusion": "maybe"}, "evaluation_conclusion"),
        ({"origin": "somewhere"}, "origin"),
        ({"term_kind": "years_from_licence", "term_years": 0}, "term_years"),
        ({"term_kind": "years_from_licence", "term_years": None}, "term_years"),
        ({"term_kind": "until_date", "term_until": None}, "term_until"),
        ({"term_kind": "forever"}, "term_kind"),
        ({"fee_schedule": {"free": True}}, "fee_schedule"),
    ],
)
def test_hostile_declaration_input_is_refused_by_field(parties, patent, fields, field):
    with pytest.raises(ValidationError) as info:
        open_licence.draft_declaration(
            parties.tto, patent, open_declaration_input(signed_by=patent.patentees, **fields), on=OL_DECLARED
        )
    assert field in info.value.message_dict
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in info.value.message_dict[field])


def test_a_patent_without_an_owner_organisation_cannot_be_declared(parties):
    orphan = make_granted_patent(parties.university)
    Patent.objects.filter(pk=orphan.pk).update(owner_org=None)
    orphan.refresh_from_db()
    with pytest.raises(PermissionDenied, match="未关联权利人机构"):
        open_licence.draft_declaration(
            parties.operator, orphan, open_declaration_input(signed_by=orphan.patentees), on=OL_DECLARED
        )


def test_another_university_cannot_edit_a_draft(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="draft")
    with pytest.raises(PermissionDenied):
        open_licence.update_draft(
            parties.other_tto, decl, open_declaration_input(signed_by=patent.patentees), on=OL_DECLARED
        )


def test_the_origin_of_a_public_list_declaration_is_kept(parties, patent):
    decl = open_licence.draft_declaration(
        parties.tto,
        patent,
        open_declaration_input(signed_by=patent.patentees, origin="public_list"),
        on=OL_DECLARED,
    )
    assert decl.origin == "public_list" and decl.get_origin_display() == "公开实施清单"


# --- catalogue ordering and matching ------------------------------------------------------------


def test_the_newest_publication_comes_first(parties):
    older = make_declaration(
        parties.tto, make_granted_patent(parties.university), published=dt.date(2026, 2, 2)
    )
    newer = make_declaration(
        parties.tto, make_granted_patent(parties.university), published=dt.date(2026, 2, 20)
    )
    assert list(open_licence.public_declarations()) == [newer, older]


def test_keywords_match_the_licensor_and_the_announcement_number(parties, patent):
    make_declaration(parties.tto, patent, announcement_no="CN-OL-777")
    make_declaration(parties.other_tto, make_granted_patent(parties.other_university))
    by_number, _ = open_licence.CatalogueFilter.from_mapping({"q": "OL-777"})
    by_licensor, _ = open_licence.CatalogueFilter.from_mapping({"q": parties.other_university.name})
    assert [d.patent for d in open_licence.public_declarations(by_number)] == [patent]
    assert open_licence.public_declarations(by_licensor).get().declarant_org == parties.other_university


def test_the_ipc_prefix_matches_any_code_of_the_patent(parties):
    patent = make_granted_patent(parties.university, ipc=["F25B30/02", "F24D3/18"])
    make_declaration(parties.tto, patent)
    make_declaration(parties.tto, make_granted_patent(parties.university, ipc=["G06F17/00"]))
    second_code, _ = open_licence.CatalogueFilter.from_mapping({"ipc": "f24d"})
    assert [d.patent for d in open_licence.public_declarations(second_code)] == [patent]
    substring, _ = open_licence.CatalogueFilter.from_mapping({"ipc": "24D"})
    assert not open_licence.public_declarations(substring).exists(), "a prefix, not any substring"


def test_the_export_carries_every_public_column(parties, patent):
    make_declaration(parties.tto, patent, fee_schedule=fee_lump_sum("60000.00"), announcement_no="GK-9")
    rows = list(
        load_workbook(io.BytesIO(Client().get("/licensing/open/export.xlsx").content)).active.iter_rows(
            values_only=True
        )
    )
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header == open_licence.CATALOGUE_HEADER
    assert row["申请号"] == patent.application_number and row["公告号"] == "GK-9"
    assert row["付费方式"] == "固定费用" and row["许可使用费"] == "一次性许可费 ¥60,000.00"
    assert row["许可人"] == parties.university.name and row["演示数据"] is None
    assert "自检" not in "".join(str(h) for h in header)
