"""Party links of patents: applicants and patentees as normalised Party rows.

Imports (``upsert.py``) and the entry form (``services.py``) share this, so a patent entered either
way is findable by applicant.
"""

from __future__ import annotations

from typing import Any

from patentbridge.core.bulk import insert_rows
from patentbridge.patents.models import Party, PatentParty
from patentbridge_engine.ids.orgs import applicant_kind, normalize_org_name, region_of

__all__ = ["link_parties"]


def link_parties(links_wanted: dict[int, tuple[list[str], list[str]]], changed_ids: set[int]) -> None:
    """Link patents to their applicants and patentees as normalised Party rows (created when new);
    the existing links of ``changed_ids`` are replaced. Imports and the entry form share this."""
    names = {normalize_org_name(n) for a, p in links_wanted.values() for n in [*a, *p] if n.strip()}
    existing = dict(Party.objects.filter(name__in=names).values_list("name", "pk"))
    missing = []
    for name in sorted(names - set(existing)):
        region = region_of(names=(name,))
        missing.append(
            Party(
                name=name[:200],
                kind=applicant_kind(name),
                province=region.province if region else "",
                city=region.city if region else "",
            )
        )
    if missing:
        Party.objects.bulk_create(missing, ignore_conflicts=True)
        existing.update(Party.objects.filter(name__in=[m.name for m in missing]).values_list("name", "pk"))
    if changed_ids:
        PatentParty.objects.filter(patent__in=changed_ids).delete()
    links: list[tuple[Any, ...]] = []
    for patent_id, (applicants, patentees) in links_wanted.items():
        for role, group in ((PatentParty.Role.APPLICANT, applicants), (PatentParty.Role.PATENTEE, patentees)):
            seen: set[str] = set()
            for position, raw in enumerate(group):
                name = normalize_org_name(raw)
                if name in existing and name not in seen:
                    seen.add(name)
                    links.append((patent_id, existing[name], role.value, position))
    insert_rows(PatentParty, ("patent", "party", "role", "position"), links)
