"""Who may overwrite a stored patent through an import or the entry form, and what a refused writer is told.

Rule (security finding "ownership on every write path"): application numbers are unique across the
whole library, so a row or a form naming a stored number is a request to change *that* patent. It is
applied only when the writer may change the patent: operators and admins anywhere
(``policies.is_platform_wide``); a university's TTO staff only patents owned by their organisation —
the organisation the import batch was created for — as ``queries.restrict(…, "change")`` decides;
inventors (form only) only their own drafts and returned submissions. Anything else is refused and
nothing about the stored patent changes.

What a refused writer learns — the deliberate choice:

* Because the number is unique, a refusal necessarily tells the writer that *some* record holds the
  number; the alternative (pretending to import, or creating a second record) would lie or corrupt.
* It tells nothing more. One fixed reason is used whether the other organisation's patent is approved
  (in the library, visible to the writer anyway) or unapproved (a draft or pending review, invisible),
  operator-owned or university-owned; it names no owner, title or status.
* The refusal does not depend on the row's content: a row identical to the stored patent is refused
  just like a differing one (reporting it "unchanged" would confirm the other organisation's data).
* The counters only move ``rejected``, which any invalid row also moves, so the batch summary, the
  reject report and ``/api/imports/…`` carry the same generic reason and nothing else. Refusals are
  kept as import issues, so operators can see who tried to write which number.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from patentbridge.accounts import policies
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import restrict

__all__ = ["REFUSED_FORM", "REFUSED_IMPORT", "may_change", "writable_ids"]

# Shown in the reject report for any row about a patent the importing organisation does not own.
REFUSED_IMPORT = "该专利属于其他单位，本单位无权更新；如需更正请联系运营中心"
# Shown on the entry form for any existing number the user may not change, whoever holds it.
REFUSED_FORM = "您无权录入或修改该申请号的专利；如需更正请联系本单位专利管理人员或运营中心"


def writable_ids(actor: Any, org: Any, patents: Collection[Patent]) -> set[int]:
    """Ids among the stored ``patents`` that ``actor``, importing for ``org``, may update.

    Platform roles may update every patent. Everyone else needs both: the patent belongs to the
    batch's organisation, and ``restrict(…, "change")`` lets the actor change it (so a batch never
    writes outside the organisation it was created for, even if the actor's membership moved since).
    An unknown actor (a batch whose creator was deleted) may update nothing: the check fails closed.
    """
    if policies.is_platform_wide(actor):
        return {p.pk for p in patents}
    org_id = getattr(org, "pk", None)
    candidates = [p.pk for p in patents if org_id is not None and p.owner_org_id == org_id]
    if not candidates:
        return set()
    allowed = restrict(Patent.objects.filter(pk__in=candidates), actor, "change")
    return set(allowed.values_list("pk", flat=True))


def may_change(actor: Any, patent: Patent) -> bool:
    """Whether ``actor`` may change this stored patent through the entry form."""
    return restrict(Patent.objects.filter(pk=patent.pk), actor, "change").exists()
