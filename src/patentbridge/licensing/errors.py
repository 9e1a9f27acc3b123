"""The one error a licensing service raises when a rule refuses an action."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from patentbridge_engine.licensing.findings import Finding, Verdict

__all__ = ["LicensingRefused"]

# The licence rules L1–L13 are numbered in the guide and on the policy page, so a person can look
# one up; other codes (OL_WITHDRAWN, STATE, FEE_…) are identifiers and stay out of the page text.
_PUBLIC_RULE = re.compile(r"L\d{1,2}")


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

    def display(self) -> str:
        """The refusal as a person reads it: 「reason（规则 L7）」 for a numbered licence rule,
        the Chinese reason alone for any other code."""
        if _PUBLIC_RULE.fullmatch(self.code):
            return f"{self.reason}（规则 {self.code}）"
        return self.reason

    def as_payload(self) -> dict[str, Any]:
        return {
            "error": "refused",
            "code": self.code,
            "detail": self.reason,
            "findings": [f.as_dict() for f in self.findings],
        }
