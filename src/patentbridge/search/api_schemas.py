"""Response schemas of the search API."""

from __future__ import annotations

from ninja import Schema

from patentbridge.patents.api_schemas import PatentOut

__all__ = ["SearchHitOut", "SearchOut"]


class SearchHitOut(Schema):
    """One search result with the reasons it matched."""

    patent: PatentOut
    score: float
    keyword_match: bool
    terms: list[str]
    sentence: str


class SearchOut(Schema):
    count: int
    mode: str
    results: list[SearchHitOut]
