"""Classification: IPC parsing and hierarchy, concordances to industries, chains and suggestion."""

from patentbridge_engine.classify.catalog import SCHEME_LABELS, load_ipc_titles
from patentbridge_engine.classify.chains import (
    ChainDefinition,
    load_chain_config,
    match_chains,
    parse_chain_config,
)
from patentbridge_engine.classify.classifier import Classifier
from patentbridge_engine.classify.ipc import IpcCode, IpcPattern, parse_ipc, parse_ipc_list, parse_pattern
from patentbridge_engine.classify.rules import Assignment, Rule, assign
from patentbridge_engine.classify.suggest import IpcSuggester, IpcSuggestion

__all__ = [
    "SCHEME_LABELS",
    "Assignment",
    "ChainDefinition",
    "Classifier",
    "IpcCode",
    "IpcPattern",
    "IpcSuggester",
    "IpcSuggestion",
    "Rule",
    "assign",
    "load_chain_config",
    "load_ipc_titles",
    "match_chains",
    "parse_chain_config",
    "parse_ipc",
    "parse_ipc_list",
    "parse_pattern",
]
