"""One entry point that classifies a patent under every shipped scheme."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from patentbridge_engine.classify.catalog import (
    load_green_rules,
    load_ipc_titles,
    load_key_digital_rules,
    load_sei_rules,
    load_wipo35_rules,
    load_xinsanyang_rules,
)
from patentbridge_engine.classify.chains import ChainDefinition, chain_index, match_chains
from patentbridge_engine.classify.ipc import IpcCode, parse_ipc
from patentbridge_engine.classify.rules import Assignment, Rule, RuleIndex, assign
from patentbridge_engine.classify.suggest import IpcSuggester

__all__ = ["Classifier"]

_SUGGESTERS: dict[int, IpcSuggester] = {}


def _shared_suggester(key: int, titles: dict[str, str]) -> IpcSuggester:
    if key not in _SUGGESTERS:
        _SUGGESTERS.clear()  # only one title table is in use at a time
        _SUGGESTERS[key] = IpcSuggester(titles)
    return _SUGGESTERS[key]


@dataclass
class Classifier:
    """Holds the loaded tables; ``classify`` is pure and safe to call from many rows."""

    chains: Sequence[ChainDefinition] = ()
    rules: tuple[Rule, ...] = field(default_factory=tuple)
    titles: dict[str, str] = field(default_factory=dict)
    _suggester: IpcSuggester | None = None
    _index: RuleIndex | None = None
    _chain_index: RuleIndex | None = None

    @classmethod
    def default(cls, chains: Sequence[ChainDefinition] = ()) -> Classifier:
        """A classifier with every shipped concordance table loaded."""
        rules = (
            load_sei_rules()
            + load_wipo35_rules()
            + load_green_rules()
            + load_key_digital_rules()
            + load_xinsanyang_rules()
        )
        return cls(chains=chains, rules=rules, titles=load_ipc_titles())

    @property
    def suggester(self) -> IpcSuggester:
        if self._suggester is None:
            # Building the suggester takes ~2 s; share it between classifiers over the same titles.
            self._suggester = _shared_suggester(id(self.titles), self.titles)
        return self._suggester

    def ipc_title(self, code: str) -> str:
        """Official Chinese title of an IPC code, falling back to its main group, subclass, class."""
        direct = self.titles.get(code)
        if direct is not None:
            return direct
        try:
            parsed = parse_ipc(code)
        except ValueError:
            return ""
        for candidate in [parsed.code, *reversed(parsed.ancestors())]:
            if candidate in self.titles:
                return self.titles[candidate]
        return ""

    def classify(
        self, ipc_codes: Sequence[IpcCode], text: str, *, suggest_when_missing: bool = True
    ) -> list[Assignment]:
        """Every scheme's assignments; records without IPC get top-3 suggested subclasses instead."""
        if self._index is None:
            self._index = RuleIndex(self.rules)
        out = assign(self._index, ipc_codes, text)
        if self._chain_index is None:
            self._chain_index = chain_index(self.chains)
        out.extend(match_chains(self.chains, ipc_codes, text, self._chain_index))
        if not ipc_codes and suggest_when_missing and text.strip():
            for s in self.suggester.suggest(text, 3):
                out.append(
                    Assignment(
                        scheme="ipc_suggested",
                        code=s.subclass,
                        name=s.title,
                        method="score",
                        reason=f"文本相似度 {s.score:.2f}"
                        + (f"，主要依据词：{'、'.join(s.drivers)}" if s.drivers else ""),
                        score=s.score,
                    )
                )
        return out
