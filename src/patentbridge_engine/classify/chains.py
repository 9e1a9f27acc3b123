"""Regional key industry chains: operator-editable IPC prefixes plus keywords.

A chain matches a patent through an IPC pattern (reason: which symbol and entry) or, for
records whose IPC misses the chain, through a keyword in the title or abstract (reason:
which keyword). Both reasons are kept so the operator can judge keyword-only matches.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patentbridge_engine.classify.data import data_path
from patentbridge_engine.classify.ipc import IpcCode, IpcPattern, parse_pattern
from patentbridge_engine.classify.rules import Assignment, Rule, RuleIndex, first_keyword

__all__ = ["ChainDefinition", "chain_index", "load_chain_config", "match_chains", "parse_chain_config"]


@dataclass(frozen=True, slots=True)
class ChainDefinition:
    """One industry chain of a regional configuration."""

    code: str
    name: str
    ipc: tuple[IpcPattern, ...]
    keywords: tuple[str, ...]


def parse_chain_config(config: dict[str, Any]) -> list[ChainDefinition]:
    """Validate and parse a chain configuration object (``{"chains": [{code, name, ipc, keywords}]}``)."""
    chains = []
    seen: set[str] = set()
    items = config.get("chains", [])
    if not isinstance(items, list):
        raise ValueError("产业链配置的 chains 必须是列表")
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(f"产业链配置项必须是对象：{item!r}")
        code = str(item["code"]).strip()
        if not code or code in seen:
            raise ValueError(f"产业链代码为空或重复：{code!r}")
        seen.add(code)
        chains.append(
            ChainDefinition(
                code=code,
                name=str(item["name"]).strip(),
                ipc=tuple(parse_pattern(p) for p in _text_entries(item, "ipc", code)),
                keywords=tuple(k.strip() for k in _text_entries(item, "keywords", code) if k.strip()),
            )
        )
    return chains


def _text_entries(item: dict[str, Any], key: str, code: str) -> list[str]:
    """The ``ipc`` or ``keywords`` list of a chain entry; anything but a list of strings is refused with a
    ValueError (operators edit this JSON by hand, and the settings page turns ValueError into a message)."""
    entries = item.get(key, [])
    label = "IPC 参照" if key == "ipc" else "关键词"
    if not isinstance(entries, list):
        raise ValueError(f"产业链 {code} 的{label}必须是文本列表：{entries!r}")
    for entry in entries:
        if not isinstance(entry, str):
            raise ValueError(f"产业链 {code} 的{label}必须是文本：{entry!r}")
    return entries


def load_chain_config(path: Path | None = None) -> dict[str, Any]:
    """Read a chain configuration file (default: the shipped Shandong starting configuration)."""
    with (path or data_path("industry_chains_shandong.json")).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def match_chains(
    chains: Sequence[ChainDefinition], ipc_codes: Sequence[IpcCode], text: str, index: RuleIndex | None = None
) -> list[Assignment]:
    """Chains the patent belongs to, each with its reason; ``index`` (from ``chain_index``) speeds repeats."""
    index = index or chain_index(chains)
    ipc_hit: dict[str, tuple[IpcCode, str]] = {}
    for ipc in ipc_codes:
        for position, entry in index.ipc_hits(ipc):
            ipc_hit.setdefault(index.rules[position].code, (ipc, entry.source))
    out = []
    for chain in chains:
        hit = ipc_hit.get(chain.code)
        keyword = first_keyword(chain.keywords, text)
        reasons = []
        if hit:
            reasons.append(f"IPC {hit[0].code} 属于产业链配置 {hit[1]}")
        if keyword:
            reasons.append(f"文本含关键词“{keyword}”")
        if reasons:
            out.append(
                Assignment(
                    scheme="chain",
                    code=chain.code,
                    name=chain.name,
                    method="rule" if hit else "keyword",
                    reason="；".join(reasons),
                    matched_ipc=hit[0].code if hit else "",
                    entry=hit[1] if hit else "",
                    keyword=keyword,
                )
            )
    return out


def chain_index(chains: Sequence[ChainDefinition]) -> RuleIndex:
    """A memoising index over the chains' IPC patterns."""
    return RuleIndex(Rule(scheme="chain", code=c.code, name=c.name, include=c.ipc) for c in chains)
