"""Read-side helpers of applications: the trial places left on a patent, whether an out-of-region
applicant still needs confirming (rule L11), the published offers of a patent and the licence term
proposed on acceptance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from patentbridge.licensing.choices import ApplicationStateChoices, ModeChoices, OfferStateChoices
from patentbridge.licensing.models import LicenceApplication, LicenceOffer
from patentbridge_engine.legal.terms import add_months

__all__ = [
    "DEFAULT_TERM_MONTHS",
    "default_end",
    "needs_region_confirmation",
    "offers_for_patent",
    "trial_places_left",
]

TRIAL = ModeChoices.TRIAL_THEN_PAID.value
# Licence term proposed when the publisher accepts without naming an end: three years, never
# past the earliest patent's expiry (rule L1). The publisher may change it on the accept form.
DEFAULT_TERM_MONTHS = 36


def trial_places_left(offer: LicenceOffer, patent: Any, *, applicant_org: Any = None) -> int | None:
    """Trial places left on ``patent`` under ``offer`` (None = no cap); an accepted trial
    application of another enterprise takes one place, the applicant's own never counts twice."""
    if offer.max_trials_per_patent is None:
        return None
    taken = LicenceApplication.objects.filter(
        offer=offer, patents=patent, requested_mode=TRIAL, state=ApplicationStateChoices.ACCEPTED
    )
    if applicant_org is not None:
        taken = taken.exclude(applicant_org=applicant_org)
    return max(0, offer.max_trials_per_patent - taken.values("applicant_org").distinct().count())


def needs_region_confirmation(application: LicenceApplication) -> bool:
    """Rule L11: outside the target regions of a ``region_only`` offer and not yet confirmed."""
    return (
        application.out_of_region
        and application.offer.region_only
        and application.region_confirmed_by_id is None
    )


def offers_for_patent(user: Any, patent: Any) -> list[LicenceOffer]:
    """Published offers that include ``patent`` (newest first)."""
    return list(
        LicenceOffer.objects.filter(patents=patent, state=OfferStateChoices.PUBLISHED)
        .select_related("publisher_org")
        .order_by("-published_at", "-pk")
    )


def default_end(application: LicenceApplication, start: dt.date) -> dt.date:
    """``DEFAULT_TERM_MONTHS`` after ``start``, but no later than the earliest patent expiry."""
    end = add_months(start, DEFAULT_TERM_MONTHS)
    expiries = [p.expiry_date for p in application.patents.all() if p.expiry_date is not None]
    return min([end, *expiries])
