"""Exception hierarchy of the engine.

PatentBridgeEngineError
├── InvalidNumberError        a patent/application number cannot be parsed or fails its check character
├── InvalidIpcError           an IPC symbol cannot be parsed
└── InputFormatError          an input file cannot be read at all (not a per-row problem)
"""

from __future__ import annotations

__all__ = ["InputFormatError", "InvalidIpcError", "InvalidNumberError", "PatentBridgeEngineError"]


class PatentBridgeEngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class InvalidNumberError(PatentBridgeEngineError, ValueError):
    """A patent number is malformed; the message is Chinese and shown to users."""


class InvalidIpcError(PatentBridgeEngineError, ValueError):
    """An IPC symbol is malformed."""


class InputFormatError(PatentBridgeEngineError):
    """A whole input file is unreadable (wrong format, broken XML, unknown encoding)."""
