"""Text utilities: width folding and normalisation."""

from patentbridge_engine.text.width import normalize_text, to_halfwidth

__all__ = ["normalize_text", "to_halfwidth"]
