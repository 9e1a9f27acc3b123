"""Hybrid search: keyword + semantic retrieval fused, with explanations."""

from patentbridge_engine.search.hybrid import Hit, SearchIndex

__all__ = ["Hit", "SearchIndex"]
