"""Settings: limits (read from PATENTBRIDGE_* environment variables; see docs/configuration.md)."""

from __future__ import annotations
