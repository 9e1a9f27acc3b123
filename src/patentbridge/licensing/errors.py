"""The one error a licensing service raises when a rule refuses an action."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from patentbridge_engine.licensing.findings import Finding, Verdict

__all__ = ["LicensingRefused"]


class LicensingRefused(Exception):
    """A rule refused the action: ``code`` (e.g. ``L3``, ``EXCLUSIVE_OR_SOLE_ACTIVE``,
    ``STATE``), a Chinese ``reason``, and every finding of the check. Views show the reason;
    the API answers 422 with the code, the reason and the findings."""

    def __init__(self, code: str, reason: str, findings: Iterable[Finding] = ()) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.findings = tuple(findings)

    @classmethod
    def from_verdict(cls, verdict: Verdict) -> LicensingRefused:
        """The first blocking finding names the refusal; all findings travel with it."""
        first = verdict.first_block()
        if first is None:
            raise ValueError("verdict allows the action")
        return cls(first.code, first.reason, verdict.findings)

    def as_payload(self) -> dict[str, Any]:
        return {
            "error": "refused",
            "code": self.code,
            "detail": self.reason,
            "findings": [f.as_dict() for f in self.findings],
        }
