"""Retrieval: keyword (BM25) and semantic (encoders + vector stores) indexes."""

__all__: list[str] = []
