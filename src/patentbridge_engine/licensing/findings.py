"""The verdict every licensing check returns: refusals (blocks) and warnings, each with a stable
code, a Chinese reason a user can act on, and the legal or policy source it rests on."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Finding", "Severity", "Verdict"]


class Severity(StrEnum):
    """A block stops the action; a warning is shown and may need a human's confirmation."""

    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    """One rule's outcome: ``code`` (e.g. ``L3`` or ``EXCLUSIVE_OR_SOLE_ACTIVE``), a Chinese
    ``reason`` naming the patent and the fact that triggered it, and the ``source`` article."""

    code: str
    severity: Severity
    reason: str
    source: str = ""
    patent: str = ""  # application number the finding is about ("" = the whole request)

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "reason": self.reason,
            "source": self.source,
            "patent": self.patent,
        }


@dataclass(frozen=True)
class Verdict:
    """All findings of one check; ``allowed`` is false as soon as one finding blocks."""

    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def allowed(self) -> bool:
        return not self.blocks

    @property
    def blocks(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCK)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARN)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def first_block(self) -> Finding | None:
        return self.blocks[0] if self.blocks else None

    @classmethod
    def of(cls, findings: list[Finding]) -> Verdict:
        return cls(tuple(findings))
