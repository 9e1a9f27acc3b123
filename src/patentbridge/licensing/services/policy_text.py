"""Stored policy-parameter versions as people read them (pages and statements)."""

from __future__ import annotations

from collections.abc import Iterable

from patentbridge.licensing.services.deal_regions import region_label
from patentbridge_engine.licensing import policy as policy_table

__all__ = ["version_text", "versions_text"]


def version_text(version: str) -> str:
    """``INVENTOR_SHARE_MIN_LICENCE@37@2017-12-01`` → 「<label>（山东省，2017-12-01 起；《…》第…条）」.
    A version no longer in the table keeps its id, marked as such, so old statements still say
    what they used."""
    try:
        row = policy_table.by_version(version)
    except KeyError:
        return f"{version}（已不在政策参数表中）"
    where = "全国" if row.jurisdiction == "CN" else region_label(row.jurisdiction.ljust(6, "0"))
    # A platform default is not a document title, so it is not put in 《》.
    doc = row.source_doc if row.source_doc.startswith("平台") else f"《{row.source_doc}》"
    source = f"；{doc}{row.source_article}" if row.source_doc else ""
    return f"{row.label}（{where}，{row.effective_from.isoformat()} 起{source}）"


def versions_text(versions: Iterable[object]) -> str:
    """Several versions, separated by 「；」."""
    return "；".join(version_text(str(v)) for v in versions)
